"""Minified browser code: the same program in fewer bytes, named by its final bytes, made the same way every time;
and no HTML or script sink anywhere in the browser code (the CSP enforces Trusted Types)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from passo.pipeline import build
from passo.problems import BuildFailed
from passo.site.assets import build_assets, content_hash
from passo.site.minifier import CSS, JS, minify_text
from tests.conftest import REPO
from tests.js_lexer import code_only, cook, literals

MODULES = [*sorted((REPO / "site_src/js").rglob("*.js")), REPO / "site_src/sw.js"]
STYLES = sorted((REPO / "site_src/css").glob("*.css"))


def literal_differences(source: str, minified: str) -> list[str]:
    """How the texts a program holds changed: every string and template literal's value, escapes decoded.

    A minifier may join "a" + "b", swap the branches of a condition or write a string as a template literal, so
    two checks, neither of which any of that breaks: the characters of all literals together are the same, and
    every piece of template text of the source is still found whole in some literal of the output."""
    before = [(kind, cook(raw)) for kind, raw in literals(source)]
    after = [cook(raw) for _kind, raw in literals(minified)]
    found = []
    lost = Counter("".join(v for _k, v in before)) - Counter("".join(after))
    added = Counter("".join(after)) - Counter("".join(v for _k, v in before))
    if lost or added:
        found.append(f"characters lost {dict(lost)}, added {dict(added)}")
    found += [f"template text {value!r} is gone" for kind, value in before
              if kind == "template" and value and not any(value in text for text in after)]
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_minifying_keeps_every_literal_text(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    minified, problems = minify_text(source, JS, path.name)
    assert problems == []
    assert len(minified) < len(source) * 0.8, "the minifier did little"
    assert literal_differences(source, minified) == []


def test_the_literal_check_sees_a_lost_space() -> None:
    """What rjsmin did to charts.js: a space inside a template literal dropped, which the check must catch."""
    source = "const label = `${n} ${unit}`;\nconst x = 'a' + \"b\";\n"
    assert literal_differences(source, "const label=`${n} ${unit}`,x=\"ab\"") == []
    assert literal_differences(source, "const label=`${n}${unit}`,x=\"ab\"") != []
    assert literal_differences(source, "const label=`${n} ${unit}`,x=\"a\"") != []


def test_module_syntax_and_class_fields_survive() -> None:
    source = ('import { t } from "./i18n.js";\nexport class Box {\n  #count = 0;\n  static kind = "box";\n'
              '  add() { return ++this.#count; }\n}\nexport default async function go() { await import("./x.js"); }\n')
    minified, problems = minify_text(source, JS, "box.js")
    assert problems == []
    for kept in ('from"./i18n.js"', "export class Box", "static kind=", "++this.#", 'import("./x.js")',
                 "export default async function"):
        assert kept in minified


def test_css_minifies_without_changing_rules() -> None:
    for path in STYLES:
        source = path.read_text(encoding="utf-8")
        minified, problems = minify_text(source, CSS, path.name)
        assert problems == [] and len(minified) < len(source)
        # Custom properties and media queries are where a careless CSS minifier breaks a theme.
        assert sorted(re.findall(r"--[\w-]+(?=\s*:)", source)) == sorted(re.findall(r"--[\w-]+(?=\s*:)", minified))
        assert source.count("@media") == minified.count("@media")


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js/bad.js").write_text("export const a = 1;\nconst b = ;\n")
    _assets, problems = build_assets([tmp_path])
    assert [(p.path, p.line) for p in problems] == [("site_src/js/bad.js", 2)]
    assert "not valid JavaScript" in problems[0].message and problems[0].source_line == "const b = ;"


def test_fingerprints_are_of_the_minified_bytes_and_imports_follow(example_dist: Path) -> None:
    assets = sorted((example_dist / "assets").rglob("*.js")) + sorted((example_dist / "assets").rglob("*.css"))
    assert len(assets) > 20
    for path in assets:
        data = path.read_bytes()
        assert path.name.split(".")[-2] == content_hash(data), path.name
        assert b"\n//" not in data and b"/* " not in data, f"{path.name} still has comments"
        text = data.decode("utf-8")
        specs = re.findall(r"""(?:\bfrom|\bimport\s*\(?)\s*["'](\.{1,2}/[^"']+)["']""", text)
        for spec in specs:
            assert (path.parent / spec).resolve().is_file(), f"{path.name} imports {spec}, which is not built"
    app = next((example_dist / "assets/js").glob("app.*.js")).read_text()
    assert len(re.findall(r"""import\(\s*["']\./[\w/-]+\.[0-9a-f]{10}\.js["']""", app)) >= 5
    sw = (example_dist / "sw.js").read_text()
    assert 'addEventListener("fetch"' in sw  # the worker ships as written (pwa.service_worker says why)
    # Every file the worker keeps offline exists under the hash it lists.
    precache = json.loads(re.search(r"PRECACHE = (\{.*?\});", sw, re.S).group(1))
    for name in [n for n in precache if n.startswith("assets/")]:
        assert (example_dist / name).is_file(), name


def test_minified_assets_are_reproducible() -> None:
    """Two processes (different hash seeds) make byte-identical assets."""
    script = ("import hashlib, json, sys; from pathlib import Path; from passo.site.assets import build_assets; "
              "a, p = build_assets([Path('site_src')]); "
              "print(json.dumps({k: hashlib.sha256(v).hexdigest() for k, v in a.files.items()}, sort_keys=True))")
    runs = [subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2)]
    assert runs[0] == runs[1] and len(json.loads(runs[0])) > 25


def test_serve_builds_readable_code_and_switching_rebuilds(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": "---\ntitle: A\n---\nText.\n"})
    out = site / "dist"
    build(site, out, search=False, minify=False)
    app = next((out / "assets/js").glob("app.*.js")).read_text()
    assert app.startswith("// Entry module") and 'from "./core/trusted-url.' in app
    first = {p.name for p in (out / "assets").rglob("*.*")}
    result = build(site, out, search=False)  # the same site, now as users get it: nothing may be skipped
    assert result.full and not result.skipped
    app = next((out / "assets/js").glob("app.*.js")).read_text()
    assert not app.startswith("//") and 'from"./core/trusted-url.' in app
    now = {p.name for p in (out / "assets").rglob("*.*")}
    assert first.isdisjoint(now), "an unminified file was left behind"
    assert build(site, out, search=False).skipped


def test_a_bad_module_fails_the_build_and_writes_nothing(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": "---\ntitle: A\n---\nText.\n",
                      "site_src/js/extra.js": "export const a = 1;\nconst b = ;\n"})
    with pytest.raises(BuildFailed) as failed:
        build(site, site / "dist", search=False)
    assert [(p.path, p.line) for p in failed.value.problems] == [("site_src/js/extra.js", 2)]
    assert not (site / "dist").exists()


# --- no HTML or script sinks ------------------------------------------------------------------------------------------

SINKS = re.compile(r"\.(?:inner|outer)HTML\b|\binsertAdjacentHTML\b|\bdocument\.write(?:ln)?\b|\beval\s*\(|"
                   r"\bnew\s+Function\b|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]|\bsrcdoc\b|\bcreateContextualFragment\b|"
                   r"\bparseFromString\b|\bsetHTMLUnsafe\b|\bimportScripts\b|\bnew\s+(?:Shared)?Worker\b")


def sinks_in(text: str) -> list[str]:
    code = code_only(text)
    return [f"line {code.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in SINKS.finditer(code)]


def test_browser_code_uses_no_html_or_script_sink() -> None:
    """Under Trusted Types each of these throws in Chromium; building DOM with createElement/textContent is the way."""
    found = {p.name: sinks_in(p.read_text(encoding="utf-8")) for p in MODULES}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_sink_scan_finds_what_it_looks_for() -> None:
    bad = 'el.innerHTML = x;\ndocument.write("a");\nsetTimeout("go()", 1);\nnew Function("x");\nel.outerHTML\n'
    assert [hit.split(": ")[1] for hit in sinks_in(bad)] == [".innerHTML", "document.write", 'setTimeout("',
                                                               "new Function", ".outerHTML"]
    # Prose and data that mention a sink are not code.
    assert sinks_in('// never innerHTML\nconst s = "el.innerHTML = 1";\n') == []


# Shapes that tdewolff-minify 2.24 turned into a different program (tdewolff/minify#939, #958): it merged
# consecutive `const` declarations and moved a later one above its first use, so the page threw "Cannot access
# before initialization" (the import of a backup did, here). Each one runs as written and minified, in Node.
REORDERED_DECLARATIONS = {
    "declared before use in an argument": """
        const later = async (value) => value.length;
        const both = async (value, { add }) => add(value);
        export async function run(text) {
          const parsed = await Promise.resolve(text.trim());
          const add = async (value) => { return value + parsed; };
          const [a, b] = await Promise.all([both(text, { add }), later(text)]);
          return `${a}:${b}`;
        }""",
    "object used by a destructuring declaration": """
        export async function run(text) {
          const initial = { value: text, size: text.length };
          const { value } = ((state) => ({ value: state.value.toUpperCase() }))({ ...initial });
          return `${value}:${initial.size}`;
        }""",
}


@pytest.mark.parametrize("source", REORDERED_DECLARATIONS.values(), ids=list(REORDERED_DECLARATIONS))
def test_minified_code_runs_as_written(source: str, tmp_path: Path) -> None:
    minified, problems = minify_text(source, JS, "case.js")
    assert not problems
    (tmp_path / "written.mjs").write_text(source)
    (tmp_path / "minified.mjs").write_text(minified)
    script = ("const [w, m] = await Promise.all([import('./written.mjs'), import('./minified.mjs')]);"
              "const out = []; for (const mod of [w, m]) { try { out.push(await mod.run(' ab ')); }"
              " catch (e) { out.push(String(e)); } } console.log(JSON.stringify(out));")
    run = subprocess.run(["node", "--input-type=module", "-e", script], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    written, shipped = json.loads(run.stdout)
    assert written == shipped, f"minified: {minified}"
