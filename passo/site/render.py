"""Render stage: Jinja2 templates (StrictUndefined, i18n) into the HTML pages of the site."""

from __future__ import annotations

import functools
import html as html_lib
import posixpath
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from passo import builtin
from passo.config import SiteConfig
from passo.content.load import Guide
from passo.i18n import Language
from passo.problems import Problem, source_line
from passo.site.headers import CSP_META
from passo.site.moves import moved_name

PAGE_KINDS = ("home", "guide", "plans", "plan", "settings", "privacy", "lang-choice", "404", "offline", "review",
              "agenda", "coachees")


@dataclass
class GuideLink:
    """A guide as other pages list it."""

    key: str
    title: str
    summary: str
    url: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Theme:
    """Where templates are looked up: the site's templates/, its theme folder's, then Passo's own."""

    site_dir: Path
    config: SiteConfig
    cache_key: str = ""  # digest of every template, catalogue and setting: equal means compiled templates still hold

    @property
    def template_dirs(self) -> list[Path]:
        return builtin.layers(self.site_dir, self.config.theme, "templates")


def stale_overrides(theme: Theme) -> list[Problem]:
    """A site's or theme's template that Passo does not have and no template uses does nothing: most likely it
    overrides a template a new Passo version renamed or dropped. Say which file, so the coach can move its changes."""
    dirs = theme.template_dirs
    own, overrides = dirs[-1], dirs[:-1]
    if not overrides:
        return []
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    effective: dict[str, Path] = {}
    for folder in reversed(dirs):
        for path in folder.rglob("*.html"):
            effective[path.relative_to(folder).as_posix()] = path
    used: set[str] = set()
    for path in effective.values():
        try:
            ast = env.parse(path.read_text(encoding="utf-8"))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
            continue  # the render stage reports a broken template with its line
        used.update(name for name in jinja2.meta.find_referenced_templates(ast) if name)
    warnings = []
    for folder in overrides:
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            if not (own / name).is_file() and name not in used and effective.get(name) == path:
                warnings.append(Problem(_display(theme, str(path)), 0, 0,
                                        f"Passo {builtin.version()} has no template '{name}' and no template uses "
                                        "this one: it overrides nothing (was the template renamed or removed?)",
                                        severity="warning"))
    return warnings


class TemplateProblem(Exception):
    """A template failed to render; carries the problem pointing at the template's own line."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


_ENVIRONMENTS: dict[tuple[str, str, str], jinja2.Environment] = {}
# Compiled templates, kept between builds and shared by the languages' environments: compiling them was a tenth of
# a small site's build. Jinja keys each by the template's file and a checksum of its source, in a folder of the
# user's own under the system's temporary folder (it refuses one another user could write to).
def _compiled_templates_cache() -> jinja2.BytecodeCache | None:
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no safe temporary folder: templates are compiled each build, as before
        return None


_COMPILED = _compiled_templates_cache()


def make_environment(theme: Theme, language: Language) -> jinja2.Environment:
    """One environment per language; kept between builds in one process (serve) while nothing it read changed."""
    key = (str(theme.site_dir), theme.cache_key, language.code)
    if theme.cache_key and key in _ENVIRONMENTS:
        return _ENVIRONMENTS[key]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    if theme.cache_key:
        if len(_ENVIRONMENTS) > 32:  # a long serve session with many template edits: drop stale ones
            _ENVIRONMENTS.clear()
        _ENVIRONMENTS[key] = env
    return env


def relative(from_page: str, to_path: str) -> str:
    """A link from the output file `from_page` (e.g. 'en/guides/x/index.html') to `to_path` (site-relative)."""
    base = posixpath.dirname(from_page)
    trailing = to_path.endswith("/") or to_path == ""
    rel = posixpath.relpath(to_path or ".", base or ".")
    if trailing:
        rel = "./" if rel == "." else rel + "/"
    return rel


@functools.cache
def _language_name(code: str) -> str:
    from babel import Locale

    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:]


def language_names(codes: list[str]) -> dict[str, str]:
    """Each language named in itself ("Italiano", "Svenska"), as people look for their own."""
    return {code: _language_name(code) for code in codes}


def page_url(out_path: str) -> str:
    """The URL path of an output file: 'en/guides/x/index.html' -> 'en/guides/x/'."""
    return out_path.removesuffix("index.html")


def _template_problem(theme: Theme, exc: Exception) -> Problem:
    """Point at the template line Jinja was rendering, from its rewritten traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Problem(_display(theme, exc.filename), exc.lineno, 0, f"template error: {exc.message}",
                       source_line=source_line(exc.filename, exc.lineno))
    filename, line = "templates", 0
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".js")) and Path(name).exists():
            filename, line = name, lineno
    message = str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined variable: {message}"
    return Problem(_display(theme, filename), line, 0, f"template error: {message}",
                   source_line=source_line(filename, line) if line else "")


def _display(theme: Theme, filename: str) -> str:
    return builtin.display(Path(filename), theme.site_dir)


class PageRenderer:
    """Renders pages in one language with the variables every template can rely on."""

    def __init__(self, theme: Theme, language: Language, asset_urls: dict[str, str],
                 alternates: Callable[[str, str], list[tuple[str, str]]]):
        self.theme = theme
        self.language = language
        self.env = make_environment(theme, language)
        self.asset_urls = asset_urls
        self.alternates = alternates

    def render(self, template: str, out_path: str, page_kind: str, **extra: Any) -> bytes:
        root = relative(out_path, "")
        lang = self.language.code

        def asset(name: str) -> str:
            try:  # a template written before a file moved still finds it (passo/site/moves.py)
                return root + self.asset_urls[moved_name(name, self.asset_urls)]
            except KeyError:
                raise jinja2.UndefinedError(f"no asset '{name}' in site_src/") from None

        def link(path: str) -> str:
            return relative(out_path, path)

        context = {
            "site": self.theme.config,
            "lang": lang,
            "root": root,
            "asset": asset,
            "link": link,
            "page_kind": page_kind,
            "page_path": page_url(out_path),
            "alternates": [(code, relative(out_path, target)) for code, target in
                           self.alternates(page_kind, page_url(out_path))],
            "site_url": self.theme.config.site_url,
            "csp": CSP_META,
            "language_names": language_names(self.theme.config.languages),
            "generator": f"Passo {builtin.version()}",
            **extra,
        }
        try:
            html = self.env.get_template(template).render(context)
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(Problem("templates", 0, 0, f"template '{exc.name}' not found")) from exc
        except Exception as exc:  # any template failure becomes a problem with its line
            raise TemplateProblem(_template_problem(self.theme, exc)) from exc
        return html.encode("utf-8")


FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def html_text(fragment: str) -> str:
    """What a fragment of HTML reads as: tags dropped, entities unescaped, white space made single spaces."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def first_paragraph(html: str, limit: int = 160) -> str:
    """A guide's description for search engines and link previews when its front matter gives none: its first
    paragraph as text, cut at a word before `limit` characters."""
    found = FIRST_PARAGRAPH.search(html)
    if not found:
        return ""
    text = html_text(found.group(1))
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def guide_context(guide: Guide, title: str, html: str, toc: list[dict], page_lang: str, plan_url: str | None,
                  plan_title: str | None, *, title_id: str | None = None, nav: dict[str, Any] | None = None,
                  tags: list[str] | None = None) -> dict[str, Any]:
    """Variables for guide.html; `fallback` is set when the page shows another language's text. `nav` holds
    `trail` (the sections the guide sits in, "Guides" first, each {title, url}), `previous` and `next`."""
    nav = nav or {}
    return {
        "guide": guide,
        "title": title,
        "title_id": title_id,
        "summary": guide.summary,
        "description": guide.summary or first_paragraph(html),
        "content": Markup(html),
        "toc": toc,
        "toc_size": _count(toc),
        "tags": guide.tags if tags is None else tags,
        "trail": nav.get("trail", []),
        "previous": nav.get("previous"),
        "next": nav.get("next"),
        "fallback": guide.lang != page_lang,
        "content_lang": guide.lang,
        "plan_url": plan_url,
        "plan_title": plan_title,
    }


def _count(toc: list[dict]) -> int:
    return sum(1 + _count(entry.get("children", [])) for entry in toc)
