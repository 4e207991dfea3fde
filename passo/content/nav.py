"""Navigation: the guides in reading order and in sections, as MkDocs makes them from folders or from `nav`."""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from passo.config import NavEntry, SiteConfig
from passo.content.load import INDEX_NAMES, Guide, humanise, is_index
from passo.problems import Problem, problem_at

NAV_CONTEXT = "nav"  # the catalogue context of titles written in site.toml's nav


@dataclass
class NavPage:
    """A guide as navigation sees it in one language."""

    key: str
    title: str  # its title in that language
    order: int  # its `order:` (1000 when it gives none)
    rel_path: str  # where its file sits under guides/ (the default language's file when there is one)


@dataclass
class Link:
    """A guide listed in a section."""

    key: str
    label: str  # its title, or the title nav gives it
    order: int
    rel_path: str
    position: float = math.inf  # its place in nav; guides nav does not list come after


@dataclass
class Section:
    """A folder under guides/, or a section of nav: a title, its own page (an index) and what it holds."""

    title: str
    page: str | None = None
    items: list[Link | Section] = field(default_factory=list)
    position: float = math.inf
    page_order: int = 1000

    def orders(self) -> Iterator[int]:
        if self.page is not None:
            yield self.page_order
        for item in self.items:
            if isinstance(item, Link):
                yield item.order
            else:
                yield from item.orders()


@dataclass
class Navigation:
    """One language's navigation: the sections, the reading order, and where each guide sits."""

    root: Section
    order: list[str]  # guide keys in reading order (previous / next)
    trails: dict[str, list[Section]]  # key -> the sections it sits in, outermost first (not the one it is the page of)
    labels: dict[str, str]  # key -> the name navigation gives it

    places: dict[str, int] = field(default_factory=dict)  # key -> its index in `order`

    def __post_init__(self) -> None:
        self.places = {key: at for at, key in enumerate(self.order)}

    def neighbours(self, key: str) -> tuple[str | None, str | None]:
        at = self.places[key]
        return (self.order[at - 1] if at > 0 else None,
                self.order[at + 1] if at + 1 < len(self.order) else None)


def build_navigation(pages: list[NavPage], entries: list[NavEntry],
                     nav_title: Callable[[str], str | None]) -> Navigation:
    """Sections and order for one language. With `entries` (site.toml's nav), nav makes the sections and the
    guides it does not list follow, by folder; without, folders are sections. In each section, guides and
    sections sort by `order:` (a section by its first page's), then their place in nav, guides before sections,
    then title. `nav_title` translates a title written in nav, or gives None where it has no translation."""
    labels = {page.key: page.title for page in pages}
    by_path = {page.rel_path: page for page in pages}
    root = Section("")
    used: set[str] = set()
    if entries:
        root.items = _from_nav(entries, by_path, used, labels, nav_title)
        _take_index(root, top_level=True)
    rest = _from_folders([page for page in pages if page.key not in used], labels)
    root.items.extend(rest.items)
    if root.page is None:
        root.page, root.page_order = rest.page, rest.page_order
    _sort(root)
    order: list[str] = []
    trails: dict[str, list[Section]] = {}
    _walk(root, None, order, trails)
    return Navigation(root, order, trails, labels)


def _from_nav(entries: list[NavEntry] | tuple[NavEntry, ...], by_path: dict[str, NavPage], used: set[str],
              labels: dict[str, str], nav_title: Callable[[str], str | None]) -> list[Link | Section]:
    items: list[Link | Section] = []
    for position, entry in enumerate(entries):
        if entry.path is not None:
            page = by_path.get(entry.path)
            if page is None or page.key in used:  # reported by check_nav
                continue
            used.add(page.key)
            if entry.title:
                labels[page.key] = nav_title(entry.title) or labels[page.key]
            items.append(Link(page.key, labels[page.key], page.order, page.rel_path, position))
            continue
        section = Section(entry.title or "", position=position)
        section.items = _from_nav(entry.children, by_path, used, labels, nav_title)
        _take_index(section)
        translated = nav_title(section.title)
        section.title = translated or (labels[section.page] if section.page else section.title)
        items.append(section)
    return items


def _take_index(section: Section, top_level: bool = False) -> None:
    """A nav section whose first entry is an index page has that page as its own, as a folder does; nav's first
    entry is the guides' own page when it is guides/index.md (or README.md)."""
    first = section.items[0] if section.items else None
    if isinstance(first, Link) and is_index(first.rel_path) and not (top_level and "/" in first.rel_path):
        section.page, section.page_order = first.key, first.order
        section.items.pop(0)


def _from_folders(pages: list[NavPage], labels: dict[str, str]) -> Section:
    root = Section("")
    folders: dict[str, Section] = {"": root}

    def folder(path: str) -> Section:
        if path not in folders:
            section = Section(humanise(posixpath.basename(path)))
            folder(posixpath.dirname(path)).items.append(section)
            folders[path] = section
        return folders[path]

    for page in sorted(pages, key=lambda p: p.rel_path):
        path, name = posixpath.split(page.rel_path)
        section = folder(path)
        if name in INDEX_NAMES and section.page is None:
            section.page, section.page_order = page.key, page.order
            if path:
                section.title = labels[page.key]
        else:
            section.items.append(Link(page.key, labels[page.key], page.order, page.rel_path))
    return root


def _sort(section: Section) -> None:
    def sort_key(item: Link | Section) -> tuple:
        if isinstance(item, Link):
            return (item.order, item.position, False, item.label.casefold(), item.key)
        return (min(item.orders(), default=1000), item.position, True, item.title.casefold(), "")

    section.items.sort(key=sort_key)
    for item in section.items:
        if isinstance(item, Section):
            _sort(item)


def _walk(section: Section, trail: list[Section] | None, order: list[str], trails: dict[str, list[Section]]) -> None:
    """Depth first, each section's own page before what it holds; `trail` is None at the root (no section)."""
    if section.page is not None:
        order.append(section.page)
        trails[section.page] = trail or []
    inner = [] if trail is None else [*trail, section]
    for item in section.items:
        if isinstance(item, Link):
            order.append(item.key)
            trails[item.key] = inner
        else:
            _walk(item, inner, order, trails)


def nav_leaves(entries: list[NavEntry] | tuple[NavEntry, ...]) -> Iterator[NavEntry]:
    for entry in entries:
        if entry.path is not None:
            yield entry
        else:
            yield from nav_leaves(entry.children)


def nav_sections(entries: list[NavEntry] | tuple[NavEntry, ...]) -> Iterator[NavEntry]:
    for entry in entries:
        if entry.path is None:
            yield entry
            yield from nav_sections(entry.children)


def check_nav(site_dir: Path, config: SiteConfig, guides: list[Guide]) -> list[Problem]:
    """Each guide nav names must exist, and be named once; each problem at its line of site.toml."""
    if not config.nav_entries:
        return []
    paths: dict[str, str] = {}
    for guide in sorted(guides, key=lambda g: g.lang != config.default_language):
        paths.setdefault(guide.rel_path, guide.key)
    site_toml = site_dir / "site.toml"
    problems = []
    seen: dict[str, NavEntry] = {}
    for entry in nav_leaves(config.nav_entries):
        assert entry.path is not None
        key = paths.get(entry.path)
        if key is None:
            if any((site_dir / "content" / code / "guides" / entry.path).is_file() for code in config.languages):
                continue  # the guide is there but did not load: its own problems say why
            problems.append(problem_at(site_toml, entry.line, f"nav: '{entry.path}' names no guide (there is no "
                                       f"content/{config.default_language}/guides/{entry.path})",
                                       display_path="site.toml"))
        elif key in seen:
            problems.append(problem_at(site_toml, entry.line, f"nav: '{entry.path}' is listed twice (also at "
                                       f"line {seen[key].line})", display_path="site.toml"))
        else:
            seen[key] = entry
    return problems
