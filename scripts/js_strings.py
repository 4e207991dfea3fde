"""Writes passo/js_strings.json: the interface strings of each of Passo's own browser modules, by the digest of
its bytes, so a first build (no build record yet) reads only the modules a site overrides. Babel's JavaScript
reader takes about a second over Passo's browser code; looking the strings up takes none.

    .venv/bin/python scripts/js_strings.py

Run it after changing site_src/js/; tests/test_i18n.py fails while the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from passo import i18n  # noqa: E402


def current() -> dict[str, list]:
    """What the file should hold for the browser code as it is now."""
    i18n._JS_CACHE.clear()
    shipped, i18n._SHIPPED = i18n._SHIPPED, {}  # read every module, not the file being checked
    try:
        _, by_digest = i18n.js_messages([REPO / "site_src"])
    finally:
        i18n._SHIPPED = shipped
        i18n._JS_CACHE.clear()
    return dict(sorted(by_digest.items()))


def main() -> None:
    strings = current()
    i18n.SHIPPED_JS_STRINGS.write_text(json.dumps(strings, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                                       encoding="utf-8")
    print(f"wrote {i18n.SHIPPED_JS_STRINGS.relative_to(REPO)}: {len(strings)} modules")


if __name__ == "__main__":
    main()
