"""Passo's own files found in one place, and `passo new site`: a site that builds at once, never over another."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from passo import builtin
from passo.cli import main
from passo.pipeline import build
from passo.scaffold import new_site
from tests.conftest import REPO


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_checkout_uses_its_own_folders() -> None:
    assert builtin.root() == REPO
    for name in builtin.FOLDERS:
        assert builtin.folder(name).is_dir(), name


def test_the_wheel_maps_every_builtin_folder_into_the_package() -> None:
    """pyproject.toml's package-dir puts each top-level folder where builtin.root() looks in an installed Passo."""
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    for name in builtin.FOLDERS:
        package = f"passo._builtin.{name}"
        assert setuptools["package-dir"][package] == name
        assert package in setuptools["packages"] and setuptools["package-data"][package]
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]["passo"] == "passo.cli:run"


def test_new_site_builds_at_once_with_every_form_in_every_language(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "coaching"
    assert main(["new", "site", str(site), "--lang", "it", "--lang", "en", "--lang", "sv", "--name", "Acme"]) == 0
    assert f"wrote 13 files in {site}" in capsys.readouterr().out
    assert sorted(p.name for p in site.iterdir()) == [".gitignore", "content", "locales", "schemas", "site.toml"]
    assert not (site / "templates").exists() and not (site / "site_src").exists()  # Passo's files stay in Passo
    config = tomllib.loads((site / "site.toml").read_text())
    assert config["languages"] == ["it", "en", "sv"] and config["default_language"] == "it"
    assert config["name"] == "Acme"
    shipped = sorted(p.name for p in builtin.folder("schemas").iterdir())
    assert sorted(p.name for p in (site / "schemas").iterdir()) == shipped
    assert sorted(p.parent.parent.name for p in (site / "locales").glob("*/LC_MESSAGES/messages.po")) == ["it", "sv"]
    # The catalogues hold the forms' texts only, so the coach edits them beside the forms.
    po = (site / "locales/it/LC_MESSAGES/messages.po").read_text()
    assert 'msgctxt "smart-action-plan:/title"' in po and 'msgid "Skip to content"' not in po

    result = build(site, strict=True)  # strict: not one missing translation
    assert result.warnings == []
    dist = site / "dist"
    for lang in ("it", "en", "sv"):
        page = (dist / lang / "guides/welcome/index.html").read_text()
        assert "../../plans/smart-action-plan/" in page, lang  # the guide opens the action plan
        for form in ("smart-action-plan", "grow-session", "clear-session", "oskar-session", "coaching-agreement"):
            assert (dist / lang / "plans" / form / "index.html").is_file(), (lang, form)
    assert "<h1>Piano d&#39;azione</h1>" in (dist / "it/plans/smart-action-plan/index.html").read_text()
    assert (dist / "schemas/smart-action-plan.migrate.js").is_file()


def test_new_site_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "existing"
    (site / "content").mkdir(parents=True)
    (site / "notes.txt").write_text("mine")
    before = tree(site)
    assert main(["new", "site", str(site), "--lang", "en"]) == 1
    assert f"error: {site} is not empty: passo new site writes only into a new or empty folder (nothing was " \
           "written)" in capsys.readouterr().err
    assert tree(site) == before and sorted(p.name for p in site.iterdir()) == ["content", "notes.txt"]
    # An empty folder is fine.
    (tmp_path / "empty").mkdir()
    assert new_site(tmp_path / "empty", ["en"])


@pytest.mark.parametrize(("languages", "message"), [
    (["en", "xx"], "Passo speaks en, it, nl, sv: 'xx' is not one of them yet"),
    (["en", "en"], "a language is given twice"),
])
def test_new_site_refuses_languages_it_cannot_write(tmp_path: Path, languages: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        new_site(tmp_path / "site", languages)
    assert not (tmp_path / "site").exists()
