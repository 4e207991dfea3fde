"""A site holds only its own files: Passo's templates, browser code and catalogues fill in the rest, and a file of
the site, then of its theme, then of Passo wins (site > theme > Passo)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from passo import builtin
from passo.pipeline import build
from passo.problems import BuildFailed
from passo.site.minifier import CSS, minify_text
from tests.conftest import REPO, guide

THEMED = 'name = "Org"\nlanguages = ["en", "it"]\nsearch = true\ntheme = "brand"\n'
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: it\\n"\n\n'


def css(dist: Path, name: str) -> str:
    return next((dist / "assets/css").glob(f"{name}.*.css")).read_text()


def minified(text: str) -> str:
    """CSS as a build ships it: minified."""
    out, problems = minify_text(text, CSS, "test.css")
    assert not problems
    return out


def test_a_site_of_only_site_toml_and_content_builds(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    assert sorted(p.name for p in site.iterdir()) == ["content", "site.toml"]
    build(site)
    page = (site / "dist/en/guides/a/index.html").read_text()
    assert "<h1>A</h1>" in page and 'class="skip-link"' in page  # Passo's own guide template
    assert css(site / "dist", "site") == minified((builtin.folder("site_src") / "css/site.css").read_text())


def test_templates_site_then_theme_then_passo(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "site.toml": THEMED,
        "locales/it/LC_MESSAGES/messages.po": PO_HEADER,
        "content/en/guides/a.md": guide("A"),
        # The same file in the site and its theme: the site's wins.
        "templates/partials/search.html": "<p>search of the site</p>\n",
        "brand/templates/partials/search.html": "<p>search of the theme</p>\n",
        # A file only the theme has: it wins over Passo's.
        "brand/templates/privacy.html": '{% extends "base.html" %}{% block content %}<h1>Theme privacy</h1>'
                                        '{% endblock %}\n',
    })
    build(site)
    home = (site / "dist/en/index.html").read_text()
    assert "<p>search of the site</p>" in home and "search of the theme" not in home
    assert "<h1>Theme privacy</h1>" in (site / "dist/en/privacy/index.html").read_text()
    settings = (site / "dist/en/settings/index.html").read_text()
    assert (builtin.folder("templates") / "settings.html").is_file() and "<main" in settings  # Passo's own


def test_browser_files_site_then_theme_then_passo(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "site.toml": THEMED.replace('"en", "it"', '"en"'),
        "content/en/guides/a.md": guide("A"),
        "site_src/css/site.css": "body { color: #111; }\n",
        "brand/site_src/css/site.css": "body { color: #222; }\n",
        "brand/site_src/css/print.css": "body { color: #333; }\n",
    })
    build(site)
    dist = site / "dist"
    assert css(dist, "site") == minified("body { color: #111; }\n")
    assert css(dist, "print") == minified("body { color: #333; }\n")
    assert css(dist, "form") == minified((builtin.folder("site_src") / "css/form.css").read_text())
    assert any((dist / "assets/js").glob("app.*.js"))  # Passo's browser code, with nothing in the site


def test_catalogues_site_entries_over_passo(make_site) -> None:  # type: ignore[no-untyped-def]
    """Passo's Italian stays for every text the site leaves alone; the site's entry wins where it has one, and
    an untranslated entry of the site leaves Passo's translation in place."""
    po = (PO_HEADER + 'msgid "Skip to content"\nmsgstr "Salta al testo"\n\n'
          'msgid "Search the guides"\nmsgstr ""\n\n'
          'msgid "A text of our own"\nmsgstr "Un testo nostro"\n')
    site = make_site({
        "site.toml": 'name = "Org"\nlanguages = ["en", "it"]\n',
        "locales/it/LC_MESSAGES/messages.po": po,
        "templates/partials/search.html": '<p>{{ _("A text of our own") }}</p><p>{{ _("Search the guides") }}</p>\n',
        "content/en/guides/a.md": guide("A"),
    })
    build(site)
    home = (site / "dist/it/index.html").read_text()
    assert "Salta al testo" in home  # the site's entry
    assert "Un testo nostro" in home  # a text only the site has
    assert "Cerca nelle guide" in home  # the site's entry is empty: Passo's translation
    assert "Guide" in home and "Your plans are kept only on this device" not in home  # Passo's, untouched


def test_a_language_passo_ships_needs_no_catalogue(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": 'name = "Org"\nlanguages = ["en", "sv"]\nsearch = false\n',
                      "content/en/guides/a.md": guide("A")})
    result = build(site)
    assert result.warnings == []
    assert "Hoppa till innehållet" in (site / "dist/sv/index.html").read_text()
    messages = json.loads((site / "dist/i18n/sv.json").read_text())["messages"]
    assert messages["Saved"] != "Saved"  # the browser's texts in Swedish too


def test_this_repository_counts_its_folders_once_as_passos() -> None:
    """The repository is Passo and its example site: its templates/ are Passo's, so a theme still wins over them."""
    assert builtin.layers(REPO, None, "templates") == [(REPO / "templates").resolve()]
    themed = builtin.layers(REPO, "brand", "site_src")
    assert themed == [(REPO / "site_src").resolve()]  # no brand/ folder here: nothing is added


def test_missing_theme_folder_is_an_error_with_its_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"site.toml": 'name = "Org"\nlanguages = ["en"]\n\ntheme = "brand"\n',
                      "content/en/guides/a.md": guide("A")})
    with pytest.raises(BuildFailed) as failure:
        build(site)
    assert [p.format().split("\n")[0] for p in failure.value.problems] == [
        "site.toml:4: error: theme: the folder 'brand' does not exist (the path is relative to site.toml)"]
    assert not (site / "dist").exists()


def test_an_override_of_a_template_passo_no_longer_has_is_a_warning(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "site.toml": 'name = "Org"\nlanguages = ["en"]\nsearch = false\ntheme = "brand"\n',
        "content/en/guides/a.md": guide("A"),
        "templates/partials/old-footer.html": "<p>from an older Passo</p>\n",
        # A partial of the theme's own, used by its override of Passo's home page: no warning.
        "brand/templates/home.html": '{% extends "base.html" %}{% block content %}<h1>Home</h1>'
                                     '{% include "partials/promo.html" %}{% endblock %}\n',
        "brand/templates/partials/promo.html": "<p>promo</p>\n",
    })
    result = build(site)
    assert [w.format() for w in result.warnings] == [
        f"templates/partials/old-footer.html: warning: Passo {builtin.version()} has no template "
        "'partials/old-footer.html' and no template uses this one: it overrides nothing (was the template renamed "
        "or removed?)"]
    assert "<p>promo</p>" in (site / "dist/en/index.html").read_text()


def test_the_build_names_the_passo_version_that_made_it(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from importlib import metadata

    site = make_site({"content/en/guides/a.md": guide("A")})
    build(site)
    version = metadata.version("passo")
    for page in ("index.html", "en/index.html", "en/guides/a/index.html", "404.html", "offline.html"):
        assert f'<meta name="generator" content="Passo {version}">' in (site / "dist" / page).read_text(), page
    sw = (site / "dist/sw.js").read_text()
    assert f'const PASSO_VERSION = "{version}";' in sw and "PREFIX + PASSO_VERSION" in sw

    # Upgrading Passo, with the site unchanged: a full rebuild, new generator tag and a new cache name.
    monkeypatch.setattr(builtin, "version", lambda: "9.9.9")
    result = build(site)
    assert result.full and not result.skipped
    assert '<meta name="generator" content="Passo 9.9.9">' in (site / "dist/en/guides/a/index.html").read_text()
    assert 'const PASSO_VERSION = "9.9.9";' in (site / "dist/sw.js").read_text()


def test_a_dist_made_by_an_older_passo_is_rebuilt_cleanly(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A"), "content/en/guides/b.md": guide("B")})
    build(site)
    state_file = site / ".dist.passo-state.json"
    state = json.loads(state_file.read_text())
    # What an older Passo left: its own state format and a page of a guide that no longer exists.
    state["version"] = 4
    state.pop("passo_version")
    state_file.write_text(json.dumps(state))
    (site / "dist/en/guides/old").mkdir()
    (site / "dist/en/guides/old/index.html").write_text("<p>an old page</p>")
    (site / "content/en/guides/b.md").unlink()
    result = build(site)
    assert result.full
    assert not (site / "dist/en/guides/old").exists() and not (site / "dist/en/guides/b").exists()
    assert (site / "dist/en/guides/a/index.html").is_file()
    assert build(site).skipped  # and the next build, with nothing changed, does nothing


def test_a_change_to_passos_own_files_means_a_full_rebuild(make_site, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The built-in files are inputs of the build: a Passo with a changed template rebuilds every page."""
    import shutil

    fake = tmp_path / "passo-root"
    for name in builtin.FOLDERS:
        shutil.copytree(builtin.folder(name), fake / name)
    monkeypatch.setattr(builtin, "root", lambda: fake)
    site = make_site({"content/en/guides/a.md": guide("A")})
    build(site)
    assert build(site).skipped
    guide_html = fake / "templates/guide.html"
    guide_html.write_text(guide_html.read_text().replace("<article", "<article data-new-passo"))
    result = build(site)
    assert result.full and "data-new-passo" in (site / "dist/en/guides/a/index.html").read_text()


OLD_PLANS_PAGE = """\
// The organisation's own My plans page, written when Passo kept every module in site_src/js/.
import { loadMessages, t } from "./i18n.js";
import { listPlans } from "./store.js";

export async function init() {
  await loadMessages();
  document.body.dataset.orgPlans = `${t("My plans")}: ${(await listPlans()).length}`;
}
"""


def test_an_override_of_a_moved_module_still_applies_and_the_build_says_where_it_went(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A"), "site_src/js/plans-page.js": OLD_PLANS_PAGE,
                      # The entry as an older Passo had it, kept by the site: it names the module at its old path.
                      "site_src/js/app.js": 'const page = () => import("./plans-page.js");\npage();\n'})
    result = build(site)
    assert [w.format() for w in result.warnings] == [
        "site_src/js/plans-page.js: warning: Passo moved site_src/js/plans-page.js to site_src/js/plans/plans-page.js:"
        " this override applies there, with its imports read from the old place; move it to "
        "site_src/js/plans/plans-page.js"]
    assets = site / "dist/assets/js"
    [plans_page] = assets.glob("plans/plans-page.*.js")
    text = plans_page.read_text()
    assert "orgPlans" in text  # the site's module, not Passo's
    imported = re.findall(r"""from\s*["']([^"']+)["']""", text)
    assert [spec.split("/")[1].split(".")[0] for spec in imported] == ["core", "store"]
    assert all((plans_page.parent / spec).resolve().is_file() for spec in imported)
    [app] = assets.glob("app.*.js")
    assert f'import("./plans/{plans_page.name}")' in app.read_text()

    # Moved where it belongs, with its imports written for the new place: the same module, and no warning.
    moved = OLD_PLANS_PAGE.replace('"./i18n.js"', '"../core/i18n.js"').replace('"./store.js"', '"../store/store.js"')
    (site / "site_src/js/plans").mkdir()
    (site / "site_src/js/plans/plans-page.js").write_text(moved)
    (site / "site_src/js/plans-page.js").unlink()
    result = build(site)
    assert result.warnings == []
    [again] = assets.glob("plans/plans-page.*.js")
    assert "orgPlans" in again.read_text()


def test_every_moved_file_exists_at_its_new_place() -> None:
    """The table of moves points at Passo's files as they are: a stale line would send an override nowhere."""
    from passo.site.moves import MOVED

    own = builtin.folder("site_src")
    assert len(MOVED) == len(set(MOVED.values())) > 50
    for old, new in MOVED.items():
        assert (own / new).is_file(), new
        assert not (own / old).exists(), old
