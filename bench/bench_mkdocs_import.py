"""MkDocs' own docs (tests/data/mkdocs-docs) imported with `passo new site --from-mkdocs`, then built by Passo (search
index on, the default) and by MkDocs (`mkdocs build -q`) in the same run: median of 3 full builds each, and the ratio.

    .venv/bin/python bench/bench_mkdocs_import.py [--runs 3] [--breakdown]

MkDocs needs `pip install mkdocs` (test-time only, not a dependency of Passo). The fixture's mkdocs.yml names
plugins, a hook and extensions (redirects, autorefs, literate-nav, mkdocstrings, callouts, mdx_gh_links,
mkdocs-click) that are not installed here: when `mkdocs build` of it as is fails, a copy stripped of plugins, hooks,
watch and the extensions not installed is built instead, and the output says so. Both build from a cold output folder.
The two builds take turns in each run; the ratio is the median of each run's own. CPU seconds are printed too (the
command and its children): they hardly move when other work shares the machine. --breakdown then times each stage
of Passo's build (bench/build_breakdown.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests/data/mkdocs-docs"
PASSO = [sys.executable, str(REPO / "build.py")]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def timed(command: list[str], cwd: Path) -> float:
    return timed_cpu(command, cwd)[0]


def timed_cpu(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds of the command and its children (Pagefind's included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def stripped_config(project: Path) -> tuple[Path, list[str]]:
    """A copy of mkdocs.yml without plugins, hooks and watch and without extensions that are not installed."""
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in data.pop("plugins", [])]
    data["plugins"] = ["search"]  # MkDocs' own, like Passo's index: kept so both builds make a search index
    dropped = [f"plugins ({', '.join(p for p in plugins if p != 'search')})"]
    for key in ("hooks", "watch"):  # watch names the mkdocs package's source folder, not in the fixture
        if data.pop(key, None):
            dropped.append(key)
    kept = []
    for entry in data.get("markdown_extensions", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        module = name.replace("-", "_").split(".")[0]
        if importlib.util.find_spec(module) is None and name not in ("toc", "attr_list", "def_list", "tables"):
            dropped.append(f"extension {name}")
        else:
            kept.append(entry)
    data["markdown_extensions"] = kept
    path = project / "mkdocs.stripped.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true", help="then time each stage of Passo's build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        project = work / "project"
        shutil.copytree(FIXTURE, project)
        site = work / "site"
        started = time.perf_counter()
        subprocess.run([*PASSO, "new", "site", str(site), "--from-mkdocs", str(project / "mkdocs.yml")],
                       check=True, capture_output=True)
        print(f"import: {time.perf_counter() - started:.2f} s (passo new site --from-mkdocs, 19 Markdown files)")
        config, note = project / "mkdocs.yml", "as is"
        try:
            timed([*MKDOCS, "build", "-q", "-f", str(config), "-d", str(work / "mk-probe")], project)
        except FileNotFoundError:
            sys.exit("mkdocs is not installed: pip install mkdocs")
        except RuntimeError:
            config, dropped = stripped_config(project)
            note = "its mkdocs.yml stripped of " + ", ".join(dropped) + " (not installed here)"
        passo, mkdocs, ratios = [], [], []
        for run in range(args.runs):
            shutil.rmtree(site / "dist", ignore_errors=True)
            for state in site.glob(".dist.passo-*"):
                shutil.rmtree(state, ignore_errors=True) if state.is_dir() else state.unlink()
            passo.append(timed_cpu([*PASSO, "build", "--full"], site))
            mkdocs.append(timed_cpu([*MKDOCS, "build", "-q", "-f", str(config), "-d", str(work / f"mk{run}")],
                                    project))
            ratios.append(passo[-1][0] / mkdocs[-1][0])
        p, m = statistics.median(w for w, _ in passo), statistics.median(w for w, _ in mkdocs)
        pc, mc = statistics.median(c for _, c in passo), statistics.median(c for _, c in mkdocs)
        print(f"MkDocs built {note}")
        print(f"passo build (search index on): {p:.2f} s   mkdocs build: {m:.2f} s   ratio Passo/MkDocs: "
              f"{statistics.median(ratios):.2f}x   (median of {args.runs}, each run's own ratio)")
        print(f"CPU seconds: passo {pc:.2f} (Pagefind's included)   mkdocs {mc:.2f}   ratio {pc / mc:.2f}x"
              f"   (steady on a shared machine; load average {os.getloadavg()[0]:.1f})")
        if args.breakdown:
            from build_breakdown import breakdown, print_breakdown

            print(f"\nWhere Passo's time goes (bench/build_breakdown.py, median of {args.runs}, from nothing):")
            print_breakdown(breakdown(site, args.runs))


if __name__ == "__main__":
    main()
