"""Navigation: folders (or site.toml's nav) make sections, guides read in order with previous and next, the home
page lists them by section, and an incremental build keeps every guide's navigation true."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import guide

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it\\n"\n\n'


def page(site: Path, path: str, dist: str = "dist") -> str:
    return (site / dist / path).read_text(encoding="utf-8")


def failures(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build(site)
    return [f"{p.path}:{p.line}: {p.message}" for p in failure.value.problems]


def listed(home: str) -> list[str]:
    """The home page's list of guides, as a reader meets it: section headings (marked '#') and guide titles."""
    block = home.split('id="guides-heading"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'<h(\d)>(?:<a href="[^"]*">)?([^<]*)|<li>\s*<a href="[^"]*">([^<]*)</a>', block)
    return [f"{'#' * int(level)} {heading}" if level else title for level, heading, title in found]


def pager(html: str) -> dict[str, tuple[str, str]]:
    """rel -> (href, accessible name) of the previous / next links."""
    links = re.findall(r'<a class="pager-\w+" rel="(prev|next)" href="([^"]*)">(.*?)</a>', html)
    return {rel: (href, re.sub(r"<[^>]+>", "", text)) for rel, href, text in links}


def trail(html: str) -> list[str]:
    if 'class="trail"' not in html:
        return []
    block = html.split('class="trail"', 1)[1].split("</nav>", 1)[0]
    return [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", block)]


FOLDERS = {
    "content/en/guides/welcome.md": guide("Welcome", order="1"),
    "content/en/guides/habits/index.md": guide("Habits that stick", "Start here.\n", summary="Small and daily."),
    "content/en/guides/habits/daily.md": guide("Daily practice"),
    "content/en/guides/habits/weekly.md": guide("A weekly review"),
    "content/en/guides/tools-and-tricks/timer.md": guide("Timer"),
    "content/en/guides/zen.md": guide("Zen"),
}


def test_folders_are_sections_titled_by_their_index_else_their_name(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(FOLDERS)
    build(site)
    # Guides by `order:`, then title; a folder's guides after the guides beside it, its own page first.
    assert listed(page(site, "en/index.html")) == [
        "Welcome", "Zen", "### Habits that stick", "A weekly review", "Daily practice", "### Tools and tricks", "Timer"]
    home = page(site, "en/index.html")
    assert '<h3><a href="guides/habits/">Habits that stick</a></h3>' in home and "Small and daily." in home
    assert trail(page(site, "en/guides/habits/daily/index.html")) == ["Guides", "Habits that stick"]
    assert trail(page(site, "en/guides/tools-and-tricks/timer/index.html")) == ["Guides", "Tools and tricks"]
    assert trail(page(site, "en/guides/habits/index.html")) == []  # the section's own page: it is the section
    assert trail(page(site, "en/guides/zen/index.html")) == []


def test_a_guide_page_links_the_guides_before_and_after_it(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site(FOLDERS)
    build(site)
    daily = page(site, "en/guides/habits/daily/index.html")
    assert pager(daily) == {"prev": ("../weekly/", "Previous: A weekly review"),
                            "next": ("../../tools-and-tricks/timer/", "Next: Timer")}
    assert '<nav class="pager" aria-label="Previous and next guide"' in daily
    assert 'href="../../../"' in daily.split('class="trail"')[1].split("</nav>")[0]  # "Guides": the home page
    assert pager(page(site, "en/guides/welcome/index.html")) == {"next": ("../zen/", "Next: Zen")}
    assert pager(page(site, "en/guides/tools-and-tricks/timer/index.html")) == {
        "prev": ("../../habits/daily/", "Previous: Daily practice")}


NAV = '''name = "Tiny"
languages = ["en"]
search = false
nav = [
  "zen.md",
  {"Start here" = "welcome.md"},
  {"Practice" = [
    "habits/index.md",
    "habits/weekly.md",
    "habits/daily.md",
  ]},
]
'''


def test_nav_in_site_toml_orders_titles_and_makes_sections(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {**FOLDERS, "site.toml": NAV, "content/en/guides/welcome.md": guide("Welcome")}
    site = make_site(files)
    build(site)
    # nav's order and titles, a section's first index page its own; the guide nav leaves out follows, by folder.
    assert listed(page(site, "en/index.html")) == [
        "Zen", "Start here", "### Practice", "A weekly review", "Daily practice", "### Tools and tricks", "Timer"]
    assert '<h3><a href="guides/habits/">Practice</a></h3>' in page(site, "en/index.html")
    assert trail(page(site, "en/guides/habits/weekly/index.html")) == ["Guides", "Practice"]
    assert pager(page(site, "en/guides/zen/index.html")) == {"next": ("../welcome/", "Next: Start here")}
    assert "<h1>Welcome</h1>" in page(site, "en/guides/welcome/index.html")  # the page keeps its own title


def test_front_matter_order_comes_before_nav(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {**FOLDERS, "site.toml": NAV, "content/en/guides/welcome.md": guide("Welcome", order="1")}
    site = make_site(files)
    build(site)
    assert listed(page(site, "en/index.html"))[:2] == ["Start here", "Zen"]


def test_a_nav_entry_naming_no_guide_is_an_error_at_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({**FOLDERS, "site.toml": NAV.replace('"habits/daily.md"', '"habits/dayly.md"')})
    assert failures(site) == [
        "site.toml:10: nav: 'habits/dayly.md' names no guide (there is no content/en/guides/habits/dayly.md)"]


def test_a_guide_twice_in_nav_is_an_error_at_the_second(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({**FOLDERS, "site.toml": NAV.replace('"habits/daily.md"', '"zen.md"')})
    assert failures(site) == ["site.toml:10: nav: 'zen.md' is listed twice (also at line 5)"]


def test_nav_titles_are_translated_in_the_catalogue(make_site) -> None:  # type: ignore[no-untyped-def]
    po = PO_HEADER + 'msgctxt "nav"\nmsgid "Practice"\nmsgstr "Pratica"\n'
    toml = NAV.replace('languages = ["en"]', 'languages = ["en", "it"]').replace(
        '"habits/index.md",\n', "")
    site = make_site({**FOLDERS, "site.toml": toml, "locales/it/LC_MESSAGES/messages.po": po,
                      "content/it/guides/welcome.md": guide("Benvenuto")})
    result = build(site)
    assert "### Pratica" in listed(page(site, "it/index.html"))
    assert "### Practice" in listed(page(site, "en/index.html"))
    # A guide's nav title without a translation gives way to the guide's own title in that language.
    assert "Benvenuto" in listed(page(site, "it/index.html")) and "Start here" in listed(page(site, "en/index.html"))
    assert [w.message for w in result.warnings if "nav" in w.message] == []
    missing = make_site({**FOLDERS, "site.toml": toml, "locales/it/LC_MESSAGES/messages.po": PO_HEADER},
                        name="missing")
    warnings = build(missing).warnings
    assert [(w.path, w.line, w.message) for w in warnings if "nav" in w.message] == [
        ("site.toml", 7, "no it translation for the nav section 'Practice' (passo i18n adds it to the catalogue)")]


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_incremental_build_after_adding_a_guide_updates_its_neighbours(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site(FOLDERS)
    build(site)
    (site / "content/en/guides/habits/monthly.md").write_text(guide("Monthly check"), encoding="utf-8")
    result = build(site)
    assert not result.full
    # Daily practice is now followed by Monthly check, which is followed by Timer.
    assert pager(page(site, "en/guides/habits/daily/index.html"))["next"] == ("../monthly/", "Next: Monthly check")
    assert pager(page(site, "en/guides/tools-and-tricks/timer/index.html"))["prev"] == (
        "../../habits/monthly/", "Previous: Monthly check")
    build(site, tmp_path / "full", incremental=False)
    assert tree_digest(site / "dist") == tree_digest(tmp_path / "full")
    # A new title renames the section on every page in it; removing a guide relinks its neighbours.
    (site / "content/en/guides/habits/index.md").write_text(guide("Habits", "Start here.\n"), encoding="utf-8")
    (site / "content/en/guides/zen.md").unlink()
    assert not build(site).full
    assert trail(page(site, "en/guides/habits/daily/index.html")) == ["Guides", "Habits"]
    assert pager(page(site, "en/guides/welcome/index.html")) == {"next": ("../habits/", "Next: Habits")}
    build(site, tmp_path / "full2", incremental=False)
    assert tree_digest(site / "dist") == tree_digest(tmp_path / "full2")


def test_a_text_change_that_keeps_title_and_order_renders_only_that_guide(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site(FOLDERS)
    build(site)
    source = site / "content/en/guides/habits/daily.md"
    source.write_text(guide("Daily practice", "A new sentence.\n"), encoding="utf-8")
    result = build(site)
    assert result.rendered == 1
    assert [f for f in result.changed if f.endswith(".html") and "/guides/" in f] == [
        "en/guides/habits/daily/index.html"]
    build(site, tmp_path / "full", incremental=False)
    assert tree_digest(site / "dist") == tree_digest(tmp_path / "full")
