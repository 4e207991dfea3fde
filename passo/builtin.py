"""Passo's own files (templates, browser code, catalogues, plan forms) and the order a site overrides them in.

Installed from a wheel, they live in passo/_builtin/ (pyproject.toml maps the repository's top-level folders
there); run from a checkout (`python build.py`, an editable install) they are the checkout's own folders. Every
other module asks here rather than guessing a path.
"""

from __future__ import annotations

import functools
import re
from importlib import metadata
from pathlib import Path

FOLDERS = ("templates", "site_src", "locales", "schemas")
# The folders whose files a site or its theme may override one by one (site > theme > Passo).
OVERRIDABLE = ("templates", "site_src", "locales")

_PACKAGE = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE / "_builtin"
_CHECKOUT = _PACKAGE.parent


def root() -> Path:
    """The folder holding Passo's templates/, site_src/, locales/ and schemas/."""
    return _PACKAGED if (_PACKAGED / "templates").is_dir() else _CHECKOUT


def folder(name: str) -> Path:
    return root() / name


@functools.cache
def version() -> str:
    """Passo's version, as installed; a checkout that was never installed reads it from its pyproject.toml."""
    try:
        return metadata.version("passo")
    except metadata.PackageNotFoundError:
        pyproject = _CHECKOUT / "pyproject.toml"
        found = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M) \
            if pyproject.is_file() else None
        return found.group(1) if found else "0+unknown"


def layers(site_dir: Path, theme: str | None, name: str) -> list[Path]:
    """Folders to look a file of `name` (templates, site_src, locales) up in, first wins: the site's own, its
    theme's, Passo's. This repository is both Passo and its example site: a folder that is Passo's own counts
    once, as Passo's, so a theme still overrides it."""
    own = folder(name).resolve()
    found: list[Path] = []
    candidates = [site_dir / name, *([site_dir / theme / name] if theme else [])]
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved != own and resolved.is_dir() and resolved not in found:
            found.append(resolved)
    found.append(own)
    return found


def is_builtin(path: Path) -> bool:
    return path.resolve().is_relative_to(root().resolve())


def input_files() -> list[Path]:
    """Passo's own files a build reads: a new Passo version changes some of them, which means a full rebuild."""
    files = []
    for name in OVERRIDABLE:
        base = folder(name)
        if base.is_dir():
            files.extend(sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".")))
    return files


def display(path: Path, site_dir: Path) -> str:
    """How a message names a file: by its path in the site, or in Passo for Passo's own."""
    if path.resolve().is_relative_to(site_dir.resolve()):
        return path.resolve().relative_to(site_dir.resolve()).as_posix()
    if is_builtin(path):
        return f"(Passo {version()}) {path.resolve().relative_to(root().resolve()).as_posix()}"
    return str(path)
