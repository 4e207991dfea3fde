"""Markdown extensions: the ones a site adds in site.toml (MkDocs' syntax), each checked at its line, and snippets
read from the site folder only."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml

from passo.config import load_config
from passo.content.extensions import check
from passo.content.markdown_render import GuideMarkdown
from passo.pipeline import build
from tests.conftest import REPO, guide

MKDOCS = REPO / "tests/data/mkdocs-docs"


def site(tmp_path: Path, toml: str = "") -> Path:
    (tmp_path / "site.toml").write_text('name = "X"\n' + toml, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, toml: str) -> list[tuple[int, str]]:
    folder = site(tmp_path, toml)
    config, found = load_config(folder / "site.toml")
    assert config is not None, found
    return [(p.line, p.message) for p in check(config.markdown_extensions, folder)]


def convert(folder: Path, body: str, toml: str = ""):  # type: ignore[no-untyped-def]
    config, found = load_config(folder / "site.toml")
    assert config is not None, found
    md = GuideMarkdown(config.raw_html, config.markdown_extensions, folder)
    return md.convert(body, first_line=5, rel_dir="", page_key="a", resolve=lambda _d, _l: None)


# --- site.toml's markdown_extensions ----------------------------------------------------------------------------------


def test_an_extension_that_is_not_installed_names_its_package_and_line(tmp_path: Path) -> None:
    toml = 'markdown_extensions = [\n  "abbr",\n  "callouts",\n  {"pymdownx.details" = {}},\n  "no_such_ext",\n]\n'
    assert problems(tmp_path, toml) == [
        (4, "markdown extension 'callouts' is not installed: pip install markdown-callouts"),
        (6, "markdown extension 'no_such_ext' is not installed: install the package that provides 'no_such_ext'"),
    ]


def test_mkdocs_own_extensions_as_its_mkdocs_yml_lists_them(tmp_path: Path) -> None:
    """MkDocs' documentation, its markdown_extensions written in TOML one per line: what Passo reads is fine, what
    it lacks names the package to install."""
    entries = yaml.safe_load((MKDOCS / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    lines = []
    for entry in entries:
        if isinstance(entry, str):
            lines.append(f"  {json.dumps(entry)},")
        else:
            (name, options), = entry.items()
            written = ", ".join(f"{key} = {json.dumps(value)}" for key, value in options.items())
            lines.append(f"  {{{json.dumps(name)} = {{{written}}}}},")
    toml = "markdown_extensions = [\n" + "\n".join(lines) + "\n]\n"
    assert problems(tmp_path, toml) == [
        (10, "markdown extension 'callouts' is not installed: pip install markdown-callouts"),
        (11, "markdown extension 'mdx_gh_links' is not installed: pip install mdx-gh-links"),
        (12, "markdown extension 'mkdocs-click' is not installed: pip install mkdocs-click"),
    ]


def test_options_are_checked_at_their_line(tmp_path: Path) -> None:
    toml = ('markdown_extensions = [\n  {toc = {permalnk = true}},\n'
            '  {"pymdownx.highlight" = {noclasses = true}},\n'
            '  {"pymdownx.snippets" = {url_download = true}},\n'
            '  {"pymdownx.snippets" = {base_path = ["..", "docs"]}},\n'
            '  {pymdownx.details = {}},\n]\n')
    found = problems(tmp_path, toml)
    assert found[0][0] == 3 and found[0][1].startswith("markdown extension 'toc' has no option 'permalnk' "
                                                       "(its options: anchorlink, ")
    assert found[1:] == [
        (4, "markdown extension 'pymdownx.highlight': Passo sets noclasses = false (the Content-Security-Policy "
            "allows no inline style)"),
        (5, "markdown extension 'pymdownx.snippets': Passo sets url_download = false (snippets are read from the "
            "site folder only, never downloaded)"),
        (6, f"markdown extension 'pymdownx.snippets': base_path '{tmp_path.parent.resolve()}' is outside the site "
            "folder (snippets are read from the site folder only)"),
        (7, "'pymdownx' is not a Python-Markdown extension; a dotted name needs quotes in TOML: "
            '{"pymdownx.details" = {...}}'),
    ]


def test_a_site_extension_and_options_take_effect(tmp_path: Path) -> None:
    folder = site(tmp_path, 'markdown_extensions = ["markdown.extensions.smarty", {toc = {permalink = true}}]\n')
    out = convert(folder, '## Steps\n\n"Quoted" -- text.\n')
    assert '<a class="headerlink" href="#steps" title="Permanent link">&para;</a>' in out.html
    assert "&ldquo;Quoted&rdquo; &ndash; text." in out.html


# --- snippets ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def mkdocs_site(tmp_path: Path) -> Path:
    """A site laid out as MkDocs' own docs: CONTRIBUTING.md at the top, a page that is one snippet of it."""
    folder = site(tmp_path)
    shutil.copy(MKDOCS / "CONTRIBUTING.md", folder / "CONTRIBUTING.md")
    return folder


def test_a_snippet_inside_the_site_folder_is_included(mkdocs_site: Path) -> None:
    page = (MKDOCS / "docs/about/contributing.md").read_text(encoding="utf-8")
    assert page.strip() == '--8<-- "CONTRIBUTING.md"'
    out = convert(mkdocs_site, page)
    assert out.problems == []
    assert '<h1 id="contributing-to-mkdocs">Contributing to MkDocs</h1>' in out.html
    assert '<h2 id="reporting-an-issue">Reporting an Issue</h2>' in out.html


def test_an_edited_snippet_makes_its_page_again_in_the_next_build(make_site) -> None:  # type: ignore[no-untyped-def]
    folder = make_site({"content/en/guides/a.md": guide("A", '--8<-- "parts/steps.md"\n'),
                        "parts/steps.md": "First version of the steps.\n"})
    build(folder)
    page = folder / "dist/en/guides/a/index.html"
    assert "First version" in page.read_text(encoding="utf-8")
    (folder / "parts/steps.md").write_text("Second version, longer than the first.\n", encoding="utf-8")
    result = build(folder)
    assert not result.full and "Second version" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "../outside.md"])
def test_a_snippet_outside_the_site_folder_is_an_error_at_its_line(mkdocs_site: Path, path: str) -> None:
    (mkdocs_site.parent / "outside.md").write_text("secret\n")
    out = convert(mkdocs_site, f'Intro.\n\n--8<-- "{path}"\n')
    assert out.problems == [(7, f"snippet '{path}' is outside the site folder: snippets are read from the site "
                                "folder only", "error")]
    assert "root:" not in out.html and "secret" not in out.html


def test_a_link_inside_the_site_folder_to_a_file_outside_is_refused(mkdocs_site: Path) -> None:
    (mkdocs_site.parent / "outside.md").write_text("secret\n")
    os.symlink(mkdocs_site.parent / "outside.md", mkdocs_site / "inside.md")
    out = convert(mkdocs_site, '--8<-- "inside.md"\n')
    assert out.problems == [(5, "snippet 'inside.md' is outside the site folder: snippets are read from the site "
                                "folder only", "error")]


def test_a_missing_snippet_is_an_error_at_its_line(mkdocs_site: Path) -> None:
    out = convert(mkdocs_site, 'Intro.\n\n--8<-- "docs/nowhere.md"\n')
    assert out.problems == [(7, "snippet 'docs/nowhere.md' is not in the site folder", "error")]
