"""The peer of a page drawn by the app: the same final DOM saved as static HTML, timed the same way."""

from __future__ import annotations

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
