"""The peer of a page drawn by the app: the same final DOM saved as static HTML, timed the same way."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

# The final DOM without anything a static page would not use (scripts, their preloads); `ready` is the data-*
# attribute (camelCase) the app set when it had drawn, removed so the copy looks like a page nobody drew.
STATIC_COPY = """(ready) => {
  const doc = document.documentElement.cloneNode(true);
  doc.querySelectorAll("script, link[rel=modulepreload], link[rel=preload]").forEach((s) => s.remove());
  doc.dataset.static = "1";
  delete doc.dataset[ready];
  return "<!doctype html>\\n" + doc.outerHTML;
}"""


def time_against_static(page: Any, dist: Path, base: str, dynamic_url: str, ready: str,
                        runs: int) -> tuple[list[float], list[float]]:
    """`window.__shown` of the app's page and of its static copy, alternately, `runs` times each. The copy sits at
    en/bench-static/ (the same depth, so every relative URL still works) and is removed afterwards."""
    html = page.evaluate(STATIC_COPY, ready)
    folder = dist / "en" / "bench-static"
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    static_url = f"{base}en/{folder.name}/"
    dynamic: list[float] = []
    static: list[float] = []
    try:
        for _ in range(runs):
            for url, out in ((dynamic_url, dynamic), (static_url, static)):
                page.goto(url)
                out.append(page.evaluate("window.__shown"))
    finally:
        (folder / "index.html").unlink()
        folder.rmdir()
    return dynamic, static


def report_against_static(dynamic: list[float], static: list[float]) -> dict[str, float]:
    """Print the two timings and their ratio (the target is under 2); return the figures for the JSON line."""
    d, s = statistics.median(dynamic), statistics.median(static)
    # Runs alternate, so each pair met the same machine load: their ratios are steadier than medians alone.
    paired = statistics.median(a / b for a, b in zip(dynamic, static, strict=True))
    print(f"  dynamic (IndexedDB + JS): shown at {d:7.1f} ms  (runs: {', '.join(f'{x:.0f}' for x in dynamic)})")
    print(f"  same list as static HTML: shown at {s:7.1f} ms  (runs: {', '.join(f'{x:.0f}' for x in static)})")
    print(f"  ratio dynamic/static: {d / s:.2f} of medians, {paired:.2f} median of paired runs (target < 2.00)")
    return {"dynamic_ms": round(d, 1), "static_ms": round(s, 1), "ratio": round(d / s, 3),
            "paired_ratio": round(paired, 3)}
