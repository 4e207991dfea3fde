"""Passo: a static-site generator and offline web app for coaching plans."""
