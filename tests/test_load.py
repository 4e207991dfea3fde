"""Guides as MkDocs reads them: optional front matter, a title from the front matter, the opening heading or the file
name, MkDocs' front-matter keys, README.md as a folder's page, and links checked each at its own line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import guide


def page(site: Path, path: str) -> str:
    return (site / "dist" / path).read_text(encoding="utf-8")


def prose(site: Path, path: str) -> str:
    """The guide's own text on its page, without the navigation around it."""
    return page(site, path).split('<div class="prose">', 1)[1].split("</article>", 1)[0]


def failures(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build(site)
    return [f"{p.path}:{p.line}: {p.message}" for p in failure.value.problems]


def h1s(html: str) -> list[str]:
    return re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)


def test_the_opening_heading_is_the_title_and_the_page_shows_it_once(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/start.md": "# Getting *going* {#go}\n\nFirst [back to the top](#go).\n\n"
                                                    "## Then\n"})
    build(site)
    html = page(site, "en/guides/start/index.html")
    assert h1s(html) == ["Getting going"]
    assert '<h1 id="go">' in html  # a link to the heading still lands on it
    assert "<title>Getting going · Tiny</title>" in html
    assert '<a href="guides/start/">Getting going</a>' in page(site, "en/index.html")


def test_a_front_matter_title_over_the_same_heading_shows_once_and_a_different_heading_stays(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/same.md": guide("The GROW model", "# The GROW model\n\nText.\n"),
                      "content/en/guides/other.md": guide("Short title", "# A longer heading\n\nText.\n")})
    build(site)
    assert h1s(page(site, "en/guides/same/index.html")) == ["The GROW model"]
    assert h1s(page(site, "en/guides/other/index.html")) == ["Short title", "A longer heading"]


def test_without_title_or_heading_the_file_name_is_the_title(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/getting-started.md": "Some text, and a heading later.\n\n# Not first\n",
                      "content/en/guides/FAQ.md": "---\nkey: faq\n---\nQuestions.\n"})
    build(site)
    assert h1s(page(site, "en/guides/getting-started/index.html")) == ["Getting started", "Not first"]
    assert h1s(page(site, "en/guides/faq/index.html")) == ["FAQ"]


def test_front_matter_is_optional_and_may_end_with_dots(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/plain.md": "Just text, as MkDocs takes it.\n",
                      "content/en/guides/dots.md": "---\ntitle: Dotted\n...\nText.\n"})
    build(site)
    assert "Just text, as MkDocs takes it." in page(site, "en/guides/plain/index.html")
    assert h1s(page(site, "en/guides/plain/index.html")) == ["Plain"]
    assert h1s(page(site, "en/guides/dots/index.html")) == ["Dotted"]


def test_mkdocs_front_matter_keys_are_understood(make_site) -> None:  # type: ignore[no-untyped-def]
    sections = "## One\n\n### One a\n\n## Two\n\n### Two a\n"
    site = make_site({
        "content/en/guides/a.md": "---\ntitle: A\ndescription: What A is about.\ntoc_depth: 2\n---\n" + sections,
        "content/en/guides/b.md": "---\ntitle: B\nhide: [toc, navigation, tags]\ntags: [x]\n---\n" + sections,
        "content/en/guides/c.md": "---\ntitle: C\ntemplate: plain.html\n---\nC's text.\n",
        "templates/plain.html": '{% extends "guide.html" %}{% block title %}Plain {{ title }}{% endblock %}',
    })
    build(site)
    a = page(site, "en/guides/a/index.html")
    assert '<meta name="description" content="What A is about.">' in a
    assert "What A is about." in page(site, "en/index.html")  # the summary in the list of guides
    toc = a.split('class="toc toc-side"')[1].split("</nav>")[0]
    assert "#one" in toc and "#two" in toc and "#one-a" not in toc  # toc_depth 2: the ## headings only
    b = page(site, "en/guides/b/index.html")
    assert 'class="toc' not in b and 'rel="next"' not in b and 'rel="prev"' not in b and 'class="tags"' not in b
    assert "<title>Plain C</title>" in page(site, "en/guides/c/index.html")


def test_one_section_with_subheadings_gets_a_table_of_contents(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "## Steps\n\n### First\n\n### Second\n"),
                      "content/en/guides/b.md": guide("B", "## Only one\n\nText.\n")})
    build(site)
    a = page(site, "en/guides/a/index.html")
    assert "<summary>On this page</summary>" in a
    assert re.search(r'href="#steps">Steps</a><ol>\s*<li><a href="#first">', a)
    assert "On this page" not in page(site, "en/guides/b/index.html")


def test_readme_is_its_folders_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/habits/README.md": guide("Habits", "See [daily](daily.md).\n"),
                      "content/en/guides/habits/daily.md": guide("Daily", "Back [up](README.md), [again](./).\n")})
    build(site)
    assert h1s(page(site, "en/guides/habits/index.html")) == ["Habits"]
    assert prose(site, "en/guides/habits/daily/index.html").count('href="../"') == 2


def test_readme_and_index_in_one_folder_is_an_error_naming_both(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/habits/README.md": guide("Habits"),
                      "content/en/guides/habits/index.md": guide("Habits too")})
    assert failures(site) == [
        "content/en/guides/habits/index.md:1: content/en/guides/habits/README.md and content/en/guides/habits/index.md "
        "are both the page of guides/habits/ (MkDocs would skip README.md): keep one"]


def test_guides_index_is_the_guides_own_page(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": 'name = "X"\nsearch = false\nsite_url = "https://coach.example/"\n',
                      "content/en/guides/index.md": "Welcome to the guides. Start with [GROW](grow.md).\n",
                      "content/en/guides/grow.md": guide("GROW", "Back to [the start](index.md).\n")})
    build(site)
    landing = page(site, "en/guides/index.html")
    assert h1s(landing) == ["Guides"]  # no title, no heading: the guides' own page is called what it is
    assert 'href="grow/"' in landing
    assert 'href="../"' in prose(site, "en/guides/grow/index.html")
    assert not (site / "dist/en/guides/index/index.html").exists()
    assert "<loc>https://coach.example/en/guides/</loc>" in page(site, "sitemap.xml")
    assert '<link rel="canonical" href="https://coach.example/en/guides/">' in landing


def test_a_missing_same_page_anchor_is_an_error_at_each_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "## Here\n\n[ok](#here) and [gone](#missing).\n\n"
                                                           "Again [gone](#missing).\n")})
    assert failures(site) == [
        "content/en/guides/a.md:7: link '#missing': this guide has no heading with the anchor '#missing'",
        "content/en/guides/a.md:9: link '#missing': this guide has no heading with the anchor '#missing'"]


def test_links_to_a_guide_without_md_are_checked_and_made_urls(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A", "See [b](b), [b's heading](b/#how) and "
                                                           "[a file](files/sheet.pdf).\n"),
                      "content/en/guides/b.md": guide("B", "## How\n"),
                      "content/en/guides/files/sheet.pdf": b"%PDF-1.4\n%%EOF\n"})
    build(site)
    text = prose(site, "en/guides/a/index.html")
    assert 'href="../b/"' in text and 'href="../b/#how"' in text
    assert re.search(r'href="[./]*assets/media/sheet\.[0-9a-f]+\.pdf"', text)  # not a guide: a file, copied
    broken = make_site({"content/en/guides/a.md": guide("A", "Fine.\n\nSee [c](c/) and\n[c again](c).\n")},
                       name="broken")
    assert failures(broken) == ["content/en/guides/a.md:7: link 'c/' points to no guide",
                                "content/en/guides/a.md:8: link 'c' points to no guide"]
