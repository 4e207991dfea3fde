"""`new guide LANG SLUG`: a guide skeleton with valid front matter, so a coach starts from something that builds."""

from __future__ import annotations

from pathlib import Path

from passo.load import KEY_PATTERN

SKELETON = """---
title: {title}
summary: One sentence that says what this guide helps with.
order: 100
tags: []
---

Start with a short paragraph: who this guide is for and what they will be able to do after reading it.

## First step

Explain the first step in plain words.

## Next step

Link to related guides with their file name, for example `[the GROW model](grow.md)`.
"""


def new_guide(site_dir: Path, lang: str, slug: str, title: str | None = None) -> Path:
    if not KEY_PATTERN.match(slug):
        raise ValueError(f"'{slug}' is not a URL slug: use lower-case letters, digits and '-'")
    path = site_dir / "content" / lang / "guides" / f"{slug}.md"
    if path.exists():
        raise ValueError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SKELETON.format(title=title or slug.replace("-", " ").capitalize()), encoding="utf-8")
    return path
