"""Markdown for guides: the extensions coaches use, links made URLs, and nothing that can run script."""

from __future__ import annotations

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
    assert "<table>" in out.html and '<code class="language-json">' in out.html
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
