"""The build as a whole: a golden tiny site, every kind of bad input, atomic and reproducible output."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

from passo.pipeline import build, check
from passo.problems import BuildFailed
from tests.conftest import MINIMAL_TOML, REPO, guide


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file of a built site, search index included, by its digest."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def messages(exc: BuildFailed) -> list[str]:
    return [f"{p.path}:{p.line}: {p.message}" for p in exc.problems]


def prose(page: Path) -> str:
    """The guide's own text on its page, without the navigation around it."""
    return page.read_text().split('<div class="prose">', 1)[1].split("</article>", 1)[0]


@pytest.fixture
def tiny(make_site):  # type: ignore[no-untyped-def]
    return make_site({
        "content/en/guides/first.md": guide("First steps",
                                            "Intro.\n\n## Why\n\nSee [the next one](more/second.md#how).\n",
                                            summary="Where to begin", order="1"),
        "content/en/guides/more/second.md": guide("Second", "## How\n\nBack to [first](../first.md).\n", order="2"),
    })


def test_golden_tiny_site(tiny: Path) -> None:
    result = build(tiny)
    dist = tiny / "dist"
    files = set(tree_digest(dist))
    for page in ("index.html", "404.html", "offline.html", "en/index.html", "en/guides/first/index.html",
                 "en/guides/more/second/index.html", "en/plans/index.html", "en/settings/index.html",
                 "en/privacy/index.html", "manifest.webmanifest", "sw.js", "sitemap.xml", "robots.txt", "_headers",
                 "icons/icon-192.png", "icons/icon-512.png", "icons/icon-maskable-192.png",
                 "icons/icon-maskable-512.png", "i18n/en.json"):
        assert page in files, page
    assert result.pages == sum(1 for f in files if f.endswith(".html"))
    first = (dist / "en/guides/first/index.html").read_text()
    # The relative .md link became the target's URL, anchor kept.
    assert 'href="../more/second/#how"' in first
    second = (dist / "en/guides/more/second/index.html").read_text()
    assert 'href="../../first/"' in second
    home = (dist / "en/index.html").read_text()
    assert home.index("First steps") < home.index("Second")  # the coach's order
    assert "Where to begin" in home
    # Fingerprinted CSS and JS; no inline script anywhere.
    assert any(f.startswith("assets/css/site.") and f.endswith(".css") for f in files)
    assert any(f.startswith("assets/js/app.") and f.endswith(".js") for f in files)
    for name in files:
        if name.endswith(".html"):
            html = (dist / name).read_text()
            assert "<script>" not in html and "<script " not in html.replace('<script type="module" src=', "")
            assert 'http-equiv="Content-Security-Policy"' in html


def test_same_input_same_bytes(tiny: Path, tmp_path: Path) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        build(tiny, tmp_path / "a", incremental=False)
        build(tiny, tmp_path / "b", incremental=False)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def example_site(tmp_path: Path) -> Path:
    """A copy of the example site (its own files only: Passo's templates and browser code come from Passo)."""
    site = tmp_path / "example"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site)
    for folder in ("content", "schemas", "locales"):
        shutil.copytree(REPO / folder, site / folder)
    return site


def test_the_example_site_gives_the_same_bytes_twice_search_index_included(tmp_path: Path) -> None:
    """Pagefind lists its languages in a new order each run: with that steadied, two builds of the same four
    languages give the same files, so a redeploy with nothing changed offers no coachee an update."""
    build(REPO, tmp_path / "a", incremental=False)
    build(REPO, tmp_path / "b", incremental=False)
    first = tree_digest(tmp_path / "a")
    assert len([f for f in first if f.startswith("pagefind/")]) > 20 and "pagefind/pagefind-entry.json" in first
    assert first == tree_digest(tmp_path / "b")


def test_the_search_index_is_the_same_whatever_order_the_pages_are_made_in(tmp_path: Path) -> None:
    """A full build streams its pages to Pagefind as they are made; what it writes must not depend on which page was
    ready first, or on whether the index was read back from dist/ (as an incremental build and serve do)."""
    from passo.site.search import SiteIndex, StreamedIndex

    build(REPO, tmp_path / "built", incremental=False)
    built = tree_digest(tmp_path / "built")
    pages = {p: (tmp_path / "built" / p).read_bytes() for p in built if p.endswith(".html")
             and not p.startswith("pagefind/")}
    assert len(pages) > 40
    for order in (sorted(pages, reverse=True), sorted(pages, key=lambda p: hashlib.sha256(p.encode()).digest())):
        site = tmp_path / f"streamed-{len(list(tmp_path.iterdir()))}"
        site.mkdir()
        with SiteIndex(site) as index:
            feed = StreamedIndex(index)
            for path in order[:5]:  # some pages come before the build knows them all
                feed.offer(path, pages[path])
            feed.expect(list(pages))
            for path in order[5:]:
                feed.offer(path, pages[path])
            feed.write(pages)
        assert tree_digest(site / "pagefind") == {k.removeprefix("pagefind/"): v for k, v in built.items()
                                                  if k.startswith("pagefind/")}
    (tmp_path / "reread").mkdir()
    with SiteIndex(tmp_path / "built") as from_disk:
        from_disk.start_from_disk()
        from_disk.write(tmp_path / "reread")
    assert tree_digest(tmp_path / "reread/pagefind") == tree_digest(tmp_path / "built/pagefind")


def test_a_changed_guide_changes_only_its_page_its_index_entries_and_the_worker(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    build(site)
    before = tree_digest(site / "dist")
    guide_file = site / "content/en/guides/action-plan.md"
    guide_file.write_text(guide_file.read_text(encoding="utf-8") + "\nA closing line about commitment.\n",
                          encoding="utf-8")
    assert not build(site).full
    after = tree_digest(site / "dist")
    changed = sorted({f for f in before.keys() | after.keys() if before.get(f) != after.get(f)})
    outside_index = [f for f in changed if not f.startswith("pagefind/")]
    assert outside_index == ["en/guides/action-plan/index.html", "sw.js"]
    # In the index: the page's fragment, its language's word index and metadata, and the entry naming them.
    assert {f.split("/")[1].split("_")[0].split(".")[0] for f in changed if f.startswith("pagefind/")} <= {
        "fragment", "index", "pagefind", "pagefind-entry"}
    assert all("en_" in f or f == "pagefind/pagefind-entry.json" for f in changed if f.startswith("pagefind/"))
    build(site, tmp_path / "full", incremental=False)
    assert after == tree_digest(tmp_path / "full")


def test_incremental_build_gives_the_bytes_of_a_full_build(tiny: Path, tmp_path: Path) -> None:
    build(tiny)
    source = tiny / "content/en/guides/more/second.md"
    source.write_text(source.read_text().replace("## How", "## How\n\nA new paragraph."))
    (tiny / "content/en/guides/third.md").write_text(guide("Third", "Text.\n"))
    result = build(tiny)
    assert not result.full
    build(tiny, tmp_path / "full", incremental=False)
    assert tree_digest(tiny / "dist") == tree_digest(tmp_path / "full")
    # A deleted guide disappears from an incremental build too.
    (tiny / "content/en/guides/third.md").unlink()
    build(tiny)
    assert not (tiny / "dist/en/guides/third").exists()
    build(tiny, tmp_path / "full2", incremental=False)
    assert tree_digest(tiny / "dist") == tree_digest(tmp_path / "full2")


def test_incremental_build_with_an_image_gives_the_bytes_of_a_full_build(tiny: Path, tmp_path: Path) -> None:
    import io

    from PIL import Image

    def png(width: int) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", (width, width // 2), (10, 90, 160)).save(buffer, "PNG")
        return buffer.getvalue()

    (tiny / "content/en/guides/img").mkdir()
    (tiny / "content/en/guides/img/wide.png").write_bytes(png(1000))
    build(tiny)
    source = tiny / "content/en/guides/first.md"
    source.write_text(source.read_text() + "\n![A wide picture](img/wide.png)\n")
    assert not build(tiny).full
    build(tiny, tmp_path / "full", incremental=False)
    assert tree_digest(tiny / "dist") == tree_digest(tmp_path / "full")
    assert sum(1 for f in tree_digest(tiny / "dist") if f.startswith("assets/media/")) == 3  # PNG, 480w, 800w
    # A replaced picture and its variants go; the new ones come, as in a full build.
    (tiny / "content/en/guides/img/wide.png").write_bytes(png(900))
    assert not build(tiny).full
    build(tiny, tmp_path / "full2", incremental=False)
    assert tree_digest(tiny / "dist") == tree_digest(tmp_path / "full2")


def test_nothing_changed_is_skipped(tiny: Path) -> None:
    build(tiny)
    assert build(tiny).skipped


def test_failed_build_leaves_dist_untouched(tiny: Path) -> None:
    build(tiny)
    before = tree_digest(tiny / "dist")
    (tiny / "content/en/guides/first.md").write_text("---\ntitle: [unclosed\n---\n")
    with pytest.raises(BuildFailed):
        build(tiny)
    assert tree_digest(tiny / "dist") == before
    assert not [p for p in tiny.iterdir() if p.name.startswith(".dist.new-")]


BAD_INPUTS = [
    ("malformed front matter", {"content/en/guides/a.md": "---\ntitle: ok\ntags: [one\n---\nText\n"},
     "content/en/guides/a.md:3: front matter is not valid YAML"),
    ("unknown key", {"content/en/guides/a.md": "---\ntitle: A\ncolour: red\n---\nText\n"},
     "content/en/guides/a.md:3: unknown front-matter key 'colour'"),
    ("summary and description", {"content/en/guides/a.md": "---\nsummary: One\ndescription: Two\n---\nText\n"},
     "content/en/guides/a.md:3: front matter has both 'summary' and 'description' (MkDocs' name for it): keep one"),
    ("hide what Passo has not", {"content/en/guides/a.md": "---\nhide: [toc, sidebar]\n---\nText\n"},
     "content/en/guides/a.md:2: front-matter 'hide': Input should be 'toc', 'navigation', 'path', 'footer', "
     "'tags' or 'feedback'"),
    ("an MkDocs template", {"content/en/guides/a.md": "---\ntitle: A\ntemplate: main.html\n---\nText\n"},
     "content/en/guides/a.md:3: template 'main.html': Passo has no MkDocs templates; name a template of this "
     "site's templates/ folder, or remove the key"),
    ("two sources, one URL", {"content/en/guides/a.md": guide("A"), "content/en/guides/b.md": guide("B", key="a")},
     "content/en/guides/b.md:3: content/en/guides/a.md and content/en/guides/b.md both make the page /en/guides/a/"),
    ("broken link", {"content/en/guides/a.md": guide("A", "Line one.\n\nSee [missing](nope.md).\n")},
     "content/en/guides/a.md:7: link 'nope.md' points to no guide"),
    ("broken anchor", {"content/en/guides/a.md": guide("A", "See [b](b.md#nowhere).\n"),
                       "content/en/guides/b.md": guide("B", "## Somewhere\n")},
     "content/en/guides/a.md:5: link 'b.md#nowhere': guide 'b' has no heading with the anchor '#nowhere'"),
    ("invalid site.toml", {"site.toml": 'name = "X"\nlanguages = ["en"]\ncolour = 3\n'},
     "site.toml:3: unknown key 'colour'"),
    ("wrong type in site.toml", {"site.toml": 'name = "X"\nlanguages = "en"\n'},
     "site.toml:2: languages: Input should be a valid list"),
    ("not TOML", {"site.toml": 'name = "X\n'}, "site.toml:1: not valid TOML"),
    ("undefined template variable", {"templates/home.html": '{% extends "base.html" %}\n{% block content %}\n'
                                                            '{{ nonexistent_thing }}\n{% endblock %}\n'},
     "templates/home.html:3: template error: undefined variable: 'nonexistent_thing' is undefined"),
    ("not UTF-8", {"content/en/guides/a.md": b"---\ntitle: A\n---\ncaf\xe9\n"},
     "content/en/guides/a.md:4: not UTF-8 text"),
]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_names_file_and_line(make_site, files: dict, expected: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site(files)
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert any(m.startswith(expected) for m in messages(failure.value)), messages(failure.value)
    assert not (site / "dist").exists()


def test_all_problems_of_a_run_are_reported_together(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": "---\ntitle: A\nbad: 1\n---\n",
                      "content/en/guides/b.md": "---\ntoc_depth: 9\n---\n",
                      "content/en/guides/c.md": guide("C", "[x](gone.md)\n")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    paths = sorted({p.path for p in failure.value.problems})
    assert paths == ["content/en/guides/a.md", "content/en/guides/b.md", "content/en/guides/c.md"]


def test_check_writes_nothing(tiny: Path) -> None:
    assert [p for p in check(tiny) if p.is_error] == []
    assert not (tiny / "dist").exists()


def test_mkdocs_style_corpus_builds_without_edits(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    site = make_site({})
    subprocess.run([sys.executable, str(REPO / "bench/gen_corpus.py"), "60",
                    str(site / "content/en/guides")], check=True, capture_output=True)
    result = build(site)
    assert result.rendered == 60
    page = (site / "dist/en/guides/section-00/guide-0001/index.html").read_text()
    assert ".md" not in page.split('<div class="prose">')[1].split("</div>")[0].replace(".md)", "")


def test_raw_html_is_sanitized_by_default_escaped_or_refused_on_request(make_site) -> None:  # type: ignore[no-untyped-def]
    body = "Hello <script>alert(1)</script> and <b>bold</b>.\n"
    site = make_site({"content/en/guides/a.md": guide("A", body)})
    result = build(site)
    html = (site / "dist/en/guides/a/index.html").read_text()
    assert "alert(1)" not in html and "Hello  and <b>bold</b>." in html
    assert [w.format() for w in result.warnings] == ["content/en/guides/a.md:5: warning: raw HTML: dropped <script>"]
    escaped = make_site({"site.toml": MINIMAL_TOML + 'raw_html = "escape"\n',
                         "content/en/guides/a.md": guide("A", body)}, name="escape")
    build(escaped)
    html = (escaped / "dist/en/guides/a/index.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    site2 = make_site({"site.toml": 'name = "X"\nlanguages = ["en"]\nsearch = false\nraw_html = "refuse"\n',
                       "content/en/guides/a.md": guide("A", body)}, name="refuse")
    with pytest.raises(BuildFailed) as failure:
        build(site2)
    assert "content/en/guides/a.md:5: raw HTML is not allowed in guides (site.toml raw_html = \"refuse\")" in \
        messages(failure.value)


def test_raw_html_warnings_fail_a_strict_build(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", 'Text.\n\n<p onclick="go()">Hi</p>\n')})
    with pytest.raises(BuildFailed) as failure:
        build(site, strict=True)
    assert [p.format() for p in failure.value.problems] == [
        "content/en/guides/a.md:7: error: raw HTML: dropped the onclick attribute of <p>"]


def test_a_markdown_extension_not_installed_stops_the_build_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    build(site)
    before = (site / "dist/en/guides/a/index.html").read_bytes()
    (site / "site.toml").write_text(MINIMAL_TOML + 'markdown_extensions = [\n  "abbr",\n  "callouts",\n]\n')
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert [p.format() for p in failure.value.problems] == [
        "site.toml:6: error: markdown extension 'callouts' is not installed: pip install markdown-callouts\n"
        '      "callouts",']
    assert (site / "dist/en/guides/a/index.html").read_bytes() == before


def test_a_guide_page_colours_code_by_class_and_has_no_style_attribute(make_site) -> None:  # type: ignore[no-untyped-def]
    body = ('```python title="plan.py"\nwill = "act"  # the W of GROW\n```\n\n=== "Phone"\n    Tap.\n\n'
            '=== "Computer"\n    Click.\n\n??? tip "More"\n    Hidden.\n\n- [x] done\n\n<kbd>Ctrl</kbd>\n')
    site = make_site({"content/en/guides/a.md": guide("A", body)})
    result = build(site)
    page = (site / "dist/en/guides/a/index.html").read_text()
    assert '<span class="filename">plan.py</span>' in page and '<span class="c1"># the W of GROW</span>' in page
    assert " style=" not in page and "<style" not in page
    assert result.warnings == []
    # The stylesheet for all this loads on guide pages only.
    css = [f for f in result.changed if f.startswith("assets/css/guide.")]
    assert len(css) == 1 and f'href="../../../{css[0]}"' in page
    assert "css/guide." not in (site / "dist/en/index.html").read_text()


def test_a_snippet_outside_the_site_folder_fails_the_build_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", 'Intro.\n\n--8<-- "../../etc/passwd"\n'),
                      "content/en/guides/b.md": guide("B", '--8<-- "NOTES.md"\n'),
                      "NOTES.md": "## From the notes\n"})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert messages(failure.value) == ["content/en/guides/a.md:7: snippet '../../etc/passwd' is outside the site "
                                       "folder: snippets are read from the site folder only"]
    (site / "content/en/guides/a.md").write_text(guide("A"))
    build(site)
    assert '<h2 id="from-the-notes">From the notes</h2>' in (site / "dist/en/guides/b/index.html").read_text()


def test_index_md_is_the_page_of_its_folder(make_site) -> None:  # type: ignore[no-untyped-def]
    """As MkDocs, Hugo and Eleventy make it: guides/habits/index.md is /en/guides/habits/, and links to the file
    or to its folder both reach it, relative to the linking file's folder."""
    site = make_site({
        "site.toml": 'name = "X"\nlanguages = ["en", "it"]\nsearch = false\nsite_url = "https://coach.example/"\n',
        "content/en/guides/start.md": guide("Start", "To [the file](habits/index.md), [the folder](habits/) and "
                                                     "[a heading](habits/#keep-going).\n"),
        "content/en/guides/habits/index.md": guide("Habits", "## Keep going\n\nThen [daily](daily.md).\n"),
        "content/en/guides/habits/daily.md": guide("Daily", "Back [up](./) and [to the file](index.md).\n"),
        "content/it/guides/habits/index.md": guide("Abitudini", "## Continua\n"),
    }, locales=True)
    build(site)
    dist = site / "dist"
    assert (dist / "en/guides/habits/index.html").is_file()
    assert (dist / "it/guides/habits/index.html").is_file()
    assert not (dist / "en/guides/habits/index").exists()
    start = prose(dist / "en/guides/start/index.html")
    assert start.count('href="../habits/"') == 2
    assert 'href="../habits/#keep-going"' in start
    daily = prose(dist / "en/guides/habits/daily/index.html")
    assert daily.count('href="../"') == 2
    habits = (dist / "it/guides/habits/index.html").read_text()
    assert '<link rel="alternate" hreflang="en" href="https://coach.example/en/guides/habits/">' in habits
    assert "Abitudini" in habits
    sitemap = (dist / "sitemap.xml").read_text()
    assert "<loc>https://coach.example/it/guides/habits/</loc>" in sitemap
    assert "guides/habits/index/" not in sitemap


def test_key_in_front_matter_still_names_an_index_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/habits/index.md": guide("Habits", key="routines"),
                      "content/en/guides/a.md": guide("A", "See [habits](habits/).\n")})
    build(site)
    assert (site / "dist/en/guides/routines/index.html").is_file()
    assert not (site / "dist/en/guides/habits").exists()
    assert 'href="../routines/"' in (site / "dist/en/guides/a/index.html").read_text()


def test_file_and_folder_index_for_one_url_is_one_error(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/habits.md": guide("Habits"),
                      "content/en/guides/habits/index.md": guide("Habits again")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert messages(failure.value) == [
        "content/en/guides/habits/index.md:1: content/en/guides/habits.md and content/en/guides/habits/index.md "
        "both make the page /en/guides/habits/; give one another 'key:' or file name"]
    assert not (site / "dist").exists()


def test_link_to_a_folder_without_index_is_broken(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "See [tools](tools/).\n"),
                      "content/en/guides/tools/hammer.md": guide("Hammer")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert messages(failure.value) == ["content/en/guides/a.md:5: link 'tools/' points to no guide"]


def test_moving_a_guide_into_its_folder_keeps_its_url(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/habits.md": guide("Habits", "Old text.\n"),
                      "content/en/guides/a.md": guide("A", "See [habits](habits.md).\n")})
    build(site)
    (site / "content/en/guides/habits.md").unlink()
    (site / "content/en/guides/habits").mkdir()
    (site / "content/en/guides/habits/index.md").write_text(guide("Habits", "New text.\n"))
    (site / "content/en/guides/a.md").write_text(guide("A", "See [habits](habits/index.md).\n"))
    result = build(site)
    assert not result.full and result.rendered == 2
    assert "New text." in (site / "dist/en/guides/habits/index.html").read_text()
    assert build(site).skipped  # the moved file's old record is gone: nothing is left to redo
    build(site, tmp_path / "full", incremental=False)
    assert tree_digest(site / "dist") == tree_digest(tmp_path / "full")


def test_a_guide_without_a_description_is_described_by_its_first_paragraph(make_site) -> None:  # type: ignore[no-untyped-def]
    long = "Coaching <em>works</em> when the coachee " + "chooses the next step and keeps it " * 8 + "in the end."
    site = make_site({
        "content/en/guides/a.md": guide("A", f"{long}\n\nMore text.\n"),
        "content/en/guides/b.md": guide("B", "First words.\n", summary="What the coach wrote."),
    })
    build(site)
    page = (site / "dist/en/guides/a/index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta name="description" content="([^"]*)"', page)
    assert found is not None
    described = found.group(1)
    assert described.startswith("Coaching works when the coachee chooses") and described.endswith("…")
    assert len(described) <= 160
    assert '<meta name="description" content="What the coach wrote.">' in \
        (site / "dist/en/guides/b/index.html").read_text(encoding="utf-8")
