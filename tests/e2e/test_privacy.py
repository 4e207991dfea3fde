"""Privacy, as a coachee's whole session shows it: every page in every language, a search, a plan filled in and
exported. Nothing is requested from anywhere but the site, nothing is stored anywhere but the site's own storage,
and no page carries inline script or a policy that would allow it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

from tests.e2e.session import GOAL, walk_session
from tests.test_hostile_markdown import audit_html

pytestmark = pytest.mark.e2e

# Elements that make the browser fetch something by themselves (links a person follows are not requests).
FETCHING = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
            ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
            ("object", "data"), ("track", "src"), ("input", "src")}
FETCHING_LINKS = {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "modulepreload", "prefetch",
                  "preconnect", "dns-prefetch", "prerender", "mask-icon"}


def same_origin(url: str, origin: str) -> bool:
    return url.startswith(origin + "/") or url.startswith(("blob:" + origin + "/", "data:", "about:blank"))


def html_files(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.html"))


# --- the session ----------------------------------------------------------------------------------------------------


def test_a_whole_session_stays_on_the_site(page: Page, site_url: str) -> None:
    origin = site_url.rstrip("/")
    requests: list[Request] = []
    # The page's requests, its workers' and the service worker's.
    page.context.on("request", lambda request: requests.append(request))
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))

    download = walk_session(page, site_url)
    assert download.url.startswith(("blob:", "data:")), f"the export went through the network: {download.url}"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "passo-plan" and exported["schema"] == "smart-action-plan"

    foreign = sorted({r.url for r in requests if not same_origin(r.url, origin)})
    assert foreign == [], f"requests left the site's origin: {foreign}"
    assert sockets == []
    assert len(requests) > 100, "the session made suspiciously few requests: was it recorded?"
    kinds = {("worker" if r.service_worker else "page") for r in requests}
    assert kinds == {"page", "worker"}, "the service worker's own requests were not seen"

    # Stored: the plan in the site's own IndexedDB and the offline copy in its Cache Storage; nothing else.
    state = page.context.storage_state(indexed_db=True)
    assert state["cookies"] == []
    assert {o["origin"] for o in state["origins"]} <= {origin}
    assert GOAL in json.dumps(state["origins"])
    assert page.evaluate("caches.keys()") and all(name.startswith("passo-") for name in page.evaluate("caches.keys()"))
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


# --- every page in dist -----------------------------------------------------------------------------------------------


def test_no_page_has_inline_script_handlers_or_styles(example_dist: Path) -> None:
    found = {}
    for path in html_files(example_dist):
        audit = audit_html(path.read_text(encoding="utf-8"))
        problems = list(audit.findings)
        problems += [f"<script> body {s['body'][:40]!r}" for s in audit.scripts if (s["body"] or "").strip()]
        if problems:
            found[path.relative_to(example_dist).as_posix()] = problems
    assert found == {}
    assert len(html_files(example_dist)) > 60


def csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_page_carries_the_policy(example_dist: Path) -> None:
    for path in html_files(example_dist):
        rel = path.relative_to(example_dist).as_posix()
        policies = audit_html(path.read_text(encoding="utf-8")).csp
        assert len(policies) == 1, f"{rel}: {len(policies)} CSP meta tags"
        policy = csp_directives(policies[0])
        assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"], rel
        assert policy["default-src"] == ["'self'"], rel
        assert policy["object-src"] == ["'none'"], rel
        assert policy["base-uri"] == ["'self'"], rel
        # Trusted Types: no string reaches an HTML or script sink; one policy, for the service worker's URL.
        assert policy["require-trusted-types-for"] == ["'script'"], rel
        assert policy["trusted-types"] == ["passo-sw"], rel
        sources = [value for name, values in policy.items() for value in values
                   if name not in ("require-trusted-types-for", "trusted-types")]
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources), rel
        # Nothing but the site itself (and data:/blob: images, which never leave the device).
        assert all(s in {"'self'", "'none'", "'wasm-unsafe-eval'", "data:", "blob:"} for s in sources), rel


def test_the_csp_meta_comes_before_anything_it_governs(example_dist: Path) -> None:
    """A <meta> policy applies only to what comes after it in the document."""
    for path in html_files(example_dist):
        html = path.read_text(encoding="utf-8")
        meta = html.find('http-equiv="Content-Security-Policy"')
        first = min((i for i in (html.find("<script"), html.find("<link"), html.find("<style"), html.find("<img"))
                     if i >= 0), default=len(html))
        assert 0 <= meta < first, path.relative_to(example_dist).as_posix()


def test_pages_fetch_nothing_from_elsewhere(example_dist: Path) -> None:
    """No element that loads something by itself points outside the site (links people follow may)."""

    class Fetches(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            named = dict(attrs)
            for name, value in attrs:
                if value and (tag, name) in FETCHING:
                    self.urls += [u.split()[0] for u in value.split(",")] if name == "srcset" else [value]
            rel = set((named.get("rel") or "").lower().split())
            if tag == "link" and rel & FETCHING_LINKS and named.get("href"):
                self.urls.append(named["href"] or "")

    found = {}
    for path in html_files(example_dist):
        parser = Fetches()
        parser.feed(path.read_text(encoding="utf-8"))
        outside = [u for u in parser.urls if urlsplit(u).scheme not in ("", "data", "blob") or u.startswith("//")]
        if outside:
            found[path.relative_to(example_dist).as_posix()] = outside
    assert found == {}


def test_stylesheets_load_nothing_from_elsewhere(example_dist: Path) -> None:
    found = {}
    for path in sorted(example_dist.rglob("*.css")):
        css = path.read_text(encoding="utf-8")
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css) + re.findall(r"@import\s+['\"]([^'\"]+)", css)
        outside = [u for u in urls if urlsplit(u).scheme not in ("", "data") or u.startswith("//")]
        if outside:
            found[path.relative_to(example_dist).as_posix()] = outside
    assert found == {}
