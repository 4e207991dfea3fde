"""The build, top to bottom: load, validate, render, assets, PWA, write; a stage at a time, all problems at once."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from passo import builtin
from passo.config import SiteConfig, load_config
from passo.content.load import Guide, GuideMeta, load_guides
from passo.i18n import Language, browser_messages, js_messages, load_language
from passo.problems import BuildFailed, Problem
from passo.record.freshness import guides_unchanged, site_inputs
from passo.record.state import (
    BuildState,
    GuideRecord,
    digest_files,
    file_hash,
    stat_signature,
    state_path,
)
from passo.site import headers, pwa, seo
from passo.site.assets import add_generated_css, build_assets, schema_files
from passo.site.branding import brand_css
from passo.site.moves import moved_override_warnings
from passo.site.pages import (
    SiteModel,
    check_links,
    guide_jobs,
    guide_page_path,
    render_guides,
)
from passo.site.render import TemplateProblem, Theme, relative, stale_overrides
from passo.site.search import SearchFailed, SiteIndex, index_failed, run_pagefind
from passo.site.write import StagedOutput

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    pages: int = 0
    rendered: int = 0
    seconds: float = 0.0
    skipped: bool = False
    full: bool = True
    warnings: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # output files written this run
    removed: list[str] = field(default_factory=list)  # output files deleted this run (pages of removed guides)
    html: dict[str, bytes] = field(default_factory=dict, repr=False)  # the pages written, for the search index
    search: bool = False  # the site has a search index and this build changed pages: it needs bringing up to date


@dataclass
class Loaded:
    """Inputs read and checked, before anything is rendered."""

    config: SiteConfig
    languages: dict[str, Language]
    schemas: dict
    guides: list[Guide]
    warnings: list[Problem]


def _load_schemas(site_dir: Path) -> tuple[dict, list[Problem]]:
    schemas_dir = site_dir / "schemas"
    if not schemas_dir.is_dir() or not any(schemas_dir.glob("*.json")):
        return {}, []
    from passo.forms.schema_model import load_schemas  # the meta-model is only needed when a site has schemas

    return load_schemas(schemas_dir)


def _schema_warnings(schemas: dict, languages: dict[str, Language]) -> list[Problem]:
    """A schema text without a translation is shown in English; say which, where and in which language."""
    if not schemas:
        return []
    from passo.forms.schema_model import translatable_strings

    warnings = []
    for schema_id, schema in sorted(schemas.items()):
        strings = translatable_strings(schema)
        for code, language in sorted(languages.items()):
            if language.catalog is None:
                continue
            for context, text in strings:
                if not language.has(text, context):
                    warnings.append(Problem(f"schemas/{schema_id}.json", 0, 0,
                                            f"no {code} translation for {context.split(':', 1)[1]} "
                                            f"('{text[:40]}') of schema {schema_id}", severity="warning"))
    return warnings


def load_site(site_dir: Path, previous: BuildState | None = None) -> tuple[Loaded | None, list[Problem]]:
    """Read site.toml, catalogues, schemas and guide front matter; guides unchanged since `previous` come
    from its records, without reading their files."""
    config, problems = load_config(site_dir / "site.toml")
    if config is None:
        return None, problems
    languages: dict[str, Language] = {}
    for code in config.languages:
        language, found = load_language(site_dir, code, config.theme)
        problems.extend(found)
        if language is not None:
            languages[code] = language
    schemas, found = _load_schemas(site_dir)
    problems.extend(found)

    def reuse(source: str, st: os.stat_result) -> Guide | None:
        record = previous.guides.get(source) if previous else None
        if record and record.mtime_ns == st.st_mtime_ns and record.size == st.st_size:
            return _guide_from_record(source, record)
        return None

    guides, found = load_guides(site_dir, config, reuse)
    problems.extend(found)
    warnings = [p for p in problems if not p.is_error]
    warnings.extend(_schema_warnings(schemas, languages))
    errors = [p for p in problems if p.is_error]
    return Loaded(config, languages, schemas, guides, warnings), errors


def _guide_from_record(source: str, record: GuideRecord) -> Guide:
    meta = GuideMeta.model_construct(**record.meta)  # validated when it was recorded
    guide = Guide(lang=record.lang, rel_path=record.rel_path, source=source, meta=meta, body=None,  # type: ignore[arg-type]
                  body_line=record.body_line, digest=record.digest, key=record.key, tags=list(meta.tags))
    return guide


def build(site_dir: Path, out_dir: Path | None = None, *, incremental: bool = True, strict: bool = False,
          search: bool | str = True, progress: Progress | None = None, write: bool = True,
          minify: bool = True) -> BuildResult:
    """Build `site_dir` into `out_dir`; raise BuildFailed with every problem, leaving `out_dir` untouched.

    `search`: True builds the index as part of the build; "background" leaves it to the caller (`serve`, which
    refreshes it after the reload with `refresh_search`); False makes none.
    `minify=False` (what `serve` uses) ships the browser code as written, so its errors stay readable."""
    indexes: list[SiteIndex] = []
    try:
        return _build(site_dir, out_dir, incremental, strict, search, progress, write, minify, indexes)
    finally:
        for index in indexes:
            index.close()


def _build(site_dir: Path, out_dir: Path | None, incremental: bool, strict: bool, search: bool | str,
           progress: Progress | None, write: bool, minify: bool, indexes: list[SiteIndex]) -> BuildResult:
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    out_dir = (out_dir or site_dir / "dist").resolve()
    state_file = state_path(out_dir)
    previous = BuildState.load(state_file) if incremental and out_dir.is_dir() else BuildState()

    inputs = site_inputs(site_dir)
    signature = stat_signature(inputs, site_dir)
    site_same = bool(previous.site_digest) and signature == previous.site_stat
    same_code = previous.minified == minify  # switching minifying on or off rewrites every asset
    if write and site_same and same_code and guides_unchanged(site_dir, previous):
        return BuildResult(pages=sum(1 for f in previous.files if f.endswith(".html")), skipped=True,
                           full=False, seconds=time.perf_counter() - started)
    site_digest = digest_files(inputs, site_dir)
    full = not (previous.site_digest and site_digest == previous.site_digest and same_code)
    if write and search is True and not full and "pagefind/pagefind-entry.json" in previous.files:
        # Pagefind reads the pages now in dist/ while this process loads and renders; the pages written below are
        # added again afterwards, replacing their old copies.
        early = _start_index(out_dir)
        if early is not None:
            indexes.append(early)

    loaded, problems = load_site(site_dir, None if full else previous)
    # Go on past a bad guide, so one run reports every problem; stop only when nothing could be rendered right.
    if loaded is None or set(loaded.config.languages) - set(loaded.languages):
        raise BuildFailed(problems)
    config = loaded.config
    theme = Theme(site_dir, config, site_digest)
    warnings = loaded.warnings
    warnings.extend(stale_overrides(theme))
    warnings.extend(moved_override_warnings(builtin.layers(site_dir, config.theme, "site_src"), site_dir))
    if strict and warnings:
        raise BuildFailed([Problem(w.path, w.line, w.column, w.message, "error", w.source_line) for w in warnings])
    src_folders = builtin.layers(site_dir, config.theme, "site_src")
    assets, found = build_assets(src_folders, minify=minify)
    problems.extend(found)
    add_generated_css(assets, "css/brand.css", brand_css(config), minify=minify)
    model = SiteModel(site_dir, config, theme, loaded.languages, loaded.guides, loaded.schemas, assets.urls)

    # Which guide pages to render: all of them, or those whose source changed (and their fallbacks).
    old_keys = {(r.lang, r.key) for r in previous.guides.values()}
    new_keys = {(g.lang, g.key) for g in loaded.guides}
    changed_sources = {g.source for g in loaded.guides if g.body is not None}
    # A record is kept only for a guide that was loaded from it: a source deleted or moved (`x.md` becoming
    # `x/index.md` keeps the key) must not leave its old record, links and all, behind.
    kept_sources = {g.source for g in loaded.guides if g.body is None}
    if full or old_keys != new_keys:
        keys = None
    else:
        keys = {g.key for g in loaded.guides if g.source in changed_sources}
    jobs = guide_jobs(model, keys)

    outputs: dict[str, bytes] = {}
    reads: dict[str, list[str]] = {}

    def emit(path: str, data: bytes, sources: list[str]) -> None:
        if path in outputs:  # two sources mapping to one URL must never silently overwrite each other
            problems.append(Problem(sources[0] if sources else path, 0, 0,
                                    f"{path} would be written twice (also by {', '.join(reads[path])})"))
            return
        outputs[path] = data
        reads[path] = sources

    records: dict[str, GuideRecord] = {}
    link_table: dict[str, tuple[str, list[str], list]] = {}
    anchors: dict[tuple[str, str], set[str]] = {}
    for source, record in previous.guides.items():
        if not full and source in kept_sources:
            records[source] = record
            link_table[source] = (record.lang, record.anchors, record.links)
            anchors[(record.lang, record.key)] = set(record.anchors)

    for result in render_guides(model, jobs, progress):
        problems.extend(result.problems)
        emit(result.out_path, result.html, [result.source, "site"])
        if result.owner:
            anchors[(result.lang, result.key)] = set(result.anchors)
            guide = model.guide_for(result.key, result.lang)
            st = (site_dir / guide.source).stat()
            links = [[ref.line, ref.href, ref.target_key, ref.anchor] for ref in result.links]
            meta = guide.meta.model_dump(mode="json", exclude_defaults=True)
            records[guide.source] = GuideRecord(st.st_mtime_ns, st.st_size, guide.digest, guide.lang, guide.rel_path,
                                                guide.key, guide.body_line, meta, result.anchors, links)
            link_table[guide.source] = (guide.lang, result.anchors, links)
    # Links into a fallback page resolve to the default language's anchors.
    for key, versions in model.by_key.items():
        for code in config.languages:
            if code not in versions:
                shown = model.guide_for(key, code)
                anchors[(code, key)] = anchors.get((shown.lang, key), set())
    problems.extend(check_links(link_table, anchors))

    _render_other_pages(model, emit, problems)
    if full:
        for path, data in assets.files.items():
            emit(path, data, ["site_src"])
        icons, found = pwa.make_icons(config, site_dir)
        problems.extend(found)
        for path, data in icons.items():
            emit(path, data, ["site.toml"])
        for path, data in schema_files(loaded.schemas, site_dir / "schemas").items():
            emit(path, data, ["schemas"])
        wanted = js_messages(src_folders)
        # Exports and the sponsor report label fields in the plan's language: the browser needs schema texts too.
        schema_texts = _schema_texts(loaded.schemas)
        for code, language in loaded.languages.items():
            data = {"lang": code, "messages": browser_messages(language, wanted, schema_texts)}
            emit(f"i18n/{code}.json", json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode(),
                 ["locales", "site_src"])
        emit("manifest.webmanifest", pwa.manifest(config), ["site.toml"])
        emit("_headers", headers.headers_file(config.base_path), ["site.toml"])
        emit("robots.txt", seo.robots(config.site_url), ["site.toml"])
    sitemap_pages = [(f"{lang}/{p}", [(code, f"{code}/{p}") for code in config.languages])
                     for lang in config.languages
                     for p in ["", *[f"guides/{k}/" for k in sorted(model.by_key)]]]
    emit("sitemap.xml", seo.sitemap(config.site_url, sitemap_pages), ["content"])

    if problems:
        raise BuildFailed(problems)
    if not write:
        return BuildResult(pages=len(outputs), warnings=warnings, seconds=time.perf_counter() - started)

    staged = StagedOutput(out_dir, start_from_previous=not full)
    try:
        files = {} if full else dict(previous.files)
        expected_guides = {guide_page_path(lang, key) for key in model.by_key for lang in config.languages}
        for stale in [f for f in files if f.endswith("index.html") and "/guides/" in f and f not in expected_guides]:
            staged.remove(stale)
            files.pop(stale)
        for path, data in sorted(outputs.items()):
            staged.write(path, data)
            files[path] = file_hash(data)
        pages_changed = bool(jobs) or full
        run_search = config.search and search is not False and pages_changed
        if run_search and full and search != "background":
            run_pagefind(staged.path)
            files.update(_hashes(staged.path, staged.files("pagefind")))
        template = next(folder / "sw.js" for folder in src_folders if (folder / "sw.js").is_file())
        sw = pwa.service_worker(template.read_bytes(), files)  # as written: see pwa.service_worker
        staged.write("sw.js", sw)
        files["sw.js"] = file_hash(sw)
        check_files = {name: outputs.get(name) or staged.read(name)
                       for name in ("manifest.webmanifest", *[p for p in files if p.startswith("icons/")])}
        check_files["sw.js"] = sw
        page_list = [p for p in outputs if p.endswith(".html")]
        check_files.update({p: outputs[p] for p in page_list})
        install_problems = pwa.check_installable(check_files, page_list)
        if install_problems:
            raise BuildFailed(install_problems)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    new_state = BuildState(site_stat=signature, site_digest=site_digest, guides=records, files=files,
                           reads={**({} if full else previous.reads), **reads}, sw_template=str(template),
                           passo_version=builtin.version(), minified=minify)
    new_state.save(state_file)
    if run_search and not full and search is True:
        early = indexes[0] if indexes else None
        refresh_search(out_dir, early, None if staged.removed or early is None else outputs)
    return BuildResult(pages=sum(1 for f in files if f.endswith(".html")), rendered=len(jobs), full=full,
                       warnings=warnings, seconds=time.perf_counter() - started, changed=sorted(outputs),
                       removed=list(staged.removed), html={p: d for p, d in outputs.items() if p.endswith(".html")},
                       search=bool(run_search))


def _schema_texts(schemas: dict) -> list[tuple[str | None, str]]:
    if not schemas:
        return []
    from passo.forms.schema_model import translatable_strings

    return [(context, text) for sid in sorted(schemas) for context, text in translatable_strings(schemas[sid])]


def _hashes(folder: Path, names: list[str]) -> dict[str, str]:
    return {name: file_hash((folder / name).read_bytes()) for name in names}


def _start_index(out_dir: Path) -> SiteIndex | None:
    """An index of the pages now in `out_dir`, being read; None when Pagefind would not start (the index is then
    made after the build, which reports why)."""
    index = SiteIndex(out_dir)
    try:
        index.start_from_disk()
    except SearchFailed:
        index.close()
        return None
    return index


def refresh_search(out_dir: Path, index: SiteIndex | None = None, pages: dict[str, bytes] | None = None) -> None:
    """Bring the search index of a built site up to date, then the service worker's list of files to keep offline."""
    record_index(out_dir, update_index(out_dir, index, pages))


def update_index(out_dir: Path, index: SiteIndex | None = None, pages: dict[str, bytes] | None = None) -> list[str]:
    """Write `out_dir/pagefind/` anew; returns its files.

    `index` holds the site's pages as they were before the last build (a warm one in `serve`, or one started
    during the build); `pages` are the pages that build wrote. Without either, every page is read again from
    `out_dir`, as after a build that removed pages (Pagefind cannot take a page out of an index)."""
    out_dir = out_dir.resolve()
    try:
        if index is None:
            with SiteIndex(out_dir) as fresh:
                fresh.start_from_disk()
                return fresh.write()
        try:
            if pages is None:
                raise SearchFailed("pages were removed")
            index.add_pages(pages)
        except SearchFailed:  # a page vanished while read, or one was removed: read them all again
            index.start_from_disk()
        return index.write()
    except SearchFailed as exc:
        raise index_failed(exc) from exc


def record_index(out_dir: Path, index_files: list[str]) -> None:
    """Put the index's files in the build state and in the service worker's list of files to keep offline."""
    out_dir = out_dir.resolve()
    state_file = state_path(out_dir)
    state = BuildState.load(state_file)
    # Fragments and index chunks are named by a hash of their content: one already listed needs no reading.
    known = {k: v for k, v in state.files.items() if k.startswith(("pagefind/fragment/", "pagefind/index/"))}
    state.files = {k: v for k, v in state.files.items() if not k.startswith("pagefind/")}
    state.files.update({name: known[name] for name in index_files if name in known})
    state.files.update(_hashes(out_dir, [name for name in index_files if name not in known]))
    sw = pwa.service_worker(Path(state.sw_template).read_bytes(), state.files)
    temp = out_dir / ".sw.js.tmp"
    temp.write_bytes(sw)
    os.replace(temp, out_dir / "sw.js")
    state.files["sw.js"] = file_hash(sw)
    state.save(state_file)


def _render_other_pages(model: SiteModel, emit: Callable[[str, bytes, list[str]], None],
                        problems: list[Problem]) -> None:
    """Home, my plans, forms, settings and privacy in every language; the language choice, 404 and offline pages."""
    config = model.config

    def render(lang: str, template: str, out: str, kind: str, sources: list[str], **extra: object) -> None:
        try:
            emit(out, model.renderer(lang).render(template, out, kind, **extra), sources)
        except TemplateProblem as exc:
            problems.append(exc.problem)

    # Forms in the coach's order: by the first guide that explains each, then by id.
    first_guide = {}
    for g in model.guides:
        if g.meta.plan:
            first_guide[g.meta.plan] = min(first_guide.get(g.meta.plan, g.meta.order), g.meta.order)
    schema_order = sorted(model.schemas, key=lambda sid: (first_guide.get(sid, 10**9), sid))
    if model.schemas:
        from passo.forms.form_html import render_form  # only sites with plan forms need the form renderer
    for lang in config.languages:
        guides = model.guide_links(lang)

        def plan_links(out: str, lang: str = lang) -> list[_PlanLink]:
            return [_PlanLink(sid, model.schema_title(sid, lang), relative(out, f"{lang}/plans/{sid}/"))
                    for sid in schema_order]

        home, plans = f"{lang}/index.html", f"{lang}/plans/index.html"
        render(lang, "home.html", home, "home", ["content", "site"], guides=guides, plans=plan_links(home))
        render(lang, "plans.html", plans, "plans", ["schemas", "site"], schemas=plan_links(plans))
        render(lang, "settings.html", f"{lang}/settings/index.html", "settings", ["site"])
        render(lang, "privacy.html", f"{lang}/privacy/index.html", "privacy", ["site"])
        render(lang, "agenda.html", f"{lang}/agenda/index.html", "agenda", ["site"])
        render(lang, "review.html", f"{lang}/review/index.html", "review", ["site"])
        language = model.languages[lang]
        for sid in schema_order:
            schema = model.schemas[sid]
            out = f"{lang}/plans/{sid}/index.html"
            html = render_form(schema, language.pgettext)
            explaining = [_GuideRef(g.title, f"../../{g.url}") for g in guides
                          if model.guide_for(g.key, lang).meta.plan == sid]
            render(lang, "plan.html", out, "plan", [f"schemas/{sid}.json", "site"], schema=schema,
                   schema_title=model.schema_title(sid, lang), form_html=Markup(html), guides=explaining)
    default = config.default_language
    render(default, "lang-choice.html", "index.html", "lang-choice", ["site.toml"],
           languages=[(code, f"{code}/") for code in config.languages])
    render(default, "404.html", "404.html", "404", ["site.toml"],
           languages=[(code, f"{config.base_path}{code}/") for code in config.languages])
    render(default, "offline.html", "offline.html", "offline", ["site.toml"],
           languages=[(code, f"{code}/") for code in config.languages])


@dataclass
class _PlanLink:
    id: str
    title: str
    url: str  # relative to the page that lists it


@dataclass
class _GuideRef:
    title: str
    url: str



def check(site_dir: Path, strict: bool = False) -> list[Problem]:
    """Everything `build` would check, writing nothing; returns errors and warnings."""
    try:
        result = build(site_dir, incremental=False, strict=strict, search=False, write=False)
    except BuildFailed as exc:
        return exc.problems
    return result.warnings
