"""Catalogues: every configured language has every string; broken catalogues and keys fail with file and line."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from passo.catalogues import extract_messages
from passo.config import load_config
from passo.i18n import SOURCE_LANGUAGE, load_language
from passo.pipeline import build
from passo.problems import BuildFailed
from tests.conftest import REPO, guide

PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it\\n"\n\n'


@pytest.mark.parametrize("lang", [code for code in load_config(REPO / "site.toml")[0].languages  # type: ignore[union-attr]
                                  if code != SOURCE_LANGUAGE])
def test_every_configured_language_translates_every_string(lang: str) -> None:
    wanted = extract_messages(REPO)
    language, problems = load_language(REPO, lang)
    assert problems == []
    assert language is not None
    missing = [(m.context or "") + " " + str(m.id) for m in wanted if m.id and not language.has(
        m.id[0] if isinstance(m.id, tuple) else m.id, m.context)]
    assert missing == [], f"{len(missing)} strings have no {lang} translation, e.g. {missing[:5]}"


def test_broken_placeholder_names_catalogue_and_line(make_site) -> None:  # type: ignore[no-untyped-def]
    po = PO_HEADER + 'msgid "Open the form: %(title)s"\nmsgstr "Apri il modulo: %(titolo)s"\n'
    site = make_site({"site.toml": 'name = "X"\nlanguages = ["en", "it"]\nsearch = false\n',
                      "locales/it/LC_MESSAGES/messages.po": po, "content/en/guides/a.md": guide("A")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    text = [p.format() for p in failure.value.problems]
    assert any(t.startswith("locales/it/LC_MESSAGES/messages.po:6: error: placeholders differ") for t in text), text


def test_language_without_catalogue_is_an_error(make_site) -> None:  # type: ignore[no-untyped-def]
    # Passo ships en, it, nl and sv (tests/test_overrides.py); another language needs the site's own catalogue.
    site = make_site({"site.toml": 'name = "X"\nlanguages = ["en", "fr"]\nsearch = false\n',
                      "content/en/guides/a.md": guide("A")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert [p.message for p in failure.value.problems] == [
        "language 'fr' has no catalogue: Passo ships en, it, nl, sv; for another language create "
        "locales/fr/LC_MESSAGES/messages.po (passo i18n writes it)"]


def test_translation_key_pointing_nowhere(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": 'name = "X"\nlanguages = ["en", "it"]\nsearch = false\n',
                      "locales/it/LC_MESSAGES/messages.po": PO_HEADER,
                      "content/en/guides/a.md": guide("A"),
                      "content/it/guides/b.md": guide("B", key="missing-one")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert [p.format().split("\n")[0] for p in failure.value.problems] == [
        "content/it/guides/b.md:3: error: translation key 'missing-one' points nowhere: no en guide has that key"]


def test_missing_translation_falls_back_with_a_notice(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": 'name = "X"\nlanguages = ["en", "it"]\nsearch = false\n',
                      "locales/it/LC_MESSAGES/messages.po": PO_HEADER,
                      "content/en/guides/a.md": guide("Only in English", "Text.\n"),
                      "content/en/guides/b.md": guide("Both", "Text.\n"),
                      "content/it/guides/b.md": guide("Entrambe", "Testo.\n")})
    build(site)
    fallback = (site / "dist/it/guides/a/index.html").read_text()
    assert "Only in English" in fallback
    assert 'class="notice"' in fallback
    assert '<article class="guide" data-pagefind-body lang="en">' in fallback
    translated = (site / "dist/it/guides/b/index.html").read_text()
    assert "Entrambe" in translated and 'class="notice"' not in translated
    # Every guide page links its versions in every language.
    assert 'hreflang="en"' in translated and 'href="../../../en/guides/b/"' in translated


def test_every_page_of_every_language_builds(example_dist: Path) -> None:
    config, _ = load_config(REPO / "site.toml")
    assert config is not None
    slugs = sorted(p.stem for p in (REPO / "content" / config.default_language / "guides").glob("*.md"))
    schemas = sorted(p.stem for p in (REPO / "schemas").glob("*.json"))
    assert len(slugs) >= 7
    for lang in config.languages:
        pages = ["index.html", "plans/index.html", "settings/index.html", "privacy/index.html",
                 *[f"guides/{s}/index.html" for s in slugs], *[f"plans/{s}/index.html" for s in schemas]]
        for page in pages:
            html = (example_dist / lang / page).read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in html, f"{lang}/{page}"
    for lang in config.languages:
        for slug in slugs:
            page = (example_dist / lang / "guides" / slug / "index.html").read_text(encoding="utf-8")
            assert 'class="notice"' not in page, f"{lang}/{slug} has no translation in the example site"


def test_interface_strings_of_unchanged_modules_come_from_the_build_record(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A full build reads the browser code's strings from the last build's record for every module whose bytes
    are the same, and reads again only a module that changed; the strings the browser gets are the same."""
    import json

    from passo import i18n

    site = make_site({"site.toml": 'name = "Org"\nlanguages = ["en", "sv"]\nsearch = false\n',
                      "content/en/guides/a.md": guide("A")})
    build(site)
    strings = (site / "dist/i18n/sv.json").read_bytes()
    assert json.loads(strings)["messages"]["Saved"] == "Sparat"

    read: list[int] = []
    real = i18n._file_messages
    monkeypatch.setattr(i18n, "_file_messages", lambda data: read.append(len(data)) or real(data))
    monkeypatch.setattr(i18n, "_JS_CACHE", {})  # a new process: nothing in memory
    (site / "site.toml").write_text('name = "Org 2"\nlanguages = ["en", "sv"]\nsearch = false\n')
    assert build(site).full
    assert read == [] and (site / "dist/i18n/sv.json").read_bytes() == strings

    module = site / "site_src/js/search/search.js"
    module.parent.mkdir(parents=True)
    module.write_text('// search/: the organisation\'s own.\nimport { t } from "../core/i18n.js";\n'
                      'export function init() { return [t("Saved"), t("Search the guides")]; }\n')
    build(site)
    assert read == [len(module.read_bytes())]  # only the changed module was read


def test_the_shipped_strings_of_the_browser_code_are_current() -> None:
    """passo/js_strings.json spares a first build Babel's reading of Passo's own modules; stale, it would cost that
    time again (never a wrong string: it is looked up by each module's digest)."""
    sys.path.insert(0, str(REPO / "scripts"))
    from js_strings import current

    shipped = json.loads((REPO / "passo/js_strings.json").read_text(encoding="utf-8"))
    assert shipped == current(), "run: .venv/bin/python scripts/js_strings.py"


def test_every_translatable_call_in_the_browser_code_is_extracted() -> None:
    """Babel's JavaScript reader misses a t() inside a template literal's ${...} and a t() inside another call's
    arguments: such a string never reaches a catalogue and shows in English. Each module has as many extracted
    strings as it has calls of t, tp or n with a quoted msgid."""
    from passo import i18n

    call = re.compile(r"""(?<![\w.$])(?:t\(|n\(|tp\(\s*["'][^"']*["']\s*,)\s*["']""")
    comment = re.compile(r"/\*.*?\*/|^\s*//.*?$", re.DOTALL | re.MULTILINE)
    missed = {}
    for path in sorted((REPO / "site_src").glob("js/**/*.js")):
        data = path.read_bytes()
        calls, found = len(call.findall(comment.sub("", data.decode()))), len(i18n._file_messages(data))
        if calls != found:
            missed[path.relative_to(REPO).as_posix()] = (calls, found)
    assert missed == {}, f"(calls, extracted) per module: {missed}"
