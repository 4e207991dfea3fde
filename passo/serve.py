"""`serve`: build, serve `dist/` on 127.0.0.1 with a host's headers, rebuild on change and reload the page.

The same request handler serves the built site in the browser tests, so they meet the headers a host sends."""

from __future__ import annotations

import hashlib
import json
import mimetypes
import queue
import signal
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import unquote, urlsplit

from passo.problems import BuildFailed
from passo.site.headers import SECURITY_HEADERS, cache_control
from passo.site.search import SiteIndex

if TYPE_CHECKING:
    from passo.pipeline import BuildResult

RELOAD_PATH = "/__passo/reload.js"
EVENTS_PATH = "/__passo/events"
RELOAD_SCRIPT = b"""// Added by `python build.py serve` only: reloads the page after a rebuild, shows build errors.
const source = new EventSource("/__passo/events");
// Connected: from now on a rebuild reloads this page (tests wait for this instead of a fixed delay).
source.addEventListener("open", () => { document.documentElement.dataset.passoLive = "connected"; });
source.addEventListener("reload", () => location.reload());
source.addEventListener("errors", (event) => {
  let box = document.getElementById("passo-build-errors");
  if (!box) {
    box = document.createElement("pre");
    box.id = "passo-build-errors";
    box.setAttribute("role", "alert");
    Object.assign(box.style, { position: "fixed", inset: "auto 0 0 0", maxHeight: "60vh", overflow: "auto",
      margin: "0", padding: "1rem", background: "#fff0f0", color: "#5c0000", border: "3px solid #b3261e",
      zIndex: "1000", whiteSpace: "pre-wrap", font: "14px/1.4 monospace" });
    document.body.append(box);
  }
  box.textContent = "The last change did not build; still showing the last good build.\\n\\n" + JSON.parse(event.data);
});
source.addEventListener("ok", () => document.getElementById("passo-build-errors")?.remove());
"""
# While developing, pages must change the moment they are rebuilt: this worker removes any cached copy.
DEV_SERVICE_WORKER = b"""// Added by `python build.py serve`: no offline copy while editing.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", async () => {
  for (const name of await caches.keys()) await caches.delete(name);
  await self.registration.unregister();
});
"""

mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site under a base path with the security and caching headers of `_headers`."""

    site_root: Path = Path(".")
    base_path: str = "/"
    live: LiveReload | None = None
    quiet: bool = True
    sent: ClassVar[dict[str, tuple[int, str]]] = {}  # file -> (Last-Modified, ETag) of its bytes: see send_head
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        path = urlsplit(self.path).path
        rel = path[len(self.base_path):] if path.startswith(self.base_path) else path
        self.send_header("Cache-Control", "no-store" if self.live else cache_control(rel))
        if getattr(self, "_etag", None) and not self.live:
            self.send_header("ETag", self._etag)
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]
        # "304 Not Modified" only for the bytes the browser has. A file's time counts in whole seconds, so a file a
        # rebuild wrote in the same second as the last build (a new sw.js) would pass for unchanged by its date and
        # the browser would keep the old one: each new content of a file gets a later Last-Modified than the last
        # one sent for it, and an ETag made from the bytes. An unchanged file still costs a revalidation no body.
        file = _served_file(Path(self.translate_path(self.path)), self.path)
        self._etag, self._modified = _etag(file), None
        since = self.headers.get("If-Modified-Since")
        if since is not None:
            del self.headers["If-Modified-Since"]  # decided here, against the date this content was sent with
        if file is None or self._etag is None:
            return super().send_head()
        with self.lock:
            seconds, etag = self.sent.get(str(file), (0, ""))
            if etag != self._etag:  # new bytes: a date after the one the old bytes went out with
                seconds = max(int(file.stat().st_mtime), seconds + 1)
                self.sent[str(file)] = (seconds, self._etag)
        self._modified = self.date_time_string(seconds)
        matches = [tag.strip() for tag in self.headers.get("If-None-Match", "").split(",")]
        if self._etag in matches or since == self._modified:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        return super().send_head()

    def send_header(self, keyword: str, value: str) -> None:
        if keyword == "Last-Modified" and getattr(self, "_modified", None):
            value = self._modified  # the date this content was first sent with (send_head)
        super().send_header(keyword, value)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(self.base_path):
            return str(self.site_root / "__outside_base__")
        rel = path[len(self.base_path):]
        target = (self.site_root / rel).resolve()
        root = self.site_root.resolve()
        if target != root and root not in target.parents:
            return str(root / "__outside_root__")
        return str(target)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site_root / "404.html"
        if code == HTTPStatus.NOT_FOUND and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if self.live is not None:
            if path == RELOAD_PATH:
                return self._send_bytes(RELOAD_SCRIPT, "text/javascript")
            if path == EVENTS_PATH:
                return self.live.stream(self)
            if path == self.base_path + "sw.js":
                return self._send_bytes(DEV_SERVICE_WORKER, "text/javascript")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path.endswith(("/", ".html")):
                html = target.read_bytes().replace(
                    b"</body>", f'<script type="module" src="{RELOAD_PATH}"></script></body>'.encode())
                return self._send_bytes(html, "text/html; charset=utf-8")
        return super().do_GET()

    def _send_bytes(self, data: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class LiveReload:
    """Server-sent events to every open page: 'reload' after a good rebuild, 'errors' after a failed one."""

    def __init__(self) -> None:
        self.clients: list[queue.Queue[tuple[str, str]]] = []
        self.lock = threading.Lock()
        self.last_errors = ""

    def send(self, event: str, data: str = "") -> None:
        with self.lock:
            for client in self.clients:
                client.put((event, data))

    def stream(self, handler: SiteHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()
        mine: queue.Queue[tuple[str, str]] = queue.Queue()
        with self.lock:
            self.clients.append(mine)
        if self.last_errors:
            mine.put(("errors", self.last_errors))
        try:
            while True:
                try:
                    event, data = mine.get(timeout=15)
                except queue.Empty:
                    handler.wfile.write(b": keep-alive\n\n")
                else:
                    handler.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.clients.remove(mine)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection mid-answer (a cancelled fetch, a page left) is normal, not an error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SearchRefresher:
    """The search index while `serve` runs: one Pagefind process kept warm, brought up to date after each rebuild
    on a thread of its own, so the page reload never waits for it. It re-adds only the pages a rebuild wrote, and
    reads every page again only after a full rebuild or when pages were removed. Rebuilds that come while it works
    are folded into one refresh."""

    def __init__(self, out: Path, build_lock: threading.Lock) -> None:
        self.out = out
        self.build_lock = build_lock  # held by builds: the index's files are recorded between them, not during one
        self.index: SiteIndex | None = None
        self.lock = threading.Lock()
        self.fresh = True
        self.pages: dict[str, bytes] = {}
        self.wake = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.stopping = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def after_build(self, result: BuildResult) -> None:
        with self.lock:
            if result.full or result.removed:
                self.fresh, self.pages = True, {}
            elif not self.fresh:
                self.pages.update(result.html)
            self.idle.clear()
            self.wake.set()  # under the lock: the thread must not see "nothing to do" between these two

    def _run(self) -> None:
        from passo.pipeline import record_index, update_index

        while True:
            self.wake.wait()
            if self.stopping:
                return
            with self.lock:
                self.wake.clear()
                fresh, pages = self.fresh, self.pages
                self.fresh, self.pages = False, {}
            try:
                if self.index is None:
                    self.index, fresh = SiteIndex(self.out), True
                files = update_index(self.out, self.index, None if fresh else pages)
                with self.build_lock:
                    record_index(self.out, files)
            except BuildFailed as exc:
                if not self.stopping:
                    print("\n".join(p.format() for p in exc.problems), file=sys.stderr)
                    print("search index not updated: the next save tries again", file=sys.stderr)
                if self.index is not None:  # start a new Pagefind process next time
                    self.index.close()
                    self.index = None
                with self.lock:
                    self.fresh = True
            with self.lock:
                if not self.wake.is_set():
                    self.idle.set()

    def wait(self, timeout: float) -> bool:
        """True once every rebuild so far is in the index (for tests and the benchmark)."""
        return self.idle.wait(timeout)

    def close(self) -> None:
        """Stop the thread and the Pagefind process (a refresh under way is abandoned)."""
        self.stopping = True
        self.wake.set()
        if self.index is not None:
            self.index.close()
        self.thread.join(timeout=10)


def _served_file(path: Path, url: str) -> Path | None:
    """The file a request gets: a folder URL gets its index.html."""
    if path.is_dir() and urlsplit(url).path.endswith("/"):
        path = path / "index.html"
    return path if path.is_file() else None


_ETAGS: dict[str, tuple[int, int, str]] = {}  # file -> (mtime_ns, size, ETag): a file is hashed once per change


def _etag(file: Path | None) -> str | None:
    """A validator made from the bytes themselves (nanosecond times tell two writes in one second apart)."""
    if file is None:
        return None
    try:
        st = file.stat()
        known = _ETAGS.get(str(file))
        if known and known[:2] == (st.st_mtime_ns, st.st_size):
            return known[2]
        tag = '"' + hashlib.sha256(file.read_bytes()).hexdigest()[:20] + '"'
    except OSError:
        return None
    _ETAGS[str(file)] = (st.st_mtime_ns, st.st_size, tag)
    return tag


def make_server(root: Path, host: str = "127.0.0.1", port: int = 0, base_path: str = "/",
                live: LiveReload | None = None) -> ThreadingHTTPServer:
    """A threaded server for `root` on `host:port` (0 picks a free port); start it with serve_forever()."""
    handler = type("BoundSiteHandler", (SiteHandler,), {"site_root": root, "base_path": base_path, "live": live})
    server = SiteServer((host, port), handler)
    return server


def serve(site_dir: Path, out_dir: Path | None = None, *, host: str = "127.0.0.1", port: int = 8000) -> int:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    from passo.pipeline import build

    site_dir = site_dir.resolve()
    out = (out_dir or site_dir / "dist").resolve()
    live = LiveReload()
    build_lock = threading.Lock()
    search = SearchRefresher(out, build_lock)

    def rebuild(first: bool = False) -> None:
        try:
            # Unminified: a browser error then points at the line as written.
            with build_lock:
                result = build(site_dir, out, search="background", minify=False)
        except BuildFailed as exc:
            live.last_errors = "\n".join(p.format() for p in exc.problems)
            print(live.last_errors, file=sys.stderr)
            print("build failed: still serving the last good build", file=sys.stderr)
            live.send("errors", live.last_errors)
            return
        live.last_errors = ""
        if not result.skipped:
            print(f"built {result.pages} pages in {result.seconds:.2f} s", flush=True)
            if not first:
                live.send("ok")
                live.send("reload")
            # The search index follows the reload, from the warm Pagefind process.
            if result.search:
                search.after_build(result)

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # so the `finally` below ends the Pagefind process too

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    rebuild(first=True)
    if not out.is_dir():
        print("nothing to serve yet: fix the errors above and save again", file=sys.stderr)
    pending = threading.Event()

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            path = Path(str(event.src_path))
            if out in path.parents or path == out:
                return
            # Hidden files and folders are not the site's: the build's own staging folder (.dist.new-*) beside
            # dist/, its record, editors' swap files. A file written inside the staging folder must not start
            # another build (and with it a second reload of the page).
            parts = path.relative_to(site_dir).parts if site_dir in path.parents else (path.name,)
            if any(part.startswith(".") or part == "__pycache__" for part in parts):
                return
            pending.set()

    observer = Observer()
    observer.schedule(Changed(), str(site_dir), recursive=True)
    observer.start()
    server = make_server(out, host, port, live=live)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving http://{host}:{server.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        while True:
            if pending.wait(timeout=1):
                # Editors write a file in several steps (truncate, write, rename): build once the folder has been
                # quiet for 0.15 s, so a half-written guide is not built and shown; at most 2 s of waiting.
                settle_until = time.monotonic() + 2
                while True:
                    pending.clear()
                    if not pending.wait(timeout=0.15) or time.monotonic() > settle_until:
                        break
                pending.clear()
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
        search.close()
    return 0
