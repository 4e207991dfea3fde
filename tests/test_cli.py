"""The command line as a coach uses it: help, a summary line, problems on stderr, a guide skeleton."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from passo.cli import main
from tests.conftest import REPO, guide


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("build", "serve", "check", "new", "i18n"):
        assert command in result.stdout


def test_build_prints_one_summary_line(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    result = run_cli("build", cwd=site)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("built ") and " pages in " in lines[0] and lines[0].split()[1].isdigit()
    again = run_cli("build", cwd=site)
    assert "nothing changed" in again.stdout
    assert again.stdout.split()[1] == lines[0].split()[1]  # the same page count, from the record


def test_the_quick_nothing_changed_answer_still_sees_every_kind_of_change(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A"), "templates/partials/search.html": "<p>find</p>\n"})
    assert run_cli("build", cwd=site).returncode == 0
    edits = [("content/en/guides/a.md", guide("A", "Changed text.\n")),  # a guide
             ("content/en/guides/b.md", guide("B")),  # a new guide
             ("templates/partials/search.html", "<p>look</p>\n"),  # a template of the site
             ("site.toml", (site / "site.toml").read_text() + 'description = "Now described."\n')]
    for rel, text in edits:
        (site / rel).write_text(text, encoding="utf-8")
        result = run_cli("build", cwd=site)
        assert result.returncode == 0 and "nothing changed" not in result.stdout, (rel, result.stdout)
        assert "nothing changed" in run_cli("build", cwd=site).stdout, rel
    (site / "content/en/guides/b.md").unlink()
    assert "nothing changed" not in run_cli("build", cwd=site).stdout  # a guide removed
    assert "nothing changed" not in run_cli("build", "--full", cwd=site).stdout


def test_build_failure_exit_code_and_message(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": "---\ntitle: A\nfoo: bar\n---\n"})
    result = run_cli("build", cwd=site)
    assert result.returncode == 1
    assert "content/en/guides/a.md:3: error: unknown front-matter key 'foo'" in result.stderr
    assert "    foo: bar" in result.stderr  # the offending line itself
    assert "dist/ was left as it was" in result.stderr
    assert not (site / "dist").exists()


def test_check_writes_nothing_and_strict_fails_on_warnings(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("A")})
    assert main(["--site", str(site), "check"]) == 0
    assert not (site / "dist").exists()
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgctxt "x:/title"\nmsgid "Plan"\nmsgstr ""\n')
    (site / "site.toml").write_text('name = "X"\nlanguages = ["en", "it"]\nsearch = false\n')
    (site / "locales/it/LC_MESSAGES").mkdir(parents=True)
    (site / "locales/it/LC_MESSAGES/messages.po").write_text(po)
    (site / "schemas").mkdir()
    # Passo ships Italian for its own forms' texts: a title the coach changed has no translation yet.
    schema = (REPO / "schemas/grow-session.json").read_text().replace('"GROW session"', '"Our GROW session"')
    (site / "schemas/grow-session.json").write_text(schema)
    assert main(["--site", str(site), "check"]) == 0
    assert main(["--site", str(site), "check", "--strict"]) == 1


def test_new_guide_writes_a_skeleton_that_builds(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({})
    result = run_cli("new", "guide", "en", "weekly-review", cwd=site)
    assert result.returncode == 0
    path = site / "content/en/guides/weekly-review.md"
    assert path.is_file()
    assert "title: Weekly review" in path.read_text()
    assert run_cli("new", "guide", "en", "weekly-review", cwd=site).returncode == 1  # never overwrites
    assert run_cli("new", "guide", "en", "Bad Slug!", cwd=site).returncode == 1
    build = run_cli("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert (site / "dist/en/guides/weekly-review/index.html").is_file()


def test_theme_overrides_a_template_and_a_static_file(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "site.toml": 'name = "Org"\nlanguages = ["en"]\ntheme = "brand"\n'
                     '[branding]\nname = "Acme Coaching"\ncolour = "#8a1538"\n',
        "brand/templates/partials/search.html": "<p>no search here</p>\n",
        "brand/site_src/css/site.css": "body { color: #222; }\n",
        "content/en/guides/a.md": guide("A"),
    })
    assert main(["--site", str(site), "build"]) == 0
    home = (site / "dist/en/index.html").read_text()
    assert "<p>no search here</p>" in home
    assert "Acme Coaching" in home
    css = next((site / "dist/assets/css").glob("site.*.css")).read_text()
    assert css == "body{color:#222}"  # the theme's file, minified like Passo's own
    brand = next((site / "dist/assets/css").glob("brand.*.css")).read_text()
    assert "--brand:#8a1538" in brand
    manifest = (site / "dist/manifest.webmanifest").read_text()
    assert '"theme_color": "#8a1538"' in manifest and '"name": "Acme Coaching"' in manifest
