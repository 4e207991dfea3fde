"""My plans with 1,000 stored plans: time to show the list, against the same list as static HTML, and autosave.

    .venv/bin/python bench/bench_plans_page.py [--dist DIST] [--plans 1000] [--runs 11]

Without --dist the example site is built into bench/out/dist. The site is served on 127.0.0.1 with the
_headers policy and long-lived caching of fingerprinted assets, as a static host would; the service worker is
blocked so both pages come from the same server. Each plan is filled in completely from its schema (every text,
list of 4 items, numbers, dates), deterministically.

"Shown" is the time from navigation start to the second animation frame after the list is in the DOM
(the dynamic page marks `passo:plans-rendered`; the static page is the dynamic page's final DOM saved without
its script, measured from its load event), so both include style, layout and the first paint. Medians of
alternating runs. Autosave is one savePlan of a changed plan with 1,000 plans stored, and one "mark done"
from the list until its row is redrawn.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import re
import statistics
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from static_baseline import report_against_static, time_against_static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.snippets import PUT_PLANS as PUT_RAW  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WORDS = ["plan", "goal", "action", "week", "meeting", "team", "time", "run", "call", "write", "book", "ask",
         "review", "change", "clear", "small", "step", "coach", "agree", "share", "measure", "target", "result",
         "purpose", "calm", "focus", "energy", "practice"]



def ready_attribute(flag: str) -> str:
    """The page's ready flag as an attribute: plansReady -> data-plans-ready."""
    return "data-" + re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), flag)


def painted_script(flag: str) -> str:
    """window.__shown: when the page's list is in the DOM (its ready flag is set) and two animation frames later,
    so style, layout and paint are included; the static copy resolves at load."""
    attribute = ready_attribute(flag)
    return """
window.__shown = new Promise((resolve) => {
  const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
  if (location.pathname.includes("/bench-static/")) { addEventListener("load", painted); return; }
  new MutationObserver((_, obs) => {
    if (document.documentElement && document.documentElement.dataset.FLAG) { obs.disconnect(); painted(); }
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ["ATTRIBUTE"]});
});
""".replace("FLAG", flag).replace("ATTRIBUTE", attribute)



class Handler(http.server.SimpleHTTPRequestHandler):
    csp = ""

    def end_headers(self) -> None:
        if self.csp:
            self.send_header("Content-Security-Policy", self.csp)
        immutable = self.path.startswith("/assets/")
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def csp_of(dist: Path) -> str:
    headers = dist / "_headers"
    if headers.is_file():
        for line in headers.read_text().splitlines():
            if line.strip().startswith("Content-Security-Policy:"):
                return line.split(":", 1)[1].strip()
    return ""


def deref(root: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def fill(root: dict, node: dict, rng: random.Random, depth: int = 0) -> object:
    """A value for node: every field answered, lists of 4, as a coachee who writes a lot would."""
    node = deref(root, node)
    kind = node.get("type")
    if "enum" in node:
        return rng.choice(node["enum"])
    if "const" in node:
        return node["const"]
    if kind == "object":
        return {k: fill(root, v, rng, depth + 1) for k, v in (node.get("properties") or {}).items()}
    if kind == "array":
        items = deref(root, node.get("items", {}))
        if node.get("uniqueItems") and "enum" in items:
            return list(items["enum"][: 2])
        return [fill(root, items, rng, depth + 1) for _ in range(4 if depth < 3 else 1)]
    if kind == "boolean":
        return rng.random() < 0.4
    if kind in ("integer", "number"):
        return rng.randint(int(node.get("minimum", 1)), int(node.get("maximum", 10)))
    if node.get("format") == "date":
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if node.get("x-widget") == "hidden":
        return f"{rng.getrandbits(32):08x}-0000-4000-8000-{rng.getrandbits(48):012x}"
    if "[0-2]" in node.get("pattern", "") or node.get("format") == "time":  # "HH:MM"
        return f"{rng.randint(7, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
    if node.get("format") == "email":
        return "someone@example.org"
    limit = node.get("maxLength", 400)
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize()
    return text[:limit]


def make_plans(dist: Path, count: int) -> list[dict]:
    index = json.loads((dist / "schemas/index.json").read_text())["schemas"]
    schemas = {sid: json.loads((dist / e["url"]).read_text()) for sid, e in sorted(index.items())}
    rng = random.Random(1)
    plans = []
    ids = sorted(schemas)
    for i in range(count):
        sid = ids[i % len(ids)]
        plans.append({
            "format": "passo-plan", "format_version": 1, "schema": sid, "schema_version": index[sid]["version"],
            "id": f"{i:08x}-0000-4000-8000-{rng.getrandbits(48):012x}", "revision": rng.randint(1, 40),
            "created": "2025-01-01T09:00:00Z", "updated": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z",
            "lang": "en", "data": fill(schemas[sid], schemas[sid], rng),
        })
    return plans


def build(dist: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--full", "--out", str(dist)],
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"building the example site failed:\n{done.stdout}{done.stderr}")


def site_and_args(description: str) -> tuple[argparse.Namespace, Path]:
    """The bench's options (--dist, --plans, --runs) and the built site it measures."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dist", type=Path, help="a built site (default: build the example into bench/out/dist)")
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    dist = args.dist
    if dist is None:
        dist = ROOT / "bench/out/dist"
        build(dist)
    return args, dist


def serve(dist: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """`dist` served on 127.0.0.1 with a host's policy header; returns the server and its base URL."""
    handler = functools.partial(type("H", (Handler,), {"csp": csp_of(dist)}), directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def seeded_page(browser: Any, device: dict[str, Any], url: str, flag: str, plans: list[dict[str, Any]],
                **context_args: Any) -> Any:
    """A phone with the paint observer, the page at `url` holding `plans` (stored through the app), reloaded and
    ready again (its html element carries `flag`, e.g. plansReady)."""
    context = browser.new_context(**device, service_workers="block", **context_args)
    context.add_init_script(painted_script(flag))
    ready = f"html[{ready_attribute(flag)}]"
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready)
    page.evaluate(PUT_RAW, plans)
    page.reload()
    page.wait_for_selector(ready)
    return page


def main() -> int:
    args, dist = site_and_args(__doc__.split("\n\n")[0])
    plans = make_plans(dist, args.plans)
    server, base = serve(dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            dynamic_url = f"{base}en/plans/"
            page = seeded_page(browser, pw.devices["Pixel 7"], dynamic_url, "plansReady", plans)
            shown_rows = page.locator("#plan-list > li").count()
            assert shown_rows == len(plans), (shown_rows, len(plans))

            # The same list as static HTML: the final DOM without the module script, at the same depth
            # (en/<folder>/) so every relative URL still works.
            dynamic, static = time_against_static(page, dist, base, dynamic_url, "plansReady", args.runs)
            assert page.locator("#plan-list > li").count() == len(plans)

            page.goto(dynamic_url)
            page.evaluate("window.__shown")
            rendered = page.evaluate("performance.getEntriesByName('passo:plans-rendered')[0].startTime")
            store = page.evaluate("""() => performance.getEntriesByType("resource").map((e) => e.name)
                                     .find((u) => /\\/store(\\.[0-9a-f]+)?\\.js$/.test(u))""")
            saves = page.evaluate("""async ([url, id]) => {
              const s = await import(url);
              let plan = await s.getPlan(id);
              const times = [];
              for (let i = 0; i < 21; i += 1) {
                plan = {...plan, data: structuredClone(plan.data)};  // as a form's autosave passes it
                const t0 = performance.now();
                plan = await s.savePlan(plan);
                times.push(performance.now() - t0);
              }
              return times;
            }""", [store, plans[0]["id"]])
            mark = page.evaluate("""async () => {
              const row = document.querySelector("#plan-list > li:has(details.plan-actions)");
              const details = row.querySelector("details.plan-actions");
              const opened = new Promise((r) => details.addEventListener("toggle", r, {once: true}));
              details.open = true;
              await opened;
              const box = row.querySelector(".action-list input:not(:disabled)");
              const id = row.dataset.id;
              const redrawn = new Promise((resolve) => new MutationObserver((_, obs) => {
                const now = document.querySelector(`#plan-list > li[data-id="${id}"]`);
                if (now && now !== row) { obs.disconnect(); resolve(performance.now()); }
              }).observe(document.getElementById("plan-list"), {childList: true}));
              const t0 = performance.now();
              box.click();
              return (await redrawn) - t0;
            }""")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    save = statistics.median(saves)
    print(f"my plans, {len(plans)} plans, Chromium, Pixel 7 emulation, median of {args.runs} runs:")
    figures = report_against_static(dynamic, static)
    print(f"  last run: list in the DOM at {rendered:.0f} ms")
    print(f"  autosave one change (savePlan, {len(plans)} stored): median {save:.1f} ms, max {max(saves):.1f} ms")
    print(f"  mark one action done from the list until its row is redrawn: {mark:.1f} ms")
    print(json.dumps({"bench": "plans_page", "plans": len(plans), "runs": args.runs, **figures,
                      "autosave_ms": round(save, 2), "mark_done_ms": round(mark, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
