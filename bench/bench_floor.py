"""The least wall time issue 15's two speed targets allow on this machine: the CPU seconds of the work a Passo build
cannot skip, shared perfectly among the cores, against the peer's wall time in the same run.

    .venv/bin/python bench/bench_floor.py [--guides 2000] [--runs 3]

Each line of work is measured on its own, in this process or in the child that does it, and only the work the issue
itself asks for is counted:

- Markdown: `GuideMarkdown.convert` of every guide with the extensions the issue names (pymdown-extensions and
  Python-Markdown's own; the site's `markdown_extensions` too), pictures left out;
- pictures: `media.process` of every picture the built site serves (decode, check, WebP variants), its encoder
  threads included;
- the search index: the CPU seconds of Pagefind's own process while it takes the pages and makes its files;
- for MkDocs' docs, also Python's start-up and `import passo.pipeline`: a small site pays it once per build.

Everything else a build does (templates, the app's pages, writing the files, the service worker) is left out, so a
real build can only be slower than the floor. A. is the 2,000-guide corpus with a picture in every tenth guide
against the bare one-core Python-Markdown + Jinja2 loop (bench_build.py); B. MkDocs' own docs imported with
`passo new site --from-mkdocs` against `mkdocs build` of the same folder (bench_mkdocs_import.py). Each figure is
the median of --runs.
"""

from __future__ import annotations

import argparse
import io
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
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import bench_build  # noqa: E402
import bench_mkdocs_import  # noqa: E402

from passo.content import media  # noqa: E402
from passo.content.markdown_render import GuideMarkdown  # noqa: E402
from passo.pipeline import build, load_site  # noqa: E402
from passo.site.pages import _read_body  # noqa: E402
from passo.site.search import SiteIndex  # noqa: E402

CORES = os.cpu_count() or 1


def markdown_cpu(site: Path) -> float:
    """CPU seconds of converting every guide of `site`, as the build's converter does, pictures left out."""
    loaded, problems = load_site(site)
    if loaded is None:
        raise SystemExit(f"{site} does not load: {problems[:3]}")
    converter = GuideMarkdown(loaded.config.raw_html, loaded.config.markdown_extensions, site)
    bodies = [(g, g.body if g.body is not None else _read_body(site / g.source, g.body_line)) for g in loaded.guides]
    started = time.process_time()
    for guide, body in bodies:
        converter.convert(body, first_line=guide.body_line, rel_dir=guide.rel_dir, page_key=guide.key,
                          resolve=lambda _dir, _path: None, media=None)
    return time.process_time() - started


def served_pictures(dist: Path) -> list[tuple[bytes, str]]:
    """The originals of the raster pictures a built site serves (the same bytes as their sources)."""
    found = []
    for path in sorted((dist / "assets" / "media").glob("*")):
        suffix = path.suffix.lstrip(".").lower()
        if suffix in media.RASTER and not path.name.endswith("w.webp"):
            found.append((path.read_bytes(), suffix))
    return found


def pictures_cpu(pictures: list[tuple[bytes, str]]) -> float:
    """CPU seconds of processing each picture from nothing (this process: the encoder threads count too)."""
    with tempfile.TemporaryDirectory() as temp:
        started = time.process_time()
        for n, (data, suffix) in enumerate(pictures):
            media.process(data, suffix, Path(temp), f"p{n}")
        return time.process_time() - started


def pictures_least_cpu(pictures: list[tuple[bytes, str]]) -> float:
    """CPU seconds of only decoding each picture and encoding its WebP variants, as if resizing cost nothing: the
    least any choice of resampling could take with the encoder settings the build uses."""
    from PIL import Image

    total = 0.0
    for data, _suffix in pictures:
        started = time.process_time()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
            total += time.process_time() - started
            source = media.variant_source(image)
            assert isinstance(source, Image.Image)
            frames = [source.resize((w, max(1, round(height * w / width))), Image.Resampling.BOX)
                      for w in media.variant_widths(width)]  # not counted
        started = time.process_time()
        for frame in frames:
            frame.save(io.BytesIO(), format="WEBP", **media.WEBP_OPTIONS)
        total += time.process_time() - started
    return total


def pagefind_cpu(dist: Path) -> float:
    """CPU seconds of Pagefind's process adding every page of `dist` and making its files."""
    with SiteIndex(dist) as index:
        stat = Path(f"/proc/{index._process.pid}/stat")

        def used() -> float:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        before = used()
        index.start_from_disk()
        index.write()  # into dist/pagefind/, as a build's index; only Pagefind's own seconds are counted
        return used() - before


def startup_cpu() -> float:
    """CPU seconds of a new Python process importing the build's pipeline."""
    return bench_mkdocs_import.timed_cpu([sys.executable, "-c", "import passo.pipeline"], REPO)[1]


def built_without_search(site: Path) -> Path:
    """Build `site` once (the search index off: Pagefind is measured on its own) and return its dist/."""
    build(site, incremental=False, search=False)
    return site / "dist"


def floor(parts: dict[str, list[float]]) -> tuple[dict[str, float], float]:
    medians = {name: statistics.median(values) for name, values in parts.items()}
    return medians, sum(medians.values()) / CORES


def report(title: str, peer: str, peer_wall: float, medians: dict[str, float], least: float) -> dict[str, float]:
    print(f"\n{title}")
    for name, seconds in medians.items():
        print(f"  {name:48} {seconds:6.2f} CPU s")
    print(f"  {'sum, shared among ' + str(CORES) + ' cores':48} {least:6.2f} s  (the least a build can take)")
    print(f"  {peer:48} {peer_wall:6.2f} s")
    print(f"  floor / peer: {least / peer_wall:.2f}x")
    return {**{name: round(seconds, 3) for name, seconds in medians.items()}, "floor_s": round(least, 3),
            "peer_s": round(peer_wall, 3), "floor_ratio": round(least / peer_wall, 3)}


def corpus(guides: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        site = bench_build.make_site(root, guides)
        dist = built_without_search(site)
        pictures = served_pictures(dist)
        parts: dict[str, list[float]] = {"Markdown, every guide": [], f"{len(pictures)} pictures": [],
                                         "Pagefind, its own process": []}
        loop = []
        for _ in range(runs):
            parts["Markdown, every guide"].append(markdown_cpu(site))
            parts[f"{len(pictures)} pictures"].append(pictures_cpu(pictures))
            parts["Pagefind, its own process"].append(pagefind_cpu(dist))
            shutil.rmtree(root / "bare", ignore_errors=True)
            _, _, printed, _ = bench_build.run([sys.executable, "-c", bench_build.BARE_LOOP,
                                                str(site / "content/en/guides"), str(root / "bare")])
            loop.append(float(printed.split()[0]))
        medians, least = floor(parts)
        least_pictures = statistics.median(pictures_least_cpu(pictures) for _ in range(runs))
        figures = report(f"A. {guides:,} guides, a picture in every tenth", "bare Python-Markdown + Jinja2 loop, wall",
               statistics.median(loop), medians, least)
        without_resizing = (least - medians[f"{len(pictures)} pictures"] / CORES + least_pictures / CORES)
        print(f"  the pictures if resizing cost nothing (decode and encode only): {least_pictures:.2f} CPU s; "
              f"floor {without_resizing:.2f} s, {without_resizing / statistics.median(loop):.2f}x")
        print("  target: a first build within 1.0x of the loop")
        return {**figures, "pictures_least_cpu_s": round(least_pictures, 3),
                "floor_without_resizing_ratio": round(without_resizing / statistics.median(loop), 3)}


def mkdocs_docs(runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        project = work / "project"
        shutil.copytree(bench_mkdocs_import.FIXTURE, project)
        site = work / "site"
        subprocess.run([*bench_mkdocs_import.PASSO, "new", "site", str(site), "--from-mkdocs",
                        str(project / "mkdocs.yml")], check=True, capture_output=True)
        config = project / "mkdocs.yml"
        try:
            bench_mkdocs_import.timed([*bench_mkdocs_import.MKDOCS, "build", "-q", "-f", str(config), "-d",
                                       str(work / "probe")], project)
        except RuntimeError:
            config, _ = bench_mkdocs_import.stripped_config(project)
        dist = built_without_search(site)
        pictures = served_pictures(dist)
        parts: dict[str, list[float]] = {"Python start-up, import passo.pipeline": [], "Markdown, every guide": [],
                                         f"{len(pictures)} pictures": [], "Pagefind, its own process": []}
        mkdocs = []
        for run in range(runs):
            parts["Python start-up, import passo.pipeline"].append(startup_cpu())
            parts["Markdown, every guide"].append(markdown_cpu(site))
            parts[f"{len(pictures)} pictures"].append(pictures_cpu(pictures))
            parts["Pagefind, its own process"].append(pagefind_cpu(dist))
            mkdocs.append(bench_mkdocs_import.timed([*bench_mkdocs_import.MKDOCS, "build", "-q", "-f", str(config),
                                                     "-d", str(work / f"mk{run}")], project))
        medians, least = floor(parts)
        figures = report("B. MkDocs' own docs, imported", "mkdocs build, wall", statistics.median(mkdocs), medians,
                         least)
        print("  target: faster than mkdocs build (below 1.0x)")
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{CORES} cores; load average {os.getloadavg()[0]:.1f}; medians of {args.runs} runs")
    results = {"bench": "floor", "cores": CORES, "mkdocs_docs": mkdocs_docs(args.runs),
               "corpus": corpus(args.guides, args.runs)}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"\n({time.perf_counter() - started:.0f} s)")
    sys.stdout.flush()
    raise SystemExit(code)
