"""The agenda with 1,000 plans of 5 dated actions each, 500 of them with a daily action over two years: time to
show it, against the same list as static HTML, and the time to save one check-in (and one on an occurrence).

    .venv/bin/python bench/bench_agenda.py [--dist DIST] [--plans 1000] [--runs 11]

Without --dist the example site is built into bench/out/dist. Served as bench_plans_page.py serves it (the
_headers policy, long-lived caching of fingerprinted assets, the service worker blocked). Each plan is an action
plan of five actions in Rome, Kolkata or New York, dated from 30 days ago to 60 days ahead (some with a time, one
in ten done), seen from a device in New York; deterministic. In the first --repeating plans (500) the first action
repeats every day from a year ago to a year ahead, never checked in: the agenda shows its missed days in one row
(the last 400 days are looked at) and its next one, so those plans expand to 730 occurrences each.

"Shown" is the time from navigation start to the second animation frame after the agenda is in the DOM (the page
marks `passo:agenda-rendered`; the static page is the agenda's final DOM saved without its script, measured from
its load event). Medians of alternating runs. A check-in is one store.recordCheckin (the plan's "done" ticked and
the record appended, one transaction) with 1,000 plans stored; a check-in on an occurrence is one recordCheckin
naming today's occurrence of a daily action, with no change to the plan.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from static_baseline import report_against_static, time_against_static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_plans_page import ARGS, seeded_page, serve, site_and_args  # noqa: E402

TODAY = date.today()  # the real clock: a faked one would also stop the performance timeline measured here
ZONES = ["Europe/Rome", "Asia/Kolkata", "America/New_York"]
VERBS = ["Call", "Write to", "Book", "Ask", "Plan", "Review", "Draft", "Send", "Meet", "Prepare"]
THINGS = ["the printer", "the bank", "my manager", "the team", "a mentor", "the budget", "the room", "the brief"]



def make_plans(count: int, version: int, repeating: int = 0) -> list[dict]:
    rng = random.Random(9)
    plans = []
    for i in range(count):
        tz = ZONES[i % len(ZONES)]
        actions = []
        for j in range(5):
            when = {"date": (TODAY + timedelta(days=rng.randint(-30, 60))).isoformat(), "tz": tz}
            if rng.random() < 0.5:
                when["time"] = f"{rng.randint(7, 21):02d}:{rng.choice(['00', '30'])}"
            actions.append({"id": f"{i:08x}-{j:04x}-4000-8000-{rng.getrandbits(48):012x}",
                            "what": f"{rng.choice(VERBS)} {rng.choice(THINGS)}", "when": when,
                            "planB": "Try again on Saturday", "commitment": rng.randint(5, 10),
                            "done": rng.random() < 0.1})
        if i < repeating:  # a daily habit over two years, this plan's first action
            start = TODAY - timedelta(days=365)
            actions[0]["when"] = {"date": start.isoformat(), "time": "07:30", "tz": tz,
                                  "repeat": {"freq": "daily", "until": (start + timedelta(days=730)).isoformat()}}
            actions[0]["done"] = False
        plans.append({
            "format": "passo-plan", "format_version": 1, "schema": "smart-action-plan", "schema_version": version,
            "id": f"{i:08x}-0000-4000-8000-{rng.getrandbits(48):012x}", "revision": 3,
            "created": "2026-04-01T09:00:00Z", "updated": "2026-04-02T09:00:00Z", "lang": "en",
            "data": {"goal": {"what": f"Goal number {i}"}, "actions": actions},
        })
    return plans


def main() -> int:
    args, dist = site_and_args(__doc__.split("\n\n")[0])
    version = json.loads((dist / "schemas/index.json").read_text())["schemas"]["smart-action-plan"]["version"]
    plans = make_plans(args.plans, version, min(args.plans, 500))
    server, base = serve(dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            dynamic_url = f"{base}en/agenda/"
            page = seeded_page(browser, pw.devices["Pixel 7"], dynamic_url, "agendaReady", plans,
                               timezone_id="America/New_York")
            entries = page.locator(".agenda-entry").count()
            # A repeating action shows two rows: its missed days together, and its next one.
            expected = sum(2 if "repeat" in a["when"] else 1 for p in plans for a in p["data"]["actions"]
                           if not a["done"])
            assert entries == expected, (entries, expected)

            dynamic, static = time_against_static(page, dist, base, dynamic_url, "agendaReady", args.runs)

            page.goto(dynamic_url)
            page.evaluate("window.__shown")
            rendered = page.evaluate("performance.getEntriesByName('passo:agenda-rendered')[0].startTime")
            store = page.evaluate("""() => [...document.querySelectorAll("link[rel=modulepreload]")]
                                     .map((l) => l.href).find((u) => /\\/store(\\.[0-9a-f]+)?\\.js$/.test(u))""")
            saves = page.evaluate("""async ([url, ids]) => {
              const s = await import(url);
              const times = [];
              for (const id of ids) {
                const plan = await s.getPlan(id);
                const item = plan.data.actions[0].id;
                const t0 = performance.now();
                await s.recordCheckin(plan, {item, outcome: "done", note: "Done before lunch", commitment: 8},
                  [{pointer: "/actions/0/done", value: true}]);
                times.push(performance.now() - t0);
              }
              return times;
            }""", [store, [p["id"] for p in plans[:21]]])
            occurrence_saves = page.evaluate("""async ([url, ids]) => {
              const s = await import(url);
              const times = [];
              for (const id of ids) {
                const plan = await s.getPlan(id);
                const action = plan.data.actions[0];
                const occurrence = new Intl.DateTimeFormat("en-CA", {timeZone: action.when.tz}).format(new Date());
                const t0 = performance.now();
                await s.recordCheckin(plan, {item: action.id, occurrence, outcome: "done", note: "", commitment: null},
                  []);
                times.push(performance.now() - t0);
              }
              return times;
            }""", [store, [p["id"] for p in plans[21:42]]])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    save = statistics.median(saves)
    print(f"agenda, {len(plans)} plans x 5 actions ({entries} entries shown), Chromium, Pixel 7 emulation, "
          f"median of {args.runs} runs:")
    figures = report_against_static(dynamic, static)
    print(f"  last run: agenda in the DOM at {rendered:.0f} ms")
    print(f"  one check-in saved (recordCheckin, {len(plans)} plans stored): median {save:.2f} ms, "
          f"max {max(saves):.2f} ms (target < 5 ms)")
    occurrence_save = statistics.median(occurrence_saves)
    print(f"  one check-in on an occurrence of a daily action saved: median {occurrence_save:.2f} ms, "
          f"max {max(occurrence_saves):.2f} ms (target < 5 ms)")
    print(json.dumps({"bench": "agenda", "plans": len(plans), "entries": entries, "runs": args.runs, **figures,
                      "checkin_ms": round(save, 2), "occurrence_checkin_ms": round(occurrence_save, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
