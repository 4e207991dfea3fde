"""Page weight: bytes a phone downloads for each kind of page, first visit and repeat visit, gzip -9.

    .venv/bin/python bench/page_weight.py [--dist dist]

First visit: a fresh browser profile opens the page; every response the page itself asks for counts (HTML, CSS,
JS, JSON, images), compressed as a host would send it; the service worker's background precaching of the rest
of the site does not (DESIGN.md: it starts after the first page has loaded), nor the search index (it loads only
when someone searches). Repeat visit: the same page opened again with the service worker in control: bytes that
still came from the network. Prints a table and a one-line JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from passo.serve import make_server  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = {
    "home": "en/",
    "guide": "en/guides/action-plan/",
    "my plans": "en/plans/",
    "plan form": "en/plans/smart-action-plan/",
    "settings": "en/settings/",
}
KB = 1000  # kilobytes as the budget test counts them (tests/e2e/test_budgets.py), not KiB
FORM_BUDGET_KB = 25  # issue 11: all JavaScript and CSS of a form page, compressed (minified at build time)


def measure(dist: Path) -> dict[str, dict[str, float]]:
    server = make_server(dist, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        device = {k: v for k, v in p.devices["Pixel 7"].items() if k != "default_browser_type"}
        for kind, path in PAGES.items():
            context = browser.new_context(**device)
            page = context.new_page()
            first: dict[str, float] = {"html": 0, "css": 0, "js": 0, "other": 0}
            repeat = 0.0
            phase = {"now": "first"}

            def on_response(response, first=first, phase=phase) -> None:  # type: ignore[no-untyped-def]
                nonlocal repeat
                request = response.request
                if request.service_worker is not None or "/pagefind/" in response.url:
                    return  # the worker's precaching, or the search index: neither is this page's weight
                if response.from_service_worker:
                    return
                try:
                    size = len(gzip.compress(response.body(), compresslevel=9))
                except Exception:  # a redirect or an aborted request has no body
                    return
                if phase["now"] == "repeat":
                    repeat += size
                    return
                kind_of = request.resource_type
                key = {"document": "html", "stylesheet": "css", "script": "js"}.get(kind_of, "other")
                first[key] += size

            page.on("response", on_response)
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
            phase["now"] = "repeat"
            page.goto(base + path, wait_until="networkidle")
            results[kind] = {**{k: round(v / KB, 1) for k, v in first.items()},
                             "first_kb": round(sum(first.values()) / KB, 1),
                             "js_css_kb": round((first["js"] + first["css"]) / KB, 1),
                             "repeat_kb": round(repeat / KB, 1)}
            context.close()
        browser.close()
    server.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=str(REPO / "dist"), help="a built site (default: dist/)")
    args = parser.parse_args()
    dist = Path(args.dist)
    if not (dist / "sw.js").is_file():
        raise SystemExit(f"{dist} is not a built site: run python build.py build first")
    results = measure(dist)
    print(f"{'page':12} {'HTML':>6} {'CSS':>6} {'JS':>6} {'other':>6} {'first KB':>9} {'JS+CSS':>7} {'repeat KB':>10}")
    for kind, r in results.items():
        print(f"{kind:12} {r['html']:6.1f} {r['css']:6.1f} {r['js']:6.1f} {r['other']:6.1f} {r['first_kb']:9.1f} "
              f"{r['js_css_kb']:7.1f} {r['repeat_kb']:10.1f}")
    form = results["plan form"]["js_css_kb"]
    print(f"plan form JS+CSS: {form} KB compressed (budget {FORM_BUDGET_KB} KB)")
    print(json.dumps({"bench": "page_weight", "pages": results, "form_js_css_kb": form,
                      "form_budget_kb": FORM_BUDGET_KB}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
