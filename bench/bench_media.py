"""What a guide picture costs on a first build, per encoder setting: time, WebP bytes and how far the pictures move.

    .venv/bin/python bench/bench_media.py [--runs 5] [--pictures 20]

Each setting processes the same pictures through `passo.content.media.process` (decode, resize to the WebP widths,
encode), one picture after another in this process, as a render worker does: the bench corpus' synthetic 1600 x 1000
PNGs (bench_build.add_images), the five wide screenshots of MkDocs' own docs (tests/data/mkdocs-docs), and three
drawn 4000 x 3000 JPEGs of a phone photo's size (decoded at a reduced scale, "draft", in all but the first setting).
Printed per setting: the median over `--runs` of the CPU milliseconds per picture (this process, its encoder threads
included: steadier than wall time on a shared machine), the bytes of all WebP variants, and the PSNR of
each variant against the same width made from the original with Lanczos in one step and not compressed (higher is
closer; 40 dB and up cannot be told apart on a screen). "before" is the setting of 2026-12-07 (Lanczos, WebP
method 4, JPEGs decoded whole), "now" the one the build uses (media.RESAMPLE, media.WEBP_OPTIONS, media.JPEG_DRAFT).
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageChops, ImageDraw, ImageStat  # noqa: E402

from passo.content import media  # noqa: E402

SCREENSHOTS = REPO / "tests/data/mkdocs-docs/docs/img"


def synthetic(n: int) -> bytes:
    """As bench_build.add_images draws them."""
    image = Image.new("RGB", (1600, 1000), (30 + n % 200, 90, 160))
    ImageDraw.Draw(image).rectangle((100 + n % 700, 100, 900 + n % 700, 900), fill=(240, 200 - n % 150, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def photo(n: int) -> bytes:
    """A phone photo's size and kind: 4000 x 3000, JPEG quality 90, smooth light with grain."""
    light = Image.radial_gradient("L").resize((4000, 3000))
    grain = Image.effect_noise((4000, 3000), 40 + n)
    image = Image.merge("RGB", (light, grain, Image.linear_gradient("L").resize((4000, 3000))))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def psnr(a: Image.Image, b: Image.Image) -> float:
    diff = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB")))
    mse = sum(x * x for x in diff.rms) / 3
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def measure(pictures: list[bytes], runs: int, resample: str, options: dict,
            draft: bool = True) -> tuple[float, int, float]:
    """CPU milliseconds per picture (median of runs), WebP bytes of all variants, the lowest PSNR of any variant."""
    media.RESAMPLE, media.WEBP_OPTIONS, media.JPEG_DRAFT = resample, options, draft
    times, size, worst = [], 0, 99.0
    for run in range(runs):
        with tempfile.TemporaryDirectory() as temp:
            cache = Path(temp)
            started = time.process_time()
            for n, data in enumerate(pictures):
                media.process(data, "jpg" if data[:2] == b"\xff\xd8" else "png", cache, f"p{n}")
            times.append((time.process_time() - started) * 1000 / len(pictures))
            if run == 0:
                for n, data in enumerate(pictures):
                    original = Image.open(io.BytesIO(data)).convert("RGBA")
                    for variant in sorted(cache.glob(f"p{n}.*w.webp")):
                        size += variant.stat().st_size
                        made = Image.open(variant).convert("RGBA")
                        reference = original.resize(made.size, Image.Resampling.LANCZOS)
                        worst = min(worst, psnr(made, reference))
    return statistics.median(times), size, worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pictures", type=int, default=20, help="synthetic pictures per run")
    args = parser.parse_args()
    now = (media.RESAMPLE, dict(media.WEBP_OPTIONS))
    settings = [("before: Lanczos, method 4, no draft", "LANCZOS", {**now[1], "method": 4}, False),
                ("Lanczos, method 4", "LANCZOS", {**now[1], "method": 4}, True)]
    for method in (0, 1, 2):
        settings.append((f"Lanczos, method {method}", "LANCZOS", {**now[1], "method": method}, True))
    settings.append((f"Bicubic, method {now[1]['method']}", "BICUBIC", now[1], True))
    settings.append((f"now: {now[0].title()}, method {now[1]['method']}", *now, True))
    sets = {
        f"{args.pictures} synthetic 1600 x 1000 PNGs (bench corpus)": [synthetic(n) for n in range(args.pictures)],
        "5 screenshots of MkDocs' docs (1003-1238 px)": [
            p.read_bytes() for p in sorted(SCREENSHOTS.glob("*.png")) if Image.open(p).size[0] > media.PHONE_WIDTH],
        "3 phone photos, 4000 x 3000 JPEG": [photo(n) for n in range(3)],
    }
    measure(sets[next(iter(sets))][:2], 1, *now)  # Pillow's plugins and the encoder threads started once
    print(f"CPU time, median of {args.runs} runs; PSNR: the worst variant against Lanczos in one step, uncompressed")
    for name, pictures in sets.items():
        print(f"\n{name}")
        print(f"{'setting':36} {'CPU ms/pic':>10} {'WebP bytes':>11} {'vs before':>9} {'PSNR dB':>8}")
        base = None
        for label, resample, options, draft in settings:
            ms, size, worst = measure(pictures, args.runs, resample, options, draft)
            base = base or (ms, size)
            print(f"{label:36} {ms:10.1f} {size:11,} {size / base[1] - 1:+9.1%} {worst:8.1f}"
                  f"   time {ms / base[0]:.2f}x")
    media.RESAMPLE, media.WEBP_OPTIONS, media.JPEG_DRAFT = *now, True
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
