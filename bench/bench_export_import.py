"""Calendar export of 200 plans (2,000 dated actions) and import of a 1,000-plan backup, in Debian's Chromium.

    .venv/bin/python bench/bench_export_import.py [--dist DIST] [--runs 5]

Without --dist the example site is built into bench/out/dist-export. The site is served on 127.0.0.1 with the
host's headers (CSP included); the service worker is blocked so every run reads the same files.

Export: listPlans() from IndexedDB, plan-events for every plan, one buildCalendar, one Blob (what "Export to
calendar" does per plan, for 200 plans at once); the file is then read back by Python's icalendar.
Import: the real "Import" control on My plans, from the file chosen until the summary is shown (check, migrate,
validate, decide, one IndexedDB transaction), in a fresh profile: once with the page's list redraw held back
(the import's own cost) and once as shipped. Also parseImport alone.

Heap: performance.memory (--enable-precise-memory-info) after a forced GC before, sampled every 50 ms between
tasks during, and read at the end before any GC; the largest value is the peak reported. Long tasks: the
PerformanceObserver "longtask" entries (tasks over 50 ms) inside the measured span; "< 50" when there is none.
Medians of --runs runs; the last line is the result as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

import icalendar
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from passo.pipeline import build  # noqa: E402
from passo.serve import make_server  # noqa: E402
from tests.e2e.snippets import PUT_PLANS as PUT_RAW  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-precise-memory-info",
        "--js-flags=--expose-gc"]
WORDS = ["plan", "goal", "action", "week", "meeting", "team", "time", "run", "call", "write", "book", "ask",
         "review", "change", "small", "step", "coach", "agree", "share", "measure", "target", "focus", "caffè",
         "Überblick", "möte", "日本", "😀", "a, b; c\\d"]
ZONES = ["Europe/Rome", "America/New_York", "Asia/Kolkata", "Europe/Stockholm"]

# Installed before any page script: long tasks, and the heap sampled between tasks.
OBSERVE = """
window.__long = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
window.__heapMax = 0;
// Precise heap readings are costly (each one walks the heap): every 50 ms keeps the sampler out of the figures.
setInterval(() => {
  if (performance.memory) window.__heapMax = Math.max(window.__heapMax, performance.memory.usedJSHeapSize);
}, 50);
"""


EXPORT = """async (urls) => {
  const [store, events, ics, migrate] = await Promise.all(
    [import(urls.store), import(urls.events), import(urls.ics), import(urls.migrate)]);
  await migrate.loadSchema("smart-action-plan");
  gc();
  const heap0 = performance.memory.usedJSHeapSize;
  window.__heapMax = heap0;
  const t0 = performance.now();
  const plans = await store.listPlans();
  const schema = await migrate.loadSchema("smart-action-plan");
  const tRead = performance.now();
  const all = [];
  for (const p of plans) all.push(...events.calendarExport(p, schema, null, {}).events);
  const tEvents = performance.now();
  const text = ics.buildCalendar({events: all, now: new Date()});
  const blob = new Blob([text], {type: "text/calendar;charset=utf-8"});
  const t1 = performance.now();
  console.log(JSON.stringify({read: tRead - t0, events: tEvents - tRead, write: t1 - tEvents}));
  const heap1 = performance.memory.usedJSHeapSize;
  await new Promise((r) => setTimeout(r, 200)); // long-task entries arrive after the task
  const long = window.__long.filter(([s, d]) => s + d >= t0 && s <= t1).map(([, d]) => d);
  return {ms: t1 - t0, events: all.length, bytes: blob.size, heap0, peak: Math.max(heap1, window.__heapMax),
          longest: long.length ? Math.max(...long) : 0, text};
}"""

# Armed before the file is chosen: the moment "change" fires and the moment the summary appears. With
# `isolate`, this tab's "passo:plans-changed" events stop at the window (capture listeners at the target
# run first), so My plans does not redraw: the figures are then the import's own.
ARM_IMPORT = """(isolate) => {
  if (isolate) window.addEventListener("passo:plans-changed", (ev) => ev.stopImmediatePropagation(), true);
  gc();
  window.__heap0 = performance.memory.usedJSHeapSize;
  window.__heapMax = window.__heap0;
  window.__t = {};
  document.querySelector("input[data-import]").addEventListener("change", () => {
    window.__t.start = performance.now();
  }, {capture: true, once: true});
  const status = document.querySelector(".import-status, .import-errors");
  new MutationObserver((_, obs) => {
    const text = [".import-status", ".import-errors"].map((q) => document.querySelector(q).textContent).join(" ");
    if (/Import done|Nothing was imported/.test(text)) {
      window.__t.end = performance.now();
      window.__t.text = text;
      window.__t.heap = performance.memory.usedJSHeapSize;
      obs.disconnect();
    }
  }).observe(status.parentElement, {childList: true, subtree: true, characterData: true});
}"""

IMPORT_RESULT = """async () => {
  // Two more frames and a pause, so the page's own redraw after the import shows up as its own figure.
  await new Promise((r) => setTimeout(r, 1500));
  const {start, end, text, heap} = window.__t;
  const during = window.__long.filter(([s, d]) => s + d >= start && s <= end).map(([, d]) => d);
  const after = window.__long.filter(([s]) => s > end).map(([, d]) => d);
  return {ms: end - start, text, heap0: window.__heap0, peak: Math.max(heap, window.__heapMax),
          longest: during.length ? Math.max(...during) : 0, longTasks: during.length,
          longestAfter: after.length ? Math.max(...after) : 0};
}"""

PARSE_ONLY = """async ([urls, text]) => {
  const [files, migrate, validator] = await Promise.all(
    [import(urls.files), import(urls.migrate), import(urls.validate)]);
  const index = await migrate.loadSchemaIndex();
  const schemas = {};
  for (const id of Object.keys(index.schemas)) {
    schemas[id] = {...(await migrate.loadSchema(id, index)), "x-version": index.schemas[id].version};
  }
  gc();
  const t0 = performance.now();
  const result = await files.parseImport(text, {schemas, validate: validator.validate,
                                                migrate: (p) => migrate.migratePlan(p, index)});
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 200)); // long-task entries arrive after the task
  const long = window.__long.filter(([s, d]) => s + d >= t0 && s <= t1).map(([, d]) => d);
  return {ms: t1 - t0, plans: result.plans.length, errors: result.errors.slice(0, 3),
          longest: long.length ? Math.max(...long) : 0};
}"""


def uid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}"


def text(rng: random.Random, low: int, high: int, limit: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()[:limit]


def action_plan(rng: random.Random, i: int, actions: int, review: bool) -> dict[str, Any]:
    """A smart-action-plan (schema version 2) filled in as a thorough coachee would."""
    data: dict[str, Any] = {
        "goal": {"what": text(rng, 4, 12, 500), "why": text(rng, 10, 40, 1000), "metric": text(rng, 2, 5, 200),
                 "baseline": rng.randint(0, 10), "target": rng.randint(10, 20), "deadline": "2026-06-30"},
        "actions": [],
    }
    for _ in range(actions):
        when = {"date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "tz": rng.choice(ZONES)}
        if rng.random() < 0.8:
            when["time"] = f"{rng.randint(6, 21):02d}:{rng.choice(['00', '15', '30', '45'])}"
        data["actions"].append({
            "id": uid(rng), "what": text(rng, 3, 12, 500), "steps": [text(rng, 2, 8, 300) for _ in range(3)],
            "when": when, "who": text(rng, 1, 4, 300), "dependsOnMe": True, "planB": text(rng, 4, 15, 500),
            "commitment": rng.randint(7, 10), "toTen": text(rng, 3, 10, 500), "done": rng.random() < 0.3,
        })
    if review:
        data["review"] = {"id": uid(rng), "when": {"date": "2026-07-01", "time": "17:00", "tz": "Europe/Rome"}}
    return {
        "format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": 2,
        "id": uid(rng), "revision": rng.randint(1, 40), "created": f"2025-{1 + i % 12:02d}-01T09:00:00Z",
        "updated": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z", "lang": "en", "data": data,
    }


def asset_url(dist: Path, base: str, stem: str) -> str:
    """The served URL of one browser module, by its name without the fingerprint (it lives in a feature folder)."""
    (path,) = (dist / "assets/js").rglob(f"{stem}.*.js")
    return base + path.relative_to(dist).as_posix()


def asset_urls(dist: Path, base: str) -> dict[str, str]:
    def one(stem: str) -> str:
        return asset_url(dist, base, stem)

    return {"store": one("store"), "events": one("plan-events"), "ics": one("ics"), "migrate": one("migrate"),
            "files": one("plan-file"), "validate": one("validate")}


def fresh_page(browser: Any, devices: dict[str, Any], url: str, ready: str, observe: str = OBSERVE
               ) -> tuple[Any, Page]:
    """A new phone-sized context with `observe` installed before any page script, opened at `url` once `ready`."""
    context = browser.new_context(**devices, service_workers="block")
    context.add_init_script(observe)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(ready)
    return context, page


def mib(n: float) -> float:
    return round(n / 1048576, 1)


def bench_plans() -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The same plans every run: 200 to export (10 actions each), and a backup of 1,000 plans as its text."""
    rng = random.Random(4)
    export_plans = [action_plan(rng, i, 10, review=False) for i in range(200)]
    backup_plans = [action_plan(rng, i, rng.randint(2, 6), review=True) for i in range(1000)]
    backup = json.dumps({"format": "passo-backup", "format_version": 1, "exported": "2026-01-01T00:00:00Z",
                         "plans": backup_plans}, indent=1)
    return export_plans, backup_plans, backup


def site_to_measure(dist: Path | None, name: str) -> Path:
    """The built site given with --dist, or the example site built (without a search index) for the bench."""
    if dist is None:
        dist = ROOT / "bench/out" / name
        build(ROOT, dist, incremental=False, search=False)
    return dist


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="a built site (default: build the example)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dist = site_to_measure(args.dist, "dist-export")
    export_plans, _backup_plans, backup_text = bench_plans()
    backup = backup_text.encode()
    backup_file = ROOT / "bench/out/passo-backup-1000.json"
    backup_file.parent.mkdir(parents=True, exist_ok=True)
    backup_file.write_bytes(backup)

    server = make_server(dist, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    urls = asset_urls(dist, base)
    plans_url, ready = f"{base}en/plans/", "[data-export-ui][data-export-ready]"
    exports: list[dict[str, Any]] = []
    imports: list[dict[str, Any]] = []
    shipped: list[dict[str, Any]] = []
    parses: list[dict[str, Any]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            device = {k: v for k, v in pw.devices["Pixel 7"].items() if k != "default_browser_type"}

            context, page = fresh_page(browser, device, plans_url, ready)
            page.evaluate(PUT_RAW, export_plans)
            for run in range(args.runs):
                result = page.evaluate(EXPORT, urls)
                ics_text = result.pop("text")
                if run == 0:
                    cal = icalendar.Calendar.from_ical(ics_text.encode())
                    assert len(cal.walk("VEVENT")) == result["events"] == 2000, result["events"]
                exports.append(result)
            for _ in range(args.runs):
                parses.append(page.evaluate(PARSE_ONLY, [urls, backup.decode()]))
                assert parses[-1]["plans"] == 1000 and not parses[-1]["errors"], parses[-1]
            context.close()

            for _ in range(args.runs):
                for isolate, rows in ((True, imports), (False, shipped)):
                    context, page = fresh_page(browser, device, plans_url, ready)
                    page.evaluate(ARM_IMPORT, isolate)
                    # A file on disk: Chromium reads it itself, as with a real file picker (a buffer would be
                    # decoded by Playwright's script inside the page, in the measured task).
                    page.set_input_files("input[data-import]", backup_file)
                    page.locator(".import-status:has-text('Import done'), .import-errors li").first.wait_for(
                        timeout=120000)
                    result = page.evaluate(IMPORT_RESULT)
                    assert "Added: 1000" in result["text"], result["text"]
                    rows.append(result)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    def med(rows: list[dict[str, Any]], key: str) -> float:
        return round(statistics.median(r[key] for r in rows), 1)

    def top(rows: list[dict[str, Any]], key: str) -> float:
        return round(max(r[key] for r in rows), 1)

    def longest(rows: list[dict[str, Any]]) -> str:
        typical, worst = med(rows, "longest"), top(rows, "longest")
        if not worst:
            return "< 50 ms (no long task)"
        return f"{typical or '< 50'} ms median, {worst} ms worst"

    out = {
        "export_events": exports[0]["events"],
        "export_bytes": exports[0]["bytes"],
        "export_ms": med(exports, "ms"),
        "export_peak_heap_mib": mib(statistics.median(r["peak"] for r in exports)),
        "export_heap_growth_mib": mib(statistics.median(r["peak"] - r["heap0"] for r in exports)),
        "export_longest_task_ms": med(exports, "longest"),
        "backup_bytes": len(backup),
        "parse_import_ms": med(parses, "ms"),
        "parse_import_longest_task_ms": med(parses, "longest"),
        "import_ms": med(imports, "ms"),
        "import_peak_heap_mib": mib(statistics.median(r["peak"] for r in imports)),
        "import_heap_growth_mib": mib(statistics.median(r["peak"] - r["heap0"] for r in imports)),
        "import_longest_task_ms": med(imports, "longest"),
        "import_long_tasks": max(r["longTasks"] for r in imports),
        "import_with_list_ms": med(shipped, "ms"),
        "import_with_list_peak_heap_mib": mib(statistics.median(r["peak"] for r in shipped)),
        "import_with_list_longest_task_ms": med(shipped, "longest"),
        "import_with_list_redraw_longest_task_ms": med(shipped, "longestAfter"),
        "runs": args.runs,
    }
    print(f"Export to one .ics: {out['export_events']} events from 200 plans, {out['export_bytes'] / 1e6:.2f} MB, "
          f"{out['export_ms']} ms (median of {args.runs}); JS heap peak {out['export_peak_heap_mib']} MiB "
          f"(+{out['export_heap_growth_mib']} MiB); longest task {longest(exports)} (one synchronous task)")
    print(f"parseImport of a 1,000-plan backup ({out['backup_bytes'] / 1e6:.2f} MB): {out['parse_import_ms']} ms; "
          f"longest task {longest(parses)}")
    print(f"Import with the \"Import\" control, file chosen -> summary shown, list redraw held back: "
          f"{out['import_ms']} ms (median of {args.runs}); JS heap peak {out['import_peak_heap_mib']} MiB "
          f"(+{out['import_heap_growth_mib']} MiB); longest task {longest(imports)} "
          f"(at most {out['import_long_tasks']} over 50 ms in a run)")
    print(f"The same on My plans as shipped (it redraws on each of the 1,000 change events): "
          f"{out['import_with_list_ms']} ms; JS heap peak {out['import_with_list_peak_heap_mib']} MiB; longest task "
          f"{longest(shipped)} during, {out['import_with_list_redraw_longest_task_ms']} ms median after")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
