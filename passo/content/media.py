"""Images and files a guide links: found as MkDocs finds them, checked, and made the files the site serves.

Where a link is looked for (the first that exists wins), for a guide `content/<lang>/guides/<dir>/x.md` naming `p`:
`content/<lang>/guides/<dir>/p` (beside the guide, as in MkDocs), then `content/<lang>/p` (a file any guide of
the language may use), then the same two in the default language (a translation shows the original's pictures,
as a missing translation shows the original's text). Each file is served once, fingerprinted, from
`assets/media/<name>.<hash>.<ext>`; raster images wider than a phone also as WebP at smaller widths.

Processing (decoding, WebP variants, SVG cleaning) is kept by the file's digest in a folder beside `dist/`, so a
picture is processed once, whatever builds follow."""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from passo.content.svg_clean import SvgRefused, clean_svg
from passo.problems import Problem, Severity

ALLOWED = ("pdf", "png", "jpg", "jpeg", "webp", "avif", "gif", "svg", "mp3", "m4a")
RASTER = {"png", "jpg", "jpeg", "webp", "avif", "gif"}
PAGE_SUFFIXES = {"md", "html", "htm"}  # links to pages, not files: guide links are handled elsewhere
PHONE_WIDTH = 800  # an image wider than this gets smaller WebP variants
VARIANT_WIDTHS = (480, 800, 1200)
# Guide pages are at most 46rem wide (site.css `main`); narrower screens show images across the viewport.
SIZES = "(max-width: 46rem) 100vw, 46rem"
# Pillow's default (about 89 million) allows a 350 MB decode; 40 million pixels is a 8000x5000 photo.
MAX_PIXELS = 40_000_000
# Fixed encoder settings: the same picture must give the same bytes in every build. Effort ("method") 2 rather than
# libwebp's default 4 encodes in less than half the time, for files from 1% smaller to 11% larger at the same
# quality (bench/bench_media.py prints both): encoding was most of a first build's time on a site with pictures.
WEBP_OPTIONS = {"quality": 80, "method": 2, "exact": False}
# Bicubic rather than Lanczos: a third less time per resize, and the difference to Lanczos (PSNR 40-60 dB,
# bench/bench_media.py) is far below what WebP's own compression changes.
RESAMPLE = "BICUBIC"
# A JPEG wider than its widest variant needs is decoded at a reduced scale (Pillow's draft mode): see process().
JPEG_DRAFT = True
CACHE_VERSION = 3  # bump when processing changes, so cached results of an older Passo are not reused
SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


class MediaMissing(ValueError):
    """A file a guide names is not there: an error, or a warning where site.toml's broken_links says "warn"."""


class MediaError(ValueError):
    """A file that cannot be served as it is; the message is for the guide's author."""


@dataclass
class Processed:
    """What processing a file's bytes found and made; cached by digest."""

    kind: str  # "raster", "svg" or "file"
    width: int | None = None
    height: int | None = None
    variants: list[int] = field(default_factory=list)  # WebP widths written to the cache
    removed: list[str] = field(default_factory=list)  # what SVG cleaning took out


@dataclass
class MediaFile:
    """One output file and where its bytes are (the source itself, or the processing cache)."""

    out_path: str
    data_path: str
    size: int


def media_cache_path(out_dir: Path) -> Path:
    """Beside the output folder, never in it: `dist/` holds only what the host serves."""
    return out_dir.parent / f".{out_dir.name}.passo-media"


def suffix_of(path: str) -> str:
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else ""


def is_file_link(url: str) -> bool:
    """A link target that names a file of the site (`files/grow.pdf`), not a page, a folder or another site."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.endswith("/"):
        return False
    suffix = suffix_of(unquote(parts.path))
    return bool(suffix) and suffix not in PAGE_SUFFIXES


_ENCODER: tuple[int, ThreadPoolExecutor] | None = None
_ENCODER_LOCK = threading.Lock()


def _encoder() -> ThreadPoolExecutor:
    """Threads for WebP encoding (Pillow lets go of the GIL while it encodes), one pool per process: a render
    worker forked from the build has its own."""
    global _ENCODER
    with _ENCODER_LOCK:  # render threads (a small site's) share the one pool
        if _ENCODER is None or _ENCODER[0] != os.getpid():
            _ENCODER = (os.getpid(), ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="webp"))
        return _ENCODER[1]


def _encode(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", **WEBP_OPTIONS)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _webp_variants(image: object, widths: list[int], size: tuple[int, int]) -> dict[int, bytes]:
    """Each width as WebP, the widest made from the original and each narrower one from the one before it: resizing
    in short steps looks the same on a phone as one long step, and costs about half as much. Each
    variant is encoded on another core while the next is resized."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    original_width, original_height = size  # the file's own size: a JPEG may have been decoded smaller
    encoding = {}
    for width in sorted(widths, reverse=True):
        height = max(1, round(original_height * width / original_width))
        image = image.resize((width, height), Image.Resampling[RESAMPLE])
        encoding[width] = _encoder().submit(_encode, image)
    return {width: job.result() for width, job in encoding.items()}


def variant_widths(width: int) -> list[int]:
    """The WebP widths a still picture `width` pixels wide is also served at: none unless it is wider than a phone."""
    return [w for w in VARIANT_WIDTHS if w < width] if width > PHONE_WIDTH else []


def variant_source(image: object) -> object:
    """The picture in the mode its WebP variants are made from: WebP holds RGB, or RGBA where there is transparency."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    if image.mode in ("RGB", "RGBA"):
        return image
    return image.convert("RGBA" if image.mode in ("LA", "PA", "P") else "RGB")


def process(data: bytes, suffix: str, cache: Path, digest: str) -> Processed:
    """Decode, check and make variants of one file's bytes; results go to `cache`. Raises MediaError."""
    if suffix == "svg":
        try:
            clean = clean_svg(data)
        except SvgRefused as exc:
            raise MediaError(str(exc)) from exc
        _write_atomic(cache / f"{digest}.svg", clean.data)
        return Processed("svg", clean.width, clean.height, removed=clean.removed)
    if suffix not in RASTER:
        return Processed("file")
    from PIL import Image, WebPImagePlugin  # noqa: F401 (registered for saving: Pillow would load every format)

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # set here, not trusted to a default another library might change
    try:
        # Checked here, not with warnings.catch_warnings (not thread-safe: a small site's pages render in threads).
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size  # from the header, before anything is decoded
            if width * height > MAX_PIXELS:  # past the limit at all: refused (Pillow itself only warns)
                raise Image.DecompressionBombError(f"{width} x {height} pixels")
            # An animation would stop in a WebP made from its first frame: it is served only as it is.
            still = not getattr(image, "is_animated", False)
            widths = variant_widths(width) if still else []
            if widths and image.format == "JPEG" and JPEG_DRAFT:
                # A phone's photo is decoded at 1/2, 1/4 or 1/8 of its size, no smaller than the widest variant
                # needs: a fraction of the work, and the JPEG decoder's own scaling loses nothing there.
                image.draft(image.mode, (widths[-1], -(-height * widths[-1] // width)))
            image.load()  # the whole file decoded, so a corrupt one is found here
            if widths:
                for w, encoded in _webp_variants(variant_source(image), widths, (width, height)).items():
                    _write_atomic(cache / f"{digest}.{w}w.webp", encoded)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(f"the image is too large to decode safely (over {MAX_PIXELS:,} pixels): {exc}") from exc
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's ways of saying "corrupt"
        raise MediaError(f"cannot be read as an image ({exc})") from exc
    return Processed("raster", width, height, widths)


def _write_atomic(path: Path, data: bytes) -> None:
    """Workers (processes or threads) may process the same file at once: each writes its own temporary file, then
    renames."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


_IN_HAND: dict[str, threading.Lock] = {}  # by digest: a picture two render threads reach at once is made once
_IN_HAND_LOCK = threading.Lock()


def processed(data: bytes, suffix: str, cache: Path) -> tuple[str, Processed]:
    """The file's digest and its processing, from the cache when an earlier build (or another thread) did it."""
    digest = hashlib.sha256(data).hexdigest()
    with _IN_HAND_LOCK:
        lock = _IN_HAND.setdefault(digest, threading.Lock())
    with lock:
        return digest, _processed(data, suffix, cache, digest)


def _processed(data: bytes, suffix: str, cache: Path, digest: str) -> Processed:
    info = cache / f"{digest}.{suffix}.v{CACHE_VERSION}.json"
    try:
        known = Processed(**json.loads(info.read_text(encoding="utf-8")))
        made = [f"{digest}.svg"] if known.kind == "svg" else [f"{digest}.{w}w.webp" for w in known.variants]
        if all((cache / name).is_file() for name in made):  # a cache folder pruned by hand is made again
            return known
    except (OSError, ValueError, TypeError):
        pass
    result = process(data, suffix, cache, digest)
    _write_atomic(info, json.dumps(vars(result), sort_keys=True).encode())
    return result


@dataclass
class PageMedia:
    """The media of one guide page: resolves each link, collects the files to serve and the problems found.

    Made per page (in a worker process on a large site); what it gathers is plain data the parent writes out."""

    site_dir: Path
    source: str  # the guide file, for messages
    lang: str
    default_language: str
    rel_dir: str  # the guide's folder under guides/
    root: str  # from the page to the site root, e.g. '../../../'
    cache: Path
    files: dict[str, MediaFile] = field(default_factory=dict)  # out path -> file
    problems: list[tuple[int, str, Severity]] = field(default_factory=list)
    looked_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # source -> (mtime_ns, size); size -1: absent
    missing: Severity = "error"  # a file that is not there (site.toml's broken_links)

    def __call__(self, tag: str, url: str, line: int, attrs: dict[str, str]) -> dict[str, str] | None:
        """The attributes to set on an <img> (src) or <a> (href) naming a file, or None to leave it as it is."""
        parts = urlsplit(url)
        if tag == "img":
            if not (attrs.get("alt") or "").strip():
                self.problems.append((line, f"image '{url}' has no alt text: describe it for people who cannot "
                                            "see it (![what it shows](...))", "warning"))
            if parts.scheme in ("http", "https") or parts.netloc:
                self.problems.append((line, f"image '{url}' is on another site and will not show: the site's "
                                            "Content-Security-Policy allows images from the site only; save it "
                                            "beside the guide and link it relatively", "warning"))
                return None
            if parts.scheme or not parts.path:
                return None
        elif not is_file_link(url):
            return None
        try:
            found = self._file(unquote(parts.path))
            suffix = suffix_of(found)
            if suffix not in ALLOWED:
                raise MediaError(f"'.{suffix}' files are not served from guides (allowed: {', '.join(ALLOWED)})")
            data = (self.site_dir / found).read_bytes()
            digest, info = processed(data, suffix, self.cache)
        except (MediaError, MediaMissing) as exc:
            severity: Severity = self.missing if isinstance(exc, MediaMissing) else "error"
            self.problems.append((line, f"{'image' if tag == 'img' else 'link'} '{url}': {exc}", severity))
            return None
        if info.removed:
            self.problems.append((line, f"'{url}': SVG cleaned of {', '.join(info.removed)}", "warning"))
        out, stem = self._add(found, suffix, digest, data, info, variants=tag == "img")
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if tag != "img":
            return {"href": self.root + out + fragment}
        if info.kind not in ("raster", "svg"):
            self.problems.append((line, f"image '{url}': a .{suffix} file is not an image", "error"))
            return None
        result = {"src": self.root + out, "decoding": "async"}
        if info.width and info.height:
            result.update(width=str(info.width), height=str(info.height))
        result["loading"] = "lazy"  # the page's first image is made eager once the page is whole (first_image_eager)
        if info.variants:
            candidates = [f"{self.root}{stem}.{w}w.webp {w}w" for w in info.variants]
            result["srcset"] = ", ".join([*candidates, f"{self.root}{out} {info.width}w"])
            result["sizes"] = SIZES
        return result

    def finds(self, path: str) -> bool:
        """Whether a relative path names a file this page may serve (without a problem noted if not)."""
        try:
            self._file(path)
        except (MediaError, MediaMissing):
            return False
        return True

    def _add(self, found: str, suffix: str, digest: str, data: bytes, info: Processed, *,
             variants: bool) -> tuple[str, str]:
        """Registers the output files; returns the original's output path and its path without the extension."""
        name = SAFE_NAME.sub("-", posixpath.basename(found).rsplit(".", 1)[0]).strip("-") or "file"
        cleaned = self.cache / f"{digest}.svg"
        served = cleaned.read_bytes() if info.kind == "svg" else data
        stem = f"assets/media/{name}.{hashlib.sha256(served).hexdigest()[:10]}"
        out = f"{stem}.{suffix}"
        self.files[out] = MediaFile(out, str(cleaned if info.kind == "svg" else self.site_dir / found), len(served))
        for width in info.variants if variants else []:
            variant = self.cache / f"{digest}.{width}w.webp"
            self.files[f"{stem}.{width}w.webp"] = MediaFile(f"{stem}.{width}w.webp", str(variant),
                                                            variant.stat().st_size)
        return out, stem

    def _file(self, path: str) -> str:
        """The file a link names, as a path under the site folder (see the module's docstring for the order)."""
        if path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path):
            raise MediaError("an absolute path; write the path relative to the guide file")
        content = self.site_dir / "content"
        candidates = []
        for code in dict.fromkeys((self.lang, self.default_language)):
            beside = posixpath.normpath(posixpath.join(code, "guides", self.rel_dir, path))
            shared = posixpath.normpath(posixpath.join(code, path))
            for candidate in (beside, shared):
                if candidate.startswith("../") or candidate == ".." or not candidate.startswith(f"{code}/"):
                    if candidate is beside:
                        raise MediaError(f"the path leaves the site's content folder (content/{code}/)")
                    continue
                if candidate not in candidates:
                    candidates.append(candidate)
        for candidate in candidates:
            full = content / candidate
            if full.is_file():
                if not full.resolve().is_relative_to(content.resolve()):
                    raise MediaError(f"content/{candidate} is a link to a file outside the content folder")
                st = full.stat()
                self.looked_at[f"content/{candidate}"] = (st.st_mtime_ns, st.st_size)
                return f"content/{candidate}"
            self.looked_at[f"content/{candidate}"] = (0, -1)
        raise MediaMissing("not found (looked for " + ", ".join(f"content/{c}" for c in candidates) + ")")


def first_image_eager(page_html: str) -> str:
    """The first image of a page is likely in the first screen: loaded at once, before the others. Decided on the
    whole page, since Markdown's images and those of raw HTML are resolved at different steps."""
    first = re.search(r"<img\s[^>]*>", page_html)
    if not first or 'loading="lazy"' not in first.group(0):
        return page_html
    eager = first.group(0).replace('loading="lazy"', 'loading="eager" fetchpriority="high"', 1)
    return page_html[:first.start()] + eager + page_html[first.end():]


def budget(sizes: dict[str, int], limit_mb: float) -> list[str]:
    """The media files left out of the precache: whole pictures (an original with its WebP variants, since the
    browser may ask for any of them), in name order, each kept while the total stays under the limit."""
    groups: dict[str, list[str]] = {}
    for path in sorted(sizes):
        groups.setdefault(_picture(path), []).append(path)
    limit, total, left_out = limit_mb * 1_000_000, 0, []
    for paths in groups.values():
        size = sum(sizes[p] for p in paths)
        if total + size <= limit:
            total += size
        else:
            left_out.extend(paths)
    return left_out


def _picture(path: str) -> str:
    """`assets/media/grow.3f9c0a1b2c.480w.webp` and `.../grow.3f9c0a1b2c.png` belong to one picture."""
    match = re.match(r"^(.*\.[0-9a-f]{10})\.", path)
    return match.group(1) if match else path


def budget_warning(left_out: list[str], limit_mb: float) -> Problem | None:
    if not left_out:
        return None
    names = ", ".join(p.removeprefix("assets/media/") for p in left_out)
    return Problem("site.toml", 0, 0, f"guide media past offline_media_mb = {limit_mb:g} are kept offline only once "
                                      f"viewed: {names}", severity="warning")
