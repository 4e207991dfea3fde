"""Which pages the site has, and rendering them (guides in parallel worker processes on a large site)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import posixpath
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown.extensions.toc import nest_toc_tokens

from passo.config import SiteConfig
from passo.content.load import LANDING_KEY, Guide, guide_url
from passo.content.markdown_render import GuideMarkdown, LinkRef, raw_html_lines
from passo.content.media import MediaFile, PageMedia
from passo.content.nav import NAV_CONTEXT, Link, Navigation, NavPage, Section, build_navigation
from passo.i18n import Language
from passo.problems import Problem, Severity
from passo.site.render import GuideLink, PageRenderer, TemplateProblem, Theme, guide_context, html_text, relative

PARALLEL_FROM = 200  # below this many guide pages, starting worker processes costs more than it saves


@dataclass
class SiteModel:
    """Everything the render stage needs, gathered before any page is written."""

    site_dir: Path
    config: SiteConfig
    theme: Theme
    languages: dict[str, Language]
    guides: list[Guide]
    schemas: dict[str, Any]
    asset_urls: dict[str, str]
    path_to_key: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> rel_path -> key
    by_key: dict[str, dict[str, Guide]] = field(default_factory=dict)  # key -> lang -> guide
    media_cache: Path | None = None  # where processed media are kept (beside dist/); None: a folder in the site
    navigations: dict[str, Navigation] = field(default_factory=dict)  # lang -> sections and reading order

    def __post_init__(self) -> None:
        for guide in self.guides:
            self.path_to_key.setdefault(guide.lang, {})[guide.rel_path] = guide.key
            self.by_key.setdefault(guide.key, {})[guide.lang] = guide
        for lang in self.config.languages:
            if lang in self.languages:
                self.navigations[lang] = self._navigation(lang)

    def title_of(self, guide: Guide, lang: str) -> str:
        """A guide's title on a page in `lang`; the guides' own page, untitled, is "Guides" in that language."""
        if guide.key == LANDING_KEY and guide.title_from == "file":
            return self.languages[lang].gettext("Guides")
        return guide.title

    def _navigation(self, lang: str) -> Navigation:
        default = self.config.default_language
        language = self.languages[lang]
        pages = []
        for key, versions in self.by_key.items():
            shown = self.guide_for(key, lang)
            placed = versions.get(default) or shown  # sections follow the default language's folders
            pages.append(NavPage(key, self.title_of(shown, lang), shown.meta.order, placed.rel_path))

        def nav_title(text: str) -> str | None:
            """nav is written in the default language; another shows its catalogue's translation, if any."""
            if lang == default:
                return text
            return language.pgettext(NAV_CONTEXT, text) if language.has(text, NAV_CONTEXT) else None

        return build_navigation(pages, self.config.nav_entries, nav_title)

    def guide_for(self, key: str, lang: str) -> Guide:
        """The guide shown at /<lang>/guides/<key>/: its translation, else the default language's, else any."""
        versions = self.by_key[key]
        return versions.get(lang) or versions.get(self.config.default_language) or next(iter(versions.values()))

    def resolver(self, lang: str) -> Callable[[str, str], str | None]:
        def resolve(rel_dir: str, link: str) -> str | None:
            rel = posixpath.normpath(posixpath.join(rel_dir, link))
            for code in (lang, self.config.default_language, *self.config.languages):
                key = self.path_to_key.get(code, {}).get(rel)
                if key:
                    return key
            return None
        return resolve

    def alternates(self, kind: str, url: str) -> list[tuple[str, str]]:
        if kind in ("lang-choice", "404", "offline"):
            return []
        rest = url.split("/", 1)[1] if "/" in url else ""
        return [(code, f"{code}/{rest}") for code in self.config.languages]

    def renderer(self, lang: str) -> PageRenderer:
        return PageRenderer(self.theme, self.languages[lang], self.asset_urls, self.alternates)

    def guide_link(self, key: str, lang: str) -> GuideLink:
        guide = self.guide_for(key, lang)
        return GuideLink(key, self.navigations[lang].labels[key], guide.summary, guide_url(key), guide.tags)

    def guide_links(self, lang: str) -> list[GuideLink]:
        """Every guide as listed in one language, in reading order; URLs relative to that language's home."""
        return [self.guide_link(key, lang) for key in self.navigations[lang].order]

    def guide_sections(self, lang: str) -> list[GuideRun | GuideGroup]:
        """The home page's list: runs of guides and sections with a heading each (h3, h4 below...)."""

        def blocks(section: Section, level: int) -> list[GuideRun | GuideGroup]:
            out: list[GuideRun | GuideGroup] = []
            run = [self.guide_link(section.page, lang)] if section.page and level == 3 else []
            for item in section.items:
                if isinstance(item, Link):
                    run.append(self.guide_link(item.key, lang))
                    continue
                if run:
                    out.append(GuideRun(run))
                    run = []
                page = self.guide_link(item.page, lang) if item.page else None
                out.append(GuideGroup(item.title, page.url if page else None, page.summary if page else "",
                                      min(level, 6), blocks(item, level + 1)))
            if run:
                out.append(GuideRun(run))
            return out

        return blocks(self.navigations[lang].root, 3)

    def place(self, lang: str, key: str) -> tuple:
        """Where a guide page sits, as plain data: its sections (title, own page), and the guides before and after
        it (key, label); what its front matter's `hide` leaves out is empty."""
        nav = self.navigations[lang]
        hide = set(self.guide_for(key, lang).meta.hide)
        trail = tuple((s.title, s.page) for s in nav.trails.get(key, [])) if not hide & {"navigation", "path"} else ()
        before, after = nav.neighbours(key) if not hide & {"navigation", "footer"} else (None, None)
        return (trail, before and (before, nav.labels[before]), after and (after, nav.labels[after]))

    def page_nav(self, lang: str, key: str) -> dict[str, Any]:
        """A guide page's navigation for its template: `trail` ("Guides" first, then its sections), `previous`
        and `next`, each {title, url} with URLs relative to the page."""
        out_path = guide_page_path(lang, key)
        trail, before, after = self.place(lang, key)

        def link(title: str, page: str | None) -> dict[str, str | None]:
            return {"title": title, "url": relative(out_path, f"{lang}/{guide_url(page)}") if page else None}

        guides = [] if not trail else [{"title": self.languages[lang].gettext("Guides"), "url": relative(
            out_path, f"{lang}/{guide_url(LANDING_KEY)}" if LANDING_KEY in self.by_key else f"{lang}/")}]
        return {"trail": guides + [link(title, page) for title, page in trail],
                "previous": link(before[1], before[0]) if before else None,
                "next": link(after[1], after[0]) if after else None}

    def nav_digests(self) -> dict[str, str]:
        """Guide page -> a digest of what its navigation shows, so a build redoes the pages whose navigation
        changed when guides come, go, move or change titles."""
        return {guide_page_path(lang, key): hashlib.blake2b(repr(self.place(lang, key)).encode(),
                                                            digest_size=8).hexdigest()
                for lang in self.navigations for key in self.by_key}

    def schema_title(self, schema_id: str, lang: str) -> str:
        schema = self.schemas[schema_id]
        return self.languages[lang].pgettext(f"{schema_id}:/title", schema.title)


@dataclass
class GuideRun:
    """Guides listed one after another on the home page."""

    links: list[GuideLink]
    kind: str = "run"


@dataclass
class GuideGroup:
    """A section on the home page: its heading (a link to its own page, if it has one) and what it holds."""

    title: str
    url: str | None
    summary: str
    level: int
    blocks: list[GuideRun | GuideGroup]
    kind: str = "section"


@dataclass
class GuidePageResult:
    out_path: str
    key: str
    lang: str
    source: str
    html: bytes
    anchors: list[str]
    links: list[LinkRef]
    problems: list[Problem]
    owner: bool  # True when the page shows the guide in its own language (its anchors count for links)
    media: dict[str, MediaFile] = field(default_factory=dict)  # out path -> image or file the page uses
    media_looked_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # media and snippets read, by stat


def guide_page_path(lang: str, key: str) -> str:
    return f"{lang}/{guide_url(key)}index.html"


def guide_jobs(model: SiteModel, keys: set[str] | None = None,
               pages: set[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(page language, key) of every guide page to render: all of them when `keys` is None, else those of `keys`
    in every language and the single pages in `pages`."""
    jobs = [(lang, key) for key in model.by_key for lang in model.config.languages
            if keys is None or key in keys or (lang, key) in (pages or ())]
    return sorted(jobs, key=lambda job: guide_page_path(*job))  # path order: the search index is fed in it


# Set in the parent before workers fork, so they inherit the model without pickling it.
_MODEL: SiteModel | None = None
_WORKER_CACHE: dict[str, Any] = {}
_CACHE_LOCK = threading.RLock()  # re-entrant: making one entry may ask for another


def _cached(key: str, make: Callable[[], Any], *, per_thread: bool = False) -> Any:
    """One converter and one renderer per language in each process, made on first use; a Markdown converter holds
    the page it converts, so each render thread has its own (`per_thread`)."""
    if per_thread:
        key = f"{key}@{threading.get_ident()}"
    with _CACHE_LOCK:  # two threads starting at once would each compile the templates
        if key not in _WORKER_CACHE:
            _WORKER_CACHE[key] = make()
        return _WORKER_CACHE[key]


def _render_one(job: tuple[str, str]) -> GuidePageResult:
    model = _MODEL
    assert model is not None
    lang, key = job
    guide = model.guide_for(key, lang)
    converter = _cached("markdown", lambda: GuideMarkdown(model.config.raw_html, model.config.markdown_extensions,
                                                          model.site_dir), per_thread=True)
    renderer = _cached(f"renderer-{lang}", lambda: model.renderer(lang))
    body = guide.body if guide.body is not None else _read_body(model.site_dir / guide.source, guide.body_line)
    out_path = guide_page_path(lang, key)
    media = PageMedia(model.site_dir, guide.source, guide.lang, model.config.default_language, guide.rel_dir,
                      "../" * out_path.count("/"), model.media_cache or model.site_dir / ".passo-media",
                      missing=broken_severity(model.config))
    try:
        rendered = converter.convert(body, first_line=guide.body_line, rel_dir=guide.rel_dir,
                                     page_key=key, resolve=model.resolver(guide.lang), media=media)
    except RecursionError:
        _WORKER_CACHE.clear()  # the converter's state is undefined after this: start the next page afresh
        problem = Problem(guide.source, guide.body_line, 0, "the Markdown is nested too deeply to convert "
                                                            "(lists or quotes hundreds of levels deep)")
        return GuidePageResult(guide_page_path(lang, key), key, lang, guide.source, b"", [], [], [problem],
                               owner=guide.lang == lang)
    problems = [Problem(guide.source, line, 0, f"link '{href}' points to no guide", broken_severity(model.config))
                for line, href in rendered.broken]
    if guide.lang == lang:  # a fallback page repeats its guide's problems: the guide's own page reports them
        problems += [Problem(guide.source, line, 0, message, severity)
                     for line, message, severity in [*rendered.problems, *media.problems]]
    content, title_id, title = rendered.html, None, model.title_of(guide, lang)
    if guide.drop_heading:  # the title is the page's <h1>; the heading the text opens with would say it twice
        heading = LEADING_H1.match(content)
        if heading:
            content, title_id = content[heading.end():], heading.group("id")
    elif guide.title_from == "file":
        # A page whose text opens with a heading only once converted (a --8<-- snippet's): as MkDocs, that
        # heading is the page's title, said once; navigation keeps the file's name or nav's title.
        heading = LEADING_H1.match(content)
        if heading:
            content, title_id = content[heading.end():], heading.group("id")
            inner = re.sub(r'<a\b[^>]*class="headerlink".*?</a>', "", heading.group("inner"), flags=re.S)
            title = html_text(inner) or title
    if model.config.raw_html == "refuse" and guide.lang == lang:
        problems += [Problem(guide.source, line, 0, 'raw HTML is not allowed in guides (site.toml raw_html = "refuse")')
                     for line in raw_html_lines(body, guide.body_line)]
    plan = guide.meta.plan
    plan_url = relative(out_path, f"{lang}/plans/{plan}/") if plan and plan in model.schemas else None
    plan_title = model.schema_title(plan, lang) if plan_url else None
    if plan and plan not in model.schemas:
        known = ", ".join(sorted(model.schemas)) or "none"
        problems.append(Problem(guide.source, guide.line_of("plan"), 0,
                                f"plan '{plan}' is not a schema in schemas/ (known: {known})"))
    template = guide.meta.template or "guide.html"
    if not _has_template(model, template):
        problems.append(Problem(guide.source, guide.line_of("template"), 0,
                                f"template '{template}': Passo has no MkDocs templates; name a template of this "
                                "site's templates/ folder, or remove the key"))
        template = "guide.html"
    hide = set(guide.meta.hide)
    toc = [] if "toc" in hide else toc_entries(rendered.toc, guide.meta.toc_depth)
    try:
        html = renderer.render(template, out_path, "guide",
                               **guide_context(guide, title, content, toc, lang, plan_url,
                                               plan_title, title_id=title_id, nav=model.page_nav(lang, key),
                                               tags=[] if "tags" in hide else guide.tags))
    except TemplateProblem as exc:
        problems.append(exc.problem)
        html = b""
    return GuidePageResult(out_path, key, lang, guide.source, html, sorted(rendered.anchors), rendered.links,
                           problems, owner=guide.lang == lang, media=media.files,
                           media_looked_at={**media.looked_at, **rendered.read})


LEADING_H1 = re.compile(r'\s*<h1(?=[\s>])(?:[^>]*?\sid="(?P<id>[^"]*)")?[^>]*>(?P<inner>.*?)</h1>\n?', re.S)


def _has_template(model: SiteModel, name: str) -> bool:
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or "\\" in name:
        return False
    # Asked once per page: the folders are looked in once per build (and per worker) for each name.
    folders = _cached("template-dirs", lambda: model.theme.template_dirs)
    return _cached(f"template:{name}", lambda: any((folder / name).is_file() for folder in folders))


def toc_entries(tokens: list[dict], depth: int | str) -> list[dict]:
    """The table of contents down to `toc_depth` (3: the `##` and `###` headings; '2-4': a range), nested."""
    top, bottom = (2, depth) if isinstance(depth, int) else (int(n) for n in depth.split("-"))
    flat: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            if max(top, 2) <= item["level"] <= bottom:
                flat.append({**item, "children": []})
            walk(item["children"])

    walk(tokens)
    return nest_toc_tokens(flat)


def _read_body(path: Path, body_line: int) -> str:
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    return "\n".join(text.split("\n")[body_line - 1:])


def render_guides(model: SiteModel, jobs: list[tuple[str, str]],
                  progress: Callable[[int, int], None] | None = None) -> Iterator[GuidePageResult]:
    """Render guide pages, on every core when there are many."""
    global _MODEL
    _MODEL = model
    _WORKER_CACHE.clear()
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        # Two threads: Markdown holds the GIL, but decoding, resizing and encoding a picture let go of it, so one
        # page's pictures are made on the other core while the next page's Markdown is converted. Results come in
        # job order, as from one thread.
        with ThreadPoolExecutor(max_workers=2 if len(jobs) > 1 else 1, thread_name_prefix="render") as threads:
            for done, result in enumerate(threads.map(_render_one, jobs), 1):
                yield result
                if progress:
                    progress(done, len(jobs))
        return
    context = multiprocessing.get_context("fork")
    chunk = max(8, len(jobs) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done, result in enumerate(pool.map(_render_one, jobs, chunksize=chunk), 1):
            yield result
            if progress:
                progress(done, len(jobs))


def broken_severity(config: SiteConfig) -> Severity:
    """What a link to a guide, heading or file that is not there is: site.toml's broken_links."""
    return "warning" if config.broken_links == "warn" else "error"


def check_links(results: dict[str, tuple[str, list[str], list]], anchors: dict[tuple[str, str], set[str]],
                severity: Severity = "error") -> list[Problem]:
    """A link to a guide's #anchor must find that heading in the target's page of the same language; a link to
    `#anchor` alone, on its own page."""
    problems = []
    for source, (lang, _own, links) in sorted(results.items()):
        for line, href, target, anchor in links:
            if anchor and anchor not in anchors.get((lang, target), set()):
                where = "this guide" if href.startswith("#") else f"guide '{target}'"
                problems.append(Problem(source, line, 0, f"link '{href}': {where} has no heading "
                                                         f"with the anchor '#{anchor}'", severity))
    return problems
