"""What minifying the browser code costs a build: the example site and the 2,000-guide corpus.

    .venv/bin/python bench/minify_cost.py [--guides 2000]

Only site_src/ (JS, CSS, the service worker) is minified, so the cost does not grow with the number of guides.
Prints, for each site: the assets stage alone with and without minifying (CPU seconds, median of 5), and one full
build each way (wall seconds; search index off, so Pagefind's own variation does not hide the difference), then a
one-line JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_build import make_site  # noqa: E402
from passo.pipeline import build  # noqa: E402
from passo.site.assets import build_assets  # noqa: E402


def assets_seconds(site: Path, minify: bool) -> float:
    """CPU seconds of this process (the minifier runs in it): a shared, busy machine inflates wall time."""
    build_assets([site / "site_src"], minify=minify)  # warm: imports, the minifier's library, the disk cache
    times = []
    for _ in range(5):
        started = time.process_time()
        build_assets([site / "site_src"], minify=minify)
        times.append(time.process_time() - started)
    return statistics.median(times)


def full_build_seconds(site: Path, out: Path, minify: bool) -> float:
    return build(site, out, incremental=False, search=False, minify=minify).seconds


def measure(name: str, site: Path, tmp: Path) -> dict[str, float]:
    # The minified build runs first: whatever the first build warms (icons, templates) then favours the plain one,
    # so the difference shown is never smaller than minifying really costs.
    minified = full_build_seconds(site, tmp / f"{name}-min", True)
    plain = full_build_seconds(site, tmp / f"{name}-plain", False)
    row = {"assets_plain_cpu_s": assets_seconds(site, False), "assets_minified_cpu_s": assets_seconds(site, True),
           "build_plain_s": plain, "build_minified_s": minified}
    return {k: round(v, 3) for k, v in row.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results = {"example site": measure("example", REPO, tmp),
                   f"{args.guides}-guide corpus": measure("corpus", make_site(tmp, args.guides), tmp)}
    print(f"{'site':22} {'assets CPU plain':>16} {'minified':>9} {'full build plain':>17} {'minified':>9}")
    for name, r in results.items():
        print(f"{name:22} {r['assets_plain_cpu_s']:>15.3f}s {r['assets_minified_cpu_s']:>8.3f}s "
              f"{r['build_plain_s']:>16.2f}s {r['build_minified_s']:>8.2f}s")
    print(json.dumps({"bench": "minify_cost", "sites": results}))


if __name__ == "__main__":
    main()
