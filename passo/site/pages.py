"""Which pages the site has, and rendering them (guides in parallel worker processes on a large site)."""

from __future__ import annotations

import multiprocessing
import os
import posixpath
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from passo.config import SiteConfig
from passo.content.load import Guide
from passo.content.markdown_render import GuideMarkdown, LinkRef, raw_html_lines
from passo.content.media import MediaFile, PageMedia
from passo.i18n import Language
from passo.problems import Problem
from passo.site.render import GuideLink, PageRenderer, TemplateProblem, Theme, guide_context, relative

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

    def __post_init__(self) -> None:
        for guide in self.guides:
            self.path_to_key.setdefault(guide.lang, {})[guide.rel_path] = guide.key
            self.by_key.setdefault(guide.key, {})[guide.lang] = guide

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

    def guide_links(self, lang: str) -> list[GuideLink]:
        """Every guide as listed in one language, in the coach's order; URLs relative to that language's home."""
        links = []
        for key in self.by_key:
            guide = self.guide_for(key, lang)
            links.append((guide.meta.order, guide.meta.title.casefold(), key,
                          GuideLink(key, guide.meta.title, guide.meta.summary, f"guides/{key}/", guide.tags)))
        return [item[-1] for item in sorted(links, key=lambda t: t[:3])]

    def schema_title(self, schema_id: str, lang: str) -> str:
        schema = self.schemas[schema_id]
        return self.languages[lang].pgettext(f"{schema_id}:/title", schema.title)


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
    media_looked_at: dict[str, tuple[int, int]] = field(default_factory=dict)  # media sources tried, by stat


def guide_page_path(lang: str, key: str) -> str:
    return f"{lang}/guides/{key}/index.html"


def guide_jobs(model: SiteModel, keys: set[str] | None = None) -> list[tuple[str, str]]:
    """(page language, key) of every guide page to render; None means all of them."""
    return [(lang, key) for key in sorted(model.by_key) if keys is None or key in keys
            for lang in model.config.languages]


# Set in the parent before workers fork, so they inherit the model without pickling it.
_MODEL: SiteModel | None = None
_WORKER_CACHE: dict[str, Any] = {}


def _cached(key: str, make: Callable[[], Any]) -> Any:
    """One converter and one renderer per language in each process, made on first use."""
    if key not in _WORKER_CACHE:
        _WORKER_CACHE[key] = make()
    return _WORKER_CACHE[key]


def _render_one(job: tuple[str, str]) -> GuidePageResult:
    model = _MODEL
    assert model is not None
    lang, key = job
    guide = model.guide_for(key, lang)
    converter = _cached("markdown", lambda: GuideMarkdown(model.config.raw_html, model.config.markdown_extensions,
                                                          model.site_dir))
    renderer = _cached(f"renderer-{lang}", lambda: model.renderer(lang))
    body = guide.body if guide.body is not None else _read_body(model.site_dir / guide.source, guide.body_line)
    out_path = guide_page_path(lang, key)
    media = PageMedia(model.site_dir, guide.source, guide.lang, model.config.default_language, guide.rel_dir,
                      "../" * out_path.count("/"), model.media_cache or model.site_dir / ".passo-media")
    try:
        rendered = converter.convert(body, first_line=guide.body_line, rel_dir=guide.rel_dir,
                                     page_key=key, resolve=model.resolver(guide.lang), media=media)
    except RecursionError:
        _WORKER_CACHE.clear()  # the converter's state is undefined after this: start the next page afresh
        problem = Problem(guide.source, guide.body_line, 0, "the Markdown is nested too deeply to convert "
                                                            "(lists or quotes hundreds of levels deep)")
        return GuidePageResult(guide_page_path(lang, key), key, lang, guide.source, b"", [], [], [problem],
                               owner=guide.lang == lang)
    problems = [Problem(guide.source, line, 0, f"link '{href}' points to no guide") for line, href in rendered.broken]
    if guide.lang == lang:  # a fallback page repeats its guide's problems: the guide's own page reports them
        problems += [Problem(guide.source, line, 0, message, severity)
                     for line, message, severity in [*rendered.problems, *media.problems]]
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
    try:
        html = renderer.render("guide.html", out_path, "guide",
                               **guide_context(guide, rendered.html, rendered.toc, lang, plan_url, plan_title))
    except TemplateProblem as exc:
        problems.append(exc.problem)
        html = b""
    return GuidePageResult(out_path, key, lang, guide.source, html, sorted(rendered.anchors), rendered.links,
                           problems, owner=guide.lang == lang, media=media.files, media_looked_at=media.looked_at)


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
        for done, job in enumerate(jobs, 1):
            yield _render_one(job)
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


def check_links(results: dict[str, tuple[str, list[str], list]], anchors: dict[tuple[str, str], set[str]]
                ) -> list[Problem]:
    """A link to a guide's #anchor must find that heading in the target's page of the same language."""
    problems = []
    for source, (lang, _own, links) in sorted(results.items()):
        for line, href, target, anchor in links:
            if anchor and anchor not in anchors.get((lang, target), set()):
                problems.append(Problem(source, line, 0, f"link '{href}': guide '{target}' has no heading "
                                                         f"with the anchor '#{anchor}'"))
    return problems
