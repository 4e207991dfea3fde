"""Raw HTML in a guide, sanitized (the default): the safe subset stays as written, the rest goes, and each thing that
goes is a warning at the line it was written on."""

from __future__ import annotations

from passo.content.markdown_render import GuideMarkdown
from passo.content.raw_html import clean, is_same_site

FIRST_LINE = 5  # the guide's body starts on line 5 of its file (after the front matter)


def convert(body: str):  # type: ignore[no-untyped-def]
    return GuideMarkdown("sanitize").convert(body, first_line=FIRST_LINE, rel_dir="", page_key="a",
                                             resolve=lambda _d, _l: None)


def warnings(out) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    assert all(severity == "warning" for _l, _m, severity in out.problems)
    return [(line, message) for line, message, _s in out.problems]


def test_the_safe_subset_stays_as_written() -> None:
    body = ("Press <kbd>Ctrl</kbd>+<kbd>S</kbd>, H<sub>2</sub>O, x<sup>2</sup>.<br>\n\n"
            '<details>\n<summary>More</summary>\nHidden.\n</details>\n\n'
            '<figure>\n<img src="img/grow.png" alt="GROW" width="300">\n<figcaption>GROW</figcaption>\n</figure>\n\n'
            '<p align="center"><span class="note" id="n1">centred</span> <a href="../oskar/">OSKAR</a></p>\n\n'
            "<table>\n<tr><th>a</th><td colspan=\"2\">b</td></tr>\n</table>\n")
    out = convert(body)
    for kept in ("<kbd>Ctrl</kbd>+<kbd>S</kbd>", "H<sub>2</sub>O", "x<sup>2</sup>", "<br>",
                 "<details>\n<summary>More</summary>\nHidden.\n</details>",
                 '<img src="img/grow.png" alt="GROW" width="300">', "<figcaption>GROW</figcaption>",
                 '<p align="center"><span class="note" id="n1">centred</span> <a href="../oskar/">OSKAR</a></p>',
                 '<td colspan="2">b</td>'):
        assert kept in out.html, kept
    assert out.problems == []


def test_what_can_run_or_restyle_goes_with_a_warning_at_its_line() -> None:
    body = ("Intro.\n\n"                                                   # 5
            "<script>alert(1)</script>\n\n"                                # 7
            'Click <a href="javascript:alert(1)" onclick="alert(2)">here</a>.\n\n'  # 9
            '<div class="box" style="position:fixed">\n'                   # 11
            '<iframe src="https://evil.example/"></iframe>\n'              # 12
            "</div>\n\n"
            'A <span style="color:red">red</span> word and <script>steal()</script>.\n\n'  # 15
            '<form action="/x"><input name="q"><button>Go</button></form>\n')  # 17
    out = convert(body)
    assert warnings(out) == [
        (7, "raw HTML: dropped <script>"),
        (9, 'raw HTML: dropped href="javascript:alert(1)" of <a>: not a safe link'),
        (9, "raw HTML: dropped the onclick attribute of <a>"),
        (11, "raw HTML: dropped the style attribute of <div>"),
        (12, "raw HTML: dropped <iframe>"),
        (15, "raw HTML: dropped <script>"),
        (15, "raw HTML: dropped the style attribute of <span>"),
        (17, "raw HTML: dropped <button>"),
        (17, "raw HTML: dropped <form>"),
        (17, "raw HTML: dropped <input>"),
    ]
    html = out.html
    for gone in ("<script", "alert", "steal", "javascript:", "onclick", "style=", "<iframe", "<form", "<input",
                 "<button"):
        assert gone not in html, gone
    # What the reader still gets: the link text, the box and its class, the red word (not red), the button's text.
    assert "<a>here</a>" in html and '<div class="box">' in html and "<span>red</span>" in html and "Go" in html


def test_images_come_from_the_site_only() -> None:
    out = convert('<img src="https://tracker.example/p.gif" alt="x"> <img src="//cdn.example/a.png" alt="y"> '
                  '<img src="data:image/png;base64,AAAA" alt="z"> <img src="grow.png" alt="ok">\n')
    assert out.html.count("<img") == 4 and out.html.count("src=") == 1 and '<img src="grow.png" alt="ok">' in out.html
    assert [message for _line, message in warnings(out)] == [  # one line: in the order of their text
        'raw HTML: dropped src="//cdn.example/a.png" of <img>: an image must be a file of the site (a relative URL)',
        'raw HTML: dropped src="data:image/png;base64,AAAA" of <img>: not a safe link',
        'raw HTML: dropped src="https://tracker.example/p.gif" of <img>: an image must be a file of the site '
        "(a relative URL)",
    ]
    assert is_same_site("../media/a.png") and is_same_site("a.png#x")
    assert not is_same_site("\\\\evil.example\\a.png") and not is_same_site("HTTPS://x/a.png")


def test_markdown_inside_html_is_cleaned_too() -> None:
    body = ('<div markdown="1" class="grid" onclick="alert(1)">\n\n**Bold** <span onmouseover="x">s</span>\n\n'
            '<object data="x.swf" markdown="1">\nfallback\n</object>\n\n</div>\n')
    out = convert(body)
    assert '<div class="grid">' in out.html and "<strong>Bold</strong>" in out.html and "<span>s</span>" in out.html
    assert "onclick" not in out.html and "onmouseover" not in out.html and "<object" not in out.html
    assert warnings(out) == [(5, "raw HTML: dropped the onclick attribute of <div>"),
                             (7, "raw HTML: dropped the onmouseover attribute of <span>"),
                             (9, "raw HTML: dropped <object>")]


def test_comments_go_quietly_and_code_keeps_its_tags() -> None:
    out = convert("<!-- a note to the next editor -->\n\nUse `<script>` with care.\n\n"
                  "```html\n<script>shown as code</script>\n```\n")
    assert "a note to the next editor" not in out.html
    assert "&lt;script&gt;" in out.html and "<script>" not in out.html
    assert out.problems == []


def test_a_lone_tag_is_rebuilt_never_closed() -> None:
    # Inline tags reach the cleaner one at a time: an opening tag must not gain a closing one.
    assert clean('<a href="../x/" onclick="y">') == ('<a href="../x/">', [(1, "dropped the onclick attribute of <a>")])
    assert clean("</kbd>") == ("</kbd>", [])
    assert clean("<blink>") == ("", [(1, "dropped <blink>")])
    assert clean('<abbr title="a &quot;b&quot; &lt;c&gt;">') == ('<abbr title="a &quot;b&quot; &lt;c&gt;">', [])
