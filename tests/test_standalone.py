"""A clone of Passo passes its tests and runs its benchmarks on its own: nothing outside docs/ reads the material
kept beside the project (the folder named below). What a test or benchmark needs from there is copied in, with its
source."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO

# The folder beside the project, by its relative path or by a path built to it (parent / "<it>", parents[2] / ...).
# Its name is spelled in two pieces so that this file does not name it itself.
BESIDE = "sha" + "red"
OUTSIDE = re.compile(rf"""\.\./{BESIDE}\b|parents?(\[\d+\])?\s*/\s*["']{BESIDE}\b""")
SKIPPED = ("docs/",)  # the docs may say where a copied file came from


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [name for name in listed.decode("utf-8").split("\0") if name]


def test_no_tracked_file_reads_the_material_beside_the_project() -> None:
    found = []
    for name in tracked_files():
        if name.startswith(SKIPPED):
            continue
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files, and files deleted in the working tree
        found += [f"{name}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                  if OUTSIDE.search(line)]
    assert found == []


def test_the_check_finds_what_it_should() -> None:
    for line in (f'CORPUS = REPO.parent / "{BESIDE}" / "bench" / "gen_corpus.py"',
                 f'str(Path(__file__).parents[2] / "{BESIDE}/bench/gen_corpus.py")',
                 f"see ../{BESIDE}/testdata/mkdocs-docs"):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('REPO / "bench" / "gen_corpus.py"')
    assert not OUTSIDE.search("a share for the coach, shared with me")
