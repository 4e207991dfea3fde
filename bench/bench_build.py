"""Build benchmark on the 2,000-guide corpus: full build, no-change and one-guide rebuilds, against peers.

    .venv/bin/python bench/bench_build.py [--guides 2000] [--runs 3] [--no-images] [--pages]

Every tenth guide shows a picture of its own (1600 px wide, so its WebP variants are made too), as coaches' guides do;
--no-images measures the corpus as generated. --pages measures only the pages target: a first build as users get it
(search index on), the same with the index off, a build with the pictures processed by an earlier one (index off),
and the bare loop, in turn in each run (bench/out/build-pages.json).

Prints a table and writes bench/out/build.json. The one-guide CLI rebuild is measured as users get it, with the
search index on (the default), and beside it with the index switched off (pages only); the first is held against
35% of a full build. The ratio is printed too: on a shared machine it is steadier than seconds. Peers: a bare
Python-Markdown + Jinja2 loop in one process (the target a full build must beat), and MkDocs on the same corpus
when it is installed (pip install mkdocs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "bench" / "gen_corpus.py"  # the reference corpus generator, kept in the project
OUT = REPO / "bench" / "out"

BARE_LOOP = r"""
import sys, time, pathlib, markdown, jinja2, yaml
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
tpl = jinja2.Template("<!doctype html><html><head><title>{{ title }}</title></head>"
                      "<body><main>{{ body }}</main></body></html>")
md = markdown.Markdown(extensions=["tables", "toc", "fenced_code", "attr_list", "admonition"])
t, c = time.perf_counter(), time.process_time()
for path in sorted(src.rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front)
    md.reset()
    html = tpl.render(title=meta["title"], body=md.convert(body))
    target = out / path.relative_to(src).with_suffix("") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
print(time.perf_counter() - t, time.process_time() - c)
"""

MKDOCS_YML = "site_name: Bench\ndocs_dir: docs\nsite_dir: site\nuse_directory_urls: true\n"


# Runs one command and reports the peak memory of its largest process and the CPU seconds of all its processes
# (Pagefind and the render workers included): getrusage of this wrapper's children covers only that command,
# where the benchmark's own children would accumulate every earlier run. On a machine shared with other work, CPU
# seconds vary far less than wall seconds.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(f'@@ {time.perf_counter() - t} {u.ru_maxrss} {u.ru_utime + u.ru_stime}', file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str, float]:
    """Wall seconds, the peak memory (MiB) of the largest process the command ran, its output, its CPU seconds."""
    result = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    marker = [line for line in result.stderr.splitlines() if line.startswith("@@ ")][-1].split()
    return float(marker[1]), int(marker[2]) / 1024, result.stdout, float(marker[3])


def median_run(cmds: list[tuple[list[str], Path | None]], runs: int, prepare=None) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median wall seconds, largest peak memory and median CPU seconds of the last command, over `runs`."""
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        if prepare:
            prepare()
        for cmd, cwd in cmds:
            seconds, peak, _, cpu = run(cmd, cwd)
        times.append(seconds)
        peaks.append(peak)
        cpus.append(cpu)
    return statistics.median(times), max(peaks), statistics.median(cpus)


def add_images(guides_dir: Path, every: int = 10) -> int:
    """Guides as coaches write them: every `every`-th guide shows a picture of its own (a 1600 x 1000 PNG, wider
    than a phone, so the build makes its WebP variants too). The bare loop peer ignores them, as Markdown does."""
    from PIL import Image, ImageDraw

    pages = sorted(guides_dir.rglob("*.md"))[::every]
    (guides_dir / "img").mkdir()
    for n, page in enumerate(pages):
        image = Image.new("RGB", (1600, 1000), (30 + n % 200, 90, 160))
        ImageDraw.Draw(image).rectangle((100 + n % 700, 100, 900 + n % 700, 900), fill=(240, 200 - n % 150, 60))
        image.save(guides_dir / "img" / f"picture-{n:04d}.png", optimize=False)
        rel = os.path.relpath(guides_dir / "img" / f"picture-{n:04d}.png", page.parent)
        with page.open("a", encoding="utf-8") as out:
            out.write(f"\n![A picture of the plan, number {n}]({rel})\n")
    return len(pages)


def make_site(root: Path, guides: int, images: bool = True) -> Path:
    site = root / "site"
    (site / "content" / "en").mkdir(parents=True)
    subprocess.run([sys.executable, str(CORPUS), str(guides), str(site / "content/en/guides")], check=True,
                   capture_output=True)
    if images:
        add_images(site / "content/en/guides")
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copytree(REPO / "site_src", site / "site_src")
    (site / "site.toml").write_text('name = "Bench"\nlanguages = ["en"]\n', encoding="utf-8")
    return site


def interface_strings(runs: int) -> dict[str, float]:
    """Reading the browser code's interface strings (Babel's JavaScript reader, every full build) against taking
    them from the build record by module digest, as a full build with the record at hand does."""
    sys.path.insert(0, str(REPO))
    from passo import builtin, i18n

    folders = [builtin.folder("site_src")]
    cold, warm = [], []
    for _ in range(runs):
        i18n._JS_CACHE.clear()
        shipped, i18n._SHIPPED = i18n._SHIPPED, {}  # Babel reading every module, as for a site's own modules
        started = time.perf_counter()
        _, record = i18n.js_messages(folders)
        cold.append(time.perf_counter() - started)
        i18n._SHIPPED = shipped
        i18n._JS_CACHE.clear()
        started = time.perf_counter()
        i18n.js_messages(folders, record)
        warm.append(time.perf_counter() - started)
    return {"read_s": statistics.median(cold), "from_record_s": statistics.median(warm)}


def in_process_rebuilds(site: Path, runs: int) -> dict[str, float]:
    """What `serve` does after a save: the build in a warm process (the page reloads when it ends), then the
    search index refreshed from the warm Pagefind process, after the reload."""
    import threading

    sys.path.insert(0, str(REPO))
    from passo.pipeline import build
    from passo.serve import SearchRefresher

    refresher = SearchRefresher(site / "dist", threading.Lock())
    try:
        refresher.after_build(build(site, search="background"))
        refresher.wait(600)
        guide = site / "content/en/guides/section-00/guide-0001.md"
        nothing, one, index = [], [], []
        for i in range(runs + 1):
            started = time.perf_counter()
            build(site, search="background")
            nothing.append(time.perf_counter() - started)
            guide.write_text(guide.read_text(encoding="utf-8") + f"\nOne more line {i}.\n", encoding="utf-8")
            started = time.perf_counter()
            result = build(site, search="background")
            one.append(time.perf_counter() - started)
            assert result.rendered == 1, result
            started = time.perf_counter()
            refresher.after_build(result)
            refresher.wait(600)
            index.append(time.perf_counter() - started)
    finally:
        refresher.close()
    # The first round warms the process up, as the first build of `serve` does.
    return {"nothing_changed_s": statistics.median(nothing[1:]), "one_guide_s": statistics.median(one[1:]),
            "search_refresh_s": statistics.median(index[1:])}


def pages_against_loop(site: Path, root: Path, runs: int) -> dict[str, float]:
    """The pages target alone (`--pages`): a first build as users get it (search index on, pictures processed from
    nothing), the same with the index off, a build whose pictures an earlier build processed (index off), and the
    bare loop, taken in turn in each run so that a machine busy with other work weighs on all of them alike; the
    ratios are the medians of each run's own ratios."""
    python = sys.executable
    build_cmd = [python, str(REPO / "build.py"), "--site", str(site), "build"]
    with_search = 'name = "Bench"\nlanguages = ["en"]\n'
    rows: dict[str, list[float]] = {"cold": [], "cold_cpu": [], "warm": [], "warm_cpu": [], "loop": [],
                                    "loop_cpu": [], "search": [], "search_cpu": []}

    def timed_build(row: str, config: str, keep_pictures: bool = False) -> None:
        (site / "site.toml").write_text(config, encoding="utf-8")
        shutil.rmtree(site / "dist", ignore_errors=True)
        for stale in site.glob(".dist*"):
            if not (keep_pictures and stale.name.endswith("passo-media")):
                stale.unlink() if stale.is_file() else shutil.rmtree(stale)
        seconds, _, _, cpu = run(build_cmd)
        rows[row].append(seconds)
        rows[f"{row}_cpu"].append(cpu)

    for _ in range(runs):
        timed_build("search", with_search)  # as users get it: search index on (the default), from nothing
        timed_build("cold", with_search + "search = false\n")
        timed_build("warm", with_search + "search = false\n", keep_pictures=True)
        shutil.rmtree(root / "bare", ignore_errors=True)
        _, _, printed, _ = run([python, "-c", BARE_LOOP, str(site / "content/en/guides"), str(root / "bare")])
        loop_wall, loop_cpu = printed.split()
        rows["loop"].append(float(loop_wall))
        rows["loop_cpu"].append(float(loop_cpu))
    result = {f"{k}_s": statistics.median(v) for k, v in rows.items()}
    result["cold_ratio"] = statistics.median(c / b for c, b in zip(rows["cold"], rows["loop"], strict=True))
    result["warm_ratio"] = statistics.median(w / b for w, b in zip(rows["warm"], rows["loop"], strict=True))
    result["search_ratio"] = statistics.median(w / b for w, b in zip(rows["search"], rows["loop"], strict=True))
    result["load_average_1min"] = os.getloadavg()[0]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-images", action="store_true",
                        help="the corpus as generated, without a picture in every tenth guide")
    parser.add_argument("--pages", action="store_true",
                        help="only the first-build rows (search on and off) against the bare loop, in turn in each run")
    args = parser.parse_args()
    if args.pages:
        with tempfile.TemporaryDirectory(prefix="passo-bench-") as tmp:
            site = make_site(Path(tmp), args.guides, images=not args.no_images)
            figures = pages_against_loop(site, Path(tmp), args.runs)
        print(f"Pages of a {args.guides}-guide build ("
              f"{'a 1600 px picture in every tenth guide' if not args.no_images else 'no pictures'}), "
              f"median of {args.runs} runs, {os.cpu_count()} cores, load average "
              f"{figures['load_average_1min']:.1f} at the end")
        print(f"  first build, search off (pictures made)  {figures['cold_s']:6.2f} s  "
              f"CPU {figures['cold_cpu_s']:5.1f} s"
              f"  {figures['cold_ratio']:.2f}x the loop (target <= 1.0x, goal 0.75x)")
        print(f"  search off, pictures made by an earlier  {figures['warm_s']:6.2f} s  "
              f"CPU {figures['warm_cpu_s']:5.1f} s"
              f"  {figures['warm_ratio']:.2f}x the loop")
        print(f"  first build with search (the default)    {figures['search_s']:6.2f} s  "
              f"CPU {figures['search_cpu_s']:5.1f} s  {figures['search_ratio']:.2f}x the loop")
        print(f"  bare Python-Markdown + Jinja2 loop, 1 core {figures['loop_s']:4.2f} s  "
              f"CPU {figures['loop_cpu_s']:5.1f} s  (peer)")
        # CPU seconds hardly move with other work on the machine: half of Passo's (two cores) against the loop's
        # (one) is the ratio an idle machine would give if nothing in the build waited.
        print(f"  CPU bound on 2 idle cores: first build {figures['cold_cpu_s'] / 2 / figures['loop_cpu_s']:.2f}x, "
              f"pictures processed before {figures['warm_cpu_s'] / 2 / figures['loop_cpu_s']:.2f}x "
              "(half the build's CPU seconds over the loop's)")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "build-pages.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        return 0
    python = sys.executable
    results: dict[str, object] = {"guides": args.guides, "cores": os.cpu_count(), "images": not args.no_images}
    with tempfile.TemporaryDirectory(prefix="passo-bench-") as tmp:
        root = Path(tmp)
        site = make_site(root, args.guides, images=not args.no_images)
        build_cmd = [python, str(REPO / "build.py"), "--site", str(site), "build"]

        def clean() -> None:
            shutil.rmtree(site / "dist", ignore_errors=True)
            for stale in site.glob(".dist*"):
                stale.unlink() if stale.is_file() else shutil.rmtree(stale)

        with_search = 'name = "Bench"\nlanguages = ["en"]\n'
        pages_only = with_search + "search = false\n"
        guide = site / "content/en/guides/section-00/guide-0002.md"

        def touch_one() -> None:
            guide.write_text(guide.read_text(encoding="utf-8") + "\nAnother line.\n", encoding="utf-8")

        def clean_but_pictures() -> None:
            """A full build whose pictures an earlier build processed (the cache beside dist/ is kept)."""
            shutil.rmtree(site / "dist", ignore_errors=True)
            for stale in site.glob(".dist*"):
                if not stale.name.endswith("passo-media"):
                    stale.unlink() if stale.is_file() else shutil.rmtree(stale)

        (site / "site.toml").write_text(pages_only, encoding="utf-8")
        pages, pages_peak, _ = median_run([(build_cmd, None)], args.runs, clean)
        results["pages_only_s"], results["pages_only_peak_mib"] = pages, pages_peak
        warm, _, _ = median_run([(build_cmd, None)], args.runs, clean_but_pictures)
        results["pages_only_pictures_cached_s"] = warm
        one, one_peak, _ = median_run([(build_cmd, None)], args.runs, touch_one)
        results["cli_one_guide_pages_only_s"], results["cli_one_guide_pages_only_peak_mib"] = one, one_peak

        (site / "site.toml").write_text(with_search, encoding="utf-8")
        full, full_peak, full_cpu = median_run([(build_cmd, None)], args.runs, clean)
        results["full_build_s"], results["full_build_peak_mib"] = full, full_peak
        results["search_index_s"] = max(full - pages, 0.0)
        # A site-wide change (site.toml, a template) rebuilds every page, with the last build's record at hand: the
        # browser code's strings come from it instead of being read again.
        names = iter(range(10**6))

        def rename_site() -> None:
            (site / "site.toml").write_text(with_search.replace("Bench", f"Bench {next(names)}"), encoding="utf-8")

        again, again_peak, _ = median_run([(build_cmd, None)], args.runs, rename_site)
        results["cli_site_changed_s"], results["cli_site_changed_peak_mib"] = again, again_peak
        (site / "site.toml").write_text(with_search, encoding="utf-8")
        run(build_cmd)  # back to the plain config: the next rows start from an up-to-date build
        nothing, nothing_peak, _ = median_run([(build_cmd, None)], args.runs)
        results["cli_nothing_changed_s"], results["cli_nothing_changed_peak_mib"] = nothing, nothing_peak
        one, one_peak, one_cpu = median_run([(build_cmd, None)], args.runs, touch_one)
        results["cli_one_guide_s"], results["cli_one_guide_peak_mib"] = one, one_peak
        results["cli_one_guide_ratio"] = one / full
        results["full_build_cpu_s"], results["cli_one_guide_cpu_s"] = full_cpu, one_cpu
        results["cli_one_guide_cpu_ratio"] = one_cpu / full_cpu
        results.update({f"serve_{k}": v for k, v in in_process_rebuilds(site, args.runs).items()})
        results.update({f"strings_{k}": v for k, v in interface_strings(args.runs).items()})
        results["load_average_1min"] = os.getloadavg()[0]

        bare_out = root / "bare"
        bare_times = []
        for _ in range(args.runs):
            shutil.rmtree(bare_out, ignore_errors=True)
            _, _, printed, _ = run([python, "-c", BARE_LOOP, str(site / "content/en/guides"), str(bare_out)])
            bare_times.append(float(printed.split()[0]))
        results["bare_loop_s"] = statistics.median(bare_times)

        mkdocs = shutil.which("mkdocs") or (str(Path(python).parent / "mkdocs")
                                            if (Path(python).parent / "mkdocs").exists() else None)
        if mkdocs:
            mk = root / "mk"
            (mk / "docs").mkdir(parents=True)
            shutil.copytree(site / "content/en/guides", mk / "docs", dirs_exist_ok=True)
            (mk / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
            seconds, peak, _ = median_run([([mkdocs, "build", "-q"], mk)], args.runs,
                                       lambda: shutil.rmtree(mk / "site", ignore_errors=True))
            results["mkdocs_s"], results["mkdocs_peak_mib"] = seconds, peak

    rows = [
        ("full build (pages + search index)", results["full_build_s"], results["full_build_peak_mib"], ""),
        ("  of which pages", results["pages_only_s"], results["pages_only_peak_mib"],
         f"target <= bare loop {results['bare_loop_s']:.2f} s"),
        ("  pages, pictures processed by an earlier build", results["pages_only_pictures_cached_s"], None,
         "the cache beside dist/ kept"),
        ("rebuild, site.toml changed (CLI, every page)", results["cli_site_changed_s"],
         results["cli_site_changed_peak_mib"], "the build record at hand"),
        ("  browser strings read by Babel (a site's own modules)", results["strings_read_s"], None,
         f"Passo's own, by digest: {results['strings_from_record_s']:.3f} s"),
        ("rebuild, nothing changed (CLI)", results["cli_nothing_changed_s"], results["cli_nothing_changed_peak_mib"],
         "target < 0.5 s"),
        ("rebuild, one guide changed (CLI, with search)", results["cli_one_guide_s"],
         results["cli_one_guide_peak_mib"],
         f"{results['cli_one_guide_ratio']:.0%} of a full build, target <= 35% "
         f"(CPU {results['cli_one_guide_cpu_s']:.1f} of {results['full_build_cpu_s']:.1f} s: "
         f"{results['cli_one_guide_cpu_ratio']:.0%})"),
        ("rebuild, one guide changed (CLI, pages only)", results["cli_one_guide_pages_only_s"],
         results["cli_one_guide_pages_only_peak_mib"], "search = false"),
        ("rebuild, nothing changed (serve)", results["serve_nothing_changed_s"], None, "target < 0.5 s"),
        ("rebuild, one guide changed (serve, to reload)", results["serve_one_guide_s"], None, "target < 0.3 s"),
        ("  then search index refreshed (serve, warm)", results["serve_search_refresh_s"], None, "after the reload"),
        ("bare Python-Markdown + Jinja2 loop, 1 core", results["bare_loop_s"], None, "peer"),
    ]
    if "mkdocs_s" in results:
        ratio = float(results["mkdocs_s"]) / float(results["full_build_s"])  # type: ignore[arg-type]
        results["mkdocs_ratio"] = ratio
        rows.append(("MkDocs on the same corpus", results["mkdocs_s"], results["mkdocs_peak_mib"],
                     f"Passo is {ratio:.1f}x faster"))
    print(f"Build benchmark: {args.guides} guides "
          f"({'a 1600 px picture in every tenth' if results['images'] else 'no pictures: --no-images'}), "
          f"median of {args.runs}, {os.cpu_count()} cores, load average {results['load_average_1min']:.1f} at the end")
    print(f"{'what':45} {'seconds':>8} {'peak MiB':>9}  note")
    for name, seconds, peak, note in rows:
        peak_text = f"{peak:9.0f}" if peak is not None else f"{'':9}"
        print(f"{name:45} {seconds:8.2f} {peak_text}  {note}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "build.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
