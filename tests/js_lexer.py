"""A small JavaScript lexer for tests: finds the text of every string and template literal in a module.

It knows comments, strings, template literals (with nested `${...}`), regular expression literals and the usual
rule for telling a regex from a division (what the previous token was), which is all a minifier's output and this
project's sources need. It is not a parser: it only has to find the same literals before and after minifying."""

from __future__ import annotations

import re

# After these keywords an expression starts, so a `/` opens a regular expression rather than dividing.
_EXPRESSION_KEYWORDS = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case",
                        "do", "else", "yield", "await"}
_WORD = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_NUMBER = re.compile(r"\.?\d[\w.]*")


class LexError(ValueError):
    pass


def literals(text: str) -> list[tuple[str, str]]:
    """("string" | "template", raw text) of every string literal and of every template literal's text between its
    `${...}` holes, in source order (nested ones included)."""
    return [(kind, text[start:end]) for kind, start, end in _spans(text) if kind != "comment"]


def code_only(text: str) -> str:
    """The module with comments and the insides of strings and template literals blanked out (lengths kept), so
    a search for a call finds code, not prose or data that mentions it."""
    chars = list(text)
    for _kind, start, end in _spans(text):
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _spans(text: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    end = _lex(text, 0, found, in_hole=False)
    if end != len(text):
        raise LexError(f"unbalanced '}}' at offset {end}")
    return found


def literal_values(text: str) -> list[str]:
    """The value each literal stands for (escapes decoded): a minifier may write "a\\nb" as a template literal with
    a real line break, or \\u0004 as the character itself, and the program is the same."""
    return [cook(raw) for _, raw in literals(text)]


_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0",
           "\n": "", "\r\n": "", "\r": "", "\u2028": "", "\u2029": ""}


def cook(raw: str) -> str:
    """A literal's raw text -> its value; a template's raw CRLF is a line feed, as JavaScript reads it."""
    def one(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc in _SIMPLE:
            return _SIMPLE[esc]
        if esc.startswith("u{"):
            return chr(int(esc[2:-1], 16))
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return esc
    return _ESCAPE.sub(one, raw.replace("\r\n", "\n"))


def _lex(text: str, i: int, chunks: list[tuple[str, int, int]], *, in_hole: bool) -> int:
    """Lex from i; inside a template hole, stop at its closing brace and return its offset."""
    depth = 0
    prev = ""  # the last significant token: decides whether `/` starts a regex
    n = len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n\u00a0\ufeff\u2028\u2029":
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            chunks.append(("comment", i, end))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise LexError(f"unclosed comment at offset {i}")
            chunks.append(("comment", i, end + 2))
            i = end + 2
        elif c in "'\"":
            end = _skip_string(text, i)
            chunks.append(("string", i + 1, end - 1))
            i, prev = end, "str"
        elif c == "`":
            i = _template(text, i, chunks)
            prev = "str"
        elif c == "/":
            if _regex_allowed(prev):
                i = _skip_regex(text, i)
                prev = "regex"
            else:
                i += 2 if text.startswith("/=", i) else 1
                prev = "/"
        elif (m := _WORD.match(text, i)) is not None:
            i = m.end()
            prev = m.group(0)
        elif (m := _NUMBER.match(text, i)) is not None:
            i = m.end()
            prev = "num"
        elif c == "{":
            depth += 1
            i += 1
            prev = c
        elif c == "}":
            if in_hole and depth == 0:
                return i
            depth -= 1
            i += 1
            prev = c
        else:
            i += 1
            prev = c
    if in_hole:
        raise LexError("template literal hole not closed")
    return i


def _regex_allowed(prev: str) -> bool:
    if prev == "" or prev in _EXPRESSION_KEYWORDS:
        return True
    if prev in ("str", "num", "regex", ")", "]", "}"):
        return False
    return _WORD.fullmatch(prev) is None  # after a name a `/` divides; after an operator it starts a regex


def _skip_string(text: str, i: int) -> int:
    quote = text[i]
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        elif text[i] == "\n":
            break
        else:
            i += 1
    raise LexError(f"unclosed string at offset {i}")


def _skip_regex(text: str, i: int) -> int:
    i += 1
    in_class = False
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            break
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] == "_"):
                i += 1  # flags
            return i
        i += 1
    raise LexError(f"unclosed regular expression at offset {i}")


def _template(text: str, i: int, chunks: list[tuple[str, int, int]]) -> int:
    i += 1
    start = i
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "`":
            chunks.append(("template", start, i))
            return i + 1
        elif text.startswith("${", i):
            chunks.append(("template", start, i))
            i = _lex(text, i + 2, chunks, in_hole=True) + 1
            start = i
        else:
            i += 1
    raise LexError(f"unclosed template literal at offset {start - 1}")
