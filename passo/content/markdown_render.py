"""Markdown to HTML for guides, with the extensions of `extensions.py`, the author's raw HTML handled as site.toml's
`raw_html` says (`raw_html.py`), and `.md` links made URLs."""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from pymdownx.snippets import SnippetMissingError

from passo.config import MarkdownExtension
from passo.content import extensions
from passo.content.media import first_image_eager
from passo.content.raw_html import RawHtmlGuard, is_safe_url
from passo.problems import Severity

__all__ = ["GuideMarkdown", "LinkRef", "MediaResolver", "RenderedMarkdown", "is_safe_url", "raw_html_lines"]

URL_ATTRIBUTES = ("href", "src")
# A link as Markdown writes it, in the order tried: inline `](x)`, autolink `<x>`, reference definition `]: x`.
LINK_FORMS = (re.compile(r"\]\(\s*<?([^\s)>]+)>?(?=[\s)])"), re.compile(r"<([^\s<>]+)>"),
              re.compile(r"\]:[ \t]*<?([^\s>]+)>?(?=\s|$)", re.MULTILINE))
RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^>]*)?/?>|<!--")


@dataclass
class LinkRef:
    """A link from one guide to another, kept until every guide's anchors are known."""

    line: int
    href: str
    target_key: str
    anchor: str


@dataclass
class RenderedMarkdown:
    html: str
    toc: list[dict]
    anchors: set[str]
    links: list[LinkRef] = field(default_factory=list)
    broken: list[tuple[int, str]] = field(default_factory=list)  # (line, href) of guide-file links to no guide
    problems: list[tuple[int, str, Severity]] = field(default_factory=list)  # (line, message, severity)
    read: dict[str, tuple[int, int]] = field(default_factory=dict)  # snippet files pulled in: path -> (mtime, size)


# Resolves (guide rel_dir, link path) to a translation key, or None when no guide is there.
KeyResolver = Callable[[str, str], str | None]
# Given (tag, url, line, attributes) of each <img> and of each <a> that is no guide link, returns the attributes to
# set, or None to leave the element as it is (`passo.content.media.PageMedia` is the one the build uses).
MediaResolver = Callable[[str, str, int, dict[str, str]], dict[str, str] | None]


class _Sanitiser(Treeprocessor):
    """Guides are text from people, not code: no event handlers or inline styles (attr_list could add them), and
    no link or image that runs script. What is removed is removed silently: the page still makes sense."""

    def run(self, root):  # type: ignore[no-untyped-def]
        for element in root.iter():
            for name in list(element.attrib):
                lowered = name.lower()
                scripted = lowered.startswith("on") or lowered in ("style", "srcdoc", "formaction")
                unsafe_url = lowered in URL_ATTRIBUTES and not is_safe_url(element.attrib[name])
                if scripted or unsafe_url:
                    del element.attrib[name]


def guide_sources(rel_dir: str, path: str) -> list[str]:
    """The guide files a relative link may name, the likeliest first; empty when it names no guide. `x.md` is
    itself; a path without a file extension inside guides/ names a guide without its `.md` (`x`, `x/`) or a
    folder's page (`x/`, `./`: its `index.md` or `README.md`). A link that climbs out of guides/ (`../../plans/`)
    is a link to an app page, and a file with another extension is no guide: both are left as they are."""
    if path.endswith(".md"):
        return [path]
    inside = not posixpath.normpath(posixpath.join(rel_dir, path)).startswith(("..", "/"))
    name = posixpath.basename(path.rstrip("/"))
    if not path or not inside or "." in name.strip("."):
        return []
    folder = path if path.endswith("/") else path + "/"
    own = [path.rstrip("/") + ".md"] if name not in ("", ".", "..") else []
    return [*own, folder + "index.md", folder + "README.md"]


def key_dir(key: str) -> str:
    """The folder of a guide's page under guides/: its key, and nothing for the guides' own page (`index`)."""
    return "" if key == "index" else key


class _LinkRewriter(Treeprocessor):
    """Turns relative links to guide files (`x.md`, `x/index.md`, `x/`) into the target guide's URL, relative to
    the current page."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolve: KeyResolver = lambda _dir, _path: None
        self.rel_dir = ""
        self.page_key = ""
        self.links: list[LinkRef] = []
        self.broken: list[tuple[int, str]] = []
        self.seen: dict[str, int] = {}
        self.start("", 1)

    def start(self, body: str, first_line: int) -> None:
        """Takes the next page's source: its links, written inline, as autolinks or as references, are found in
        one pass each, so a page with hundreds of links and lines does not cost their product."""
        self.source, self.first_line = body, first_line
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", body))]
        self.written: list[dict[str, list[int]]] = []
        for pattern in LINK_FORMS:
            places: dict[str, list[int]] = {}
            for match in pattern.finditer(body):
                places.setdefault(match.group(1), []).append(self._line_at(match.start()))
            self.written.append(places)
        self.links, self.broken, self.seen = [], [], {}

    def _line_at(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def _bare(self, href: str) -> list[int]:
        """Where the link's text stands on its own (the way of writing it was none of LINK_FORMS)."""
        found, at = [], self.source.find(href)
        while at >= 0:
            after = self.source[at + len(href):at + len(href) + 1]
            if not after or not (after.isalnum() or after in "_/.#-"):
                found.append(self._line_at(at))
            at = self.source.find(href, at + 1)
        return found

    def line_of(self, href: str) -> int:
        """The line of this link: a link written twice is found at its second place the second time."""
        nth = self.seen[href] = self.seen.get(href, 0) + 1
        for lines in (*(places.get(href, []) for places in self.written), self._bare(href)):
            if len(lines) >= nth:
                return self.first_line + lines[nth - 1]
        return self.first_line

    def run(self, root):  # type: ignore[no-untyped-def]
        for anchor in root.iter("a"):
            href = anchor.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            if not parts.path and not parts.query and parts.fragment:  # `#x`: a heading of this page
                self.links.append(LinkRef(self.line_of(href), href, self.page_key, unquote(parts.fragment)))
                continue
            sources = guide_sources(self.rel_dir, unquote(parts.path))
            if not sources:
                continue
            target = next((key for key in (self.resolve(self.rel_dir, s) for s in sources) if key), None)
            line = self.line_of(href)
            if target is None:
                self.broken.append((line, href))
                continue
            url = posixpath.relpath(f"/{key_dir(target)}/", f"/{key_dir(self.page_key)}/") + "/"
            url = url.replace("//", "/")
            if parts.fragment:
                url += "#" + parts.fragment
            anchor.set("href", url)
            self.links.append(LinkRef(line, href, target, parts.fragment))


class _MediaLinks(Treeprocessor):
    """Hands each image and each link left by `_LinkRewriter` to the caller's media resolver."""

    def __init__(self, md: markdown.Markdown, rewriter: _LinkRewriter) -> None:
        super().__init__(md)
        self.rewriter = rewriter
        self.resolve: MediaResolver | None = None

    def run(self, root):  # type: ignore[no-untyped-def]
        if self.resolve is None:
            return
        for element in list(root.iter()):
            attribute = {"img": "src", "a": "href"}.get(element.tag)
            url = element.get(attribute, "") if attribute else ""
            if not url:
                continue
            changes = self.resolve(element.tag, url, self.rewriter.line_of(url), dict(element.attrib))
            for name, value in (changes or {}).items():
                element.set(name, value)


class GuideMarkdown:
    """One reusable Markdown converter (building it per page would cost more than converting)."""

    def __init__(self, raw_html: str = "sanitize", site_extensions: Sequence[MarkdownExtension] = (),
                 site_dir: Path | None = None) -> None:
        names, configs = extensions.setup(site_extensions, site_dir)
        self.md = markdown.Markdown(extensions=names, extension_configs=configs, output_format="html")
        extensions.harden_snippets(self.md, site_dir)
        extensions.label_tasks(self.md)
        self.site_dir = site_dir
        self.guard = RawHtmlGuard(self.md) if raw_html == "sanitize" else None
        if raw_html in ("escape", "refuse"):
            # Without these, raw HTML is kept as text and escaped: a guide can never inject markup or script.
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")
        self.rewriter = _LinkRewriter(self.md)
        self.md.treeprocessors.register(self.rewriter, "passo-links", 1)
        self.media = _MediaLinks(self.md, self.rewriter)
        self.md.treeprocessors.register(self.media, "passo-media", 0.4)  # after raw HTML is cleaned
        if self.guard:
            self.guard.media = self._raw_html_media
        self.md.treeprocessors.register(_Sanitiser(self.md), "passo-sanitise", 0)

    def _raw_html_media(self, tag: str, url: str, attrs: dict[str, str]) -> dict[str, str] | None:
        """An image or file in the author's raw HTML. Relative to the guide file first, as in Markdown; MkDocs
        leaves raw HTML as written, relative to the page's address (`../../img/x.png` from
        `user-guide/theme/`), so where the file is not beside the guide but is at that address, it is taken
        from there: an imported project's raw HTML shows what it showed in MkDocs."""
        resolve = self.media.resolve
        if resolve is None:
            return None
        line = self.rewriter.line_of(url)
        finds = getattr(resolve, "finds", None)
        parts = urlsplit(url)
        if finds and not (parts.scheme or parts.netloc) and parts.path and not finds(unquote(parts.path)):
            rewriter = self.rewriter
            at_address = posixpath.normpath(posixpath.join(key_dir(rewriter.page_key), unquote(parts.path)))
            if not at_address.startswith(("../", "/")) and at_address != "..":
                relative = posixpath.relpath(at_address, rewriter.rel_dir or ".")
                if finds(relative):
                    url = urlunsplit(parts._replace(path=quote(relative)))
        return resolve(tag, url, line, attrs)

    def convert(self, body: str, *, first_line: int, rel_dir: str, page_key: str,
                resolve: KeyResolver, media: MediaResolver | None = None) -> RenderedMarkdown:
        rewriter = self.rewriter
        self.media.resolve = media
        rewriter.resolve, rewriter.rel_dir, rewriter.page_key = resolve, rel_dir, page_key
        rewriter.start(body, first_line)
        if self.guard:
            self.guard.start(body, first_line)
        self.md.reset()
        extensions.snippets_read(self.md)  # nothing left from a conversion that failed
        try:
            # NUL is not allowed in HTML; browsers show U+FFFD for it, and so does the page.
            output = self.md.convert(body.replace("\x00", "\ufffd"))
        except SnippetMissingError as error:
            line, message = extensions.snippet_problem(error, body, first_line, self.site_dir)
            return RenderedMarkdown("", [], set(), problems=[(line, message, "error")])
        if media is not None:
            output = first_image_eager(output)
        toc = getattr(self.md, "toc_tokens", [])
        anchors = set(re.findall(r'\sid="([^"]+)"', output))
        warnings: list[tuple[int, str, Severity]] = \
            [(line, message, "warning") for line, message in sorted(self.guard.warnings)] if self.guard else []
        warnings += [(line, DIRECTIVE_WARNING, "warning") for line in directive_lines(body, first_line)]
        return RenderedMarkdown(output, toc, anchors, rewriter.links, rewriter.broken, warnings,
                                read=extensions.snippets_read(self.md))


DIRECTIVE_WARNING = "::: directives (mkdocstrings, mkdocs-click) are plugins Passo does not run: shown as text"


def directive_lines(body: str, first_line: int) -> list[int]:
    """Lines opening with `::: ` outside fenced code: mkdocstrings' and mkdocs-click's syntax, MkDocs plugins."""
    found, fenced = [], False
    for number, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("::: "):
            found.append(first_line + number)
    return found


def raw_html_lines(body: str, first_line: int) -> list[int]:
    """Lines holding raw HTML outside fenced code, for `raw_html = "refuse"`."""
    found, fenced = [], False
    for number, line in enumerate(body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and not line.startswith("    ") and RAW_HTML.search(re.sub(r"`[^`]*`", "", line)):
            found.append(first_line + number)
    return found
