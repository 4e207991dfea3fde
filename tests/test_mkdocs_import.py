"""`passo new site DIR --from-mkdocs mkdocs.yml`: MkDocs' own docs (tests/data/mkdocs-docs, unchanged) imported by the
command a user runs, then built with no edit; and the inputs that go wrong."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import MINIMAL_TOML, guide

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests/data/mkdocs-docs"


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, check=False)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess,
                                                                subprocess.CompletedProcess]:
    site = tmp_path_factory.mktemp("import") / "site"
    made = run("new", "site", site, "--from-mkdocs", FIXTURE / "mkdocs.yml")
    assert made.returncode == 0, made.stderr
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    return site, made, built


def guide_pages(site: Path) -> dict[str, str]:
    guides = site / "dist/en/guides"
    return {p.parent.relative_to(guides).as_posix().strip("."): p.read_text(encoding="utf-8")
            for p in sorted(guides.rglob("index.html"))}


def prose(html: str) -> str:
    """The page's main text outside code: what a reader sees as words."""
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", main, flags=re.S)


def test_the_docs_folder_becomes_the_guides_byte_for_byte_with_the_snippets_files(imported) -> None:
    site, made, _built = imported
    docs = FIXTURE / "docs"
    for source in docs.rglob("*"):
        if source.is_file():
            copy = site / "content/en/guides" / source.relative_to(docs)
            assert copy.read_bytes() == source.read_bytes(), copy
    # Files the --8<-- snippets pull in, where they were beside mkdocs.yml, so the snippets read as written.
    assert (site / "CONTRIBUTING.md").read_bytes() == (FIXTURE / "CONTRIBUTING.md").read_bytes()
    assert (site / "docs/img/plugin-events.svg").read_bytes() == (docs / "img/plugin-events.svg").read_bytes()
    assert "19 guides" in made.stdout


def test_every_markdown_file_is_one_page_as_mkdocs_makes_19(imported) -> None:
    site, _made, built = imported
    pages = guide_pages(site)
    assert len(pages) == len(list((FIXTURE / "docs").rglob("*.md"))) == 19
    assert {"", "getting-started", "user-guide", "user-guide/installation", "dev-guide/api",
            "about/contributing"} <= set(pages)
    assert "19 guide page(s) rendered" in built.stdout
    # The snippet is read: the contributing page holds CONTRIBUTING.md's text, its heading the page's title.
    assert re.search(r'<h1 id="contributing-to-mkdocs"[^>]*>Contributing to MkDocs</h1>', pages["about/contributing"])


def test_no_page_says_its_title_twice_and_no_markdown_shows_as_text(imported) -> None:
    site, _made, _built = imported
    for key, html in guide_pages(site).items():
        assert html.count("<h1") == 1, key
        text = prose(html)
        assert "```" not in text, key
        assert "&lt;div" not in text and "&lt;p" not in text, key
        assert not re.search(r"^\s*!!! \w+", text, re.M), key  # admonitions are boxes, not text


def test_fenced_code_inside_lists_is_code(imported) -> None:
    site, _made, _built = imported
    html = guide_pages(site)["user-guide/configuration"]
    item = re.search(r"<li>(?:(?!</li>).)*?<pre\b[^>]*><code class=\"language-yaml\">repo_url:", html, re.S)
    assert item, "the yaml fence inside the repo_url list item is not a <pre> inside its <li>"


def test_the_nav_of_mkdocs_yml_with_its_sections_and_order(imported) -> None:
    site, _made, _built = imported
    home = (site / "dist/en/index.html").read_text(encoding="utf-8")
    guides = home[home.index('id="guides-heading"'):]
    sections = re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", guides)
    assert sections == ["User Guide", "Developer Guide", "About"]
    top = re.findall(r">([^<]+)</a>", guides[:guides.index("<h3>")])
    assert top == ["Home", "Getting Started"]
    # user-guide/README.md's list (the literate-nav file) gives the section's order, its own page first.
    user_guide = guides[guides.index("User Guide"):guides.index("Developer Guide")]
    assert re.findall(r">([^<]+)</a>", user_guide)[:3] == ["Installation", "Writing Your Docs",
                                                             "Choosing Your Theme"]
    pages = guide_pages(site)

    def neighbours(key: str) -> tuple[str, str]:
        prev = re.search(r'rel="prev" href="([^"]+)"', pages[key])
        after = re.search(r'rel="next" href="([^"]+)"', pages[key])
        return (prev.group(1) if prev else "", after.group(1) if after else "")

    assert neighbours("user-guide/installation") == ("../", "../writing-your-docs/")
    assert neighbours("about/release-notes") == ("../../dev-guide/api/", "../contributing/")
    assert neighbours("getting-started") == ("../", "../user-guide/")


def test_site_toml_takes_name_nav_and_extensions_in_mkdocs_syntax(imported) -> None:
    site, _made, _built = imported
    text = (site / "site.toml").read_text(encoding="utf-8")
    config = tomllib.loads(text)
    assert config["name"] == "MkDocs"
    assert config["site_url"] == "https://www.mkdocs.org/"
    assert config["description"] == "Project documentation with Markdown."
    assert config["nav"][0] == {"Home": "index.md"}
    assert config["nav"][4] == {"About": [{"Release Notes": "about/release-notes.md"},
                                          {"Contributing": "about/contributing.md"},
                                          {"License": "about/license.md"}]}
    assert config["markdown_extensions"] == [
        {"toc": {"permalink": "\uf0c1"}}, "attr_list", "def_list", "tables",
        {"pymdownx.highlight": {"use_pygments": False}}, "pymdownx.snippets", "pymdownx.superfences"]
    # Those that cannot work here stay in site.toml, commented out, with the reason.
    assert '# "callouts",  # is not installed: pip install markdown-callouts' in text
    assert '# {mdx_gh_links = {user = "mkdocs", repo = "mkdocs"}},' in text
    assert '# "mkdocs-click",' in text


def test_the_command_lists_what_it_cannot_carry_over_at_its_line(imported) -> None:
    _site, made, _built = imported
    said = made.stderr
    for expected in [
        "mkdocs.yml:9: theme cannot be carried over (name, color_mode",
        "mkdocs.yml:30: extra_css cannot be carried over",
        "mkdocs.yml:55: hook 'docs/hooks.py' cannot be carried over",
        "mkdocs.yml:64: plugin 'autorefs' cannot be carried over",
        "mkdocs.yml:68: plugin 'mkdocstrings' cannot be carried over",
        "mkdocs.yml:46: markdown extension 'callouts' cannot be carried over",
        "mkdocs.yml:50: markdown extension 'mkdocs-click' cannot be carried over",
        "docs/dev-guide/api.md:5: '::: mkdocs.structure.files.Files': ::: directives",
        "docs/user-guide/cli.md:3: '::: mkdocs-click': ::: directives",
    ]:
        assert expected in said, expected
    # Raw HTML images, written relative to the address MkDocs gives the built page, show in Passo too
    # (tests/e2e/test_mkdocs_import.py): nothing to say about them.
    assert "<img" not in said
    assert len(re.findall(r"^  docs/\S+\.md:\d+: '::: ", said, re.M)) == 65


def test_the_build_warns_at_each_directive_and_the_links_mkdocs_would_warn_about(imported) -> None:
    _site, _made, built = imported
    said = built.stderr
    assert ("content/en/guides/dev-guide/api.md:5: warning: ::: directives (mkdocstrings, mkdocs-click) are "
            "plugins Passo does not run: shown as text") in said
    assert "content/en/guides/user-guide/cli.md:3: warning: ::: directives" in said
    # MkDocs' theme provides img/favicon.ico and mkdocs-click the #mkdocs-get-deps heading: warnings, as in MkDocs.
    assert "getting-started.md:138: warning: link 'img/favicon.ico': not found" in said
    assert "release-notes.md:335: warning: link '../user-guide/cli.md#mkdocs-get-deps'" in said
    assert "0 error(s)" in said


def test_a_missing_mkdocs_yml_or_docs_dir_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = run("new", "site", tmp_path / "a", "--from-mkdocs", tmp_path / "nowhere/mkdocs.yml")
    assert missing.returncode == 1
    assert f"error: {tmp_path / 'nowhere/mkdocs.yml'} not found" in missing.stderr
    (tmp_path / "project").mkdir()
    (tmp_path / "project/mkdocs.yml").write_text("site_name: Docs\ndocs_dir: pages\n")
    no_docs = run("new", "site", tmp_path / "b", "--from-mkdocs", tmp_path / "project/mkdocs.yml")
    assert no_docs.returncode == 1
    assert "docs_dir 'pages' not found" in no_docs.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_folder_that_holds_anything_is_refused(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/notes.txt").write_text("mine")
    said = run("new", "site", tmp_path / "site", "--from-mkdocs", FIXTURE / "mkdocs.yml")
    assert said.returncode == 1
    assert "is not empty" in said.stderr
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["notes.txt"]


def _project(folder: Path, yml: str, pages: dict[str, str]) -> Path:
    for rel, text in {"mkdocs.yml": yml, **{f"docs/{k}": v for k, v in pages.items()}}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


def test_a_nav_entry_naming_no_file_is_carried_so_the_build_points_at_it(tmp_path: Path) -> None:
    yml = _project(tmp_path / "project", "site_name: Docs\nnav:\n  - Home: index.md\n  - Setup: setup.md\n"
                   "  - More:\n    - Gone: gone.md\n", {"index.md": "# Docs\n", "setup.md": "# Setup\n"})
    made = run("new", "site", tmp_path / "site", "--from-mkdocs", yml)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "site/site.toml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "gone.md" in row)
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path / "site")
    assert [p.format().split("\n")[0] for p in failed.value.problems] == [
        f"site.toml:{line}: error: nav: 'gone.md' names no guide (there is no content/en/guides/gone.md)"]


def test_unknown_yaml_tags_are_listed_not_a_crash(tmp_path: Path) -> None:
    yml = _project(tmp_path / "project", "\n".join([
        "site_name: Tags",
        "repo_name: !ENV [REPO_NAME, 'docs']",
        "markdown_extensions:",
        "  - pymdownx.superfences:",
        "      custom_fences:",
        "        - name: mermaid",
        "          class: mermaid",
        "          format: !!python/name:pymdownx.superfences.fence_code_format",
        "  - toc:",
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}",
        "      permalink: true",
        "",
    ]), {"index.md": "# Tags\n\n```mermaid\ngraph LR\n```\n"})
    made = run("new", "site", tmp_path / "site", "--from-mkdocs", yml)
    assert made.returncode == 0, made.stderr
    for expected in [
        "mkdocs.yml:2: !ENV ['REPO_NAME', 'docs'] cannot be carried over",
        "mkdocs.yml:8: !!python/name:pymdownx.superfences.fence_code_format cannot be carried over",
        "mkdocs.yml:5: markdown extension 'pymdownx.superfences': option 'custom_fences' is a Python object; "
        "left out",
        "mkdocs.yml:10: !!python/object/apply:pymdownx.slugs.slugify cannot be carried over",
        "mkdocs.yml:10: markdown extension 'toc': option 'slugify' is a Python object; left out",
    ]:
        assert expected in made.stderr, expected
    config = tomllib.loads((tmp_path / "site/site.toml").read_text(encoding="utf-8"))
    assert config["markdown_extensions"] == ["pymdownx.superfences", {"toc": {"permalink": True}}]
    build(tmp_path / "site")
    assert (tmp_path / "site/dist/en/guides/index.html").is_file()


def test_broken_links_warn_makes_missing_targets_warnings_and_error_stays_the_default(make_site) -> None:
    pages = {"content/en/guides/a.md": guide("A", "[gone](gone.md) and [file](sheet.pdf) and [b](b.md#nowhere)\n"),
             "content/en/guides/b.md": guide("B")}
    strict = make_site(pages)
    with pytest.raises(BuildFailed) as failed:
        build(strict)
    assert len(failed.value.problems) == 3
    lenient = make_site({**pages, "site.toml": MINIMAL_TOML + 'broken_links = "warn"\n'}, name="lenient")
    result = build(lenient)
    assert sorted(p.message.split(":")[0] for p in result.warnings if "link '" in p.message) == [
        "link 'b.md#nowhere'", "link 'gone.md' points to no guide", "link 'sheet.pdf'"]
