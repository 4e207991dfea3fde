"""Plan schemas: the JSON Schema subset Passo supports, its x- extensions, and loading with file:line:col problems.

A schema is checked twice: pydantic checks the shape of every keyword (unknown keywords are errors, never
ignored), then a walk over the document checks what needs context: $ref targets, keywords that fit the type,
widgets, visibility and topics, calendar and prompt pointers. Problems point at the keyword in the file, found
through a position map made while parsing, because pydantic's `loc` alone says nothing about lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from passo.forms.json_positions import JsonPath, parse_with_positions, pointer
from passo.forms.patterns import pattern_problem
from passo.problems import Problem, problem_at

DRAFT = "https://json-schema.org/draft/2020-12/schema"
Type = Literal["object", "array", "string", "integer", "number", "boolean"]
Format = Literal["date", "time", "date-time", "email"]
Visibility = Literal["coachee", "coach", "sponsor"]
Topic = Literal["goal", "progress", "actions", "dates"]
Widget = Literal["text", "textarea", "number", "scale", "date", "time", "email", "select", "radio", "checkbox",
                 "checkboxes", "hidden", "when", "repeat", "steps", "list", "fieldset"]
NonNegative = Annotated[int, Field(ge=0)]
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _one_of(choices: Any) -> str:
    return ", ".join(get_args(choices))


class CalendarExt(BaseModel):
    """x-calendar: instances of this object become calendar events (pointers are relative to the object)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    kind: Literal["action", "review"]
    summary: str | None = None
    summaryText: str | None = None  # the JSON key, as schema authors write it
    when: str
    description: list[str] = []
    done: str | None = None


class MeasureExt(BaseModel):
    """x-measure: this object is a measurable result; each value names one of its own properties."""

    model_config = ConfigDict(extra="forbid", strict=True)
    metric: str
    baseline: str
    target: str
    deadline: str


# What each x-measure field must name: (the property's test, the words for the problem).
MEASURE_FIELDS: dict[str, tuple[Any, str]] = {
    "metric": (lambda n: n.get("type") == "string" and "format" not in n and "enum" not in n, "a text field"),
    "baseline": (lambda n: n.get("type") == "number", "a field of type number"),
    "target": (lambda n: n.get("type") == "number", "a field of type number"),
    "deadline": (lambda n: n.get("type") == "string" and n.get("format") == "date", "a field with format: date"),
}


class PromptExt(BaseModel):
    """One x-prompts entry: text shown while the value is within min..max; `field` keeps the answer."""

    model_config = ConfigDict(extra="forbid", strict=True)
    min: int
    max: int
    text: str
    field: str | None = None


class Node(BaseModel):
    """One schema object of the supported subset; strict, so `1` is not a boolean and `true` not an integer."""

    model_config = ConfigDict(extra="forbid", strict=True)
    schema_uri: str | None = Field(None, alias="$schema")
    id: str | None = Field(None, alias="$id")
    ref: str | None = Field(None, alias="$ref")
    defs: dict[str, Node] | None = Field(None, alias="$defs")
    comment: str | None = Field(None, alias="$comment")
    type: Type | None = None
    title: str | None = None
    description: str | None = None
    default: Any = None
    properties: dict[str, Node] | None = None
    required: list[str] | None = None
    additionalProperties: bool | None = None
    items: Node | None = None
    minItems: NonNegative | None = None
    maxItems: NonNegative | None = None
    uniqueItems: bool | None = None
    minLength: NonNegative | None = None
    maxLength: NonNegative | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    enum: Annotated[list[Any], Field(min_length=1)] | None = None
    const: Any = None
    pattern: str | None = None
    format: Format | None = None
    x_version: Annotated[int, Field(ge=1)] | None = Field(None, alias="x-version")
    x_title: str | None = Field(None, alias="x-title")
    x_widget: Widget | None = Field(None, alias="x-widget")
    x_visibility: Visibility | None = Field(None, alias="x-visibility")
    x_topic: Topic | None = Field(None, alias="x-topic")
    x_calendar: CalendarExt | None = Field(None, alias="x-calendar")
    x_measure: MeasureExt | None = Field(None, alias="x-measure")
    x_prompts: list[PromptExt] | None = Field(None, alias="x-prompts")
    x_confirm: str | None = Field(None, alias="x-confirm")
    x_labels: list[str] | None = Field(None, alias="x-labels")
    x_add: str | None = Field(None, alias="x-add")


# What a keyword's value must be, word for word in the problem when it is not.
KEY_MESSAGES = {
    "$schema": "$schema must be a string", "$id": "$id must be a string", "$ref": "$ref must be a string",
    "$defs": "$defs must be an object of schemas", "$comment": "$comment must be a string",
    "type": f"type must be one of {_one_of(Type)}", "title": "title must be a string",
    "description": "description must be a string", "properties": "properties must be an object of schemas",
    "required": "required must be a list of property names",
    "additionalProperties": "additionalProperties must be false",
    "uniqueItems": "uniqueItems must be true or false", "pattern": "pattern must be a string",
    "minimum": "minimum must be a number", "maximum": "maximum must be a number",
    "enum": "enum must be a non-empty list", "format": f"format must be one of {_one_of(Format)}",
    "x-version": "x-version must be an integer of at least 1", "x-title": "x-title must be a JSON pointer string",
    "x-widget": f"x-widget must be one of {_one_of(Widget)}",
    "x-visibility": f"x-visibility must be one of {_one_of(Visibility)}",
    "x-topic": f"x-topic must be one of {_one_of(Topic)}",
    "x-calendar": "x-calendar must be an object",
    "x-measure": "x-measure must be an object naming the fields metric, baseline, target and deadline",
    "metric": "x-measure metric must be a property name", "baseline": "x-measure baseline must be a property name",
    "target": "x-measure target must be a property name", "deadline": "x-measure deadline must be a property name",
    "x-prompts": "x-prompts must be a list of objects",
    "x-confirm": "x-confirm must be a string (the text shown until the box is ticked)",
    "x-labels": "x-labels must be a list of strings", "x-add": "x-add must be a string (the add button's text)",
    "kind": "x-calendar kind must be one of action, review",
    "summary": "x-calendar summary must be a JSON pointer string",
    "summaryText": "x-calendar summaryText must be a string", "when": "x-calendar when must be a JSON pointer string",
    "done": "x-calendar done must be a JSON pointer string",
    "min": "x-prompts min must be an integer", "max": "x-prompts max must be an integer",
    "text": "x-prompts text must be a string", "field": "x-prompts field must be a property name",
}
for _k in ("minItems", "maxItems", "minLength", "maxLength"):
    KEY_MESSAGES[_k] = f"{_k} must be a non-negative integer"

# Keywords that only mean something for one type; elsewhere they are a mistake worth naming.
FOR_TYPES = {
    "properties": {"object"}, "required": {"object"}, "additionalProperties": {"object"}, "x-calendar": {"object"},
    "x-measure": {"object"},
    "items": {"array"}, "minItems": {"array"}, "maxItems": {"array"}, "uniqueItems": {"array"}, "x-add": {"array"},
    "minLength": {"string"}, "maxLength": {"string"}, "pattern": {"string"}, "format": {"string"},
    "minimum": {"integer", "number"}, "maximum": {"integer", "number"}, "x-prompts": {"integer"},
    "x-confirm": {"boolean"},
}
ROOT_ONLY = ("$schema", "$id", "$defs", "x-version", "x-title")
# The keys of an RFC 5545 repeat rule in JSON (DESIGN.md "Recurring actions"), as site_src/js/time/repeat.js reads it.
REPEAT_KEYS = {"freq", "interval", "byday", "bymonthday", "until", "count"}
REF_SIBLINGS = {"$ref", "title", "description", "$comment", "x-visibility", "x-topic"}


@dataclass
class PlanSchema:
    """One loaded plan schema: the JSON as written plus what the rest of the build needs from it."""

    id: str
    version: int
    title: str
    description: str
    raw: dict[str, Any]
    source_path: Path
    has_migrations: bool
    title_pointer: str = ""  # x-title: the data pointer of the text that names a plan
    # (line, column) of every key in the file, by path: lets later stages point at a schema string too.
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict, repr=False)


# ---------------------------------------------------------------------------------------------- checking


def _pydantic_problems(raw: dict[str, Any], exc: ValidationError) -> list[tuple[JsonPath, str]]:
    out: list[tuple[JsonPath, str]] = []
    for err in exc.errors():
        path: JsonPath = ()
        node: Any = raw
        for part in err["loc"]:  # keep the parts that are in the document (drops union branch tags)
            in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if in_dict or in_list:
                node, path = node[part], (*path, part)
        kind = err["type"]
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        inside = next((p for p in reversed(path[:-1]) if p in ("x-calendar", "x-prompts", "x-measure")), None)
        if kind == "extra_forbidden":
            if inside:
                message = f"'{key}' is not allowed in {inside}"
            elif key.startswith("x-"):
                message = f"unknown extension '{key}'"
            else:
                message = f"'{key}' is not supported"
        elif kind == "missing":
            # The object missing a key is the last part of the path (x-calendar or x-measure itself).
            owner = key if key in ("x-calendar", "x-measure") else inside or "x-calendar"
            message = f"{owner} needs '{err['loc'][-1]}'"
        elif kind == "model_type" and err.get("ctx", {}).get("class_name") == "Node":
            message = "a schema must be a JSON object (true and false schemas are not supported)"
        elif kind == "model_type" and err.get("ctx", {}).get("class_name") == "PromptExt":
            message = "each x-prompts entry must be an object"
        else:
            message = KEY_MESSAGES.get(key, f"{key}: {err['msg']}")
        if (path, message) not in out:
            out.append((path, message))
    return out


def widget_of(node: dict[str, Any]) -> str:
    """The widget a (resolved) schema node is shown with: its x-widget, else one that fits its type."""
    if "x-widget" in node:
        return node["x-widget"]
    kind = node.get("type")
    if kind == "object":
        return "fieldset"
    if kind == "array":
        items = node.get("items", {})
        return "checkboxes" if node.get("uniqueItems") and "enum" in items else "list"
    if kind == "boolean":
        return "checkbox"
    if "enum" in node:
        return "radio"
    if kind in ("integer", "number"):
        return "number"
    return {"date": "date", "email": "email"}.get(node.get("format", ""), "text")


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BAD_TILDE = re.compile(r"~(?![01])")


def ref_name(ref: str) -> str | None:
    """The $defs name a local $ref names, read as JSON Schema says and validate.js reads it: the URI fragment
    percent-decoded (UTF-8), then a JSON pointer (RFC 6901 sections 3 and 6: `~1` is `/`, `~0` is `~`), so
    `#/$defs/a~1b%25` names `a/b%`. None when it is not `#/$defs/<name>` or not well formed."""
    if not ref.startswith("#") or _BAD_PERCENT.search(ref):
        return None
    try:
        fragment = unquote(ref[1:], errors="strict")
    except UnicodeDecodeError:
        return None
    parts = fragment.split("/")
    if len(parts) != 3 or parts[:2] != ["", "$defs"] or _BAD_TILDE.search(parts[2]):
        return None
    return parts[2].replace("~1", "/").replace("~0", "~")


def resolve(root: dict[str, Any], node: dict[str, Any], path: JsonPath) -> tuple[dict[str, Any], JsonPath]:
    """Follow a local $ref (the schema must have been checked): the target node and where it is written."""
    seen = 0
    while "$ref" in node and seen < 64:
        name = ref_name(node["$ref"]) or ""
        node, path, seen = root["$defs"][name], ("$defs", name), seen + 1
    return node, path


def find(root: dict[str, Any], node: dict[str, Any], ptr: str) -> dict[str, Any] | None:
    """The schema node a data pointer (relative to `node`) leads to, through properties and items."""
    node = resolve(root, node, ())[0]
    for part in ptr.split("/")[1:] if ptr else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if node.get("type") == "array" and part.isdigit():
            child = node.get("items")
        else:
            child = (node.get("properties") or {}).get(part)
        if not isinstance(child, dict):
            return None
        node = resolve(root, child, ())[0]
    return node


@dataclass
class _Ctx:
    visibility: str | None = None
    topic: str | None = None
    siblings: dict[str, Any] | None = None
    refs: tuple[str, ...] = ()


class _Checker:
    """The context-dependent checks, walking the document as data would nest (through $ref)."""

    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.problems: list[tuple[JsonPath, str]] = []
        self.used_defs: set[str] = set()

    def add(self, path: JsonPath, message: str) -> None:
        if (path, message) not in self.problems:
            self.problems.append((path, message))

    def run(self) -> None:
        self.node(self.root, (), _Ctx(), root=True)
        for name, node in (self.root.get("$defs") or {}).items():
            if name not in self.used_defs and isinstance(node, dict):
                self.node(node, ("$defs", name), _Ctx(refs=(name,)))

    def node(self, node: dict[str, Any], path: JsonPath, ctx: _Ctx, root: bool = False) -> None:
        if not root:
            for key in ROOT_ONLY:
                if key in node:
                    self.add((*path, key), f"'{key}' belongs at the root of the schema")
        visibility = node.get("x-visibility") or ctx.visibility
        topic = node.get("x-topic") or ctx.topic
        if "x-topic" in node and visibility != "sponsor":
            self.add((*path, "x-topic"), "x-topic is only used on fields the sponsor may see (x-visibility: sponsor)")
        if node.get("x-visibility") == "sponsor" and not topic:
            self.add((*path, "x-visibility"),
                     "a field the sponsor may see needs x-topic: one of goal, progress, actions, dates")
        inner = _Ctx(visibility, topic, None, ctx.refs)
        if "$ref" in node:
            self.ref(node, path, inner)
            return
        kind = node.get("type")
        if kind is None:
            self.add(path, "a schema needs 'type' (or '$ref')")
            return
        for key, types in FOR_TYPES.items():
            if key in node and kind not in types:
                self.add((*path, key), f"'{key}' does not apply to type {kind}")
        self.values(node, path, kind)
        self.widget(node, path, kind)
        if "x-prompts" in node and kind == "integer":
            self.prompts(node, path, ctx.siblings)
        if kind == "object":
            self.obj(node, path, inner)
        elif kind == "array":
            if "items" not in node:
                self.add(path, "an array schema needs 'items'")
            elif isinstance(node["items"], dict):
                self.node(node["items"], (*path, "items"), inner)
            if widget_of(node) in ("list", "steps") and "x-add" not in node:
                self.add(path, "a list needs x-add: the text of its add button, e.g. \"Add an action\"")

    def ref(self, node: dict[str, Any], path: JsonPath, ctx: _Ctx) -> None:
        target = node["$ref"]
        for key in node:
            if key not in REF_SIBLINGS:
                self.add((*path, key), f"'{key}' cannot sit beside $ref; put it in the definition")
        name = ref_name(target)
        # A reference that would name a definition but for its escapes gets told how to write them.
        only_escapes_wrong = name is None and ref_name(re.sub(r"%.{0,2}|~.?", "x", target)) is not None
        if only_escapes_wrong:
            self.add((*path, "$ref"), f"$ref '{target}' is not a well-formed name: write '~' as '~0', '/' as '~1' "
                                      "and '%' as '%25'")
        elif name is None:
            self.add((*path, "$ref"), f"$ref '{target}' is not supported: only '#/$defs/<name>' in the same file")
        elif name not in (self.root.get("$defs") or {}):
            self.add((*path, "$ref"), f"$ref '{target}' points nowhere")
        elif name in ctx.refs:
            self.add((*path, "$ref"), f"$ref '{target}' refers back to itself, so the form would never end")
        else:
            self.used_defs.add(name)
            ctx.refs = (*ctx.refs, name)
            self.node(self.root["$defs"][name], ("$defs", name), ctx)

    def values(self, node: dict[str, Any], path: JsonPath, kind: str) -> None:
        def fits(value: Any) -> bool:
            if kind == "integer":
                return isinstance(value, int) and not isinstance(value, bool)
            if kind == "number":
                return isinstance(value, int | float) and not isinstance(value, bool)
            return isinstance(value, {"string": str, "boolean": bool, "array": list, "object": dict}[kind])

        for key in ("enum", "const", "default"):
            if key not in node:
                continue
            for value in node[key] if key == "enum" else [node[key]]:
                if not fits(value):
                    self.add((*path, key), f"{key} value {json.dumps(value)} is not of type {kind}")
        enum = node.get("enum") or []
        dupes = [v for i, v in enumerate(enum) if v in enum[:i]]
        if dupes:
            self.add((*path, "enum"), f"enum lists {json.dumps(dupes[0])} twice")
        if "x-labels" in node and len(node["x-labels"]) != len(enum):
            self.add((*path, "x-labels"), f"x-labels must have one label per enum value "
                                          f"({len(enum)} values, {len(node['x-labels'])} labels)")
        for low, high in (("minLength", "maxLength"), ("minItems", "maxItems"), ("minimum", "maximum")):
            if low in node and high in node and node[low] > node[high]:
                self.add((*path, low), f"{low} is greater than {high}")
        if isinstance(node.get("pattern"), str) and (problem := pattern_problem(node["pattern"])):
            self.add((*path, "pattern"), problem)

    def widget(self, node: dict[str, Any], path: JsonPath, kind: str) -> None:
        widget = node.get("x-widget")
        if widget is None:
            return
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        items = resolve(self.root, items, ())[0] if items and self._ref_ok(items) else items
        props = node.get("properties") or {}
        span = node.get("maximum", 0) - node.get("minimum", 0) + 1 if "minimum" in node else 0
        needs = {
            "text": (kind == "string" and "enum" not in node, "a string without enum"),
            "textarea": (kind == "string" and "enum" not in node, "a string without enum"),
            "hidden": (kind == "string", "a string"),
            "date": (kind == "string" and node.get("format") == "date", "a string with format: date"),
            "time": (kind == "string", "a string"),
            "email": (kind == "string", "a string"),
            "number": (kind in ("integer", "number"), "an integer or a number"),
            "scale": (kind == "integer" and "maximum" in node and 2 <= span <= 11,
                      "an integer with minimum and maximum, 2 to 11 values apart"),
            "select": ("enum" in node, "an enum"),
            "radio": ("enum" in node, "an enum"),
            "checkbox": (kind == "boolean", "a boolean"),
            "checkboxes": (kind == "array" and node.get("uniqueItems") is True and "enum" in items,
                           "an array with uniqueItems: true whose items have an enum"),
            "steps": (kind == "array" and items.get("type") == "string", "an array of strings"),
            "list": (kind == "array", "an array"),
            "fieldset": (kind == "object", "an object"),
            "when": (kind == "object" and "date" in props and set(props) <= {"date", "time", "tz", "repeat"}
                     and resolve(self.root, props["date"], ())[0].get("format") == "date"
                     if self._ref_ok(props.get("date", {})) else False,
                     "an object with properties date (format: date), time, tz and repeat"),
            "repeat": (kind == "object" and "freq" in props and set(props) <= REPEAT_KEYS,
                       "an object with properties freq, interval, byday, bymonthday, until and count"),
        }
        ok, what = needs[widget]
        if not ok:
            self.add((*path, "x-widget"), f"x-widget '{widget}' needs {what}")

    def _ref_ok(self, node: dict[str, Any]) -> bool:
        ref = node.get("$ref")
        return ref is None or ref_name(ref) in (self.root.get("$defs") or {})

    def prompts(self, node: dict[str, Any], path: JsonPath, siblings: dict[str, Any] | None) -> None:
        here = (*path, "x-prompts")
        if "minimum" not in node or "maximum" not in node:
            self.add(here, "x-prompts needs minimum and maximum on the same field")
            return
        ranges: list[tuple[int, int, int]] = []
        fields: list[str] = []
        for i, prompt in enumerate(node["x-prompts"], start=1):
            low, high = prompt["min"], prompt["max"]
            if low > high:
                self.add((*here, i - 1), f"x-prompts entry {i}: min is greater than max")
            elif low < node["minimum"] or high > node["maximum"]:
                self.add((*here, i - 1), f"x-prompts entry {i} is outside minimum..maximum")
            for j, other_low, other_high in ranges:
                if low <= other_high and other_low <= high:
                    self.add((*here, i - 1), f"x-prompts entries {j} and {i} overlap")
            ranges.append((i, low, high))
            name = prompt.get("field")
            if name is not None:
                if siblings is None or name not in siblings:
                    self.add((*here, i - 1, "field"), f"x-prompts field '{name}' is not a property of the same object")
                elif name in fields:
                    self.add((*here, i - 1, "field"), f"x-prompts field '{name}' is used twice")
                fields.append(name)

    def obj(self, node: dict[str, Any], path: JsonPath, ctx: _Ctx) -> None:
        if node.get("additionalProperties") is not False:
            where = (*path, "additionalProperties") if "additionalProperties" in node else path
            self.add(where, "an object schema must set additionalProperties: false")
        props = node.get("properties") or {}
        for i, name in enumerate(node.get("required") or []):
            if name not in props:
                self.add((*path, "required", i), f"required names '{name}', which is not in properties")
        for name, child in props.items():
            if isinstance(child, dict):
                self.node(child, (*path, "properties", name), _Ctx(ctx.visibility, ctx.topic, props, ctx.refs))
        if "x-calendar" in node:
            self.calendar(node, path)
        if "x-measure" in node:
            self.measure(node, path)

    def measure(self, node: dict[str, Any], path: JsonPath) -> None:
        """x-measure names the group's own fields, each of the type a chart and a measurement need."""
        props = node.get("properties") or {}
        for key, name in node["x-measure"].items():
            where = (*path, "x-measure", key)
            child = props.get(name)
            if not isinstance(child, dict) or not self._ref_ok(child):
                self.add(where, f"x-measure {key} '{name}' is not a property of this object")
                continue
            fits, what = MEASURE_FIELDS[key]
            if not fits(resolve(self.root, child, ())[0]):
                self.add(where, f"x-measure {key} '{name}' must be {what}")

    def calendar(self, node: dict[str, Any], path: JsonPath) -> None:
        cal, here = node["x-calendar"], (*path, "x-calendar")
        if ("summary" in cal) == ("summaryText" in cal):
            self.add(here, "x-calendar needs either summary or summaryText, not both or neither")
        wants = {"summary": "string", "when": "when", "done": "boolean"}
        pointers = [(k, cal[k], (*here, k)) for k in ("summary", "when", "done") if k in cal]
        pointers += [("description", p, (*here, "description", i)) for i, p in enumerate(cal.get("description", []))]
        for key, ptr, where in pointers:
            target = find(self.root, node, ptr) if ptr.startswith("/") else None
            if not ptr.startswith("/"):
                self.add(where, f"x-calendar {key} '{ptr}' must be a JSON pointer starting with '/'")
            elif target is None:
                self.add(where, f"x-calendar {key} '{ptr}' points nowhere in this object")
            elif wants.get(key) == "when" and widget_of(target) != "when":
                self.add(where, "x-calendar when must point to an object with x-widget: when")
            elif wants.get(key) in ("string", "boolean") and target.get("type") != wants[key]:
                self.add(where, f"x-calendar {key} must point to a {wants[key]}")
        ident = (node.get("properties") or {}).get("id", {})
        ident = resolve(self.root, ident, ())[0] if self._ref_ok(ident) else {}
        if ident.get("type") != "string" or ident.get("x-widget") != "hidden" or "id" not in node.get("required", []):
            self.add(here, "an object with x-calendar needs a required 'id' property (a string with x-widget: hidden)")

    def check_root(self, stem: str) -> None:
        root = self.root
        for key, message in (("$id", "the schema needs '$id' (its id, the file name without .json)"),
                             ("x-version", "the schema needs 'x-version' (an integer, 1 for a new schema)"),
                             ("title", "the schema needs a 'title'")):
            if key not in root:
                self.add((), message)
        if "$schema" in root and root["$schema"] != DRAFT:
            self.add(("$schema",), f"$schema must be {DRAFT}")
        ident = root.get("$id")
        if isinstance(ident, str):
            if not ID_RE.fullmatch(ident):
                self.add(("$id",), f"$id '{ident}' must be lower-case letters, digits and dashes")
            elif ident != stem:
                self.add(("$id",), f"$id '{ident}' must equal the file name '{stem}'")
        if root.get("type") != "object":
            self.add(("type",) if "type" in root else (), "the schema's root must have type: object")
        if isinstance(root.get("x-title"), str):
            target = find(root, root, root["x-title"]) if root["x-title"].startswith("/") else None
            if target is None or target.get("type") != "string":
                self.add(("x-title",), f"x-title '{root['x-title']}' must point to a text field")


def check_schema(raw: Any, stem: str) -> list[tuple[JsonPath, str]]:
    """Every problem of one parsed schema document, as (path in the document, message)."""
    if not isinstance(raw, dict):
        return [((), "a schema must be a JSON object")]
    try:
        Node.model_validate(raw)
    except ValidationError as exc:
        return _pydantic_problems(raw, exc)
    checker = _Checker(raw)
    checker.check_root(stem)
    checker.run()
    return checker.problems


# ---------------------------------------------------------------------------------------------- loading


def load_schema(path: Path, display: str | None = None) -> tuple[PlanSchema | None, list[Problem]]:
    """One schema file: the PlanSchema, or None and the problems that stop it."""
    display = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [problem_at(path, 0, f"cannot read the schema: {exc}", display_path=display)]
    try:
        raw, positions = parse_with_positions(text)
    except json.JSONDecodeError as exc:
        return None, [problem_at(path, exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno}, column "
                                                   f"{exc.colno})", column=exc.colno, display_path=display)]
    found = [(p, f"duplicate key '{p[-1]}'") for p, _ in positions.duplicates] + check_schema(raw, path.stem)
    problems = []
    for where, message in found:
        line, column = positions.at(where)
        problems.append(problem_at(path, line, message, column=column, display_path=display))
    if problems:
        return None, problems
    schema = PlanSchema(id=raw["$id"], version=raw["x-version"], title=raw["title"],
                        description=raw.get("description", ""), raw=raw, source_path=path,
                        has_migrations=path.with_name(f"{path.stem}.migrate.js").is_file(),
                        title_pointer=raw.get("x-title", ""), positions=positions.keys)
    if schema.version > 1 and not schema.has_migrations:
        line, column = positions.at(("x-version",))
        problems.append(problem_at(path, line, f"x-version is {schema.version} but {path.stem}.migrate.js does "
                                               "not exist: plans saved under an older version cannot be upgraded",
                                   column=column, severity="warning", display_path=display))
    return schema, problems


def load_schemas(schemas_dir: Path) -> tuple[dict[str, PlanSchema], list[Problem]]:
    """Every schemas/*.json, checked; a bad file is reported and left out, the others still load."""
    schemas: dict[str, PlanSchema] = {}
    problems: list[Problem] = []
    if not schemas_dir.is_dir():
        return schemas, problems
    for path in sorted(schemas_dir.glob("*.json")):
        schema, found = load_schema(path, f"{schemas_dir.name}/{path.name}")
        problems += found
        if schema:
            schemas[schema.id] = schema
    for path in sorted(schemas_dir.glob("*.migrate.js")):
        stem = path.name.removesuffix(".migrate.js")
        if not path.with_name(f"{stem}.json").is_file():
            problems.append(Problem(f"{schemas_dir.name}/{path.name}", 0, 0,
                                    f"migrations for '{stem}', but there is no {stem}.json", "warning"))
    return schemas, problems


# ---------------------------------------------------------------------------------------------- translation

TRANSLATABLE = ("title", "description", "x-confirm", "x-add")


def translatable_strings(schema: PlanSchema) -> list[tuple[str, str]]:
    """(context, English text) of every string a person reads, in document order; context is id:pointer."""
    out: list[tuple[str, str]] = []

    def walk(value: Any, path: JsonPath) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                here = (*path, key)
                if key in TRANSLATABLE and isinstance(child, str) and _is_keyword(path):
                    out.append((f"{schema.id}:{pointer(here)}", child))
                elif key == "x-labels" and _is_keyword(path):
                    out.extend((f"{schema.id}:{pointer((*here, i))}", s) for i, s in enumerate(child))
                elif key == "x-prompts" and _is_keyword(path):
                    out.extend((f"{schema.id}:{pointer((*here, i, 'text'))}", p["text"]) for i, p in enumerate(child))
                elif key == "x-calendar" and _is_keyword(path) and "summaryText" in child:
                    out.append((f"{schema.id}:{pointer((*here, 'summaryText'))}", child["summaryText"]))
                elif key not in ("enum", "const", "default") or not _is_keyword(path):
                    walk(child, here)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                walk(child, (*path, i))

    walk(schema.raw, ())
    return out


def _is_keyword(path: JsonPath) -> bool:
    """Whether the object at `path` is a schema (so its keys are keywords, not property or definition names)."""
    return not path or path[-1] not in ("properties", "$defs")
