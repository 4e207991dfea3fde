"""The coach's desk with 200 coachees of 5 plans each: time to show the coachees page, against the same table as
static HTML, and the time to import one more share into that device.

    .venv/bin/python bench/bench_coachees.py [--dist DIST] [--coachees 200] [--runs 11]

Without --dist the example site is built into bench/out/dist. Served on 127.0.0.1 as bench_plans_page.py serves
it (the host's policy header, the service worker blocked). Each coachee has 5 shared action plans of 4 dated
actions, 8 check-ins each (done, late, not done, skipped, with commitments), and the share before the latest, so
every column and reason is worked out. "Shown" is measured as in bench_plans_page.py: navigation start to the
second animation frame after the page set its ready flag, against its final DOM saved as static HTML. The import
is share-import.js's importShare of one share (5 plans, 40 check-ins) from a parsed file to stored, with the
200 coachees' 1,000 shared plans already on the device; median of 11.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from bench_plans_page import ARGS, build, painted_script, serve
from static_baseline import report_against_static, time_against_static

ROOT = Path(__file__).resolve().parent.parent

PUT_SHARED = """async (records) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("passo"); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  await new Promise((ok, no) => {
    const tx = db.transaction("shared", "readwrite");
    for (const r of records) tx.objectStore("shared").put(r);
    tx.oncomplete = ok; tx.onerror = () => no(tx.error);
  });
  db.close();
  localStorage.setItem("passo:desk", "1");
}"""

OUTCOMES = ["done", "done", "not-done", "skipped", "partly", "moved"]
ZONES = ["Europe/Rome", "Asia/Tokyo", "America/New_York", "Europe/Stockholm"]


def uuid(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:]}"


def shared_plan(rng: random.Random, n: int) -> dict[str, Any]:
    actions = [{"id": uuid(rng), "what": f"Action {n}-{k}: call, write and book", "commitment": rng.randint(3, 10),
                "when": {"date": f"2026-{rng.randint(10, 12):02d}-{rng.randint(1, 28):02d}", "tz": rng.choice(ZONES)}}
               for k in range(4)]
    checkins = sorted(({"item": rng.choice(actions)["id"], "at": f"2026-11-{rng.randint(1, 28):02d}T10:00:00Z",
                        "outcome": rng.choice(OUTCOMES), "commitment": rng.randint(2, 10),
                        "note": "What helped and what got in the way"} for _ in range(8)), key=lambda c: c["at"])
    return {"schema": "smart-action-plan", "schema_version": 3, "id": uuid(rng), "revision": rng.randint(2, 30),
            "updated": "2026-11-28T10:00:00Z", "data": {"goal": {"what": f"Goal {n}: better calls"},
                                                        "actions": actions}, "checkins": checkins}


def records(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Stored shared plans as share-import.js writes them: count coachees of 5 plans, each with its previous share."""
    out = []
    for i in range(count):
        key = uuid(rng)
        shared = f"2026-{rng.randint(10, 12):02d}-{rng.randint(1, 9):02d}T09:00:00Z"
        for p in range(5):
            plan = shared_plan(rng, i * 5 + p)
            previous = {"revision": plan["revision"] - 1, "shared": "2026-09-01T09:00:00Z", "from": f"Coachee {i}",
                        "data": plan["data"], "checkins": plan["checkins"][:3]}
            out.append({**{k: plan[k] for k in ("id", "schema", "schema_version", "revision", "updated", "data",
                                                "checkins")},
                        "from": f"Coachee {i}", "shared": shared, "lang": "en", "received": shared,
                        "names": [f"Coachee {i}"], "coachee": key, "previous": previous})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="a built site (default: build the example into bench/out/dist)")
    parser.add_argument("--coachees", type=int, default=200)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    dist = args.dist or ROOT / "bench/out/dist"
    if args.dist is None:
        build(dist)
    rng = random.Random(17)
    stored = records(args.coachees, rng)
    one = {"format": "passo-share", "format_version": 2, "shared": "2026-12-09T09:00:00Z", "coachee": uuid(rng),
           "from": "One more", "lang": "en", "plans": [shared_plan(rng, 10_000 + k) for k in range(5)]}
    share_import = next((dist / "assets/js/share").glob("share-import.*.js")).relative_to(dist).as_posix()
    server, base = serve(dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            context = browser.new_context(**pw.devices["Pixel 7"], service_workers="block")
            context.add_init_script(painted_script("coacheesReady"))
            page = context.new_page()
            url = f"{base}en/coachees/"
            page.goto(url)
            page.wait_for_selector("html[data-coachees-ready]", state="attached")
            page.evaluate(PUT_SHARED, stored)
            page.reload()
            page.wait_for_selector("html[data-coachees-ready]", state="attached")
            rows = page.locator("#coachees-table tbody tr").count()
            assert rows == args.coachees, (rows, args.coachees)
            dynamic, static = time_against_static(page, dist, base, url, "coacheesReady", args.runs)

            times = page.evaluate("""async ([url, doc, runs]) => {
              const m = await import(url);
              const status = document.createElement("p");
              const times = [];
              for (let i = 0; i < runs; i += 1) {
                const copy = structuredClone(doc);
                copy.plans.forEach((p) => { p.revision += i; });  // each run is a newer share: stored again
                const t0 = performance.now();
                const written = await m.importShare(copy, { status, showErrors: (e) => { throw new Error(e[0]); } });
                times.push(performance.now() - t0);
                if (written.length !== doc.plans.length) throw new Error(status.textContent);
              }
              return times;
            }""", [f"{base}{share_import}", one, args.runs])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    print(f"coachees page, {args.coachees} coachees x 5 plans ({len(stored)} shared plans, "
          f"{sum(len(r['checkins']) for r in stored)} check-ins), Chromium, Pixel 7 emulation, median of {args.runs}:")
    figures = report_against_static(dynamic, static)
    imported = statistics.median(times)
    print(f"  import one share (5 plans, 40 check-ins) into that device: median {imported:.1f} ms, "
          f"max {max(times):.1f} ms (target < 200)")
    print(json.dumps({"bench": "coachees", "coachees": args.coachees, "runs": args.runs, **figures,
                      "import_ms": round(imported, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
