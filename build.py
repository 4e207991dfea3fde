#!/usr/bin/env python3
"""Passo's command line: `python build.py build | serve | check | new | i18n` (see --help)."""

from passo.cli import run

if __name__ == "__main__":
    run()
