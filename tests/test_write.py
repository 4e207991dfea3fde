"""Atomic output: the old folder stays whole until the new one is complete."""

from __future__ import annotations

from pathlib import Path

from passo.site.write import StagedOutput


def test_full_build_swaps_folders(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "old.html").write_text("old")
    staged = StagedOutput(dist, start_from_previous=False)
    staged.write("new.html", b"new")
    assert (dist / "old.html").exists() and not (dist / "new.html").exists()  # nothing visible before commit
    staged.commit()
    assert sorted(p.name for p in dist.iterdir()) == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # no temporary folders left behind


def test_incremental_commit_replaces_and_removes_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "a").mkdir(parents=True)
    (dist / "a/index.html").write_text("A1")
    (dist / "b/index.html").parent.mkdir()
    (dist / "b/index.html").write_text("B")
    staged = StagedOutput(dist, start_from_previous=True)
    staged.write("a/index.html", b"A2")
    staged.remove("b/index.html")
    assert (dist / "a/index.html").read_text() == "A1"
    staged.commit()
    assert (dist / "a/index.html").read_text() == "A2"
    assert not (dist / "b").exists()


def test_abort_leaves_everything_as_it_was(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("kept")
    staged = StagedOutput(dist, start_from_previous=False)
    staged.write("index.html", b"lost")
    staged.abort()
    assert (dist / "index.html").read_text() == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]
