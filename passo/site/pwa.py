"""PWA stage: the web app manifest, its icons and the generated service worker, checked before they ship."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
from collections.abc import Collection
from pathlib import Path

from passo import builtin
from passo.config import SiteConfig
from passo.problems import Problem
from passo.site.minifier import JS, minify_text

ICON_SIZES = (192, 512)
# Under a language's card on the root and offline pages, in that language, when the device does not keep it and is
# offline. Each language's catalogue translates it (`passo i18n` gathers it from here).
NEEDS_CONNECTION = "Needs a connection once"
# Outputs the service worker must never precache: itself, host configuration, and files only crawlers read.
NOT_PRECACHED = {"sw.js", "_headers", "robots.txt", "sitemap.xml", "nginx.conf"}


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


_ICON_CACHE: dict[tuple, dict[str, bytes]] = {}


def make_icons(config: SiteConfig, site_dir: Path, cache: Path | None = None) -> tuple[dict[str, bytes], list[Problem]]:
    """Square app icons (any and maskable) from the organisation's logo, or a letter on the brand colour.

    Drawing them (PNGs compressed as small as zlib goes) is one of the slowest steps of a small build: the same
    branding gives the same icons, kept in memory (serve) and in `cache` (the processed media beside dist/)."""
    from PIL import __version__ as pillow_version  # only the version: PIL.Image loads when icons are drawn

    brand = config.branding
    logo_bytes = (site_dir / brand.logo).read_bytes() if brand.logo and (site_dir / brand.logo).is_file() else b""
    key = (brand.colour, brand.short_name, config.name, brand.logo, logo_bytes)
    if key in _ICON_CACHE:
        return dict(_ICON_CACHE[key]), []
    names = [f"icons/icon-{'maskable-' if maskable else ''}{size}.png" for size in ICON_SIZES
             for maskable in (False, True)]
    digest = hashlib.sha256(repr((key, ICON_SIZES, builtin.version(), pillow_version)).encode()).hexdigest()[:24]
    folder = cache / f"icons-{digest}" if cache is not None else None
    if folder is not None and all((folder / Path(name).name).is_file() for name in names):
        icons = {name: (folder / Path(name).name).read_bytes() for name in names}
    else:
        icons, problems = _draw_icons(config, site_dir)
        if problems:
            return icons, problems
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in icons.items():
                temp = folder / f".{Path(name).name}.{os.getpid()}.tmp"  # a concurrent build writes its own
                temp.write_bytes(data)
                os.replace(temp, folder / Path(name).name)
    _ICON_CACHE[key] = dict(icons)
    return icons, []


def _draw_icons(config: SiteConfig, site_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    from PIL import Image, ImageDraw, ImageFont  # imported here: only full builds draw icons

    brand = config.branding
    logo = None
    if brand.logo:
        path = site_dir / brand.logo
        try:
            logo = Image.open(path).convert("RGBA")
        except (OSError, ValueError) as exc:
            return {}, [Problem("site.toml", 0, 0, f"branding.logo '{brand.logo}' cannot be read as an image: {exc}")]
        if logo.width != logo.height or logo.width < 512:
            return {}, [Problem("site.toml", 0, 0, f"branding.logo '{brand.logo}' must be square and at least "
                                                   f"512 px (it is {logo.width}x{logo.height})")]
    files: dict[str, bytes] = {}
    for size in ICON_SIZES:
        for maskable in (False, True):
            image = Image.new("RGBA", (size, size), (*_hex_to_rgb(brand.colour), 255))
            # Maskable icons keep their content inside the 80% safe zone the platform may crop to.
            inner = int(size * (0.6 if maskable else 0.8))
            if logo is not None:
                image.alpha_composite(logo.resize((inner, inner)), ((size - inner) // 2, (size - inner) // 2))
            else:
                draw = ImageDraw.Draw(image)
                font = ImageFont.load_default(size=inner * 0.75)
                letter = (brand.short_name or config.name)[:1].upper()
                draw.text((size / 2, size / 2), letter, fill=(255, 255, 255, 255), font=font, anchor="mm")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            name = f"icons/icon-{'maskable-' if maskable else ''}{size}.png"
            files[name] = buffer.getvalue()
    return files, []


def manifest(config: SiteConfig) -> bytes:
    """Relative start_url and scope, so the same files install from the root or any sub-path."""
    brand = config.branding
    data = {
        "name": brand.name if brand.name != "Passo" else config.name,
        "short_name": brand.short_name,
        "description": config.description,
        "start_url": "./",
        "scope": "./",
        "id": "./",
        "display": "standalone",
        "background_color": brand.background,
        "theme_color": brand.colour,
        "lang": config.default_language,
        "icons": [
            {"src": f"icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in ICON_SIZES
        ] + [
            {"src": f"icons/icon-maskable-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": "maskable"}
            for size in ICON_SIZES
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


# Groups of the precache list (PRECACHE's third field): the app every language needs, files kept only once
# fetched (Pagefind's own interface, which Passo does not use), else the languages a file belongs to.
APP = "*"
ON_DEMAND = ""
# Pagefind files the search box uses (pagefind.js with noWorker); the rest of its folder is its own interface.
PAGEFIND_APP = {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"}


def offline_groups(files: Collection[str], media: dict[str, list[str]],
                   pagefind_entry: dict | None = None) -> dict[str, str]:
    """Which precache each output joins: the app (APP), one or more languages (space-separated codes), or none
    until fetched (ON_DEMAND). Files a worker never keeps (NOT_PRECACHED) and media in no language's budget are
    left out.

    `media`: per language (every site language a key), the guide media its pages show within the offline budget.
    A language's pages, its browser catalogue and its search index (Pagefind names each chunk after the language
    key of `pagefind-entry.json`) are that language's; a picture shown in several languages belongs to each."""
    languages = sorted(media)
    media_langs: dict[str, list[str]] = {}
    for code in languages:
        for path in media[code]:
            media_langs.setdefault(path, []).append(code)
    entry_langs = (pagefind_entry or {}).get("languages", {})
    by_key = {key: code for key in entry_langs for code in languages if key.lower() == code.lower()}
    wasm: dict[str, list[str]] = {}
    for key, info in entry_langs.items():
        if key in by_key:
            wasm.setdefault(f"pagefind/wasm.{info.get('wasm') or 'unknown'}.pagefind", []).append(by_key[key])
    groups: dict[str, str] = {}
    for name in sorted(files):
        if name in NOT_PRECACHED:
            continue
        first = name.split("/", 1)[0]
        if name.startswith("assets/media/"):
            if name in media_langs:
                groups[name] = " ".join(media_langs[name])
        elif first in languages and "/" in name:
            groups[name] = first
        elif name.startswith("i18n/") and name.removeprefix("i18n/").removesuffix(".json") in languages:
            groups[name] = name.removeprefix("i18n/").removesuffix(".json")
        elif name.startswith("pagefind/"):
            groups[name] = _pagefind_group(name, by_key, wasm)
        else:
            groups[name] = APP
    return groups


def _pagefind_group(name: str, by_key: dict[str, str], wasm: dict[str, list[str]]) -> str:
    if name in PAGEFIND_APP:
        return APP
    if name in wasm:
        return " ".join(sorted(wasm[name]))
    base = name.rsplit("/", 1)[-1].removeprefix("pagefind.")
    for key, code in by_key.items():
        if base.startswith(key + "_"):  # pagefind.it_9e31.pf_meta, index/it_553a.pf_index, fragment/it_2a5d...
            return code
    return ON_DEMAND


def service_worker(template: bytes, hashes: dict[str, str], *, minify: bool = False,
                   groups: dict[str, str] | None = None, sizes: dict[str, int] | None = None) -> bytes:
    """sw.js = the precache list (URL -> [content hash, bytes, group]) and build id, then the hand-written worker.

    `groups` (see `offline_groups`): which precache each file joins; a file with no group is not listed. Without
    it, every file but NOT_PRECACHED is the app's. `sizes` lets the app say how much a language takes.

    Shipped as written by default: with the minified worker, browser tests in fresh profiles stalled now and then
    (an import, a download, the update banner), the minifier has reordered declarations before (minifier.py), and
    the worker counts in no page's weight. `minify=True` remains for a site that wants it."""
    if groups is None:
        groups = {name: APP for name in hashes if name not in NOT_PRECACHED}
    sizes = sizes or {}
    precache = {name: [digest, sizes.get(name, 0), groups[name]] for name, digest in sorted(hashes.items())
                if name in groups}
    build = hashlib.sha256(json.dumps(precache, sort_keys=True).encode()).hexdigest()[:12]
    lines = ",\n".join(f"{json.dumps(name)}: {json.dumps(entry)}" for name, entry in precache.items())
    head = (
        "// Generated by Passo's build: the files to keep offline, each with a hash of its content (so an update\n"
        "// fetches only what changed), its size and its group: \"*\" the app, else the languages it belongs to.\n"
        f"const PASSO_VERSION = {json.dumps(builtin.version())};\n"
        f"const BUILD = {json.dumps(build)};\n"
        f"const PRECACHE = {{\n{lines}\n}};\n"
    )
    sw = head.encode("utf-8") + template
    if not minify:
        return sw
    small, problems = minify_text(sw.decode("utf-8"), JS, "site_src/sw.js")
    return sw if problems else small.encode("utf-8")  # a worker that does not parse ships as written, as before


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def check_installable(files: dict[str, bytes], pages: list[str]) -> list[Problem]:
    """What Chromium wants before it offers to install: the build refuses to ship a site that fails it."""
    problems = []
    try:
        data = json.loads(files["manifest.webmanifest"])
    except (KeyError, ValueError) as exc:
        return [Problem("manifest.webmanifest", 0, 0, f"manifest missing or not JSON: {exc}")]
    for key in ("name", "short_name", "start_url", "scope", "display", "icons", "theme_color"):
        if not data.get(key):
            problems.append(Problem("manifest.webmanifest", 0, 0, f"manifest has no '{key}'"))
    if data.get("display") not in ("standalone", "fullscreen", "minimal-ui"):
        problems.append(Problem("manifest.webmanifest", 0, 0, "display must be standalone"))
    for key in ("start_url", "scope"):
        if str(data.get(key, "")).startswith("/") or "://" in str(data.get(key, "")):
            problems.append(Problem("manifest.webmanifest", 0, 0, f"{key} must be relative so sub-paths work"))
    for purpose in ("any", "maskable"):
        for size in ICON_SIZES:
            icon = next((i for i in data.get("icons", []) if i.get("purpose") == purpose
                         and i.get("sizes") == f"{size}x{size}"), None)
            if icon is None:
                problems.append(Problem("manifest.webmanifest", 0, 0, f"no {purpose} icon of {size}x{size}"))
                continue
            actual = _png_size(files.get(icon["src"], b""))
            if actual != (size, size):
                problems.append(Problem(icon["src"], 0, 0, f"icon is {actual or 'not a PNG'}, the manifest says "
                                                           f"{size}x{size}"))
    sw = files.get("sw.js", b"").decode("utf-8", "replace")
    for needed in ("addEventListener(\"fetch\"", "addEventListener(\"install\"", "addEventListener(\"activate\""):
        if needed not in sw:
            problems.append(Problem("sw.js", 0, 0, f"service worker lacks {needed})"))
    for page in pages:
        html = files.get(page, b"")
        if b'rel="manifest"' not in html:
            problems.append(Problem(page, 0, 0, "page does not link the manifest"))
    return problems
