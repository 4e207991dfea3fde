"""Hostile Markdown and front matter at build time: each input builds safely (escaped) or fails with a clear
message naming the file and the line; never a live script, handler or `javascript:` URL in a page."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import MINIMAL_TOML, REPO

GUIDE = "content/en/guides/a.md"
PAGE = "en/guides/a/index.html"
# Schemes a browser runs or renders as a document when a link or frame is followed.
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "xlink:href", "data", "background", "ping"}
FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet"}
CSP_HTTP_EQUIV = "content-security-policy"
ESCAPE_TOML = MINIMAL_TOML + 'raw_html = "escape"\n'


# --- reading built pages --------------------------------------------------------------------------------------------


class PageAudit(HTMLParser):
    """Everything in one HTML page that could run code or style outside the site's own files."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.csp: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_script = False
        self._in_style = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=...> event handler attribute")
            if name == "style":
                self.findings.append(f"<{tag} style=...> inline style attribute")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers drop ASCII tabs and newlines anywhere in a URL and leading spaces and controls.
                url = re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                             "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                             "\x1b\x1c\x1d\x1e\x1f ").lower()
                if url.startswith(DANGEROUS_SCHEMES):
                    self.findings.append(f"<{tag} {name}={value!r}> {url.split(':')[0]}: URL")
        if tag == "script":
            self.scripts.append({"src": named.get("src"), "body": ""})
            self._in_script = True
            if not named.get("src"):
                self.findings.append("<script> without src (inline script)")
        if tag == "style":
            self._in_style = True
            self.findings.append("<style> element (inline style)")
        if tag in FRAMES:
            self.findings.append(f"<{tag}> element")
        if tag == "meta" and (named.get("http-equiv") or "").lower() == CSP_HTTP_EQUIV:
            self.csp.append(named.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1]["body"] = (self.scripts[-1]["body"] or "") + data
            if data.strip():
                self.findings.append(f"<script> with a body: {data.strip()[:60]!r}")
        elif not self._in_style:
            self.text.append(data)


def audit_html(html: str) -> PageAudit:
    audit = PageAudit()
    audit.feed(html)
    audit.close()
    return audit


def audit_dist(dist: Path) -> dict[str, list[str]]:
    """Findings per page for every HTML file of a built site (Pagefind's own files excluded)."""
    found = {}
    for path in sorted(dist.rglob("*.html")):
        rel = path.relative_to(dist).as_posix()
        if rel.startswith("pagefind/"):
            continue
        findings = audit_html(path.read_text(encoding="utf-8")).findings
        if findings:
            found[rel] = findings
    return found


# --- building ---------------------------------------------------------------------------------------------------------


def front(*lines: str, body: str = "Some text.\n") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


class GuideSite:
    """A one-guide site built once, then rebuilt incrementally for each source (as `serve` does): fast, and a
    build that fails leaves the last good pages in place."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.dist = site.parent / "dist"
        self.writes = itertools.count(1)
        (site / "content/en/guides").mkdir(parents=True, exist_ok=True)
        # The picture the raw HTML cases show (raw <img> is resolved as Markdown's images are: missing is an error).
        Image.new("RGB", (2, 2)).save(site / "content/en/guides/x.png")
        self.build(front("title: First"))

    def build(self, source: str | bytes, toml: str = MINIMAL_TOML) -> Path:
        """Build with this guide source; return dist (BuildFailed propagates)."""
        if (self.site / "site.toml").read_text() != toml:
            (self.site / "site.toml").write_text(toml)
        path = self.site / GUIDE
        path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
        # Distinct mtimes, so a rewrite of the same size within one clock tick is never taken for no change.
        os.utime(path, ns=(1_700_000_000_000_000_000 + next(self.writes) * 1_000_000_000,) * 2)
        self.warnings = build(self.site, self.dist).warnings
        return self.dist

    def fail(self, source: str | bytes, toml: str = MINIMAL_TOML) -> BuildFailed:
        with pytest.raises(BuildFailed) as info:
            self.build(source, toml)
        return info.value


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory: pytest.TempPathFactory) -> GuideSite:
    site = tmp_path_factory.mktemp("hostile") / "site"
    shutil.copytree(REPO / "templates", site / "templates")
    shutil.copytree(REPO / "site_src", site / "site_src")
    (site / "site.toml").write_text(MINIMAL_TOML)
    return GuideSite(site)


def assert_names_the_guide(failed: BuildFailed) -> None:
    for problem in failed.problems:
        assert problem.path == GUIDE, problem.format()
        assert problem.line >= 1, problem.format()
        assert problem.message, problem.format()


def assert_safe_or_refused(guide_site: GuideSite, source: str) -> Path | None:
    """The guide either fails with problems naming it, or builds into pages with nothing live in them."""
    try:
        dist = guide_site.build(source)
    except BuildFailed as failed:
        assert_names_the_guide(failed)
        return None
    assert audit_dist(dist) == {}
    return dist


def guide_text(dist: Path) -> str:
    """The text a reader sees in the guide's article."""
    html = (dist / PAGE).read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    return "".join(audit_html(article).text)


# --- raw HTML in guides -----------------------------------------------------------------------------------------------

RAW_HTML = {
    "script": "Hello <script>alert(1)</script>\n\n<script src=\"https://evil.example/x.js\"></script>\n",
    "img-onerror": "<img src=x.png alt=x onerror=\"alert(1)\">\n\n"
                   "Text <img src=x.png alt=x onerror=alert(2)> inline.\n",
    "iframe": "<iframe src=\"https://evil.example/\"></iframe>\n",
    "svg-onload": "<svg onload=alert(1)><circle r=1></svg>\n",
    "style": "<style>body{display:none}</style>\n\n<p style=\"color:red\">red</p>\n",
    "form": "<form action=\"javascript:alert(1)\"><button>go</button></form>\n",
    "comment-breakout": "<!-- --><script>alert(1)</script> -->\n",
    "in-table": "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x.png alt=x onerror=alert(1)> |\n",
    "in-admonition": "!!! note \"<b onmouseover=alert(1)>t</b>\"\n    <script>alert(1)</script>\n",
}


@pytest.mark.parametrize("body", RAW_HTML.values(), ids=RAW_HTML.keys())
def test_raw_html_is_sanitized_by_default(guide_site: GuideSite, body: str) -> None:
    dist = guide_site.build(front("title: Raw", body=body))
    assert audit_dist(dist) == {}
    # Each case loses something, and the coach is told where: a warning at the guide's line.
    assert guide_site.warnings and all(w.path == GUIDE and w.line >= 5 and w.message.startswith("raw HTML: dropped")
                                       for w in guide_site.warnings), [w.format() for w in guide_site.warnings]


@pytest.mark.parametrize("body", RAW_HTML.values(), ids=RAW_HTML.keys())
def test_raw_html_is_escaped_on_request(guide_site: GuideSite, body: str) -> None:
    dist = guide_site.build(front("title: Raw", body=body), ESCAPE_TOML)
    assert audit_dist(dist) == {}
    # Shown as the text that was written, so the coach sees what went wrong instead of losing it.
    visible = guide_text(dist)
    for tag in re.findall(r"<(script|img|iframe|svg|style|form)", body):
        assert f"<{tag}" in visible


def test_raw_html_refused_names_every_line(guide_site: GuideSite) -> None:
    toml = MINIMAL_TOML + 'raw_html = "refuse"\n'
    source = front("title: Raw", body=(
        "Fine text.\n\n"                         # line 5
        "```html\n<script>shown as code</script>\n```\n\n"  # lines 7-9: code is not raw HTML
        "`<b>inline code</b>` is fine too.\n\n"  # line 11
        "<script>alert(1)</script>\n\n"          # line 13
        "Text with <img src=x onerror=alert(1)> in it.\n"  # line 15
    ))
    failed = guide_site.fail(source, toml)
    assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 13), (GUIDE, 15)]
    assert all('raw HTML is not allowed in guides (site.toml raw_html = "refuse")' in p.message
               for p in failed.problems)


def test_raw_html_refused_leaves_dist_untouched(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({GUIDE: front("title: Raw", body="Good.\n")})
    out = site.parent / "dist"
    build(site, out, incremental=False)
    before = (out / PAGE).read_bytes()
    (site / "site.toml").write_text(MINIMAL_TOML + 'raw_html = "refuse"\n')
    (site / GUIDE).write_text(front("title: Raw", body="<script>alert(1)</script>\n"))
    with pytest.raises(BuildFailed):
        build(site, out)
    assert (out / PAGE).read_bytes() == before


def test_raw_html_allowed_still_carries_the_policy(guide_site: GuideSite) -> None:
    """`allow` is the organisation's choice; the page keeps the meta policy that blocks inline script."""
    dist = guide_site.build(front("title: Raw", body="<p onclick=\"alert(1)\">p</p>\n"),
                            MINIMAL_TOML + 'raw_html = "allow"\n')
    audit = audit_html((dist / PAGE).read_text())
    assert audit.csp and "'unsafe-inline'" not in audit.csp[0]
    assert audit.findings == ["<p onclick=...> event handler attribute"]


# --- links and attributes ---------------------------------------------------------------------------------------------

SCRIPT_LINKS = {
    "javascript": "[x](javascript:alert(1))",
    "mixed-case": "[x](JaVaScRiPt:alert(1))",
    "entity-tab": "[x](java&#x09;script:alert(1))",
    "reference": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "image": "![x](javascript:alert(1))",
    "vbscript": "[x](vbscript:msgbox(1))",
    "data-html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
}


@pytest.mark.parametrize("link", SCRIPT_LINKS.values(), ids=SCRIPT_LINKS.keys())
def test_script_links_never_become_live(guide_site: GuideSite, link: str) -> None:
    assert_safe_or_refused(guide_site, front("title: Links", body=f"Click {link}\n"))


def test_autolink_with_javascript_never_becomes_a_link(guide_site: GuideSite) -> None:
    assert_safe_or_refused(guide_site, front("title: Links", body="See <javascript:alert(1)>.\n"))
    # Sanitized, it is an unknown tag and goes (with a warning); escaped, it stays text.
    dist = guide_site.build(front("title: Links", body="See <javascript:alert(1)>.\n"), ESCAPE_TOML)
    assert audit_dist(dist) == {} and "<javascript:alert(1)>" in guide_text(dist)


@pytest.mark.parametrize("body", [
    pytest.param("Para\n{: onclick=\"alert(1)\" }\n", id="paragraph-onclick"),
    pytest.param("[x](https://example.org/){: onmouseover=\"alert(1)\" }\n", id="link-onmouseover"),
    pytest.param("## Heading {: onfocus=alert(1) tabindex=0 }\n", id="heading-onfocus"),
    pytest.param("Para\n{: style=\"position:fixed;inset:0\" }\n", id="style"),
    pytest.param("[x](https://example.org/){: href=\"javascript:alert(1)\" }\n", id="href-override"),
])
def test_attribute_lists_cannot_add_handlers_or_styles(guide_site: GuideSite, body: str) -> None:
    assert_safe_or_refused(guide_site, front("title: Attributes", body=body))


def test_harmless_attribute_lists_still_work(guide_site: GuideSite) -> None:
    dist = guide_site.build(front("title: Attributes", body="## Steps {: #steps .wide }\n"))
    assert '<h2 class="wide" id="steps">Steps</h2>' in (dist / PAGE).read_text()


# --- front matter -----------------------------------------------------------------------------------------------------

HOSTILE_TITLE = "<script>alert(1)</script></title><img src=x onerror=alert(2)> & \"quotes\""


def test_html_in_title_summary_and_tags_is_escaped_everywhere(guide_site: GuideSite) -> None:
    summary = "\" onload=\"alert(3)\" x=\"<b>"
    dist = guide_site.build(front(f"title: '{HOSTILE_TITLE}'", f"summary: '{summary}'",
                                  "tags: ['<i onmouseover=alert(4)>t</i>']"))
    assert audit_dist(dist) == {}
    page = (dist / PAGE).read_text()
    assert "<script>alert(1)" not in page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;&lt;/title&gt;" in page
    home = (dist / "en/index.html").read_text()
    assert "<script>alert(1)" not in home and "&lt;script&gt;alert(1)" in home
    assert guide_text(dist).count(HOSTILE_TITLE) == 1


@pytest.mark.parametrize("line", [
    "summary: !!python/object/apply:os.system ['echo pwned']",
    "summary: !!python/name:os.system",
    "summary: !!python/object/new:subprocess.Popen [['true']]",
    "summary: !<tag:yaml.org,2002:python/object:object> {}",
])
def test_python_yaml_tags_are_refused(guide_site: GuideSite, line: str) -> None:
    failed = guide_site.fail(front("title: Tags", line))
    assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 3)]
    assert "front matter is not valid YAML: could not determine a constructor for the tag" in failed.problems[0].message
    assert failed.problems[0].source_line == line


def test_billion_laughs_aliases_fail_fast_and_small(guide_site: GuideSite) -> None:
    # In unknown keys, and expanded into typed keys: each is one problem on its own line, nothing expands.
    source = front("title: Laughs", "tags: &a ['lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol', 'lol']",
                   *[f"x{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)],
                   "summary: *h", "order: *h", "key: *h")
    failed = guide_site.fail(source)
    assert_names_the_guide(failed)
    assert len(failed.problems) == 10
    assert len(str(failed)) < 5_000


def test_recursive_alias_is_a_problem_not_a_hang(guide_site: GuideSite) -> None:
    failed = guide_site.fail(front("title: Loop", "tags: &a [*a]"))
    assert [(p.path, p.line, p.message) for p in failed.problems] == [
        (GUIDE, 3, "front-matter 'tags': Input should be a valid string")]


@pytest.mark.parametrize("value", ["[" * 1000 + "]" * 1000, "{a: " * 1000 + "1" + "}" * 1000],
                         ids=["lists", "mappings"])
def test_deeply_nested_front_matter_is_a_problem(guide_site: GuideSite, value: str) -> None:
    failed = guide_site.fail(front("title: Deep", f"tags: {value}"))
    assert_names_the_guide(failed)


def test_deeply_nested_markdown_list_builds_or_is_a_problem(guide_site: GuideSite) -> None:
    body = "".join("    " * i + "- item\n" for i in range(300))
    assert_safe_or_refused(guide_site, front("title: Deep list", body=body))


def test_deeply_nested_quotes_build(guide_site: GuideSite) -> None:
    assert_safe_or_refused(guide_site, front("title: Deep quotes", body="> " * 2000 + "x\n"))


def test_huge_front_matter(guide_site: GuideSite) -> None:
    # A megabyte of summary is odd but harmless: it builds, escaped.
    big = "<b>" + "x" * 1_000_000
    dist = guide_site.build(front("title: Big", f"summary: '{big}'"))
    assert audit_dist(dist) == {}
    # Hundreds of unknown keys: one problem each, on its own line.
    failed = guide_site.fail(front("title: Many", *[f"key{n}: v" for n in range(300)]))
    assert [p.line for p in failed.problems] == list(range(3, 303))
    assert all(p.path == GUIDE and p.message.startswith(f"unknown front-matter key 'key{p.line - 3}'")
               for p in failed.problems)


def test_a_yaml_date_is_accepted_as_other_generators_write_it(guide_site: GuideSite) -> None:
    dist = guide_site.build(front("title: Dated", "date: 2024-01-01"))
    assert audit_dist(dist) == {}


def test_key_cannot_escape_the_guides_folder(guide_site: GuideSite) -> None:
    for key in ("../../../outside", "/etc/passwd", "a/../../b", "a\\b"):
        failed = guide_site.fail(front("title: Escape", f"key: '{key}'"))
        assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 3)], key
        assert "front-matter 'key'" in failed.problems[0].message


# --- bytes: NUL, BOM, CRLF, control characters ------------------------------------------------------------------------


def test_nul_in_body_cannot_hide_markup(guide_site: GuideSite) -> None:
    assert_safe_or_refused(guide_site, front("title: Nul", body="a\x00b <scr\x00ipt>alert(1)</script>\n"))
    dist = guide_site.build(front("title: Nul", body="a\x00b <scr\x00ipt>alert(1)</script>\n"), ESCAPE_TOML)
    assert audit_dist(dist) == {}
    assert "&lt;scr" in (dist / PAGE).read_text()


def test_nul_in_body_never_reaches_the_page(guide_site: GuideSite) -> None:
    try:
        dist = guide_site.build(front("title: Nul", body="Text.\n\na\x00b\n"))
    except BuildFailed as failed:
        assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 7)]
    else:
        assert b"\x00" not in (dist / PAGE).read_bytes()


def test_nul_in_front_matter_names_its_line(guide_site: GuideSite) -> None:
    failed = guide_site.fail(front("title: Fine", "summary: a\x00b"))
    assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 3)]


def test_nul_in_front_matter_is_a_problem(guide_site: GuideSite) -> None:
    failed = guide_site.fail(front("title: a\x00b"))
    assert_names_the_guide(failed)
    assert "front matter is not valid YAML: unacceptable character #x0000" in failed.problems[0].message


def test_markdown_placeholders_in_text_cannot_pull_stashed_html(guide_site: GuideSite) -> None:
    # Python-Markdown stashes HTML behind \x02...\x03 markers; text that forges them must stay text.
    body = "`<script>alert(1)</script>`\n\n\x02wzxhzdk:0\x03 \x02klzzwxh:0\x03\n"
    dist = guide_site.build(front("title: Markers", body=body))
    assert audit_dist(dist) == {}
    assert "&lt;script&gt;" in (dist / PAGE).read_text()


def test_bom_and_crlf_build_like_plain_text(guide_site: GuideSite) -> None:
    plain = (guide_site.build(front("title: Same", body="Line one.\n\n## Part\n")) / PAGE).read_bytes()
    crlf = ("\ufeff" + front("title: Same", body="Line one.\n\n## Part\n")).replace("\n", "\r\n")
    assert (guide_site.build(crlf.encode("utf-8")) / PAGE).read_bytes() == plain


def test_bom_and_crlf_errors_name_the_right_line(guide_site: GuideSite) -> None:
    source = "\ufeff---\r\ntitle: T\r\nsummary: [unclosed\r\n---\r\n\r\nText\r\n"
    failed = guide_site.fail(source.encode("utf-8"))
    assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 3)]
    assert failed.problems[0].source_line.rstrip("\r") == "summary: [unclosed"


def test_not_utf8_names_the_line(guide_site: GuideSite) -> None:
    failed = guide_site.fail(b"---\ntitle: T\n---\n\nok\n\xff\xfe bad\n")
    assert [(p.path, p.line) for p in failed.problems] == [(GUIDE, 6)]
    assert "not UTF-8" in failed.problems[0].message


# --- random front matter ----------------------------------------------------------------------------------------------

KEYS = ["summary", "summary", "summary", "title", "summary", "order", "tags", "key", "plan", "lang", "date",
        "unknown", "<script>", "&a", "*a", "? x"]
SYNTAX = [" ", ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!!python/object:os.system ", "|", ">", "'", '"',
          "#", "%", "@", "`", "---", "...", "<script>alert(1)</script>", "javascript:alert(1)", "1e9999", "0x1F", "~",
          "null", "yes", "2024-01-01", "{: onclick=x }"]
CONTROLS = ["\t", "\r", "\x00", "\ufeff", "\u2028", "\x85", "\x1b", "\x7f"]
# Mostly printable text (Latin, accents, Cyrillic, emoji), so that a fair share of examples builds.
WORDS = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "So"]), min_size=1, max_size=12)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """Any text at all, or YAML-looking lines built from its special characters, mostly with a title."""
    branch = draw(st.integers(0, 4))
    if branch == 0:
        return draw(st.text(max_size=300))
    if branch == 1:  # well-formed YAML (JSON is YAML) carrying any text at all into the pages
        anything = st.text(max_size=40)
        meta = draw(st.fixed_dictionaries({"title": anything}, optional={
            "summary": anything, "tags": st.lists(anything, max_size=3), "order": st.integers(-(2**70), 2**70)}))
        return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=draw(st.booleans()))}" for key, value in meta.items())
    pieces = [WORDS, WORDS, WORDS, WORDS, WORDS, st.sampled_from(SYNTAX)]
    if draw(st.integers(0, 3)) == 0:  # a few examples also get control characters anywhere
        pieces += [st.sampled_from(CONTROLS), st.text(max_size=4)]
    text = st.lists(st.one_of(pieces), min_size=1, max_size=5).map("".join)
    # Plain, single-quoted or double-quoted (JSON escapes are YAML escapes: control characters get through).
    scalar = st.one_of(text, text.map(lambda v: "'" + v.replace("'", "''") + "'"),
                       text.map(lambda v: json.dumps(v, ensure_ascii=False)))
    lines = [f"title: {draw(scalar)}"] if draw(st.integers(0, 3)) else []
    for _ in range(draw(st.integers(0, 6))):
        indent = draw(st.sampled_from(["", "", "", "", "", "", "", "  ", "- "]))
        lines.append(f"{indent}{draw(st.sampled_from(KEYS))}: {draw(scalar)}")
    return "\n".join(draw(st.permutations(lines)))


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=front_matter(), body=st.sampled_from(["Text.\n", "# Heading\n\n[x](a.md#heading)\n", "<b>x</b>\n"]))
def test_random_front_matter_builds_or_names_the_file(guide_site: GuideSite, text: str, body: str) -> None:
    try:
        dist = guide_site.build("---\n" + text + "\n---\n\n" + body)
    except BuildFailed as failed:
        assert failed.problems
        for problem in failed.problems:
            assert problem.path == GUIDE, problem.format()
            assert problem.message, problem.format()
    else:
        for page in (PAGE, "en/index.html"):
            assert audit_html((dist / page).read_text(encoding="utf-8")).findings == [], page
