"""Protecting and opening a 1,000-plan backup with a passphrase, in Debian's Chromium; and whether the page stays
responsive while the key is derived.

    .venv/bin/python bench/bench_protect.py [--dist DIST] [--runs 3]

Without --dist the example site is built into bench/out/dist-protect. The site is served on 127.0.0.1 with the
host's headers (CSP included); the service worker is blocked so every run reads the same files. The backup is the
one bench_export_import.py makes (same generator and seed).

Module: protect() and open() of protected-file.js on the backup's text, as the export and import call them
(PBKDF2-SHA512 at 210,000 rounds, AES-KW, AES-GCM, base64url), timed with performance.now().
Derivation alone: protect() of a two-byte text, which is nearly all key derivation.
UI: "Import" on My plans with the protected backup, in a fresh profile: from the tap on "Open the file" to the
dialog closing (derivation and decryption), then to the summary (the ordinary check and write of 1,000 plans,
which bench_export_import.py measures on its own).

Responsiveness, during each measured span: the longest task (PerformanceObserver "longtask", tasks over 50 ms;
"< 50" when there is none), and two heartbeats started before it: requestAnimationFrame (frames drawn, longest gap
between two frames) and a 10 ms setTimeout chain (longest gap between two ticks); the same over an idle second
shows what the machine itself allows (on a loaded machine, gaps appear with no page work at all). Medians of
--runs runs; the last line is the result as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_export_import import ARGS, asset_url, bench_plans, fresh_page, site_to_measure  # noqa: E402

from passo.serve import make_server  # noqa: E402

PASSPHRASE = "a bench passphrase, long enough"

# Installed before any page script: long tasks, and the two heartbeats (read for a span with window.__beats()).
OBSERVE = """
window.__long = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
window.__frames = [];
window.__ticks = [];
const frame = (ts) => { window.__frames.push(performance.now()); requestAnimationFrame(frame); };
requestAnimationFrame(frame);
const tick = () => { window.__ticks.push(performance.now()); setTimeout(tick, 10); };
setTimeout(tick, 10);
window.__beats = (t0, t1) => {
  const gaps = (list) => {
    const inside = list.filter((t) => t >= t0 && t <= t1);
    const all = [t0, ...inside, t1];
    let max = 0;
    for (let i = 1; i < all.length; i += 1) max = Math.max(max, all[i] - all[i - 1]);
    return {count: inside.length, longestGap: max};
  };
  const long = window.__long.filter(([s, d]) => s + d >= t0 && s <= t1).map(([, d]) => d);
  return {frames: gaps(window.__frames), ticks: gaps(window.__ticks), longest: long.length ? Math.max(...long) : 0};
};
"""

MODULE = """async ([url, text, passphrase]) => {
  const m = await import(url);
  const settle = () => new Promise((r) => setTimeout(r, 300)); // long-task entries arrive after the task
  await settle();
  // The same heartbeats over an idle second: what the machine itself allows, to read the others against.
  let t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  let t1 = performance.now();
  const idle = {ms: t1 - t0, ...window.__beats(t0, t1)};
  t0 = performance.now();
  await m.protect("{}", passphrase);
  t1 = performance.now();
  await settle();
  const derive = {ms: t1 - t0, ...window.__beats(t0, t1)};
  t0 = performance.now();
  const sealed = await m.protect(text, passphrase);
  t1 = performance.now();
  await settle();
  const protect = {ms: t1 - t0, bytes: sealed.length, ...window.__beats(t0, t1)};
  t0 = performance.now();
  const plain = await m.open(sealed, passphrase);
  t1 = performance.now();
  await settle();
  const open = {ms: t1 - t0, same: plain === text, ...window.__beats(t0, t1)};
  return {idle, derive, protect, open, sealed};
}"""

# Armed before "Open the file" is tapped: the moment of the tap and the moment the summary appears.
ARM_OPEN = """() => {
  window.__t = {};
  const dialog = document.querySelector(".passphrase-dialog");
  dialog.querySelector("button[type=submit]").addEventListener("click", () => {
    window.__t.start = performance.now();
  }, {capture: true, once: true});
  dialog.addEventListener("close", () => { window.__t.opened = performance.now(); });
  const box = document.querySelector(".import-status").parentElement;
  new MutationObserver((_, obs) => {
    const text = [".import-status", ".import-errors"].map((q) => document.querySelector(q).textContent).join(" ");
    if (/Import done|Nothing was imported/.test(text)) {
      window.__t.end = performance.now();
      window.__t.text = text;
      obs.disconnect();
    }
  }).observe(box, {childList: true, subtree: true, characterData: true});
}"""

OPEN_RESULT = """async () => {
  await new Promise((r) => setTimeout(r, 500));
  const {start, opened, end, text} = window.__t;
  return {text, ...window.__beats(start, end), ms: end - start,
          unlock: {ms: opened - start, ...window.__beats(start, opened)},
          rest: {ms: end - opened, ...window.__beats(opened, end)}};
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="a built site (default: build the example)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    dist = site_to_measure(args.dist, "dist-protect")
    _export_plans, _plans, backup = bench_plans()  # the backup bench_export_import.py imports
    sealed_file = ROOT / "bench/out/passo-backup-1000.protected.json"
    sealed_file.parent.mkdir(parents=True, exist_ok=True)

    server = make_server(dist, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    plans_url, ready = f"{base}en/plans/", "[data-export-ui][data-export-ready]"
    modules: list[dict[str, Any]] = []
    imports: list[dict[str, Any]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            device = {k: v for k, v in pw.devices["Pixel 7"].items() if k != "default_browser_type"}
            for _ in range(args.runs):
                context, page = fresh_page(browser, device, plans_url, ready, OBSERVE)
                result = page.evaluate(MODULE, [asset_url(dist, base, "protected-file"), backup, PASSPHRASE])
                sealed_file.write_text(result.pop("sealed"), encoding="utf-8")
                assert result["open"]["same"], "open() did not give back the backup"
                modules.append(result)
                context.close()

                context, page = fresh_page(browser, device, plans_url, ready, OBSERVE)
                page.set_input_files("input[data-import]", sealed_file)
                page.locator(".passphrase-dialog input[type=password]").fill(PASSPHRASE)
                page.evaluate(ARM_OPEN)
                page.locator(".passphrase-dialog button[type=submit]").click()
                page.locator(".import-status:has-text('Import done'), .import-errors li").first.wait_for(
                    timeout=120000)
                result = page.evaluate(OPEN_RESULT)
                assert "Added: 1000" in result["text"], result["text"]
                imports.append(result)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()

    def med(rows: list[dict[str, Any]], *path: str) -> float:
        def get(r: dict[str, Any]) -> float:
            for p in path:
                r = r[p]
            return float(r)  # type: ignore[arg-type]

        return round(statistics.median(get(r) for r in rows), 1)

    def span(rows: list[dict[str, Any]], key: str | None) -> dict[str, float]:
        sub = [r[key] for r in rows] if key else rows
        return {"ms": med(sub, "ms"), "longest_task_ms": med(sub, "longest"), "frames": med(sub, "frames", "count"),
                "longest_frame_gap_ms": med(sub, "frames", "longestGap"),
                "longest_timer_gap_ms": med(sub, "ticks", "longestGap")}

    out = {
        "backup_bytes": len(backup.encode()),
        "protected_bytes": modules[0]["protect"]["bytes"],
        "idle": span(modules, "idle"),
        "derive": span(modules, "derive"),
        "protect": span(modules, "protect"),
        "open": span(modules, "open"),
        "ui_unlock": span(imports, "unlock"),
        "ui_check_and_write": span(imports, "rest"),
        "ui_open_and_import": span(imports, None),
        "runs": args.runs,
    }

    def line(label: str, s: dict[str, float]) -> str:
        task = f"{s['longest_task_ms']} ms" if s["longest_task_ms"] else "< 50 ms (no long task)"
        return (f"{label}: {s['ms']} ms; longest task {task}; {s['frames']:.0f} frames drawn, longest gap between "
                f"frames {s['longest_frame_gap_ms']} ms, between 10 ms timer ticks {s['longest_timer_gap_ms']} ms")

    print(f"Backup of 1,000 plans: {out['backup_bytes'] / 1e6:.2f} MB; "
          f"protected: {out['protected_bytes'] / 1e6:.2f} MB "
          f"(medians of {args.runs} runs, Pixel 7 viewport, Debian Chromium)")
    print(line("Idle page, for comparison (a 1 s timer)", out["idle"]))
    print(line("Key derivation alone (protect of 2 bytes, PBKDF2-SHA512 x 210,000)", out["derive"]))
    print(line("protect() of the backup", out["protect"]))
    print(line("open() of the protected backup", out["open"]))
    print(line("UI: \"Open the file\" tapped -> dialog closed (derive, decrypt)", out["ui_unlock"]))
    print(line("UI: dialog closed -> import summary (the ordinary check and write of 1,000 plans)",
               out["ui_check_and_write"]))
    print(line("UI: \"Open the file\" tapped -> import summary, in all", out["ui_open_and_import"]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
