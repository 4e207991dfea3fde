"""Shared fixtures: tiny sites built inline, the example site built once, servers, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from passo.pipeline import build
from passo.serve import SiteHandler, make_server

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MINIMAL_TOML = 'name = "Tiny"\nlanguages = ["en"]\nsearch = false\n'


# --- tiny sites ----------------------------------------------------------------------------------------------


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"content/en/guides/a.md": "..."}) -> a site folder, as an organisation keeps one: Passo's
    templates and browser code come from Passo itself, and any file given under templates/ or site_src/ overrides.

    Files given replace the defaults; `schemas=True` copies the example schemas, `locales=True` the catalogues."""

    def make(files: dict[str, str | bytes], *, schemas: bool = False, locales: bool = False,
             name: str = "site") -> Path:
        site = tmp_path / name
        site.mkdir(parents=True, exist_ok=True)
        if schemas:
            shutil.copytree(REPO / "schemas", site / "schemas")
        if locales:
            shutil.copytree(REPO / "locales", site / "locales")
        files = {"site.toml": MINIMAL_TOML, **files}
        for rel, content in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return site

    return make


def guide(title: str, body: str = "Some text.\n", **meta: str) -> str:
    """A guide source with front matter, for tests."""
    lines = [f"title: {title}", *[f"{k}: {v}" for k, v in meta.items()]]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).lstrip("\n")


# --- the example site, built once ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def example_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per test session (search index included)."""
    out = tmp_path_factory.mktemp("example") / "dist"
    build(REPO, out, incremental=False)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[Callable[..., str]]:
    """serve_dir(path, base_path="/") -> URL of a server on 127.0.0.1 that sends a host's headers (CSP...)."""
    servers = []

    def start(path: Path, base_path: str = "/") -> str:
        server = make_server(Path(path), "127.0.0.1", 0, base_path=base_path)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{base_path}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(example_dist: Path, serve_dir: Callable[..., str]) -> str:
    """The example site, served on 127.0.0.1 at the root, as a host would serve it."""
    return serve_dir(example_dist)


@dataclass
class Hits:
    """Every request that reached the server: (path, status)."""

    seen: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.seen[mark:])

    def mark(self) -> int:
        with self.lock:
            return len(self.seen)


class CountingHandler(SiteHandler):
    hits: Hits

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        with self.hits.lock:
            self.hits.seen.append((urlsplit(self.path).path, int(code)))


@pytest.fixture(scope="session")
def counting_server() -> Iterator[Callable[[Path], tuple[str, Hits]]]:
    """counting_server(dist) -> (URL, hits): the site served with a host's headers, every request recorded (the
    page's, and the service worker's, which a browser's own events may not show)."""
    servers = []

    def start(root: Path) -> tuple[str, Hits]:
        hits = Hits()
        handler = type("Counting", (CountingHandler,), {"site_root": root, "base_path": "/", "live": None,
                                                         "hits": hits})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", hits

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def features_url(tmp_path_factory: pytest.TempPathFactory, serve_dir: Callable[..., str]) -> str:
    """The guide with every Markdown feature, a picture and a worksheet, in its section (tests/e2e/guide_features.py),
    built once for every browser test that reads it."""
    from tests.e2e.guide_features import PATH, build_features

    return serve_dir(build_features(tmp_path_factory.mktemp("features") / "site")) + PATH


@pytest.fixture(scope="session")
def nginx() -> Iterator[Callable[[Path, str], str]]:
    """nginx(dist, "/sub/") -> URL: Debian's nginx, started as a plain process with the deployment guide's config."""
    from passo.site.headers import nginx_snippet

    started: list[subprocess.Popen[bytes]] = []

    def start(dist: Path, base_path: str) -> str:
        port = free_port()
        conf_dir = dist.parent / f"nginx-{port}"
        conf_dir.mkdir()
        (conf_dir / "logs").mkdir()
        # Test folders are private to this user; nginx's workers would otherwise drop to 'nobody' and get 403.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = f"""
{user}
daemon off;
worker_processes 1;
pid {conf_dir}/nginx.pid;
error_log {conf_dir}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {conf_dir}/logs/access.log;
    client_body_temp_path {conf_dir}/body;
    proxy_temp_path {conf_dir}/proxy;
    fastcgi_temp_path {conf_dir}/fastcgi;
    uwsgi_temp_path {conf_dir}/uwsgi;
    scgi_temp_path {conf_dir}/scgi;
    server {{
        listen 127.0.0.1:{port};
{nginx_snippet(base_path, str(dist))}
    }}
}}
"""
        (conf_dir / "nginx.conf").write_text(conf)
        process = subprocess.Popen(["nginx", "-c", str(conf_dir / "nginx.conf"), "-p", str(conf_dir)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                if process.stdout:
                    process.stdout.close()
                raise RuntimeError(f"nginx exited with {process.returncode}:\n{output}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return f"http://127.0.0.1:{port}{base_path}"
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start listening within 10 s")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


# --- the browser -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium: Playwright cannot download a browser on these machines."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, playwright) -> dict:  # type: ignore[no-untyped-def]
    """Every test meets the site as a coachee does: a Pixel 7 phone (412x839, touch)."""
    device = {k: v for k, v in playwright.devices["Pixel 7"].items() if k != "default_browser_type"}
    return {**browser_context_args, **device, "service_workers": "allow"}


class PageWatch:
    """What a page did that a user would not want: requests leaving the site, console errors, CSP violations."""

    def __init__(self) -> None:
        self.foreign: list[str] = []
        self.console_errors: list[str] = []

    def check(self) -> None:
        assert not self.foreign, f"requests left the site's origin: {self.foreign}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def watch(page, request: pytest.FixtureRequest) -> Iterator[PageWatch]:  # type: ignore[no-untyped-def]
    """Records every request outside 127.0.0.1 and every console error of `page`; fails the test on either."""
    seen = PageWatch()

    def on_request(req) -> None:  # type: ignore[no-untyped-def]
        url = req.url
        if not url.startswith(("http://127.0.0.1:", "blob:", "data:", "about:")):
            seen.foreign.append(url)

    page.context.on("request", on_request)
    page.on("console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: seen.console_errors.append(str(exc)))
    yield seen
    if not request.node.get_closest_marker("allow_console_errors"):
        seen.check()
