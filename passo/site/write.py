"""Write stage: build the new `dist/` beside the old one and swap only when everything is ready."""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


class StagedOutput:
    """A new output folder beside `dist/`, swapped in by `commit()` only when the whole build succeeded.

    A full build stages the whole site and swaps folders. An incremental build stages only the files it
    changed and then moves each one over its old copy (a rename, atomic per file): copying thousands of
    unchanged pages just to swap folders would cost more than the rebuild itself.

    Files are written by a thread of their own, in the order given: creating a file is a system call that lets go
    of the GIL, so pages keep being rendered meanwhile. Anything that reads the folder waits for it (`flush`). The
    staging folder is this build's alone, so each file is written in place, with no temporary name and rename.
    """

    def __init__(self, dist: Path, *, start_from_previous: bool):
        self.dist = dist
        self.partial = start_from_previous and dist.is_dir()
        self.removed: list[str] = []
        dist.parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{dist.name}.new-", dir=dist.parent))
        self._folders: set[str] = {""}  # made so far, so each is made once, not once per file
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write")
        self._pending: list[Future] = []

    def write(self, rel: str, data: bytes) -> None:
        self._pending.append(self._writer.submit(self._write_now, rel, data))

    def _write_now(self, rel: str, data: bytes) -> None:
        folder = rel.rpartition("/")[0]
        if folder not in self._folders:
            (self.path / folder).mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        with open(self.path / rel, "wb") as file:
            file.write(data)

    def flush(self) -> None:
        """Wait until every file given so far is on disk; a write that failed raises here."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def read(self, rel: str) -> bytes:
        return self.path_of(rel).read_bytes()

    def path_of(self, rel: str) -> Path:
        """Where `rel` is now: staged by this build, else (an incremental build) the copy already in `dist/`."""
        self.flush()
        staged = self.path / rel
        return staged if staged.exists() or not self.partial else self.dist / rel

    def size_of(self, rel: str) -> int:
        """The size of `rel` where it is now (see path_of); one system call for most files, as the service worker
        lists the size of each of thousands."""
        self.flush()
        try:
            return os.stat(os.path.join(self.path, rel)).st_size
        except FileNotFoundError:
            if not self.partial:
                raise
            return os.stat(os.path.join(self.dist, rel)).st_size

    def remove(self, rel: str) -> None:
        self.flush()
        self.removed.append(rel)
        (self.path / rel).unlink(missing_ok=True)

    def files(self, under: str = "") -> list[str]:
        self.flush()
        base = self.path / under if under else self.path
        return sorted(p.relative_to(self.path).as_posix() for p in base.rglob("*") if p.is_file())

    def replace_folder(self, rel: str) -> None:
        """A folder regenerated whole (the search index): its old files must go, not only be overwritten."""
        if self.partial:
            self.removed.append(rel + "/")

    def commit(self) -> None:
        """Swap the new folder in; the old one is renamed aside first so a crash leaves one of them whole."""
        self.flush()
        self._writer.shutdown()
        if self.partial:
            self._commit_files()
            return
        os.chmod(self.path, 0o755)
        old = None
        if self.dist.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.dist.name}.old-", dir=self.dist.parent))
            os.rmdir(old)
            os.replace(self.dist, old)
        os.replace(self.path, self.dist)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _commit_files(self) -> None:
        for rel in self.removed:
            target = self.dist / rel.rstrip("/")
            if rel.endswith("/"):
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
                _prune_empty(target.parent, self.dist)
        for dirpath, _dirs, filenames in os.walk(self.path):
            rel_dir = Path(dirpath).relative_to(self.path)
            for name in filenames:
                (self.dist / rel_dir).mkdir(parents=True, exist_ok=True)
                os.replace(Path(dirpath) / name, self.dist / rel_dir / name)
        shutil.rmtree(self.path, ignore_errors=True)

    def abort(self) -> None:
        self._writer.shutdown(cancel_futures=True)  # waits for the file being written, then nothing more is
        shutil.rmtree(self.path, ignore_errors=True)


def _prune_empty(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
