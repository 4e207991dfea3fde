"""The layout keeps its architecture: every import points down the layers of docs/architecture.md.

Browser code (site_src/js/): each folder has a layer; a module imports its own folder and folders of lower layers,
never a folder of its own layer or above. `app.js`, the entry, composes pages from every folder. Python (passo/):
the same over packages and top-level modules. The tables below are the architecture; docs/architecture.md draws them.
"""

from __future__ import annotations

import ast
from pathlib import Path, PurePosixPath

import pytest

from passo.site.assets import IMPORT_SPECIFIER

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "site_src" / "js"

# Browser folders, bottom up. Folders on one layer never import each other.
JS_LAYERS: list[set[str]] = [
    {"core"},                                   # i18n, Trusted Types, scheduling
    {"time", "schema", "charts"},               # zoned time; schema reading and validating, the form; SVG charts
    {"store", "offline", "measure", "repeat"},  # IndexedDB and migrations; offline; measurements; occurrences
    {"due", "files", "results"},                # what falls due when; plan files; a goal's chart and measuring
    {"checkin", "protect"},                     # the check-in dialog and history; passphrase files
    {"share"},                                  # the share for the coach and shared plans
    {"agenda", "plans", "review", "export", "search", "settings", "languages", "coachees"},  # pages a user opens
]
JS_ENTRY = "app.js"

# Python: packages and top-level modules of passo/, bottom up.
PY_LAYERS: list[set[str]] = [
    {"problems", "builtin"},
    {"config", "i18n"},
    {"content", "forms"},
    {"site", "record"},
    {"pipeline"},
    {"serve", "scaffold", "catalogues"},
    {"cli"},
]


def _layer_of(table: list[set[str]], unit: str) -> int:
    for rank, units in enumerate(table):
        if unit in units:
            return rank
    raise AssertionError(f"'{unit}' is in no layer of tests/test_layout.py: give it one (and a line in "
                         "docs/architecture.md)")


def js_imports() -> list[tuple[str, int, str]]:
    """(module, line, imported module) for every static and literal dynamic import, paths relative to js/."""
    found = []
    for path in sorted(JS.rglob("*.js")):
        module = path.relative_to(JS).as_posix()
        text = path.read_text(encoding="utf-8")
        for match in IMPORT_SPECIFIER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            target = (PurePosixPath(module).parent / match.group("spec")).as_posix()
            parts: list[str] = []
            for piece in target.split("/"):
                if piece == "..":
                    parts.pop()
                elif piece != ".":
                    parts.append(piece)
            found.append((module, line, "/".join(parts)))
    return found


def js_violations(imports: list[tuple[str, int, str]], table: list[set[str]]) -> list[str]:
    out = []
    for module, line, target in imports:
        if module == JS_ENTRY:
            continue
        if "/" not in module:
            out.append(f"site_src/js/{module}: only the entry ({JS_ENTRY}) lives outside a folder")
            continue
        own, other = module.split("/", 1)[0], target.split("/", 1)[0]
        if "/" not in target:
            out.append(f"site_src/js/{module}:{line}: imports the entry {target}")
        elif own != other and _layer_of(table, other) >= _layer_of(table, own):
            kind = "sideways" if _layer_of(table, other) == _layer_of(table, own) else "upward"
            out.append(f"site_src/js/{module}:{line}: imports {target} ({kind}: {other}/ is not below {own}/)")
    return out


def _py_unit(module: str) -> str | None:
    """passo.site.pages -> site; passo.cli -> cli; passo -> None."""
    parts = module.split(".")
    return parts[1] if parts[0] == "passo" and len(parts) > 1 else None


def py_imports() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "passo").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = module if rel.name == "__init__" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base] if base != "passo" else [f"passo.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            found.extend((module, node.lineno, t) for t in targets if t.startswith("passo"))
    return found


def py_violations(imports: list[tuple[str, int, str]], table: list[set[str]]) -> list[str]:
    out = []
    for module, line, target in imports:
        own, other = _py_unit(module), _py_unit(target)
        if own is None or other is None or own == other or own.startswith("_") or other.startswith("_"):
            continue
        if _layer_of(table, other) >= _layer_of(table, own):
            kind = "sideways" if _layer_of(table, other) == _layer_of(table, own) else "upward"
            out.append(f"{module.replace('.', '/')}.py:{line}: imports {target} ({kind})")
    return out


def test_browser_imports_point_down() -> None:
    assert js_violations(js_imports(), JS_LAYERS) == []


def test_python_imports_point_down() -> None:
    assert py_violations(py_imports(), PY_LAYERS) == []


def test_every_folder_and_package_has_a_layer_and_says_what_it_is_for() -> None:
    for folder in sorted(p for p in JS.iterdir() if p.is_dir()):
        _layer_of(JS_LAYERS, folder.name)
        # The folder's main module opens with "// <folder>/: what it is for".
        opening = f"// {folder.name}/:"
        openers = [m.name for m in folder.glob("*.js") if m.read_text(encoding="utf-8").startswith(opening)]
        assert len(openers) == 1, f"site_src/js/{folder.name}/: one module should open with '// {folder.name}/: ...'"
    for package in sorted(p for p in (ROOT / "passo").iterdir() if (p / "__init__.py").is_file()):
        if package.name.startswith("_"):
            continue
        _layer_of(PY_LAYERS, package.name)
        assert ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8"))), \
            f"passo/{package.name}/__init__.py has no docstring"
    for module in sorted((ROOT / "passo").glob("*.py")):
        if module.stem != "__init__":
            _layer_of(PY_LAYERS, module.stem)


@pytest.mark.parametrize(("imports", "expected"), [
    ([("plans/plan-page.js", 3, "store/store.js")], []),
    ([("plans/plan-page.js", 3, "plans/form.js")], []),
    ([("store/store.js", 9, "plans/plan-page.js")],
     ["site_src/js/store/store.js:9: imports plans/plan-page.js (upward: plans/ is not below store/)"]),
    ([("agenda/agenda-page.js", 4, "review/review-page.js")],
     ["site_src/js/agenda/agenda-page.js:4: imports review/review-page.js (sideways: review/ is not below agenda/)"]),
    ([("core/i18n.js", 1, "app.js")], ["site_src/js/core/i18n.js:1: imports the entry app.js"]),
    ([("app.js", 1, "agenda/agenda-page.js")], []),
])
def test_the_browser_checker_catches_what_it_should(imports, expected) -> None:
    assert js_violations(imports, JS_LAYERS) == expected


@pytest.mark.parametrize(("imports", "expected"), [
    ([("passo.site.pages", 3, "passo.content.load")], []),
    ([("passo.content.load", 7, "passo.site.pages")], ["passo/content/load.py:7: imports passo.site.pages (upward)"]),
    ([("passo.forms.visibility", 2, "passo.content")],
     ["passo/forms/visibility.py:2: imports passo.content (sideways)"]),
    ([("passo.cli", 2, "passo.pipeline")], []),
])
def test_the_python_checker_catches_what_it_should(imports, expected) -> None:
    assert py_violations(imports, PY_LAYERS) == expected


def test_the_checkers_read_real_imports() -> None:
    """A checker that finds no imports passes everything: make sure it sees imports that are there."""
    assert ("plans/plan-page.js", "store/store.js") in {(m, t) for m, _, t in js_imports()}
    assert any(m == "passo.pipeline" and t.startswith("passo.site") for m, _, t in py_imports())
