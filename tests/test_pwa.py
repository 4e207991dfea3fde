"""Manifest, icons and service worker: what Chromium needs to install the app, checked by the build itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from passo.config import SiteConfig
from passo.pipeline import build
from passo.problems import BuildFailed
from passo.site.pwa import check_installable, make_icons, manifest, service_worker
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


def test_service_worker_lists_every_file_with_its_hash(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    build(site)
    dist = site / "dist"
    sw = (dist / "sw.js").read_text()
    listed = json.loads(re.search(r"PRECACHE ?= ?(\{.*?\})[;,]", sw, re.S).group(1))  # type: ignore[union-attr]
    on_disk = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"sw.js", "_headers", "robots.txt", "sitemap.xml"}
    assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in listed.values())
    build_id = re.search(r'BUILD ?= ?"([0-9a-f]+)"', sw).group(1)  # type: ignore[union-attr]
    # A change of content changes the build id (the cache name) and that file's hash only.
    (site / "content/en/guides/a.md").write_text(guide("A", "Changed.\n"))
    build(site)
    sw2 = (dist / "sw.js").read_text()
    listed2 = json.loads(re.search(r"PRECACHE ?= ?(\{.*?\})[;,]", sw2, re.S).group(1))  # type: ignore[union-attr]
    assert re.search(r'BUILD ?= ?"([0-9a-f]+)"', sw2).group(1) != build_id  # type: ignore[union-attr]
    changed = sorted(k for k in listed if listed[k] != listed2.get(k))
    assert "en/guides/a/index.html" in changed
    assert not any(k.startswith("assets/") for k in changed)


def test_broken_service_worker_fails_the_build(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A"), "site_src/sw.js": "// nothing here\n"})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert 'sw.js:0: service worker lacks addEventListener("fetch")' in [
        f"{p.path}:{p.line}: {p.message}" for p in failure.value.problems]
