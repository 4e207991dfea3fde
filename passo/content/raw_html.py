"""Raw HTML a guide's author writes, kept to a safe subset (`raw_html = "sanitize"`, the default).

Only the author's HTML is cleaned: Python-Markdown keeps it in its stash beside the HTML extensions make (highlighted
code, footnotes), so the stash here notes which entries the author wrote, and those alone pass through nh3 before
they go back into the page. A whole fragment is cleaned as one (a `<table>` block, `<script>...</script>` in a
line); a single tag written inline (`<kbd>`, `</kbd>`) is rebuilt from the same lists, since cleaning it alone would
close it. Each thing dropped is a warning at the guide's file and line, found by the fragment's text in the source.
"""

from __future__ import annotations

import bisect
import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser

import markdown
import nh3
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HtmlStash

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Invisible characters browsers drop from a URL before reading its scheme ("java\tscript:" is "javascript:").
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]+")

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TABLES = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "time", "u", "ul", "var", "wbr",
    *HEADINGS, *TABLES,
})
# Dropped with everything inside them: what they hold is code, a document of its own, or a form's innards.
CLEAN_CONTENT = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                           "template", "noscript", "noembed", "noframes", "textarea", "select", "svg", "math",
                           "title", "xmp"})
ALIGNED = {"div", "p", "img", "table", "tr", "td", "th", "caption", *HEADINGS}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
}
for _tag in ALIGNED:
    ATTRIBUTES.setdefault(_tag, set()).add("align")
QUIET = {"markdown"}  # md_in_html's switch: its job is done by the time the tag is cleaned, no warning
LONE_TAG = re.compile(r"^\s*<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>\s*$")
VOID = {"br", "hr", "img", "wbr", "col", "input", "meta", "link", "source", "track", "area", "base", "embed", "param"}


def is_safe_url(value: str) -> bool:
    """Relative URLs and http(s), mailto and tel only: never javascript:, vbscript: or data: in a guide."""
    cleaned = URL_NOISE.sub("", html.unescape(value)).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def is_same_site(value: str) -> bool:
    """A relative URL: no scheme and no host (`//host/`, and `\\\\host\\`, which browsers read the same way)."""
    cleaned = URL_NOISE.sub("", html.unescape(value)).replace("\\", "/")
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", cleaned) is None and not cleaned.startswith("//")


def url_refusal(tag: str, name: str, value: str) -> str | None:
    """Why a URL attribute is dropped, or None when it is kept: links go to safe schemes, and an image is a file
    of the site (another host would learn who reads the guide, and the page would need the network)."""
    if name not in ("href", "src"):
        return None
    if not is_safe_url(value):
        return "not a safe link"
    if tag == "img" and not is_same_site(value):
        return "an image must be a file of the site (a relative URL)"
    return None


def _keep(tag: str, name: str, value: str) -> str | None:
    return None if url_refusal(tag, name, value) else value


CLEANER = nh3.Cleaner(tags=set(TAGS), clean_content_tags=set(CLEAN_CONTENT), attributes=ATTRIBUTES,
                      attribute_filter=_keep, url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True)


def allowed(tag: str, name: str) -> bool:
    return name in ATTRIBUTES["*"] or name in ATTRIBUTES.get(tag, ())


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:39] + "…"


def attribute_drop(tag: str, name: str, value: str | None) -> str | None:
    """The warning for an attribute the policy drops, or None when it is kept."""
    if name in QUIET:
        return None
    if not allowed(tag, name):
        return f"dropped the {name} attribute of <{tag}>"
    why = url_refusal(tag, name, value or "")
    return f"dropped {name}=\"{_shown(value or '')}\" of <{tag}>: {why}" if why else None


class _Scan(HTMLParser):
    """What the policy drops from a fragment, as (line within the fragment, message): the lists nh3 is given,
    read back, so each warning says what the reader will not get."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[tuple[int, str]] = []
        self.inside: str | None = None  # a clean-content element: nothing in it is reported again
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, tag in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        if self.inside == tag:
            self.depth -= 1
            if self.depth == 0:
                self.inside = None

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        line = self.getpos()[0]
        if self.inside:
            self.depth += tag == self.inside and not void
            return
        if tag not in TAGS:
            self.dropped.append((line, f"dropped <{tag}>"))
            if tag in CLEAN_CONTENT and not void:
                self.inside, self.depth = tag, 1
            return
        for name, value in attrs:
            message = attribute_drop(tag, name, value)
            if message:
                self.dropped.append((line, message))


def scan(fragment: str) -> list[tuple[int, str]]:
    scanner = _Scan()
    scanner.feed(fragment)
    scanner.close()
    return scanner.dropped


def clean_tag(text: str) -> str:
    """One start or end tag written alone (inline HTML), rebuilt from the policy's lists."""
    match = LONE_TAG.match(text)
    assert match is not None
    closing, tag = match.group(1), match.group(2).lower()
    if tag not in TAGS:
        return ""
    if closing:
        return f"</{tag}>"
    attrs = _attributes(text.strip())
    kept = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
                   if allowed(tag, name) and not url_refusal(tag, name, value or ""))
    return f"<{tag}{kept}>"


def _attributes(tag_text: str) -> list[tuple[str, str | None]]:
    """The attributes of one start tag, values unescaped, in the order written."""
    found: list[tuple[str, str | None]] = []

    class _Read(HTMLParser):
        def handle_starttag(self, _tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(attrs)

        handle_startendtag = handle_starttag

    reader = _Read(convert_charrefs=True)
    reader.feed(tag_text)
    reader.close()
    return found


# An <img> or <a> tag in a cleaned fragment: nh3 writes each start tag whole on one line, attributes quoted.
URL_TAG = re.compile(r"<(img|a)\s[^>]*>", re.IGNORECASE)
MediaLinks = Callable[[str, str, dict[str, str]], "dict[str, str] | None"]


def resolve_media(fragment: str, media: MediaLinks) -> str:
    """The author's `<img src>` and `<a href>` in a cleaned fragment, given to the same media resolver as Markdown's
    images and links (copied, fingerprinted, sized), so `<img src="img/x.png">` works as `![](img/x.png)` does."""
    def one(match: re.Match[str]) -> str:
        tag = match.group(1).lower()
        attrs = {name: value or "" for name, value in _attributes(match.group(0))}
        url = attrs.get("src" if tag == "img" else "href", "")
        changes = media(tag, url, attrs) if url else None
        if not changes:
            return match.group(0)
        attrs.update(changes)
        return f"<{tag}" + "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs.items()) + ">"

    return URL_TAG.sub(one, fragment)


def clean(fragment: str) -> tuple[str, list[tuple[int, str]]]:
    """The fragment as the page gets it, and what was dropped from it (line within the fragment, message).
    Comments go too, quietly: they were never meant to be seen."""
    if LONE_TAG.match(fragment):
        return clean_tag(fragment), scan(fragment.strip())
    return CLEANER.clean(fragment), scan(fragment)


class AuthoredStash(HtmlStash):
    """Python-Markdown's stash, noting which entries the author wrote (stored while `authoring`)."""

    def __init__(self) -> None:
        super().__init__()
        self.authoring_depth = 0
        self.authored: list[int] = []
        self.elements: set[int] = set()  # ids of md_in_html elements the author wrote, put in the tree as they are
        self.cleaned: set[int] = set()  # entries already cleaned

    def store(self, html: str | etree.Element) -> str:
        placeholder = super().store(html)
        if self.authoring_depth:
            self.authored.append(self.html_counter - 1)
            if isinstance(html, etree.Element):
                self.elements.update(id(element) for element in html.iter())
        return placeholder

    def reset(self) -> None:
        super().reset()
        self.authored, self.elements, self.cleaned = [], set(), set()

    @contextmanager
    def authoring(self) -> Iterator[None]:
        self.authoring_depth += 1
        try:
            yield
        finally:
            self.authoring_depth -= 1


class _AuthoredBlocks(Preprocessor):
    """Python-Markdown's (or md_in_html's) raw HTML block reader, with what it stores marked as the author's."""

    def __init__(self, md: markdown.Markdown, inner: Preprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, lines: list[str]) -> list[str]:
        with self.md.htmlStash.authoring():  # type: ignore[attr-defined]
            return self.inner.run(lines)


class _AuthoredInline(HtmlInlineProcessor):
    """Inline tags (`<kbd>`), marked as the author's."""

    def handleMatch(self, m, data):  # type: ignore[no-untyped-def]
        with self.md.htmlStash.authoring():
            return super().handleMatch(m, data)


# An element whose content is dropped with it, written in one line: taken whole, so its content goes too.
WHOLE_ELEMENT = r"(?i)(<(" + "|".join(sorted(CLEAN_CONTENT)) + r")\b[^>]*>.*?</\2\s*>)"


class Lines:
    """Finds the guide line a fragment was written on: the n-th time a text is looked up, its n-th place."""

    def __init__(self, body: str, first_line: int) -> None:
        self.body = body.expandtabs(4)
        self.first_line = first_line
        self.asked: Counter[str] = Counter()
        self.places: dict[str, list[int]] = {}  # needle -> the lines it is on, once per place (a page of <br>s)

    def of(self, fragment: str) -> int:
        needle = next((line.strip() for line in fragment.expandtabs(4).split("\n") if line.strip()), "")
        seen = self.asked[needle]
        self.asked[needle] += 1
        if needle not in self.places:
            starts = [m.start() for m in re.finditer(re.escape(needle), self.body)] if needle else []
            newlines = [m.start() for m in re.finditer("\n", self.body)]
            self.places[needle] = [self.first_line + bisect.bisect_left(newlines, start) for start in starts]
        places = self.places[needle]
        if not places:
            return self.first_line  # it came from a snippet, or Markdown rewrote it: the guide's first line
        return places[min(seen, len(places) - 1)]


class _CleanAuthored(Postprocessor):
    """Before the stash goes back into the page: each entry the author wrote, cleaned, with a warning per drop."""

    def __init__(self, md: markdown.Markdown, guard: RawHtmlGuard) -> None:
        super().__init__(md)
        self.guard = guard

    def run(self, text: str) -> str:
        stash: AuthoredStash = self.md.htmlStash  # type: ignore[assignment]
        for index in stash.authored:
            cleaned = stash.rawHtmlBlocks[index]
            # toc runs the postprocessors again for each heading's text: each entry is cleaned once.
            if index not in stash.cleaned:
                stash.cleaned.add(index)
                raw = cleaned
                if isinstance(raw, etree.Element):  # md_in_html keeps HTML inside a Markdown block as elements
                    raw = self.md.serializer(raw)
                line = self.guard.lines.of(raw) if raw.strip() else 0
                cleaned, dropped = clean(raw)
                self.guard.warn([(line + offset - 1, message) for offset, message in dropped])
                if self.guard.media is not None:
                    cleaned = resolve_media(cleaned, self.guard.media)
                stash.rawHtmlBlocks[index] = cleaned
            if not cleaned.strip():  # no empty paragraph where a dropped block was
                text = text.replace(f"<p>{stash.get_placeholder(index)}</p>", "")
        return text


class _CleanElements(Treeprocessor):
    """md_in_html puts the author's `<tag markdown>` elements in the tree itself: the same lists apply there. A tag
    not on them becomes a plain `<div>` (only block tags take `markdown`), or goes with its content."""

    def __init__(self, md: markdown.Markdown, guard: RawHtmlGuard) -> None:
        super().__init__(md)
        self.guard = guard

    def run(self, root: etree.Element) -> None:
        elements = self.md.htmlStash.elements  # type: ignore[attr-defined]
        if not elements:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if id(element) not in elements:
                continue
            tag = element.tag
            line = self.guard.lines.of(f"<{tag}")
            report = tag in TAGS  # a tag dropped takes its attributes with it, as nh3 does: one warning says it
            if tag not in TAGS:
                self.guard.warn([(line, f"dropped <{tag}>")])
                if tag in CLEAN_CONTENT:
                    parent = parents[element]
                    tail = element.tail or ""
                    index = list(parent).index(element)
                    parent.remove(element)
                    if index:
                        parent[index - 1].tail = (parent[index - 1].tail or "") + tail
                    else:
                        parent.text = (parent.text or "") + tail
                    continue
                element.tag = tag = "div"
            for name in list(element.attrib):
                message = attribute_drop(tag, name, element.attrib[name])
                if not allowed(tag, name) or url_refusal(tag, name, element.attrib[name]):
                    del element.attrib[name]
                if message and report:
                    self.guard.warn([(line, message)])


class RawHtmlGuard:
    """Sets a converter up for `raw_html = "sanitize"`, and holds one conversion's warnings."""

    def __init__(self, md: markdown.Markdown) -> None:
        md.htmlStash = AuthoredStash()
        md.preprocessors.register(_AuthoredBlocks(md, md.preprocessors["html_block"]), "html_block", 20)
        md.inlinePatterns.register(_AuthoredInline(HTML_RE, md), "html", 90)
        md.inlinePatterns.register(_AuthoredInline(WHOLE_ELEMENT, md), "passo-whole-element", 91)
        md.treeprocessors.register(_CleanElements(md, self), "passo-raw-elements", 0.5)
        md.postprocessors.register(_CleanAuthored(md, self), "passo-raw-html", 35)
        self.lines = Lines("", 1)
        self.warnings: list[tuple[int, str]] = []
        self.media: MediaLinks | None = None  # set by the converter: resolves images and files in raw HTML too

    def start(self, body: str, first_line: int) -> None:
        self.lines = Lines(body, first_line)
        self.warnings = []

    def warn(self, dropped: list[tuple[int, str]]) -> None:
        self.warnings.extend((line, f"raw HTML: {message}") for line, message in dropped)
