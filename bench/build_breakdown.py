"""Where the seconds of one `passo build --full` go: each stage timed in the build's own process.

    .venv/bin/python bench/build_breakdown.py SITE_DIR [--runs 3] [--keep-media]

Each run is a new Python process (so imports count, as for a user) building SITE_DIR from nothing: dist/ and the
caches beside it are removed first, unless --keep-media keeps the processed pictures. Stages are timed by wrapping
the pipeline's own functions (a few microseconds each, unlike a profiler), so the figures add up to the build;
indented lines are part of the line above them. Prints the median of each stage over the runs, in wall seconds and
in CPU seconds: for a stage, those of the thread that ran it (summed over a small site's two render threads; WebP
encoding runs in threads of its own and counts only in the lines above "build"); for "build", the whole process;
for the whole command, Pagefind's too. On a machine shared with other work the CPU seconds hardly move while the
wall seconds can double.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (label, module, attribute or Class.method, depth): wrapped in the child, inclusive seconds summed over calls.
STAGES = [
    ("read site.toml, catalogues, guides", "passo.pipeline", "load_site", 1),
    ("theme and browser code", "passo.pipeline", "_prepare", 1),
    ("guide pages", "passo.pipeline", "_render_guide_pages", 1),
    ("Markdown to HTML (pictures included)", "passo.content.markdown_render", "GuideMarkdown.convert", 2),
    ("pictures: decode, WebP variants", "passo.content.media", "process", 3),
    ("other pages (home, plans, settings...)", "passo.pipeline", "_render_other_pages", 1),
    ("browser code, icons, strings, manifest", "passo.pipeline", "_site_files", 1),
    ("search index, service worker, swap", "passo.pipeline", "_write", 1),
    ("Pagefind (pages streamed as made)", "passo.site.search", "StreamedIndex.write", 2),
    ("Pagefind process closed", "passo.site.search", "SiteIndex.close", 1),
    ("Jinja templates compiled", "jinja2.environment", "Environment._compile", 1),
]

CHILD = r"""
import importlib, json, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[2])
totals = {}
stages = json.loads(sys.argv[3])

def wrap(owner, name, label):
    inner = getattr(owner, name)
    def timed(*args, **kwargs):
        t, c = time.perf_counter(), time.thread_time()
        try:
            return inner(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - t
            totals["cpu " + label] = totals.get("cpu " + label, 0.0) + time.thread_time() - c
    setattr(owner, name, timed)

from pathlib import Path
from passo import cli  # what `build.py` imports first
import passo.pipeline
imported, imported_cpu = time.perf_counter(), time.process_time()
for label, module, attribute, _depth in stages:
    owner = importlib.import_module(module)
    *classes, name = attribute.split(".")
    for cls in classes:
        owner = getattr(owner, cls)
    wrap(owner, name, label)
import passo.site.pages as pages  # render workers are forked: a page is timed in the parent only when serial
result = passo.pipeline.build(Path(sys.argv[1]), incremental=False)
done = time.perf_counter()
totals["python start-up and imports"] = imported - started
totals["build"] = done - imported
totals["cpu python start-up and imports"] = imported_cpu
totals["cpu build"] = time.process_time() - imported_cpu
totals["serial render"] = len(result.html) < pages.PARALLEL_FROM
print(json.dumps(totals))
"""


def clean(site: Path, keep_media: bool) -> None:
    shutil.rmtree(site / "dist", ignore_errors=True)
    for stale in site.glob(".dist*"):
        if keep_media and stale.name.endswith("passo-media"):
            continue
        stale.unlink() if stale.is_file() else shutil.rmtree(stale)


def breakdown(site: Path, runs: int, keep_media: bool = False) -> dict[str, float]:
    """Median seconds per stage (and 'total': process start to end) over `runs` builds in new processes."""
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        clean(site, keep_media)
        import time

        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-c", CHILD, str(site), str(REPO),
                               json.dumps([list(s) for s in STAGES])], capture_output=True, text=True, check=False)
        total = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        sample = json.loads(done.stdout.strip().splitlines()[-1])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and Pagefind, its child
        sample["total"] = total
        sample["cpu total"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        samples.append(sample)
    keys = {k for s in samples for k in s}
    return {k: statistics.median(float(s.get(k, 0.0)) for s in samples) for k in keys}


def print_breakdown(figures: dict[str, float]) -> None:
    """Wall seconds and CPU seconds (the build process's threads; the whole command's line adds Pagefind's)."""
    print(f"{'stage':48} {'seconds':>8} {'CPU s':>7}")

    def line(text: str, key: str) -> None:
        cpu = figures.get(f"cpu {key}")
        print(f"{text:48} {figures[key]:8.2f} {'' if cpu is None else f'{cpu:7.2f}'}")

    line("whole command (process start to exit)", "total")
    line("  python start-up and imports", "python start-up and imports")
    line("  build", "build")
    for label, _module, _attribute, depth in STAGES:
        if label in figures:
            line("  " * (depth + 1) + label, label)
    if not figures.get("serial render"):
        print("(guide pages rendered in worker processes: their inner stages are not timed here)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep-media", action="store_true", help="pictures processed by an earlier build")
    args = parser.parse_args()
    figures = breakdown(args.site.resolve(), args.runs, args.keep_media)
    print(f"passo build --full of {args.site}, median of {args.runs} runs"
          f"{', pictures processed by an earlier build' if args.keep_media else ', from nothing'}")
    print_breakdown(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
