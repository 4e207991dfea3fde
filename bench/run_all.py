"""Every benchmark of the project behind one command: one table on screen, the same figures as JSON.

    .venv/bin/python bench/run_all.py [--quick] [--lighthouse]      (or: make bench)

Each benchmark is its own script (bench/*.py) that prints its figures and ends with a one-line JSON; this
script runs them one after another on a freshly built example site, gathers the JSON lines into
bench/out/all.json and prints the summary table the README shows.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


def run(script: str, *args: str) -> tuple[dict, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(REPO / "bench" / script), *args], capture_output=True, text=True,
                            cwd=REPO, check=False)
    if result.returncode != 0:
        print(f"{script} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}", file=sys.stderr)
        return {"failed": True}, result.stdout
    data = last_json(result.stdout)
    data["bench_seconds"] = round(time.perf_counter() - started, 1)
    return data, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run each instead of three (for a smoke test)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (about 15 s a page)")
    args = parser.parse_args()
    runs = ["--runs", "1"] if args.quick else ["--runs", "3"]
    build = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--full"], cwd=REPO,
                           capture_output=True, text=True, check=False)
    if build.returncode != 0:
        raise SystemExit(f"the example site does not build:\n{build.stderr}")
    results: dict[str, dict] = {}
    results["build"], _ = run("bench_build.py", *runs)
    build_json = OUT / "build.json"
    if build_json.is_file():
        results["build"].update(json.loads(build_json.read_text()))
    results["page_weight"], _ = run("page_weight.py")
    results["plans_page"], _ = run("bench_plans_page.py", *runs)
    results["export_import"], _ = run("bench_export_import.py")
    results["offline"], _ = run("bench_offline.py")
    if args.lighthouse:
        results["lighthouse"], _ = run("lighthouse.py")

    b, w, p, e = results["build"], results["page_weight"], results["plans_page"], results["export_import"]
    rows = []

    def row(what: str, value: object, target: str) -> None:
        rows.append((what, str(value), target))

    if not b.get("failed"):
        full = f"{b['full_build_s']:.2f} s, {b['full_build_peak_mib']:.0f} MiB"
        row("full build, 2,000 guides (pages + search)", full, "")
        row("  pages only", f"{b['pages_only_s']:.2f} s", f"<= bare loop {b['bare_loop_s']:.2f} s")
        if "mkdocs_s" in b:
            row("  MkDocs on the same corpus", f"{b['mkdocs_s']:.2f} s", f"Passo {b['mkdocs_ratio']:.1f}x faster")
        row("rebuild, nothing changed (CLI / serve)",
            f"{b['cli_nothing_changed_s']:.2f} s / {b['serve_nothing_changed_s']:.3f} s", "< 0.5 s")
        row("rebuild, one guide changed (CLI, with search)",
            f"{b['cli_one_guide_s']:.2f} s ({b['cli_one_guide_ratio']:.0%} of full)", "<= 35% of full")
        row("rebuild, one guide changed (CLI pages only / serve)",
            f"{b['cli_one_guide_pages_only_s']:.2f} s / {b['serve_one_guide_s']:.3f} s", "< 0.3 s (serve)")
        row("  serve: search index refreshed after the reload", f"{b['serve_search_refresh_s']:.2f} s", "")
    if not w.get("failed"):
        for kind, page in w["pages"].items():
            row(f"page weight: {kind}", f"{page['first_kb']} KB first, {page['repeat_kb']} KB repeat",
                f"JS+CSS {page['js_css_kb']} KB" + (" (< 40)" if kind == "plan form" else ""))
    if not p.get("failed"):
        keys = {k: v for k, v in p.items() if k.endswith(("_ms", "ratio"))}
        row("my plans, 1,000 plans", ", ".join(f"{k} {v}" for k, v in keys.items()), "< 2x static HTML")
    if not e.get("failed"):
        keys = {k: v for k, v in e.items() if k not in ("bench", "bench_seconds")}
        row("export / import", ", ".join(f"{k} {v}" for k, v in keys.items()), "< 1 s, no task > 100 ms")
    if not results["offline"].get("failed"):
        for site, o in results["offline"]["sites"].items():
            row(f"until offline ready: {site}", f"one language {o['one_language_bytes'] / 1e6:.2f} MB, all four "
                f"{o['all_four_bytes'] / 1e6:.2f} MB", f"before issue 21: {o['before_bytes'] / 1e6:.2f} MB")
    if "lighthouse" in results and not results["lighthouse"].get("failed"):
        row("Lighthouse", json.dumps({k: v for k, v in results["lighthouse"].items() if k != "bench_seconds"}),
            "100/100/100, perf >= 95")
    width = max(len(r[0]) for r in rows)
    print(f"Passo benchmarks, {platform.machine()}, {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    for what, value, target in rows:
        print(f"{what:{width}}  {value}  {target}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "all.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if any(r.get("failed") for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
