"""Bytes a phone downloads until it is offline ready: one language, then all four (issue 21).

    .venv/bin/python bench/bench_offline.py [--guides 200] [--no-corpus]

Two sites in English, Italian, Dutch and Swedish: the example site, and a corpus of `--guides` guides
(bench/gen_corpus.py) in each language, a 1600 px picture in every tenth guide as bench/bench_build.py adds them
(the translations show the original's pictures, as a translation without its own does).

For each, a fresh Pixel 7 profile opens /en/ and waits for the page's own signal that English is complete offline
(`<html data-offline="ready">`, "Offline ready" on the home page): every response the server sent until then counts,
each file compressed with gzip -9 as a host would send it (a 304 costs nothing). That is "one language". Then
Settings keeps Italian, Dutch and Swedish, and the count goes on until all four are kept: "all four". Beside them,
"before issue 21": what the worker before it fetched on a first visit, every file of the site it listed (computed
from dist/: each output but sw.js, _headers, robots.txt and sitemap.xml, gzip -9), whatever language was read.

Prints a table and a one-line JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_build import CORPUS, add_images  # noqa: E402
from passo.pipeline import build  # noqa: E402
from passo.site.pwa import NOT_PRECACHED  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, CountingHandler, Hits  # noqa: E402

LANGUAGES = ["en", "it", "nl", "sv"]
READY = "html[data-offline='ready']"
ALL_KEPT = """() => [...document.querySelectorAll('#settings-offline-list li')]
  .every((li) => li.textContent.includes('Kept offline'))"""
MB = 1_000_000


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


class Sizes:
    """gzip -9 size of each served file, computed once."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.known: dict[str, int] = {}

    def of(self, path: str) -> int:
        if path not in self.known:
            file = self.dist / path.lstrip("/")
            self.known[path] = gz((file / "index.html" if file.is_dir() else file).read_bytes())
        return self.known[path]

    def sent(self, hits: list[tuple[str, int]]) -> tuple[int, int]:
        """(bytes, files) of the 200 responses among `hits`."""
        ok = [path for path, status in hits if status == 200]
        return sum(self.of(path) for path in ok), len(ok)


def corpus_site(root: Path, guides: int) -> Path:
    """`guides` generated guides in four languages, a picture in every tenth (shared by the translations)."""
    site = root / "corpus"
    english = site / "content/en/guides"
    subprocess.run([sys.executable, str(CORPUS), str(guides), str(english)], check=True, capture_output=True)
    add_images(english)
    for lang in LANGUAGES[1:]:
        for page in english.rglob("*.md"):
            target = site / "content" / lang / "guides" / page.relative_to(english)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.read_text(encoding="utf-8").replace("lang: en", f"lang: {lang}", 1),
                              encoding="utf-8")
    shutil.copytree(REPO / "schemas", site / "schemas")
    shutil.copytree(REPO / "locales", site / "locales")
    (site / "site.toml").write_text(f'name = "Bench"\nlanguages = {json.dumps(LANGUAGES)}\n', encoding="utf-8")
    return site


def before_issue_21(dist: Path) -> tuple[int, int]:
    """What the earlier worker precached: every output file but the four it never listed (gzip -9), and sw.js."""
    files = [p for p in dist.rglob("*") if p.is_file()
             and (p.relative_to(dist).as_posix() not in NOT_PRECACHED or p.name == "sw.js")]
    return sum(gz(p.read_bytes()) for p in files), len(files)


def measure(dist: Path) -> dict[str, float]:
    hits = Hits()
    handler = type("Counting", (CountingHandler,), {"site_root": dist, "base_path": "/", "live": None, "hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes = Sizes(dist)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            device = {k: v for k, v in p.devices["Pixel 7"].items() if k != "default_browser_type"}
            context = browser.new_context(**device)
            page = context.new_page()
            started = time.perf_counter()
            page.goto(base + "en/")
            page.wait_for_selector(READY, state="attached", timeout=600_000)
            one_s = time.perf_counter() - started
            one, one_files = sizes.sent(hits.since(0))
            page.goto(base + "en/settings/")
            page.wait_for_selector("html[data-offline-languages-ready]", state="attached", timeout=60_000)
            for name in ("Italiano", "Nederlands", "Svenska"):
                page.get_by_role("button", name=f"Keep offline {name}").click()
                page.get_by_role("button", name=f"Remove {name}").wait_for(timeout=60_000)
            page.wait_for_function(ALL_KEPT, timeout=600_000)
            all_s = time.perf_counter() - started
            four, four_files = sizes.sent(hits.since(0))
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    before, before_files = before_issue_21(dist)
    return {"one_language_bytes": one, "one_language_files": one_files, "one_language_s": round(one_s, 1),
            "all_four_bytes": four, "all_four_files": four_files, "all_four_s": round(all_s, 1),
            "before_bytes": before, "before_files": before_files, "sw_js_bytes": gz((dist / "sw.js").read_bytes())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=200, help="guides per language in the corpus site")
    parser.add_argument("--no-corpus", action="store_true", help="the example site only")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="passo-bench-offline-") as tmp:
        root = Path(tmp)
        build(REPO, root / "example", incremental=False)
        results["example site"] = measure(root / "example")
        if not args.no_corpus:
            site = corpus_site(root, args.guides)
            build(site, root / "corpus-dist", incremental=False)
            results[f"{args.guides} guides x 4 languages, pictures in 10%"] = measure(root / "corpus-dist")
    print(f"{'site':42} {'one language':>18} {'all four':>18} {'before issue 21':>18}")
    for name, r in results.items():
        print(f"{name:42} {r['one_language_bytes'] / MB:9.2f} MB {r['one_language_files']:5} f "
              f"{r['all_four_bytes'] / MB:9.2f} MB {r['all_four_files']:5} f "
              f"{r['before_bytes'] / MB:9.2f} MB {r['before_files']:5} f")
    for name, r in results.items():
        print(f"{name}: sw.js {r['sw_js_bytes'] / 1000:.1f} KB of it (fetched again by every update); "
              f"{r['one_language_s']} s to one language, {r['all_four_s']} s to all four on 127.0.0.1")
    print("bytes as sent with gzip -9 (1 MB = 1,000,000 bytes); f = files fetched; 'before' is computed, not driven")
    print(json.dumps({"bench": "offline", "sites": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
