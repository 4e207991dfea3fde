"""Offline search: Pagefind indexes the built pages, one index per `<html lang>`.

Pagefind cannot load an index back from disk (its issue #71), so every index is built from the pages; what can be
saved is time around that. `SiteIndex` talks to one `pagefind --service` process directly: base64 JSON messages,
each ended by a comma. (The `pagefind` package's own wrapper waits 0.1 s before reading each reply, which makes
adding pages one by one slow.) The index stays in that process, so:

- a CLI rebuild starts reading the unchanged pages from `dist/` while Python is still loading and rendering, then
  re-adds only the pages it wrote (Pagefind replaces a page added again under the same URL);
- `serve` keeps one index warm for its whole run and re-adds only the pages each rebuild wrote.

A page cannot be taken out of a Pagefind index: when pages were removed, the index is started afresh.

Pagefind's files depend on the order pages are added in (a page added again keeps its place). Pages are always added
in the order of their paths, whichever way the index is made (streamed during a full build, read back from `dist/`,
refreshed by `serve`), so the same site gives the same bytes. (Pagefind's own AddDir reads a folder in the file
system's order, which a build that streams its pages cannot know in advance.) When pages were added, the index is
started afresh too: a new page would otherwise come last, not in its place.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from passo.problems import BuildFailed, Problem


class SearchFailed(Exception):
    """Pagefind refused a request or stopped; the message says why."""


def pagefind_executable() -> Path:
    from pagefind_bin import get_executable  # the PyPI package ships the binary: nothing is downloaded

    return get_executable()


class SiteIndex:
    """One Pagefind service process holding the search index of the built site in `site`."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self._process = subprocess.Popen([str(pagefind_executable()), "--service"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._next_id = 0
        self._buffer = b""
        self._replies: dict[int, dict] = {}
        self._pending: list[int] = []  # requests sent whose reply has not been read yet
        self._index_id: int | None = None
        self._pages: set[str] = set()  # site-relative paths of the pages in the index
        self._reader: threading.Thread | None = None  # adding the pages in `site`, while the caller goes on
        self._reader_failed: SearchFailed | None = None

    # --- the wire ---------------------------------------------------------------------------------------------

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self._process.stdin.flush()
        except (OSError, ValueError) as exc:  # ValueError: the pipe was closed by close() meanwhile
            raise SearchFailed(f"the Pagefind process stopped ({exc})") from exc
        self._pending.append(self._next_id)
        return self._next_id

    def _read_one(self) -> None:
        assert self._process.stdout is not None
        while b"," not in self._buffer:
            chunk = self._process.stdout.read1(1 << 20)
            if not chunk:
                raise SearchFailed(f"the Pagefind process stopped (exit status {self._process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b",", 1)
        message = json.loads(base64.b64decode(raw))
        message_id = message.get("message_id")
        if message_id is None:  # Pagefind could not read the request: it names it in `original_message`
            original = message.get("payload", {}).get("original_message") or "{}"
            message_id = json.loads(original).get("message_id")
        self._replies[message_id] = message["payload"]

    def _reply(self, message_id: int) -> dict:
        while message_id not in self._replies:
            self._read_one()
        self._pending.remove(message_id)
        payload = self._replies.pop(message_id)
        if payload.get("type") == "Error":
            raise SearchFailed(str(payload.get("message", "unknown error"))[:500])
        return payload

    def _wait_all(self) -> None:
        if self._reader is not None:
            self._reader.join()
            self._reader = None
            failed, self._reader_failed = self._reader_failed, None
            if failed is not None:
                raise failed
        for message_id in list(self._pending):
            self._reply(message_id)

    # --- the index --------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start a new, empty index (the one held before, if any, is dropped)."""
        self._wait_all()
        if self._index_id is not None:
            self._reply(self._send({"type": "DeleteIndex", "index_id": self._index_id}))
        self._index_id = self._reply(self._send({"type": "NewIndex", "config": None}))["index_id"]
        self._pages = set()

    def start_from_disk(self) -> None:
        """Start a new index with every page now in `site`, in path order; returns at once: a thread reads and
        sends the pages meanwhile."""
        self.start()
        found = (p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html"))
        pages = sorted(path for path in found if not path.startswith("pagefind/"))
        self._reader = threading.Thread(target=self._add_from_disk, args=(pages,), daemon=True)
        self._reader.start()

    def _add_from_disk(self, pages: list[str]) -> None:
        try:
            for path in pages:
                try:
                    html = (self.site / path).read_bytes()
                except OSError as exc:  # removed while read: the caller starts afresh
                    raise SearchFailed(f"{path} could not be read ({exc.strerror})") from exc
                self.add_page(path, html)
        except SearchFailed as exc:
            self._reader_failed = exc

    def add_page(self, path: str, html: bytes) -> None:
        """Send one page (its path in the site, its HTML); the reply is read later."""
        assert self._index_id is not None, "start() first"
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                    "file_contents": html.decode("utf-8")})
        self._pages.add(path)
        if len(self._pending) > 64:  # read replies as we go: a full reply pipe would stop Pagefind reading
            self._reply(self._pending[0])

    def add_pages(self, pages: dict[str, bytes]) -> None:
        """Add pages (path in the site -> HTML) as they are now; one added before under that path is replaced in
        its place. A page the index does not hold yet raises SearchFailed: it would come last, not in path order.

        Waits for the pages being read from disk first: an old copy read after the new one would win."""
        self._wait_all()
        assert self._index_id is not None, "start_from_disk() first"
        added = sorted(p for p in pages if p.endswith(".html") and p not in self._pages)
        if added:
            raise SearchFailed(f"pages were added ({', '.join(added[:3])})")
        for path, html in pages.items():
            if path.endswith(".html"):
                self.add_page(path, html)
        self._wait_all()

    def write(self, site: Path | None = None) -> list[str]:
        """Write the index to `site/pagefind/` (a new folder swapped in whole); returns its files, site-relative."""
        self._wait_all()
        assert self._index_id is not None, "start_from_disk() first"
        site = site or self.site
        temp = Path(tempfile.mkdtemp(prefix=f".{site.name}.pagefind-", dir=site.parent))
        try:
            # A first index (a full build) comes through the pipe, complete when the reply is read. A rebuild's is
            # written by Pagefind itself, reusing the old fragments (Linux, where its open files can be seen).
            if (site / "pagefind" / "fragment").is_dir() and Path(f"/proc/{self._process.pid}/fd").is_dir():
                self._write_reusing(site / "pagefind", temp)
            else:
                self._write_through_pipe(temp)
            _steady_entry(temp / "pagefind-entry.json")
            os.chmod(temp, 0o755)
            _swap_in(temp, site / "pagefind")
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        return sorted(p.relative_to(site).as_posix() for p in (site / "pagefind").rglob("*") if p.is_file())

    def _write_reusing(self, old: Path, temp: Path) -> None:
        """Most of Pagefind's writing time is compressing one fragment per page, and it skips a fragment whose file
        (named by a hash of its content) is already there: the old fragments are linked in first, so only those of
        changed pages are compressed. Pagefind answers before its last writes end; they have ended when it holds
        no file open in the folder. Fragments the new index does not use are then deleted."""
        (temp / "fragment").mkdir()
        olds = list(old.joinpath("fragment").iterdir())
        for fragment in olds:
            try:
                os.link(fragment, temp / "fragment" / fragment.name)
            except OSError:
                shutil.copy2(fragment, temp / "fragment" / fragment.name)
        self._reply(self._send({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(temp)}))
        self._wait_closed(temp)
        _drop_unused_fragments(temp / "fragment")

    def _wait_closed(self, folder: Path, timeout: float = 60.0) -> None:
        """Until Pagefind has held no file in `folder` open for several looks in a row: between two of its writes,
        on a busy machine, one look can fall in a moment when none is open."""
        fd_dir = Path(f"/proc/{self._process.pid}/fd")
        prefix = str(folder) + os.sep
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            open_here = False
            for fd in os.listdir(fd_dir):
                try:
                    open_here = os.readlink(fd_dir / fd).startswith(prefix)
                except OSError:
                    continue
                if open_here:
                    break
            quiet = 0 if open_here else quiet + 1
            if quiet == 4:
                return
            time.sleep(0.01)
        raise SearchFailed("Pagefind did not finish writing its files")

    def _write_through_pipe(self, temp: Path) -> None:
        """The files come back through the pipe and are written here, complete before the folder is swapped in.
        A large site's index is thousands of files (a fragment per page): creating a file is a system call that lets
        go of the GIL, so four threads write them (about a sixth sooner for 2,000 fragments on this project's disk)."""
        reply = self._reply(self._send({"type": "GetFiles", "index_id": self._index_id}))
        files = []
        for item in reply["files"]:
            name = Path(item["path"]).as_posix()
            if name.startswith(("/", "../")) or "/../" in name:
                raise SearchFailed(f"Pagefind named a file outside its folder: {name}")
            files.append((temp / name, item["content"]))
        for folder in sorted({target.parent for target, _ in files}):
            folder.mkdir(parents=True, exist_ok=True)

        def write(file: tuple[Path, str]) -> None:
            file[0].write_bytes(base64.b64decode(file[1]))

        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="pagefind-files") as writers:
            list(writers.map(write, files))  # list(): a failed write raises here

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            try:
                self._process.stdin.close()  # the service ends when its input does
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        if self._reader is not None:  # it stops at its next message: the pipes are closed
            self._reader.join(timeout=5)
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> SiteIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class StreamedIndex:
    """A full build's index, fed each page as soon as it is made, so Pagefind reads the pages on the other core
    while the next ones are rendered. Pages go in path order: one made early waits until every page before it went.
    A thread of its own sends them: a page waits in the pipe until Pagefind has read the one before, and the build
    should not wait with it."""

    def __init__(self, index: SiteIndex) -> None:
        self.index = index
        self.index.start()
        self._order: list[str] | None = None  # every page the build will make, once known
        self._next = 0
        self._waiting: dict[str, bytes] = {}
        self._sent: list[str] = []
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind")  # one: pages stay in order
        self._sending: list[Future] = []

    def expect(self, pages: list[str]) -> None:
        """Every page the build will make; pages offered before are sent now, as far as the order allows."""
        self._order = sorted(pages)
        self._send_ready()

    def offer(self, path: str, html: bytes) -> None:
        self._waiting[path] = html
        if self._order is not None:
            self._send_ready()

    def _send_ready(self) -> None:
        assert self._order is not None
        while self._next < len(self._order) and self._order[self._next] in self._waiting:
            path = self._order[self._next]
            self._sending.append(self._sender.submit(self.index.add_page, path, self._waiting.pop(path)))
            self._sent.append(path)
            self._next += 1

    def write(self, pages: dict[str, bytes]) -> list[str]:
        """Write the index of `pages` (every page the build made) to its site's `pagefind/`; returns its files.
        Should the build have made other pages than it said, they are all sent again, in order."""
        self._sender.shutdown()
        for sent in self._sending:
            sent.result()  # a page Pagefind could not take raises here
        wanted = sorted(p for p in pages if p.endswith(".html"))
        if self._sent != wanted:
            self.index.start()
            for path in wanted:
                self.index.add_page(path, pages[path])
        return self.index.write()


def _fragment_url(path: Path) -> str | None:
    """The page URL a fragment is about: its JSON starts with it, so only the first bytes are decompressed."""
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(path.read_bytes(), 4096)
        return json.loads(head[len(b"pagefind_dcd"):].split(b',"content"', 1)[0] + b"}")["url"]
    except (OSError, ValueError, KeyError, zlib.error):
        return None


def _drop_unused_fragments(folder: Path) -> None:
    """A page added again has a new fragment; its old one, linked in before the write, is used no more. (A
    fragment the index does not name is never loaded, so one left behind costs space, never a wrong result.)"""
    by_url: dict[str, list[Path]] = {}
    for fragment in folder.iterdir():
        url = _fragment_url(fragment)
        if url is not None:
            by_url.setdefault(url, []).append(fragment)
    for fragments in by_url.values():
        if len(fragments) > 1:
            for fragment in fragments:
                if fragment.stat().st_nlink > 1:  # linked from the old index, not written by Pagefind now
                    fragment.unlink()
def _steady_entry(entry: Path) -> None:
    """Pagefind lists the languages of its entry file in a different order each run. The same site must give the
    same bytes (the service worker lists every file's hash: a new entry file would offer every coachee an update),
    so the languages are written sorted; the browser reads them by name, never by position."""
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no entry file (no page had a language): nothing to steady
    if isinstance(data.get("languages"), dict):
        data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _swap_in(new: Path, target: Path) -> None:
    """Replace the folder `target` by `new`: two renames, so a reader finds the old index or the new one."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=new.parent))
        os.rmdir(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def index_failed(reason: object) -> BuildFailed:
    return BuildFailed([Problem("pagefind", 0, 0, f"search index failed: {str(reason)[:500]}")])


def run_pagefind(site: Path) -> list[str]:
    """(Re)build `site/pagefind/` from every page in `site`; returns the index's files, site-relative."""
    try:
        with SiteIndex(site) as index:
            index.start_from_disk()
            return index.write()
    except SearchFailed as exc:
        raise index_failed(exc) from exc
