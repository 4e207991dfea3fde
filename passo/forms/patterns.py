"""Regular expressions that mean the same in Python `re` and in a JavaScript u-flag RegExp."""

from __future__ import annotations

import re
import warnings

_ESCAPE_HINTS = {"d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]", "s": "[ \\t\\n\\r]",
                 "S": "[^ \\t\\n\\r]"}
_SYNTAX = set("^$\\.*+?()[]{}|/")


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` could mean something else in Python `re` and a JavaScript u-flag RegExp, or None.

    Python and JavaScript differ on \\d, \\w, \\s, \\b (Unicode vs ASCII), on inline flags and named groups, and
    JavaScript's u flag rejects escapes and lone brackets Python accepts; the subset keeps to what both read alike.
    (`.` and `$` also differ around newlines; validate.js reads them the Python way.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            re.compile(pattern)
        except (re.error, FutureWarning, DeprecationWarning) as exc:
            return f"pattern does not compile: {exc}"
    i, in_class = 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1]
            if nxt in _ESCAPE_HINTS:
                hint = _ESCAPE_HINTS[nxt]
                return f"pattern uses '\\{nxt}', which Python and JavaScript read differently; write {hint}"
            if nxt in "xu":
                width = 2 if nxt == "x" else 4
                if not re.fullmatch(f"[0-9A-Fa-f]{{{width}}}", pattern[i + 2:i + 2 + width]):
                    return f"pattern escape '\\{nxt}' needs {width} hex digits"
                i += 2 + width
                continue
            if not (nxt in _SYNTAX or nxt in "nrtfv" or (in_class and nxt == "-")):
                return f"pattern escape '\\{nxt}' is not allowed (JavaScript's u flag rejects it)"
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern.startswith("[^]", i) or pattern.startswith("[]", i):
                return "pattern has a class starting with ']', which JavaScript reads differently; escape it"
        elif c == "(" and pattern.startswith("(?", i) and not re.match(r"\(\?(:|=|!|<=|<!)", pattern[i:]):
            return f"pattern uses '{pattern[i:i + 3]}', which JavaScript does not support"
        elif c == "{":
            m = re.match(r"\{[0-9]+(,[0-9]*)?\}", pattern[i:])
            if not m:
                return "pattern has a '{' that is not a quantifier like {2} or {1,3}; escape it as \\{"
            i += len(m.group(0))
            continue
        elif c in "}]":
            return f"pattern has a lone '{c}'; escape it as \\{c}"
        i += 1
    return None
