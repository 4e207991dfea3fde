"""site.toml: defaults a coach can rely on, and errors that point at the line to fix."""

from __future__ import annotations

from pathlib import Path

from passo.config import load_config


def load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_minimal_config_gets_sensible_defaults(tmp_path: Path) -> None:
    config, problems = load(tmp_path, 'name = "Coaching"\n')
    assert problems == [] and config is not None
    assert config.languages == ["en"] and config.default_language == "en"
    assert config.base_path == "/" and config.raw_html == "sanitize" and config.search is True
    assert config.markdown_extensions == []
    assert config.branding.colour == "#1f5c99"


def test_base_path_and_site_url_get_their_slash(tmp_path: Path) -> None:
    config, _ = load(tmp_path, 'name = "X"\nbase_path = "/coaching"\nsite_url = "https://example.org/c"\n')
    assert config is not None
    assert config.base_path == "/coaching/" and config.site_url == "https://example.org/c/"


def test_errors_name_the_line_even_in_a_table(tmp_path: Path) -> None:
    text = 'name = "X"\nlanguages = ["en", "it"]\n\n[branding]\nname = "Acme"\ncolour = "blue"\nlogo_size = 3\n'
    config, problems = load(tmp_path, text)
    assert config is None
    found = sorted((p.line, p.message) for p in problems)
    assert found[0][0] == 6 and found[0][1].startswith("branding.colour: String should match pattern")
    assert found[1] == (7, "unknown key 'branding.logo_size'")
    assert all(p.path == "site.toml" for p in problems)


def test_default_language_must_be_published(tmp_path: Path) -> None:
    _config, problems = load(tmp_path, 'name = "X"\nlanguages = ["it", "sv"]\n')
    assert [(p.line, p.message) for p in problems] == [(1, "default_language: 'en' is not in languages")]


def test_bad_language_code(tmp_path: Path) -> None:
    _config, problems = load(tmp_path, 'name = "X"\nlanguages = ["en", "Italian"]\n')
    assert [(p.line, p.message) for p in problems] == [
        (2, "languages: 'Italian' is not a language code like 'en' or 'pt-BR'")]


def test_missing_file_and_not_utf8(tmp_path: Path) -> None:
    _config, problems = load_config(tmp_path / "site.toml")
    assert [p.message for p in problems] == ["site.toml not found: every site needs one"]
    (tmp_path / "site.toml").write_bytes(b'name = "caf\xe9"\n')
    _config, problems = load_config(tmp_path / "site.toml")
    assert [(p.line, p.message) for p in problems] == [(1, "not UTF-8 text")]


def test_markdown_extensions_in_mkdocs_syntax_with_their_lines(tmp_path: Path) -> None:
    text = ('name = "X"\nmarkdown_extensions = ["abbr", {toc = {permalink = true}},\n'
            '  {"pymdownx.superfences" = {}},\n  "markdown.extensions.def_list"]\n')
    config, problems = load(tmp_path, text)
    assert problems == [] and config is not None
    assert [(e.name, e.options, e.line) for e in config.markdown_extensions] == [
        ("abbr", {}, 2), ("toc", {"permalink": True}, 2), ("pymdownx.superfences", {}, 3),
        ("markdown.extensions.def_list", {}, 4)]


def test_markdown_extensions_of_another_shape_name_the_line(tmp_path: Path) -> None:
    _config, problems = load(tmp_path, 'name = "X"\n\nmarkdown_extensions = [{toc = true}]\n')
    assert [(p.line, p.message) for p in problems] == [
        (3, "markdown_extensions: the options of 'toc' must be a table, e.g. {toc = {}}")]
    _config, problems = load(tmp_path, 'name = "X"\nmarkdown_extensions = [{abbr = {}, toc = {}}]\n')
    assert [(p.line, p.message) for p in problems] == [
        (2, "markdown_extensions: each entry is an extension's name or a one-key table name -> options, "
            'e.g. "abbr" or {toc = {permalink = true}}')]


NAV = '''name = "X"
# "quotes" in a comment do not count
nav = [
  "index.md",
  {"Session models" = [
      "grow.md",
      {'The "CLEAR" model' = "clear.md"},
      {Deep = ["a/b.md"]},
  ]},
]
'''


def test_nav_is_read_as_mkdocs_writes_it_with_each_entry_at_its_line(tmp_path: Path) -> None:
    config, problems = load(tmp_path, NAV)
    assert problems == [] and config is not None
    top, section = config.nav_entries
    assert (top.line, top.title, top.path) == (4, None, "index.md")
    assert (section.line, section.title, section.path) == (5, "Session models", None)
    assert [(e.line, e.title, e.path) for e in section.children[:2]] == [(6, None, "grow.md"),
                                                                         (7, 'The "CLEAR" model', "clear.md")]
    deep = section.children[2]
    assert (deep.line, deep.title, [(e.line, e.path) for e in deep.children]) == (8, "Deep", [(8, "a/b.md")])


def test_nav_entries_that_name_no_guide_file_are_errors_at_their_line(tmp_path: Path) -> None:
    text = ('name = "X"\nnav = [\n  "https://example.org/",\n  {"A" = "a.md", "B" = "b.md"},\n  "../out.md",\n'
            '  {"Empty" = 3},\n  "ok.md",\n]\n')
    config, problems = load(tmp_path, text)
    assert config is None
    assert [(p.line, p.message) for p in problems] == [
        (3, "nav: 'https://example.org/' is a link to another site; nav lists guides (link to it from a guide "
            "instead)"),
        (4, 'nav: each table in nav has one key: {"Title" = "path.md"} or {"Section" = [...]}'),
        (5, "nav: '../out.md' is not a guide: write the path of a .md file under the guides folder, like "
            '"habits/daily.md"'),
        (6, "nav: 'Empty' must name a guide (\"path.md\") or a list of entries (a section)")]
