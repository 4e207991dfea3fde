"""A JSON reader that keeps where each key and value starts, so problems can name a line and a column."""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

JsonPath = tuple[str | int, ...]


class _Positions:
    """A JSON reader that remembers where each key and value starts (json.loads keeps no positions)."""

    NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.duplicates: list[tuple[JsonPath, tuple[int, int]]] = []

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in " \t\r\n":
            i += 1
        return i

    def value(self, i: int, path: JsonPath) -> tuple[Any, int]:
        i = self.skip(i)
        self.values[path] = self.where(i)
        c = self.text[i]
        if c == "{":
            out: dict[str, Any] = {}
            i = self.skip(i + 1)
            while self.text[i] != "}":
                key, end = json.decoder.scanstring(self.text, i + 1)
                if key in out:
                    self.duplicates.append(((*path, key), self.where(i)))
                self.keys[(*path, key)] = self.where(i)
                i = self.skip(end)  # at ':'
                out[key], i = self.value(i + 1, (*path, key))
                i = self.skip(i)
                if self.text[i] == ",":
                    i = self.skip(i + 1)
            return out, i + 1
        if c == "[":
            items: list[Any] = []
            i = self.skip(i + 1)
            while self.text[i] != "]":
                item, i = self.value(i, (*path, len(items)))
                items.append(item)
                i = self.skip(i)
                if self.text[i] == ",":
                    i = self.skip(i + 1)
            return items, i + 1
        if c == '"':
            return json.decoder.scanstring(self.text, i + 1)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, i):
                return val, i + len(word)
        m = self.NUMBER.match(self.text, i)
        assert m, "json.loads accepted the text, so every value is well formed"
        return json.loads(m.group(0)), m.end()

    def at(self, path: JsonPath) -> tuple[int, int]:
        """Where to point for `path`: its key when it has one, else its value, else the nearest parent."""
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))


def parse_with_positions(text: str) -> tuple[Any, _Positions]:
    """The JSON value and its position map; raises json.JSONDecodeError (with line and column) on bad JSON."""
    json.loads(text)  # the standard reader's message and position for broken JSON
    reader = _Positions(text)
    value, _ = reader.value(0, ())
    return value, reader


def pointer(path: JsonPath) -> str:
    """RFC 6901 JSON pointer of a path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)
