"""Offline search: Pagefind indexes the built pages, one index per `<html lang>`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from passo.problems import BuildFailed, Problem


def pagefind_executable() -> Path:
    from pagefind_bin import get_executable  # the PyPI package ships the binary: nothing is downloaded

    return get_executable()


def run_pagefind(site: Path) -> None:
    """(Re)build `site/pagefind/` from the HTML in `site`; Pagefind rebuilds the whole index every time."""
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    result = subprocess.run(
        [str(pagefind_executable()), "--site", str(site), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BuildFailed([Problem("pagefind", 0, 0, f"search index failed: {result.stderr.strip()[:500]}")])
