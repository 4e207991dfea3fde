"""Images and files in guides (passo/content/media.py): where they are found, what the page says about them, what
the build writes, and every bad input stopping the build at the guide's line."""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from passo.content import media
from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import REPO, guide

TWO_LANGUAGES = 'name = "Tiny"\nlanguages = ["en", "it"]\nsearch = false\n'


def png(width: int, height: int, colour: tuple[int, int, int] = (200, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def page(site: Path, path: str = "en/guides/a/index.html") -> str:
    return (site / "dist" / path).read_text(encoding="utf-8")


def images(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def media_files(site: Path) -> list[str]:
    folder = site / "dist/assets/media"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def failure(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        build(site)
    return [f"{p.path}:{p.line}: {p.message}" for p in caught.value.problems]


# --- finding files --------------------------------------------------------------------------------------------


def test_an_image_and_a_file_beside_the_guide_are_served_fingerprinted(make_site) -> None:  # type: ignore[no-untyped-def]
    picture = png(300, 200)
    site = make_site({
        "content/en/guides/a.md": guide("A", "![The GROW cycle](img/grow.png)\n\n[worksheet](files/grow.pdf#page=2)\n"),
        "content/en/guides/img/grow.png": picture,
        "content/en/guides/files/grow.pdf": b"%PDF-1.4 a worksheet",
    })
    build(site)
    name = f"grow.{hashlib.sha256(picture).hexdigest()[:10]}.png"
    pdf = f"grow.{hashlib.sha256(b'%PDF-1.4 a worksheet').hexdigest()[:10]}.pdf"
    assert media_files(site) == [name, pdf]
    assert (site / "dist/assets/media" / name).read_bytes() == picture
    html = page(site)
    assert attr(images(html)[0], "src") == f"../../../assets/media/{name}"
    assert f'href="../../../assets/media/{pdf}#page=2"' in html


def test_a_file_in_the_language_folder_serves_guides_in_subfolders(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/deep/a.md": guide("A", "![Logo](img/logo.png)\n"),
        "content/en/img/logo.png": png(100, 50),
    })
    build(site)
    assert attr(images(page(site, "en/guides/deep/a/index.html"))[0], "src", ).startswith(  # type: ignore[union-attr]
        "../../../../assets/media/logo.")


def test_a_file_beside_the_guide_wins_over_the_language_folder(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/a.md": guide("A", "![Logo](img/logo.png)\n"),
        "content/en/guides/img/logo.png": png(100, 50),
        "content/en/img/logo.png": png(10, 5),
    })
    build(site)
    assert attr(images(page(site))[0], "width") == "100"


def test_a_translation_uses_the_default_languages_image_and_one_file_serves_both(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "site.toml": TWO_LANGUAGES,
        "content/en/guides/a.md": guide("A", "![The cycle](img/grow.png)\n"),
        "content/en/guides/img/grow.png": png(300, 200),
        "content/it/guides/a.md": guide("A it", "![Il ciclo](img/grow.png)\n"),
    })
    build(site)
    assert len(media_files(site)) == 1
    assert attr(images(page(site, "it/guides/a/index.html"))[0], "src") == \
        attr(images(page(site))[0], "src")


def test_identical_bytes_in_two_languages_are_copied_once(make_site) -> None:  # type: ignore[no-untyped-def]
    picture = png(300, 200)
    site = make_site({
        "site.toml": TWO_LANGUAGES,
        "content/en/guides/a.md": guide("A", "![The cycle](img/grow.png)\n"),
        "content/en/guides/img/grow.png": picture,
        "content/it/guides/a.md": guide("A it", "![Il ciclo](img/grow.png)\n"),
        "content/it/guides/img/grow.png": picture,
    })
    build(site)
    assert media_files(site) == [f"grow.{hashlib.sha256(picture).hexdigest()[:10]}.png"]


# --- the <img> ------------------------------------------------------------------------------------------------


def test_every_image_has_its_size_and_loads_lazily_but_the_first(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/a.md": guide("A", "![One](a.png)\n\n![Two](b.png)\n"),
        "content/en/guides/a.png": png(300, 200),
        "content/en/guides/b.png": png(120, 90, (1, 2, 3)),
    })
    build(site)
    first, second = images(page(site))
    assert (attr(first, "width"), attr(first, "height"), attr(first, "loading"), attr(first, "decoding"),
            attr(first, "fetchpriority")) == ("300", "200", "eager", "async", "high")
    assert (attr(second, "width"), attr(second, "height"), attr(second, "loading"), attr(second, "decoding"),
            attr(second, "fetchpriority")) == ("120", "90", "lazy", "async", None)
    assert attr(first, "srcset") is None  # no wider than a phone: served as it is


def test_a_wide_image_gets_webp_variants_in_srcset(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/a.md": guide("A", "![A wide photo](wide.png)\n"),
        "content/en/guides/wide.png": png(2000, 1000),
    })
    build(site)
    tag = images(page(site))[0]
    stem = attr(tag, "src").removesuffix(".png")  # type: ignore[union-attr]
    assert attr(tag, "srcset") == (f"{stem}.480w.webp 480w, {stem}.800w.webp 800w, {stem}.1200w.webp 1200w, "
                                   f"{stem}.png 2000w")
    assert attr(tag, "sizes") == media.SIZES
    assert (attr(tag, "width"), attr(tag, "height")) == ("2000", "1000")
    for width in (480, 800, 1200):
        with Image.open(site / "dist" / f"{stem}.{width}w.webp".removeprefix("../../../")) as variant:
            assert (variant.format, variant.size) == ("WEBP", (width, width // 2))


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_a_large_jpeg_decoded_at_a_reduced_scale_keeps_its_own_size_and_exact_variants(make_site) -> None:  # type: ignore[no-untyped-def]
    # 3001 px is decoded at half scale (1501 x 1001): sizes come from the file, heights as from the original.
    site = make_site({
        "content/en/guides/a.md": guide("A", "![A phone photo](photo.jpg)\n"),
        "content/en/guides/photo.jpg": jpeg(3001, 2001),
    })
    build(site)
    tag = images(page(site))[0]
    assert (attr(tag, "width"), attr(tag, "height")) == ("3001", "2001")
    stem = attr(tag, "src").removesuffix(".jpg").removeprefix("../../../")  # type: ignore[union-attr]
    for width in (480, 800, 1200):
        with Image.open(site / "dist" / f"{stem}.{width}w.webp") as variant:
            assert variant.size == (width, round(2001 * width / 3001))
    cut = jpeg(3001, 2001)[:-4000]  # the end of the data missing: found although decoded at a reduced scale
    with pytest.raises(media.MediaError, match="cannot be read as an image"):
        media.process(cut, "jpg", site / "cache", "cut")


def test_raw_html_images_and_files_are_served_as_markdown_ones_are(make_site) -> None:  # type: ignore[no-untyped-def]
    body = ('<figure markdown>\n<img src="img/wide.png" alt="A wide photo" class="photo">\n</figure>\n\n'
            '<p>Fill in <a href="files/sheet.pdf">the sheet</a>.</p>\n\n'
            # As MkDocs writes it: relative to the page's address (guides/topic/b/), not to the file.
            '<div><img src="../img/wide.png" alt="Again"></div>\n')
    site = make_site({
        "content/en/guides/topic/b.md": guide("B", body),
        "content/en/guides/topic/img/wide.png": png(2000, 1000),
        "content/en/guides/topic/files/sheet.pdf": b"%PDF-1.4 sheet",
    })
    build(site)
    html = page(site, "en/guides/topic/b/index.html")
    first, second = images(html)
    for tag in (first, second):
        assert re.fullmatch(r"\.\./\.\./\.\./\.\./assets/media/wide\.[0-9a-f]{10}\.png", attr(tag, "src") or "")
        assert (attr(tag, "width"), attr(tag, "height")) == ("2000", "1000")
        assert "480w.webp 480w" in (attr(tag, "srcset") or "")
    assert attr(first, "class") == "photo" and attr(first, "loading") == "eager"
    assert attr(second, "loading") == "lazy"
    assert re.search(r'<a href="\.\./\.\./\.\./\.\./assets/media/sheet\.[0-9a-f]{10}\.pdf">the sheet</a>', html)


def test_a_missing_raw_html_image_fails_the_build_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "Text.\n\n<img src=\"nowhere.png\" alt=\"Gone\">\n")})
    assert failure(site) == ["content/en/guides/a.md:7: image 'nowhere.png': not found (looked for "
                             "content/en/guides/nowhere.png, content/en/nowhere.png)"]


def test_two_builds_of_a_wide_image_give_the_same_bytes(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/a.md": guide("A", "![A wide photo](wide.png)\n"),
        "content/en/guides/wide.png": png(1300, 700),
    })
    build(site, tmp_path / "one", incremental=False)
    build(site, tmp_path / "two", incremental=False)  # a cache of its own (beside "two"): encoded again
    one = {p.name: p.read_bytes() for p in (tmp_path / "one/assets/media").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two/assets/media").iterdir()}
    assert one == two and len(one) == 4


def test_an_image_without_alt_text_is_a_warning_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "Text.\n\n![](a.png)\n"),
                      "content/en/guides/a.png": png(10, 10)})
    warnings = [f"{w.path}:{w.line}: {w.message}" for w in build(site).warnings]
    assert warnings == ["content/en/guides/a.md:7: image 'a.png' has no alt text: describe it for people who cannot "
                        "see it (![what it shows](...))"]
    with pytest.raises(BuildFailed):
        build(site, strict=True, incremental=False)


def test_an_external_image_is_a_warning_and_an_external_file_link_stays(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide(
        "A", "![A chart](https://example.org/chart.png)\n\n[the report](https://example.org/r.pdf)\n")})
    result = build(site)
    assert [f"{w.path}:{w.line}: {w.message}" for w in result.warnings] == [
        "content/en/guides/a.md:5: image 'https://example.org/chart.png' is on another site and will not show: the "
        "site's Content-Security-Policy allows images from the site only; save it beside the guide and link it "
        "relatively"]
    assert 'href="https://example.org/r.pdf"' in page(site)


# --- bad input ------------------------------------------------------------------------------------------------


def bad_site(make_site, body: str, files: dict | None = None):  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/ok.md": guide("OK"), **(files or {})})
    build(site)
    (site / "content/en/guides/a.md").write_text(guide("A", "Intro.\n\n" + body), encoding="utf-8")
    return site


def bomb_png() -> bytes:
    """A valid little PNG header that claims 30000x30000 pixels: Pillow reads the size before any pixel."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize(("body", "files", "expected"), [
    ("![Gone](img/gone.png)\n", {}, "content/en/guides/a.md:7: image 'img/gone.png': not found (looked for "
     "content/en/guides/img/gone.png, content/en/img/gone.png)"),
    ("[sheet](files/gone.pdf)\n", {}, "content/en/guides/a.md:7: link 'files/gone.pdf': not found (looked for "
     "content/en/guides/files/gone.pdf, content/en/files/gone.pdf)"),
    ("![Out](../../../../secret.png)\n", {}, "content/en/guides/a.md:7: image '../../../../secret.png': the path "
     "leaves the site's content folder (content/en/)"),
    ("![Passwords](/etc/passwd)\n", {}, "content/en/guides/a.md:7: image '/etc/passwd': an absolute path; write "
     "the path relative to the guide file"),
    ("[data](data.csv)\n", {"content/en/guides/data.csv": "a,b\n"}, "content/en/guides/a.md:7: link 'data.csv': "
     "'.csv' files are not served from guides (allowed: pdf, png, jpg, jpeg, webp, avif, gif, svg, mp3, m4a)"),
    ("![Broken](broken.png)\n", {"content/en/guides/broken.png": b"\x89PNG\r\n\x1a\nnot really"},
     "content/en/guides/a.md:7: image 'broken.png': cannot be read as an image (Truncated File Read)"),
    ("![Huge](bomb.png)\n", {"content/en/guides/bomb.png": bomb_png()}, "content/en/guides/a.md:7: image "
     "'bomb.png': the image is too large to decode safely (over 40,000,000 pixels)"),
    ("![Bad](bad.svg)\n", {"content/en/guides/bad.svg": "<svg xmlns='http://www.w3.org/2000/svg'><g></svg>"},
     "content/en/guides/a.md:7: image 'bad.svg': it is not well-formed XML (mismatched tag: line 1, column 45)"),
    ("![Laughs](lol.svg)\n", {"content/en/guides/lol.svg": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aa">]>'
                              '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'},
     "content/en/guides/a.md:7: image 'lol.svg': it declares entities (<!ENTITY>); remove the DOCTYPE's internal "
     "subset"),
])
def test_bad_media_fail_the_build_at_the_guides_line_and_leave_dist(make_site, body: str, files: dict,  # type: ignore[no-untyped-def]
                                                                     expected: str) -> None:
    site = bad_site(make_site, body, files)
    before = {p: p.read_bytes() for p in (site / "dist").rglob("*") if p.is_file()}
    found = failure(site)
    assert len(found) == 1
    assert re.sub(r" at 0x[0-9a-f]+", "", found[0]).startswith(expected), found
    assert before == {p: p.read_bytes() for p in (site / "dist").rglob("*") if p.is_file()}


def test_a_symlink_out_of_the_content_folder_is_refused(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(10, 10))
    site = bad_site(make_site, "![Secret](img/s.png)\n")
    (site / "content/en/guides/img").mkdir()
    (site / "content/en/guides/img/s.png").symlink_to(secret)
    assert failure(site) == ["content/en/guides/a.md:7: image 'img/s.png': content/en/guides/img/s.png is a link "
                             "to a file outside the content folder"]


def test_a_tiny_pixel_limit_refuses_an_ordinary_image(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(media, "MAX_PIXELS", 1000)
    site = bad_site(make_site, "![Photo](p.png)\n", {"content/en/guides/p.png": png(40, 40)})
    [message] = failure(site)
    assert message.startswith("content/en/guides/a.md:7: image 'p.png': the image is too large to decode safely "
                              "(over 1,000 pixels)")


# --- SVG --------------------------------------------------------------------------------------------------------


def test_an_svg_in_dist_has_no_script_event_attribute_or_foreign_object(make_site) -> None:  # type: ignore[no-untyped-def]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" '
           'height="100" onload="steal()"><script>steal()</script><foreignObject><div>x</div></foreignObject>'
           '<a xlink:href="javascript:steal()"><circle r="5" onclick="steal()"/></a>'
           '<image href="https://tracker.example/p.png"/><style>@import url(https://x.example/a.css);</style>'
           '<rect width="10" height="10" fill="url(#g)"/></svg>')
    site = make_site({"content/en/guides/a.md": guide("A", "![A diagram](d.svg)\n"), "content/en/guides/d.svg": svg})
    warnings = [w.message for w in build(site).warnings]
    [name] = media_files(site)
    served = (site / "dist/assets/media" / name).read_text()
    for gone in ("script", "onload", "onclick", "foreignObject", "javascript:", "tracker.example", "@import"):
        assert gone not in served, gone
    assert 'fill="url(#g)"' in served and "<circle" in served
    assert warnings == ["'d.svg': SVG cleaned of <foreignObject>, <script>, <style> with @import or an external "
                        "url(), href to https://tracker.example/p.png, onclick, onload, xlink:href to "
                        "javascript:steal()"]
    assert (attr(images(page(site))[0], "width"), attr(images(page(site))[0], "height")) == ("200", "100")


# --- caching and incremental builds -------------------------------------------------------------------------


def test_an_incremental_build_processes_no_image_again(make_site, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/guides/a.md": guide("A", "![Wide](wide.png)\n\n![Diagram](d.svg)\n"),
        "content/en/guides/b.md": guide("B", "![Wide](wide.png)\n"),
        "content/en/guides/wide.png": png(1000, 500),
        "content/en/guides/d.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>',
    })
    calls: list[str] = []
    real = media.process
    monkeypatch.setattr(media, "process", lambda data, suffix, cache, digest: calls.append(suffix) or
                        real(data, suffix, cache, digest))
    build(site)
    assert sorted(calls) == ["png", "svg"]  # each picture once, though two guides show one of them
    calls.clear()
    (site / "content/en/guides/a.md").write_text(guide("A", "Changed.\n\n![Wide](wide.png)\n\n![Diagram](d.svg)\n"))
    result = build(site)
    assert not result.full and "en/guides/a/index.html" in result.changed
    assert calls == []
    build(site, incremental=False)  # a full build too finds them in the cache beside dist/
    assert calls == []
    assert not any(p.name.startswith(".") or "passo-media" in str(p) for p in (site / "dist").rglob("*"))


def test_an_edited_image_rebuilds_its_guide_and_the_old_file_goes(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "![Photo](p.png)\n"),
                      "content/en/guides/p.png": png(30, 20)})
    build(site)
    (site / "content/en/guides/p.png").write_bytes(png(60, 40))
    result = build(site)
    assert not result.skipped and not result.full
    assert attr(images(page(site))[0], "width") == "60"
    assert media_files(site) == [f"p.{hashlib.sha256(png(60, 40)).hexdigest()[:10]}.png"]
    build(site, tmp_path / "full", incremental=False)
    assert {p.relative_to(site / "dist"): p.read_bytes() for p in (site / "dist").rglob("*") if p.is_file()} == \
        {p.relative_to(tmp_path / "full"): p.read_bytes() for p in (tmp_path / "full").rglob("*") if p.is_file()}


def test_a_translated_image_added_later_wins_in_the_next_build(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": TWO_LANGUAGES, "content/en/guides/a.md": guide("A", "![Chart](c.png)\n"),
                      "content/en/guides/c.png": png(30, 20),
                      "content/it/guides/a.md": guide("A", "![Grafico](c.png)\n")})
    build(site)
    (site / "content/it/guides/c.png").write_bytes(png(50, 20))
    assert not build(site).skipped
    assert attr(images(page(site, "it/guides/a/index.html"))[0], "width") == "50"
    assert attr(images(page(site))[0], "width") == "30"


# --- offline budget ---------------------------------------------------------------------------------------------


def precache(site: Path) -> dict[str, str]:
    sw = (site / "dist/sw.js").read_text()
    return json.loads(re.search(r"PRECACHE = (\{.*?\});", sw, re.S).group(1))  # type: ignore[union-attr]


def test_media_under_the_budget_are_precached_and_past_it_left_out_with_a_warning(make_site) -> None:  # type: ignore[no-untyped-def]
    noise = Image.effect_noise((400, 400), 100).convert("RGB")  # noise does not compress: about 480 kB as PNG
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    site = make_site({
        "site.toml": 'name = "Tiny"\nsearch = false\noffline_media_mb = 0.3\n',
        "content/en/guides/a.md": guide("A", "![Small](a-small.png)\n\n![Noise](b-noise.png)\n"),
        "content/en/guides/a-small.png": png(100, 100),
        "content/en/guides/b-noise.png": buffer.getvalue(),
    })
    result = build(site)
    listed = precache(site)
    small = next(f for f in media_files(site) if f.startswith("a-small."))
    big = next(f for f in media_files(site) if f.startswith("b-noise."))
    assert f"assets/media/{small}" in listed
    assert f"assets/media/{big}" not in listed
    assert [w.message for w in result.warnings] == [
        f"guide media past offline_media_mb = 0.3 are kept offline only once viewed: {big}"]


def test_the_budget_keeps_a_picture_and_its_variants_together() -> None:
    sizes = {"assets/media/a.0123456789.png": 100, "assets/media/a.0123456789.480w.webp": 10,
             "assets/media/b.abcdefabcd.pdf": 50}
    assert media.budget(sizes, 0.00011) == ["assets/media/b.abcdefabcd.pdf"]
    assert media.budget(sizes, 0.0001) == ["assets/media/a.0123456789.480w.webp", "assets/media/a.0123456789.png"]


def test_the_service_worker_keeps_media_once_viewed() -> None:
    sw = (REPO / "site_src/sw.js").read_text()
    assert 'const MEDIA_CACHE = PREFIX + "media";' in sw
    assert "![CACHE, MEDIA_CACHE, STATE_CACHE].includes(name)" in sw  # an update keeps what was viewed
    assert "await media.put(url, response.clone())" in sw


def test_the_example_grow_guide_has_its_diagram_and_worksheet_in_every_language(example_dist: Path) -> None:
    """The bar the guides work set: a coach's GROW guide with a diagram, a worksheet to download, in a section."""
    for lang in ("en", "it", "nl", "sv"):
        page = (example_dist / lang / "guides/grow/index.html").read_text(encoding="utf-8")
        image = re.search(r'<img alt="([^"]+)"[^>]*src="([^"]+grow-cycle\.[0-9a-f]+\.svg)"[^>]*>', page)
        assert image and 'width="640"' in image.group(0) and 'height="400"' in image.group(0), lang
        sheet = re.search(r'href="([^"]+grow-worksheet\.[0-9a-f]+\.pdf)"', page)
        assert sheet, lang
        for url in (image.group(2), sheet.group(1)):
            assert (example_dist / lang / "guides/grow" / url).resolve().is_file(), url
        assert (example_dist / lang / "guides/grow" / sheet.group(1)).resolve().read_bytes().startswith(b"%PDF-")
        assert 'class="trail"' in page  # its place in a section
