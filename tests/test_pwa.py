"""Manifest, icons and service worker: what Chromium needs to install the app, checked by the build itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from passo.config import SiteConfig
from passo.pipeline import build
from passo.problems import BuildFailed
from passo.site.pwa import check_installable, make_icons, manifest, offline_groups, service_worker
from tests.conftest import guide


def test_manifest_is_relative_so_sub_paths_work() -> None:
    data = json.loads(manifest(SiteConfig(name="Passo")))
    assert data["start_url"] == "./" and data["scope"] == "./"
    assert data["display"] == "standalone"
    purposes = sorted((i["purpose"], i["sizes"]) for i in data["icons"])
    assert purposes == [("any", "192x192"), ("any", "512x512"), ("maskable", "192x192"), ("maskable", "512x512")]


def test_icons_have_the_sizes_the_manifest_names(tmp_path: Path) -> None:
    icons, problems = make_icons(SiteConfig(name="Passo"), tmp_path)
    assert problems == []
    files = {"manifest.webmanifest": manifest(SiteConfig(name="Passo")), **icons,
             "sw.js": service_worker(b'addEventListener("fetch"addEventListener("install"addEventListener("activate"',
                                     {}),
             "index.html": b'<link rel="manifest" href="manifest.webmanifest">'}
    assert check_installable(files, ["index.html"]) == []
    files["icons/icon-512.png"] = icons["icons/icon-192.png"]
    assert [p.message for p in check_installable(files, ["index.html"])] == [
        "icon is (192, 192), the manifest says 512x512"]


def test_a_logo_that_is_not_square_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (600, 300), "red").save(tmp_path / "logo.png")
    config = SiteConfig.model_validate({"name": "Org", "branding": {"logo": "logo.png"}})
    _icons, problems = make_icons(config, tmp_path)
    assert [p.message for p in problems] == ["branding.logo 'logo.png' must be square and at least 512 px "
                                             "(it is 600x300)"]


def precache_list(dist: Path) -> dict[str, list]:
    """sw.js's PRECACHE: file -> [content hash, bytes, group]."""
    sw = (dist / "sw.js").read_text()
    return json.loads(re.search(r"PRECACHE ?= ?(\{.*?\})[;,]", sw, re.S).group(1))  # type: ignore[union-attr]


def test_service_worker_lists_every_file_with_its_hash_size_and_group(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    build(site)
    dist = site / "dist"
    sw = (dist / "sw.js").read_text()
    listed = precache_list(dist)
    on_disk = {p.relative_to(dist).as_posix(): p.stat().st_size for p in dist.rglob("*") if p.is_file()}
    assert set(listed) == set(on_disk) - {"sw.js", "_headers", "robots.txt", "sitemap.xml"}
    assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h, _size, _group in listed.values())
    assert {name: size for name, (_h, size, _g) in listed.items()} == {name: on_disk[name] for name in listed}
    assert {name for name, (_h, _s, group) in listed.items() if group == "en"} == {
        name for name in listed if name.startswith("en/") or name == "i18n/en.json"}
    assert {group for _h, _s, group in listed.values()} == {"*", "en"}
    build_id = re.search(r'BUILD ?= ?"([0-9a-f]+)"', sw).group(1)  # type: ignore[union-attr]
    # A change of content changes the build id (the cache name) and that file's hash only.
    (site / "content/en/guides/a.md").write_text(guide("A", "Changed.\n"))
    build(site)
    sw2 = (dist / "sw.js").read_text()
    listed2 = precache_list(dist)
    assert re.search(r'BUILD ?= ?"([0-9a-f]+)"', sw2).group(1) != build_id  # type: ignore[union-attr]
    changed = sorted(k for k in listed if listed[k][0] != listed2.get(k, [None])[0])
    assert "en/guides/a/index.html" in changed
    assert not any(k.startswith("assets/") for k in changed)


def test_each_language_precaches_its_own_files_and_the_fallbacks_it_shows(make_site) -> None:  # type: ignore[no-untyped-def]
    """Italian keeps its pages, catalogue and search index, the English guide it shows where it has no translation
    (its own page under it/) and that guide's picture; nothing under en/; the app is shared; Pagefind's own
    interface, which Passo does not use, is kept only if something fetches it."""
    site = make_site({
        "site.toml": 'name = "Two"\nlanguages = ["en", "it"]\n',
        "content/en/guides/a.md": guide("A", "The first guide.\n"),
        "content/en/guides/b.md": guide("B", "![The cycle](cycle.svg)\n\nOnly in English.\n"),
        "content/en/guides/cycle.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>',
        "content/it/guides/a.md": guide("A", "La prima guida.\n"),
    }, locales=True)
    build(site)
    listed = precache_list(site / "dist")
    groups: dict[str, set[str]] = {}
    for name, (_hash, _size, group) in listed.items():
        for code in (group.split() if group not in ("*", "") else [group]):
            groups.setdefault(code, set()).add(name)
    italian = groups["it"]
    picture = next(name for name in listed if name.startswith("assets/media/cycle."))
    assert {"it/index.html", "it/guides/a/index.html", "it/guides/b/index.html", "it/settings/index.html",
            "i18n/it.json", "pagefind/wasm.it.pagefind", picture} <= italian
    assert any(name.startswith("pagefind/fragment/it_") for name in italian)
    assert any(name.startswith("pagefind/index/it_") for name in italian)
    assert not any(name.startswith(("en/", "i18n/en", "pagefind/fragment/en_", "pagefind/index/en_"))
                   for name in italian)
    assert picture in groups["en"] and "en/guides/b/index.html" in groups["en"]
    assert {"index.html", "offline.html", "404.html", "manifest.webmanifest", "pagefind/pagefind.js",
            "pagefind/pagefind-entry.json", "icons/icon-192.png"} <= groups["*"]
    assert not any(name.startswith(("en/", "it/", "i18n/", "assets/media/")) for name in groups["*"])
    assert {"pagefind/pagefind-ui.js", "pagefind/pagefind-worker.js"} <= groups[""]


def test_offline_groups_follow_pagefind_language_keys_and_share_pictures() -> None:
    files = ["en/index.html", "nl/guides/x/index.html", "i18n/nl.json", "i18n/en.json", "assets/js/app.1.js",
             "assets/media/a.0123456789.png", "assets/media/b.0123456789.png", "pagefind/pagefind.nl_ab12.pf_meta",
             "pagefind/fragment/nl_1.pf_fragment", "pagefind/wasm.en.pagefind", "pagefind/wasm.unknown.pagefind",
             "pagefind/pagefind-ui.css", "sw.js", "_headers", "nl", "schemas/index.json"]
    entry = {"languages": {"en": {"hash": "en_cd34", "wasm": "en"}, "nl": {"hash": "nl_ab12", "wasm": "unknown"}}}
    media = {"en": ["assets/media/a.0123456789.png"], "nl": ["assets/media/a.0123456789.png"]}
    assert offline_groups(files, media, entry) == {
        "en/index.html": "en", "nl/guides/x/index.html": "nl", "i18n/nl.json": "nl", "i18n/en.json": "en",
        "assets/js/app.1.js": "*", "assets/media/a.0123456789.png": "en nl",  # b: past the budget everywhere
        "pagefind/pagefind.nl_ab12.pf_meta": "nl", "pagefind/fragment/nl_1.pf_fragment": "nl",
        "pagefind/wasm.en.pagefind": "en", "pagefind/wasm.unknown.pagefind": "nl", "pagefind/pagefind-ui.css": "",
        "nl": "*", "schemas/index.json": "*"}


def test_broken_service_worker_fails_the_build(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A"), "site_src/sw.js": "// nothing here\n"})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert 'sw.js:0: service worker lacks addEventListener("fetch")' in [
        f"{p.path}:{p.line}: {p.message}" for p in failure.value.problems]
