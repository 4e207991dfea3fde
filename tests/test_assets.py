"""Fingerprinting: names change with content, imports between modules follow, cycles and gaps are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from passo.site.assets import build_assets


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize("minify", [False, True])
def test_imports_are_rewritten_to_fingerprinted_names(tmp_path: Path, minify: bool) -> None:
    src = write(tmp_path / "src", {
        "js/app.js": 'import { a } from "./a.js";\nconst page = () => import("./pages/p.js");\n',
        "js/a.js": 'export const a = 1;\n',
        "js/pages/p.js": 'import { a } from "../a.js";\nexport function init() { return a; }\n',
        "css/site.css": "body{}\n",
    })
    assets, problems = build_assets([src], minify=minify)
    assert problems == []
    sp = "" if minify else " "  # minified code writes from"./x.js"
    a, page, app = assets.urls["js/a.js"], assets.urls["js/pages/p.js"], assets.urls["js/app.js"]
    assert a.startswith("assets/js/a.") and a.endswith(".js")
    app_text = assets.files[app].decode()
    assert f'from{sp}"./{a.rsplit("/", 1)[1]}"' in app_text
    assert f'import("./pages/{page.rsplit("/", 1)[1]}")' in app_text
    assert f'from{sp}"../{a.rsplit("/", 1)[1]}"' in assets.files[page].decode()
    # Changing a dependency changes the names of the modules that import it.
    write(src, {"js/a.js": "export const a = 2;\n"})
    again, _ = build_assets([src], minify=minify)
    assert again.urls["js/a.js"] != a and again.urls["js/app.js"] != app
    assert again.urls["css/site.css"] == assets.urls["css/site.css"]


def test_cycles_and_missing_modules_are_errors(tmp_path: Path) -> None:
    src = write(tmp_path / "src", {
        "js/a.js": 'import "./b.js";\n',
        "js/b.js": 'import "./a.js";\n',
        "js/c.js": 'import { x } from "./gone.js";\n',
    })
    _assets, problems = build_assets([src])
    messages = sorted(f"{p.path}:{p.line}: {p.message}" for p in problems)
    assert messages == ["site_src/js/a.js:0: import cycle: js/a.js -> js/b.js -> js/a.js",
                        "site_src/js/c.js:1: imports 'js/gone.js', which does not exist"]
