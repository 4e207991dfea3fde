"""Markdown for guides: the extensions coaches use, links made URLs, and nothing that can run script."""

from __future__ import annotations

from html.parser import HTMLParser

from passo.content.markdown_render import GuideMarkdown, guide_sources, is_safe_url, raw_html_lines

KEYS = {"grow.md": "grow", "more/oskar.md": "more/oskar"}


def convert(body: str, raw_html: str = "escape", rel_dir: str = "", page_key: str = "a"):  # type: ignore[no-untyped-def]
    md = GuideMarkdown(raw_html)
    return md.convert(body, first_line=5, rel_dir=rel_dir, page_key=page_key,
                      resolve=lambda d, link: KEYS.get(f"{d}/{link}".lstrip("/")))


def test_extensions_coaches_use() -> None:
    out = convert("## Steps {#steps}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```json\n{}\n```\n\n"
                  "!!! tip \"Remember\"\n    Small steps.\n")
    assert '<h2 id="steps">Steps</h2>' in out.html
    assert "<table>" in out.html and '<div class="language-json highlight">' in out.html
    assert '<div class="admonition tip">' in out.html
    assert out.anchors == {"steps"}
    assert [t["id"] for t in out.toc] == ["steps"]


def test_md_links_become_relative_urls_with_their_line() -> None:
    out = convert("Intro.\n\nSee [GROW](grow.md#will) and [OSKAR](more/oskar.md).\n")
    assert 'href="../grow/#will"' in out.html and 'href="../more/oskar/"' in out.html
    assert [(link.line, link.target_key, link.anchor) for link in out.links] == [(7, "grow", "will"),
                                                                                  (7, "more/oskar", "")]
    broken = convert("\n[gone](nowhere.md)\n")
    assert broken.broken == [(6, "nowhere.md")]


def test_links_without_md_name_a_guide_or_a_folders_page() -> None:
    assert guide_sources("", "grow") == ["grow.md", "grow/index.md", "grow/README.md"]
    assert guide_sources("more", "../grow/") == ["../grow.md", "../grow/index.md", "../grow/README.md"]
    assert guide_sources("more", "./") == ["./index.md", "./README.md"]
    assert guide_sources("", "grow.md") == ["grow.md"]
    for other in ("sheet.pdf", "img/photo.png", "../../plans/", "/en/plans/", ""):
        assert guide_sources("", other) == [], other
    out = convert("[GROW](grow) and [OSKAR](more/oskar/#scale).\n")
    assert 'href="../grow/"' in out.html and 'href="../more/oskar/#scale"' in out.html


def test_each_link_names_its_own_line_and_same_page_anchors_are_kept_for_checking() -> None:
    out = convert("[gone](nowhere.md)\n\n[top](#top)\n\n[gone](nowhere.md) and [gone again](<nowhere.md>)\n")
    assert out.broken == [(5, "nowhere.md"), (9, "nowhere.md"), (9, "nowhere.md")]
    assert [(link.line, link.target_key, link.anchor) for link in out.links] == [(7, "a", "top")]


def test_unicode_headings_keep_readable_anchors() -> None:
    out = convert("## Vad ska du göra?\n")
    assert out.anchors == {"vad-ska-du-göra"}


def test_script_never_survives() -> None:
    out = convert('<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\nPara\n{: onclick="alert(1)" }\n')
    assert "<script>" not in out.html and "javascript:" not in out.html.replace("&lt;", "")
    assert "onclick" not in out.html
    allowed = convert("<b>bold</b>\n", raw_html="allow")
    assert "<b>bold</b>" in allowed.html


def test_safe_url_rules() -> None:
    for url in ("https://example.org/", "mailto:a@b.c", "tel:+391234", "../grow/", "#top", "?q=1"):
        assert is_safe_url(url), url
    for url in ("javascript:alert(1)", " JavaScript:x", "java\tscript:x", "java&#x09;script:x", "vbscript:x",
                "data:text/html,x"):
        assert not is_safe_url(url), url


def test_raw_html_lines_skip_code() -> None:
    body = "text\n<div>raw</div>\n```\n<b>in code</b>\n```\n    <i>indented code</i>\nuse `<br>` inline\n"
    assert raw_html_lines(body, 10) == [11]


# --- Markdown as real docs write it (pymdown-extensions and Python-Markdown's own) ------------------------------------


class _Open(HTMLParser):
    """For each element of one tag name, the names of the elements it sits in, outermost first."""

    VOID = frozenset({"br", "hr", "img", "input", "wbr", "col"})

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.stack, self.found = wanted, [], []  # type: ignore[var-annotated]

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag == self.wanted:
            self.found.append(list(self.stack))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]


def inside(html: str, tag: str) -> list[list[str]]:
    parser = _Open(tag)
    parser.feed(html)
    return parser.found


def test_a_fence_inside_a_list_item_stays_in_the_item() -> None:
    out = convert("1. Install it:\n\n    ```text\n    pip install passo\n    ```\n\n2. Run it.\n")
    assert inside(out.html, "pre") == [["ol", "li", "div"]]
    assert inside(out.html, "code") == [["ol", "li", "div", "pre"]]
    assert "pip install passo" in out.html and "```" not in out.html
    assert out.html.count("<li>") == 2  # the fence did not end the list


def test_a_fence_inside_a_quote() -> None:
    out = convert("> ```text\n> quoted code\n> ```\n")
    assert inside(out.html, "pre") == [["blockquote", "div"]]


def test_a_titled_fence_shows_its_title_and_its_comment_is_code() -> None:
    out = convert('```python title="main.py"\n# not a heading\nprint("hi")\n```\n')
    assert '<span class="filename">main.py</span>' in out.html
    assert "<h1" not in out.html and out.toc == []
    assert '<span class="c1"># not a heading</span>' in out.html


def test_question_marks_make_details_closed_or_open() -> None:
    out = convert('??? note "Closed by default"\n    Hidden text.\n\n???+ tip "Open"\n    Shown text.\n')
    assert '<details class="note">\n<summary>Closed by default</summary>\n<p>Hidden text.</p>\n</details>' in out.html
    assert '<details class="tip" open>\n<summary>Open</summary>' in out.html


def test_tabs_are_radio_buttons_and_labels_with_no_script() -> None:
    out = convert('=== "Phone"\n    Tap it.\n\n=== "Computer"\n    Click it.\n')
    assert '<div class="tabbed-set tabbed-alternate" data-tabs="1:2">' in out.html
    assert out.html.count('type="radio"') == 2 and "checked" in out.html
    assert '<label for="__tabbed_1_1">Phone</label><label for="__tabbed_1_2">Computer</label>' in out.html
    assert "<script" not in out.html and " on" not in out.html.replace(" one", "")


def test_task_lists_show_checkboxes_named_by_their_words() -> None:
    out = convert("- [x] Book *the* session\n- [ ] Write the goal\n    - [ ] nested\n")
    assert '<ul class="task-list">' in out.html
    # Wrapped in a label with the item's words, so a screen reader says which task is done.
    assert ('<li class="task-list-item"><label><input type="checkbox" disabled checked/> Book <em>the</em> session'
            "</label></li>") in out.html
    assert ('<li class="task-list-item"><label><input type="checkbox" disabled/> Write the goal</label>'
            '<ul class="task-list">') in out.html


def test_footnotes_definitions_and_abbreviations() -> None:
    out = convert("GROW[^1] is a model.\n\n[^1]: Whitmore, 1992.\n\nGoal\n:   What you want.\n\n"
                  "*[GROW]: Goal, Reality, Options, Will\n")
    assert '<abbr title="Goal, Reality, Options, Will">GROW</abbr>' in out.html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in out.html
    assert '<li id="fn:1">\n<p>Whitmore, 1992.' in out.html
    assert "<dl>\n<dt>Goal</dt>\n<dd>What you want.</dd>\n</dl>" in out.html
    assert {"fn:1", "fnref:1"} <= out.anchors


def test_code_is_coloured_by_classes_never_by_style() -> None:
    out = convert("```python\ndef grow(goal):\n    return 'will'\n```\n\n    indented = True\n\n"
                  "```python linenums=\"1\" hl_lines=\"2\"\na = 1\nb = 2\n```\n")
    assert '<span class="k">def</span>' in out.html and '<span class="nf">grow</span>' in out.html
    assert '<span class="s1">' in out.html and 'indented = True' in out.html
    assert '<span class="hll">' in out.html and 'class="linenos"' in out.html
    assert "style=" not in out.html
