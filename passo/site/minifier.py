"""Smaller browser code: JavaScript and CSS minified at build time with tdewolff-minify.

Chosen by measuring on Passo's own code (issue 11): it keeps ES module syntax, class fields and every string and
template literal's value (tests/test_minify.py checks each module), and took the plan form page's JS+CSS from
36.6 to under 25 KB gzip. rjsmin dropped a space inside a template literal; minify-html's JS keeps comments.
Minifying is deterministic, so a build stays reproducible. Pinned below 2.24: that line merges `const` declarations
and can move one above its first use (tdewolff/minify#958), which broke importing a backup here; the tests run
such shapes written and minified in Node and compare."""

from __future__ import annotations

import re

from passo.problems import Problem

JS = "application/javascript"
CSS = "text/css"
_WHERE = re.compile(r" on line (\d+) and column (\d+)")


def minify_text(text: str, kind: str, source: str) -> tuple[str, list[Problem]]:
    """`text` minified, or unchanged with a problem naming `source` and the line when it does not parse."""
    import minify  # tdewolff-minify; imported here so `serve`, which skips minifying, never loads the library

    try:
        return minify.string(kind, text), []
    except minify.MinifyError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "cannot be read"
        where = _WHERE.search(first)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (0, 0)
        message = _WHERE.sub("", first)
        lines = text.splitlines()
        shown = lines[line - 1] if 0 < line <= len(lines) else ""
        return text, [Problem(source, line, column, f"not valid {'CSS' if kind == CSS else 'JavaScript'}: {message}",
                              source_line=shown)]
