"""Lighthouse as a phone sees it: the example site's home page, a guide, the GROW guide (a diagram and a worksheet)
and a plan form, and the guide that uses every Markdown feature (a 1600 px picture, code, tabs, details,
footnotes, in a section between two guides: tests/e2e/guide_features.py).

    .venv/bin/python bench/lighthouse.py [--dist DIR] [--runs N]

Builds the example site (unless --dist names a built one) and the features site, serves them on 127.0.0.1 with
`passo.serve.make_server` (the host's headers, and gzip like any real host), runs npm `lighthouse` against
Debian's Chromium with its default mobile settings, prints the four category scores per page against the targets
and writes them, with every audit that cost points, to bench/out/lighthouse.json. Lighthouse is a test-time tool:
it is installed into node_modules on demand (`npm install --no-save lighthouse@12`), never added to package.json.
About 15 s a page. Exit status 1 when a score misses its target.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from passo.pipeline import build  # noqa: E402
from passo.serve import make_server  # noqa: E402

CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = {"home": "en/", "guide": "en/guides/action-plan/", "grow guide": "en/guides/grow/",
         "plan form": "en/plans/smart-action-plan/"}
FEATURES = "all features"  # the page of the features site, added to PAGES once that site is built
# Plan forms carry noindex by design (a coachee's form is not a search result), which costs Lighthouse's
# crawlability point: SEO is judged on the home page and the guides (DESIGN.md).
NOT_JUDGED = {("plan form", "seo")}
OUT = REPO / "bench" / "out" / "lighthouse.json"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".webmanifest", ".xml", ".txt", "/")


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print("installing lighthouse@12 into node_modules (test-time only, not saved to package.json)...")
    subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "lighthouse@12"], cwd=REPO, check=True)


def gzip_handler(base: type) -> type:
    """A subclass of the server's handler that answers gzip-capable clients with gzipped text files."""

    class Handler(base):  # type: ignore[valid-type, misc]
        def send_head(self):  # type: ignore[no-untyped-def]
            path = self.path.split("?")[0]
            wants = "gzip" in self.headers.get("Accept-Encoding", "")
            if not wants or not path.endswith(COMPRESSIBLE) or self.command != "GET":
                return super().send_head()
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                return super().send_head()
            data = gzip.compress(target.read_bytes(), 6)
            ctype = self.guess_type(str(target))
            self.send_response(200)
            self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return BytesIO(data)

    return Handler


def serve(dist: Path) -> tuple[str, object]:
    server = make_server(dist, "127.0.0.1", 0)
    server.RequestHandlerClass = gzip_handler(server.RequestHandlerClass)  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()  # type: ignore[attr-defined]
    return f"http://127.0.0.1:{server.server_address[1]}/", server  # type: ignore[attr-defined]


def run_lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url} ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def describe(item: dict) -> str:
    """One line for one thing an audit points at: an element, a URL or a source location."""
    node = item.get("node") if isinstance(item.get("node"), dict) else item
    return str(node.get("snippet") or item.get("url") or item.get("source") or item.get("description") or "")


def lost_points(report: dict, category: str) -> list[dict]:
    """The audits of a category that scored below 1 and carry weight: what Lighthouse reported."""
    audits = report["audits"]
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            lost.append({"id": ref["id"], "title": audit.get("title", ""), "score": audit["score"],
                         "displayValue": audit.get("displayValue", ""),
                         "items": [describe(item) for item in (audit.get("details") or {}).get("items", [])[:5]]})
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="a built site to audit (default: build the example site)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median score is kept")
    args = parser.parse_args()

    ensure_lighthouse()
    with tempfile.TemporaryDirectory(prefix="passo-lighthouse-") as tmp:
        dist = args.dist
        if dist is None:
            dist = Path(tmp) / "dist"
            print("building the example site...")
            build(REPO, dist, incremental=False)
        from tests.e2e.guide_features import PATH as FEATURES_PATH
        from tests.e2e.guide_features import build_features

        print("building the features site...")
        url, server = serve(dist)
        features_url, features_server = serve(build_features(Path(tmp) / "features"))
        pages = {name: url + path for name, path in PAGES.items()} | {FEATURES: features_url + FEATURES_PATH}
        results = {}
        try:
            for name, address in pages.items():
                path = address.split("/", 3)[3]
                print(f"lighthouse: {name} ({path})...", flush=True)
                reports = [run_lighthouse(address) for _ in range(args.runs)]
                scores = {c: round(statistics.median(r["categories"][c]["score"] * 100 for r in reports))
                          for c in CATEGORIES}
                last = reports[-1]
                results[name] = {"path": path, "scores": scores,
                                 "lost": {c: lost_points(last, c) for c in CATEGORIES if scores[c] < 100},
                                 "metrics": {k: last["audits"][k].get("displayValue", "")
                                             for k in ("first-contentful-paint", "largest-contentful-paint",
                                                       "total-blocking-time", "cumulative-layout-shift",
                                                       "speed-index")},
                                 "lighthouse": last["lighthouseVersion"],
                                 "chromium": last["environment"]["hostUserAgent"]}
        finally:
            for running in (server, features_server):
                running.shutdown()  # type: ignore[attr-defined]
                running.server_close()  # type: ignore[attr-defined]

    misses = []
    header = f"{'page':<14}" + "".join(f"{c:>16}" for c in CATEGORIES)
    print()
    print(header)
    print(f"{'target':<14}" + "".join(f"{('>= ' if c == 'performance' else '') + str(TARGETS[c]):>16}"
                                      for c in CATEGORIES))
    for name, result in results.items():
        cells = []
        for c in CATEGORIES:
            score = result["scores"][c]
            judged = (name, c) not in NOT_JUDGED
            mark = "" if not judged else ("  " if score >= TARGETS[c] else " !")
            cells.append(f"{score:>14}{mark or ' -'}")
            if judged and score < TARGETS[c]:
                misses.append((name, c, score, result["lost"].get(c, [])))
        print(f"{name:<14}" + "".join(cells))
    print("(- not judged: plan forms are noindex by design; ! misses its target)")
    for name, result in results.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in result["metrics"].items()))

    for name, category, score, lost in misses:
        print(f"\n{name} / {category} = {score}; points lost on:")
        for audit in lost:
            print(f"  - {audit['id']}: {audit['title']} (score {audit['score']}) {audit['displayValue']}")
            for item in audit["items"]:
                if item:
                    print(f"      {str(item)[:150]}")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"targets": TARGETS, "not_judged": sorted(map(list, NOT_JUDGED)),
                               "pages": results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {OUT.relative_to(REPO)}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
