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
from passo.content.extensions import check as check_extensions
from passo.content.load import Guide, GuideMeta, guide_url, load_guides
from passo.content.media import budget, budget_warning, media_cache_path
from passo.content.nav import NAV_CONTEXT, check_nav, nav_sections
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
from passo.site.assets import Assets, add_generated_css, build_assets, schema_files
from passo.site.branding import brand_css
from passo.site.moves import moved_override_warnings
from passo.site.pages import (
    SiteModel,
    broken_severity,
    check_links,
    guide_jobs,
    guide_page_path,
    render_guides,
)
from passo.site.render import TemplateProblem, Theme, relative, stale_overrides
from passo.site.search import SearchFailed, SiteIndex, StreamedIndex, index_failed, run_pagefind
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
    problems = check_extensions(config.markdown_extensions, site_dir)
    if problems:  # no guide can be read without its extensions
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
        if record and record.mtime_ns == st.st_mtime_ns and record.size == st.st_size \
                and not record.media_changed(site_dir):
            return _guide_from_record(source, record)
        return None

    guides, found = load_guides(site_dir, config, reuse)
    problems.extend(found)
    problems.extend(check_nav(site_dir, config, guides))
    warnings = [p for p in problems if not p.is_error]
    warnings.extend(_schema_warnings(schemas, languages))
    warnings.extend(_nav_warnings(config, languages))
    errors = [p for p in problems if p.is_error]
    return Loaded(config, languages, schemas, guides, warnings), errors


def _nav_warnings(config: SiteConfig, languages: dict[str, Language]) -> list[Problem]:
    """A section title of nav without a translation shows as written (or as its own page's title): say which."""
    warnings = []
    for entry in nav_sections(config.nav_entries):
        for code, language in sorted(languages.items()):
            if code != config.default_language and language.catalog is not None \
                    and not language.has(entry.title or "", NAV_CONTEXT):
                warnings.append(Problem("site.toml", entry.line, 0, f"no {code} translation for the nav section "
                                        f"'{entry.title}' (passo i18n adds it to the catalogue)", severity="warning"))
    return warnings


def _guide_from_record(source: str, record: GuideRecord) -> Guide:
    # Validated when it was recorded. The lists are given here: for a field with a default factory, pydantic reads
    # the factory's signature on every construction, which was a third of `serve`'s rebuild of a 2,000-guide site.
    meta = GuideMeta.model_construct(**{"hide": [], "tags": [], **record.meta})
    guide = Guide(lang=record.lang, rel_path=record.rel_path, source=source, meta=meta, body=None,  # type: ignore[arg-type]
                  body_line=record.body_line, digest=record.digest, key=record.key, tags=list(meta.tags),
                  title=record.title, title_from=record.title_from, drop_heading=record.drop_heading)  # type: ignore[arg-type]
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
    """The stages in order; each takes plain data and hands plain data on."""
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    out_dir = (out_dir or site_dir / "dist").resolve()
    change = _what_changed(site_dir, out_dir, incremental, minify)
    if write and change.nothing:
        return BuildResult(pages=sum(1 for f in change.previous.files if f.endswith(".html")), skipped=True,
                           full=False, seconds=time.perf_counter() - started)
    if write and search is True and not change.full and "pagefind/pagefind-entry.json" in change.previous.files:
        # Pagefind reads the pages now in dist/ while this process loads and renders; the pages written below are
        # added again afterwards, replacing their old copies.
        early = _start_index(out_dir)
        if early is not None:
            indexes.append(early)

    loaded, problems = load_site(site_dir, None if change.full else change.previous)
    # Go on past a bad guide, so one run reports every problem; stop only when nothing could be rendered right.
    if loaded is None or set(loaded.config.languages) - set(loaded.languages):
        raise BuildFailed(problems)
    prepared = _prepare(site_dir, loaded, change, strict, minify, problems)
    prepared.model.media_cache = media_cache_path(out_dir)
    # Each file goes to the staging folder beside dist/ as soon as it is made: the writing is done while the
    # render workers are still busy, instead of after them. Nothing reaches dist/ before the whole build succeeded.
    staged = StagedOutput(out_dir, start_from_previous=not change.full) if write else None
    try:
        feed = None
        if staged is not None and change.full and search is True and loaded.config.search:
            # A full build's pages go to Pagefind as they are made: it indexes them on the other core meanwhile.
            indexes.append(SiteIndex(staged.path))
            feed = StreamedIndex(indexes[-1])
        out = _Outputs(problems, staged, feed)
        # The other pages first (they are quick), so that every page is known before the guides start streaming.
        _render_other_pages(prepared.model, out.emit, problems)
        guides = _render_guide_pages(prepared.model, change, loaded, progress, out, prepared.warnings, strict)
        offline_media = _media_budget(prepared.model, guides, prepared.warnings, strict, problems)
        js_cache = _site_files(prepared, loaded, change, out) if change.full else change.previous.js_messages
        _sitemap(prepared.model, out)
        if problems:
            raise BuildFailed(problems)
        if staged is None:
            return BuildResult(pages=len(out.files), warnings=prepared.warnings,
                               seconds=time.perf_counter() - started)
        files, removed, run_search = _write(staged, prepared, change, guides, out, search, offline_media)
    except BaseException:
        if staged is not None:
            staged.abort()
        raise
    reads = {f: r for f, r in ({} if change.full else change.previous.reads).items() if f in files}
    new_state = BuildState(site_stat=change.signature, site_digest=change.site_digest, guides=guides.records,
                           files=files, reads={**reads, **out.reads},
                           sw_template=str(prepared.sw_template), passo_version=builtin.version(), minified=minify,
                           js_messages=js_cache, offline_media=offline_media, nav=guides.nav)
    new_state.save(state_path(out_dir))
    if run_search and not change.full and search is True:
        early = indexes[0] if indexes else None
        refresh_search(out_dir, early, None if removed or early is None else out.files)
    return BuildResult(pages=sum(1 for f in files if f.endswith(".html")), rendered=len(guides.jobs),
                       full=change.full, warnings=prepared.warnings, seconds=time.perf_counter() - started,
                       changed=sorted(out.files), removed=removed,
                       html={p: d for p, d in out.files.items() if p.endswith(".html")}, search=bool(run_search))


@dataclass
class _Change:
    """What differs from the last build: nothing, the guides only, or everything else too (a full build)."""

    previous: BuildState
    signature: list
    site_digest: str
    full: bool
    nothing: bool


def _what_changed(site_dir: Path, out_dir: Path, incremental: bool, minify: bool) -> _Change:
    previous = BuildState.load(state_path(out_dir)) if out_dir.is_dir() else BuildState()
    if not incremental:  # everything is made again; only the strings found by module digest are still good
        previous = BuildState(js_messages=previous.js_messages)
    inputs = site_inputs(site_dir)
    signature = stat_signature(inputs, site_dir)
    same_code = previous.minified == minify  # switching minifying on or off rewrites every asset
    if bool(previous.site_digest) and signature == previous.site_stat and same_code \
            and guides_unchanged(site_dir, previous):
        return _Change(previous, signature, previous.site_digest, full=False, nothing=True)
    site_digest = digest_files(inputs, site_dir)
    full = not (previous.site_digest and site_digest == previous.site_digest and same_code)
    return _Change(previous, signature, site_digest, full=full, nothing=False)


@dataclass
class _Prepared:
    """The theme, the browser code and the model every page is rendered from."""

    model: SiteModel
    assets: Assets
    src_folders: list[Path]
    sw_template: Path
    warnings: list[Problem]


# The theme's checks and the browser code, by site and by the digest of every file besides the guides (Passo's own
# included): `serve`, and a test that rebuilds one site many times, make them once while those files stay the same,
# instead of parsing every template and minifying every module again for each saved guide.
_PREPARED: dict[tuple[str, str, bool], tuple[list[Problem], Assets, list[Problem]]] = {}


def _theme_and_assets(site_dir: Path, theme: Theme, src_folders: list[Path], site_digest: str,
                      minify: bool) -> tuple[list[Problem], Assets, list[Problem]]:
    key = (str(site_dir), site_digest, minify)
    if not site_digest or key not in _PREPARED:
        theme_warnings = [*stale_overrides(theme), *moved_override_warnings(src_folders, site_dir)]
        assets, found = build_assets(src_folders, minify=minify)
        if not site_digest:
            return theme_warnings, assets, found
        if len(_PREPARED) > 8:  # a long serve session editing templates: only the latest matter
            _PREPARED.clear()
        _PREPARED[key] = (theme_warnings, assets, found)
    theme_warnings, assets, found = _PREPARED[key]
    # A copy: the caller adds the brand's CSS to it.
    return list(theme_warnings), Assets(dict(assets.files), dict(assets.urls), list(assets.sources)), list(found)


def _prepare(site_dir: Path, loaded: Loaded, change: _Change, strict: bool, minify: bool,
             problems: list[Problem]) -> _Prepared:
    config = loaded.config
    theme = Theme(site_dir, config, change.site_digest)
    src_folders = builtin.layers(site_dir, config.theme, "site_src")
    theme_warnings, assets, found = _theme_and_assets(site_dir, theme, src_folders, change.site_digest, minify)
    warnings = [*loaded.warnings, *theme_warnings]
    if strict and warnings:
        raise BuildFailed(_as_errors(warnings))
    problems.extend(found)
    add_generated_css(assets, "css/brand.css", brand_css(config), minify=minify)
    model = SiteModel(site_dir, config, theme, loaded.languages, loaded.guides, loaded.schemas, assets.urls)
    sw_template = next(folder / "sw.js" for folder in src_folders if (folder / "sw.js").is_file())
    return _Prepared(model, assets, src_folders, sw_template, warnings)


class _Outputs:
    """Every file this build makes, by output path, with the sources each was made from."""

    def __init__(self, problems: list[Problem], staged: StagedOutput | None = None,
                 feed: StreamedIndex | None = None):
        self.files: dict[str, bytes] = {}
        self.reads: dict[str, list[str]] = {}
        self.problems = problems
        self.staged = staged  # written through to it at once (no staging: `check`, which writes nothing)
        self.feed = feed  # a full build's search index, given each page as it is made

    def emit(self, path: str, data: bytes, sources: list[str]) -> None:
        if path in self.files:  # two sources mapping to one URL must never silently overwrite each other
            self.problems.append(Problem(sources[0] if sources else path, 0, 0,
                                         f"{path} would be written twice (also by {', '.join(self.reads[path])})"))
            return
        self.files[path] = data
        self.reads[path] = sources
        if self.staged is not None:
            self.staged.write(path, data)
        if self.feed is not None and path.endswith(".html"):
            self.feed.offer(path, data)


@dataclass
class _GuidePages:
    jobs: list
    records: dict[str, GuideRecord]
    nav: dict[str, str]  # guide page -> digest of its navigation


def _as_errors(warnings: list[Problem]) -> list[Problem]:
    """`--strict`: every warning fails the build."""
    return [Problem(w.path, w.line, w.column, w.message, "error", w.source_line) for w in warnings]


def _render_guide_pages(model: SiteModel, change: _Change, loaded: Loaded, progress: Progress | None,
                        out: _Outputs, warnings: list[Problem], strict: bool) -> _GuidePages:
    """All guide pages, or those whose source changed (and their fallbacks) and those whose navigation changed
    (a guide came, went, moved or took another title); then every link between guides."""
    previous, full, config = change.previous, change.full, loaded.config
    old_keys = {(r.lang, r.key) for r in previous.guides.values()}
    new_keys = {(g.lang, g.key) for g in loaded.guides}
    changed_sources = {g.source for g in loaded.guides if g.body is not None}
    # A record is kept only for a guide that was loaded from it: a source deleted or moved (`x.md` becoming
    # `x/index.md` keeps the key) must not leave its old record, links and all, behind.
    kept_sources = {g.source for g in loaded.guides if g.body is None}
    keys = None if full or old_keys != new_keys else {g.key for g in loaded.guides if g.source in changed_sources}
    nav = model.nav_digests()
    moved = {(lang, key) for lang in config.languages for key in model.by_key
             if nav[guide_page_path(lang, key)] != previous.nav.get(guide_page_path(lang, key))}
    jobs = guide_jobs(model, keys, moved)
    if out.feed is not None:
        out.feed.expect([*(p for p in out.files if p.endswith(".html")), *(guide_page_path(*job) for job in jobs)])

    records: dict[str, GuideRecord] = {}
    link_table: dict[str, tuple[str, list[str], list]] = {}
    anchors: dict[tuple[str, str], set[str]] = {}
    for source, record in previous.guides.items():
        if not full and source in kept_sources:
            records[source] = record
            link_table[source] = (record.lang, record.anchors, record.links)
            anchors[(record.lang, record.key)] = set(record.anchors)

    media = {}
    for result in render_guides(model, jobs, progress):
        media.update(result.media)
        out.problems.extend(p for p in result.problems if p.is_error)
        found = [p for p in result.problems if not p.is_error]  # raw HTML a guide's page went without
        if strict:
            out.problems.extend(_as_errors(found))
        else:
            warnings.extend(found)
        out.emit(result.out_path, result.html, [result.source, "site"])
        if result.owner:
            anchors[(result.lang, result.key)] = set(result.anchors)
            guide = model.guide_for(result.key, result.lang)
            st = (model.site_dir / guide.source).stat()
            links = [[ref.line, ref.href, ref.target_key, ref.anchor] for ref in result.links]
            meta = guide.meta.model_dump(mode="json", exclude_defaults=True)
            records[guide.source] = GuideRecord(st.st_mtime_ns, st.st_size, guide.digest, guide.lang, guide.rel_path,
                                                guide.key, guide.body_line, meta, result.anchors, links,
                                                title=guide.title, title_from=guide.title_from,
                                                drop_heading=guide.drop_heading,
                                                media=sorted([f.out_path, f.size] for f in result.media.values()),
                                                media_sources=sorted([s, *stat]
                                                                     for s, stat in result.media_looked_at.items()))
            link_table[guide.source] = (guide.lang, result.anchors, links)
    # Links into a fallback page resolve to the default language's anchors.
    for key, versions in model.by_key.items():
        for code in config.languages:
            if code not in versions:
                shown = model.guide_for(key, code)
                anchors[(code, key)] = anchors.get((shown.lang, key), set())
    found = check_links(link_table, anchors, broken_severity(config))
    out.problems.extend(p for p in found if p.is_error)
    if strict:
        out.problems.extend(_as_errors([p for p in found if not p.is_error]))
    else:
        warnings.extend(p for p in found if not p.is_error)
    # Each image or file once, however many pages and languages use it: its name holds its content's hash.
    for path, file in sorted(media.items()):
        out.emit(path, Path(file.data_path).read_bytes(), ["content"])
    return _GuidePages(jobs, records, nav)


def _media_budget(model: SiteModel, guides: _GuidePages, warnings: list[Problem], strict: bool,
                  problems: list[Problem]) -> dict[str, list[str]]:
    """Per language, the guide media its pages show (a fallback page shows the original's) that its precache
    holds: up to `offline_media_mb` each; past it a file is kept once viewed, with a warning naming it."""
    config = model.config
    offline: dict[str, list[str]] = {}
    left_out: set[str] = set()
    for code in config.languages:
        sizes: dict[str, int] = {}
        for key in model.by_key:
            record = guides.records.get(model.guide_for(key, code).source)
            if record is not None:
                sizes.update({path: size for path, size in record.media})
        left = set(budget(sizes, config.offline_media_mb))
        left_out |= left
        offline[code] = sorted(set(sizes) - left)
    warning = budget_warning(sorted(left_out), config.offline_media_mb)
    if warning is not None and strict:
        problems.extend(_as_errors([warning]))
    elif warning is not None:
        warnings.append(warning)
    return offline


def _site_files(prepared: _Prepared, loaded: Loaded, change: _Change, out: _Outputs) -> dict[str, list]:
    """What a full build writes besides pages: browser code, icons, schemas, interface strings, manifest, headers.
    Returns the interface strings found in each browser module, by digest, for the next build to reuse."""
    config, site_dir = loaded.config, prepared.model.site_dir
    for path, data in prepared.assets.files.items():
        out.emit(path, data, ["site_src"])
    icons, found = pwa.make_icons(config, site_dir, prepared.model.media_cache)
    out.problems.extend(found)
    for path, data in icons.items():
        out.emit(path, data, ["site.toml"])
    for path, data in schema_files(loaded.schemas, site_dir / "schemas").items():
        out.emit(path, data, ["schemas"])
    wanted, js_cache = js_messages(prepared.src_folders, change.previous.js_messages)
    # Exports and the sponsor report label fields in the plan's language: the browser needs schema texts too.
    schema_texts = _schema_texts(loaded.schemas)
    for code, language in loaded.languages.items():
        data = {"lang": code, "messages": browser_messages(language, wanted, schema_texts)}
        out.emit(f"i18n/{code}.json", json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode(),
                 ["locales", "site_src"])
    out.emit("manifest.webmanifest", pwa.manifest(config), ["site.toml"])
    out.emit("_headers", headers.headers_file(config.base_path), ["site.toml"])
    out.emit("robots.txt", seo.robots(config.site_url), ["site.toml"])
    return js_cache


def _sitemap(model: SiteModel, out: _Outputs) -> None:
    config = model.config
    pages = [(f"{lang}/{p}", [(code, f"{code}/{p}") for code in config.languages])
             for lang in config.languages
             for p in ["", *[guide_url(k) for k in sorted(model.by_key)]]]
    out.emit("sitemap.xml", seo.sitemap(config.site_url, pages), ["content"])


def _write(staged: StagedOutput, prepared: _Prepared, change: _Change, guides: _GuidePages, out: _Outputs,
           search: bool | str, offline_media: dict[str, list[str]]) -> tuple[dict[str, str], list[str], bool]:
    """With every file staged beside dist/ (as it was made): index it, make the service worker, check the app
    installs, then swap. Returns the output files with their hashes, the files removed, and whether the search
    index needs updating."""
    config, model = prepared.model.config, prepared.model
    try:
        files = {} if change.full else dict(change.previous.files)
        expected_guides = {guide_page_path(lang, key) for key in model.by_key for lang in config.languages}
        expected_media = {path for record in guides.records.values() for path, _size in record.media}
        for stale in [f for f in files if (f.endswith("index.html") and "/guides/" in f and f not in expected_guides)
                      or (f.startswith("assets/media/") and f not in expected_media)]:
            staged.remove(stale)
            files.pop(stale)
        for path, data in sorted(out.files.items()):
            files[path] = file_hash(data)
        pages_changed = bool(guides.jobs) or change.full
        run_search = config.search and search is not False and pages_changed
        if run_search and change.full and search != "background":
            staged.flush()  # Pagefind writes its folder among the staged files
            if out.feed is not None:
                try:
                    out.feed.write(out.files)
                except SearchFailed as exc:
                    raise index_failed(exc) from exc
            else:
                run_pagefind(staged.path)
            files.update(_hashes(staged.path, staged.files("pagefind")))
        # As written: see pwa.service_worker.
        sw = _service_worker(prepared.sw_template, files, offline_media, staged.path_of, staged.size_of)
        staged.write("sw.js", sw)
        files["sw.js"] = file_hash(sw)
        check_files = {name: out.files.get(name) or staged.read(name)
                       for name in ("manifest.webmanifest", *[p for p in files if p.startswith("icons/")])}
        check_files["sw.js"] = sw
        page_list = [p for p in out.files if p.endswith(".html")]
        check_files.update({p: out.files[p] for p in page_list})
        install_problems = pwa.check_installable(check_files, page_list)
        if install_problems:
            raise BuildFailed(install_problems)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    return files, list(staged.removed), bool(run_search)


def _service_worker(template: Path, files: dict[str, str], offline_media: dict[str, list[str]],
                    path_of: Callable[[str], Path], size_of: Callable[[str], int] | None = None) -> bytes:
    """The worker with every file's hash, size and precache group (the app, or the languages it serves)."""
    entry_path = path_of("pagefind/pagefind-entry.json")
    entry = json.loads(entry_path.read_bytes()) if "pagefind/pagefind-entry.json" in files else None
    groups = pwa.offline_groups(files, offline_media, entry)
    size_of = size_of or (lambda name: os.stat(path_of(name)).st_size)
    sizes = {name: size_of(name) for name in groups}
    return pwa.service_worker(template.read_bytes(), files, groups=groups, sizes=sizes)


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
    sw = _service_worker(Path(state.sw_template), state.files, state.offline_media, lambda name: out_dir / name)
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

    # Forms in the coach's order: by the first guide that explains each, in reading order, then by id.
    first_guide: dict[str, int] = {}
    for place, key in enumerate(model.navigations[config.default_language].order):
        for g in model.by_key[key].values():
            if g.meta.plan:
                first_guide.setdefault(g.meta.plan, place)
    schema_order = sorted(model.schemas, key=lambda sid: (first_guide.get(sid, 10**9), sid))
    if model.schemas:
        from passo.forms.form_html import render_form  # only sites with plan forms need the form renderer
    for lang in config.languages:
        guides = model.guide_links(lang)

        def plan_links(out: str, lang: str = lang) -> list[_PlanLink]:
            return [_PlanLink(sid, model.schema_title(sid, lang), relative(out, f"{lang}/plans/{sid}/"))
                    for sid in schema_order]

        home, plans = f"{lang}/index.html", f"{lang}/plans/index.html"
        render(lang, "home.html", home, "home", ["content", "site"], guides=guides,
               sections=model.guide_sections(lang), plans=plan_links(home))
        render(lang, "plans.html", plans, "plans", ["schemas", "site"], schemas=plan_links(plans))
        render(lang, "settings.html", f"{lang}/settings/index.html", "settings", ["site"])
        render(lang, "privacy.html", f"{lang}/privacy/index.html", "privacy", ["site"])
        render(lang, "agenda.html", f"{lang}/agenda/index.html", "agenda", ["site"])
        render(lang, "review.html", f"{lang}/review/index.html", "review", ["site"])
        coachees = f"{lang}/coachees/index.html"
        render(lang, "coachees.html", coachees, "coachees", ["schemas", "site"], schemas=plan_links(coachees))
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
    # Each language card says in its own language that it needs a connection (shown offline when not kept).
    notes = {code: model.languages[code].gettext(pwa.NEEDS_CONNECTION) for code in config.languages}
    render(default, "lang-choice.html", "index.html", "lang-choice", ["site.toml", "locales"],
           languages=[(code, f"{code}/") for code in config.languages], connection_notes=notes)
    render(default, "404.html", "404.html", "404", ["site.toml", "locales"],
           languages=[(code, f"{config.base_path}{code}/") for code in config.languages], connection_notes=notes)
    render(default, "offline.html", "offline.html", "offline", ["site.toml", "locales"],
           languages=[(code, f"{code}/") for code in config.languages], connection_notes=notes)


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
