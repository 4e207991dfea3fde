"""site_src/js/schema/validate.js and Python's jsonschema must give the same verdict on every plan, valid or not.

Hypothesis builds plans from each of the five schemas: mostly well-formed, with every kind of wrong value mixed
in (wrong types, junk shapes, `__proto__` keys, astral code points at length limits, trailing newlines after a
pattern, impossible dates). One Node process for the whole session runs validate.js on them, line by line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passo.forms.schema_model import ref_name
from tests.format_checker import FORMATS

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SCHEMA_IDS = ["smart-action-plan", "grow-session", "clear-session", "oskar-session", "coaching-agreement"]

# A stand-in for i18n.js: validate.js only needs t() and n() to return text.
I18N_STUB = """
const fill = (s, v) => s.replace(/\\{(\\w+)\\}/g, (m, k) => (v && k in v ? String(v[k]) : m));
export const t = (s, v) => fill(s, v);
export const n = (one, other, count, v) => fill(count === 1 ? one : other, { n: count, ...v });
"""

HARNESS = """
import { createInterface } from "node:readline";
import { validate } from "./schema/validate.js";
const schemas = new Map();
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line);
  let reply;
  try {
    if (msg.register) {
      schemas.set(msg.register, msg.schema);
      reply = { ok: true };
    } else {
      const errors = validate(schemas.get(msg.schema), msg.data);
      for (const e of errors) if (typeof e.message !== "string" || !e.message) throw new Error("no message");
      reply = { errors: errors.map((e) => [e.pointer, e.keyword]) };
    }
  } catch (error) {
    reply = { crash: String(error && error.stack || error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\\n");
}
"""


class NodeValidator:
    """validate.js in one long-lived Node process, fed one JSON line per plan."""

    def __init__(self, workdir: Path):
        # The module's own folders, so its import of ../core/i18n.js finds the stand-in.
        (workdir / "schema").mkdir()
        (workdir / "core").mkdir()
        for module in ("validate.js", "json-pointer.js"):
            shutil.copy(ROOT / "site_src/js/schema" / module, workdir / "schema" / module)
        (workdir / "core" / "i18n.js").write_text(I18N_STUB)
        (workdir / "harness.mjs").write_text(HARNESS)
        self.proc = subprocess.Popen(["node", "harness.mjs"], cwd=workdir, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def ask(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        # ensure_ascii: astral characters travel as surrogate-pair escapes, which JSON.parse joins again.
        self.proc.stdin.write(json.dumps(message, ensure_ascii=True) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        assert line, "node stopped"
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()


@pytest.fixture(scope="session")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeValidator]:
    validator = NodeValidator(tmp_path_factory.mktemp("validate-js"))
    for sid in SCHEMA_IDS:
        assert validator.ask({"register": sid, "schema": load(sid)}) == {"ok": True}
    yield validator
    validator.close()


def load(sid: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{sid}.json").read_text(encoding="utf-8"))


EMAILS = ["a@b", "no-at", "@", "x@y.z", "", "a..b@x", "@x", "joe bloggs@x", '"joe bloggs"@x', ".a@x", "a.@x",
          "a@x-", "a@-x", "a@x..y", "a@[127.0.0.1]", "a@[127.0.0.256]", "a@[IPv6:::1]", "a@[IPv6:1::2::3]",
          "a@[IPv6:::ffff:1.2.3.4]", "a@[IPv6:fe80::1%eth0]", "anna@città.it", "a@b\n", 'a"b@x', "a@[x]"]


def python_errors(schema: dict[str, Any], data: Any) -> set[tuple[str, str]]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=FORMATS)
    return {(pointer(e.absolute_path), str(e.validator)) for e in validator.iter_errors(data)}


def pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# -- plans ---------------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
TRICKY_CHARS = st.sampled_from(["a", "é", "\u0301", "😀", "𝄞", "\n", "\r", "\u2028", " ", "@", ":", "-", "0", "9"])
KEYS = st.sampled_from(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "x", "", "a/b", "~"])
SAFE_INT = st.integers(-(2**53), 2**53)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)
JUNK = st.recursive(
    st.none() | st.booleans() | SAFE_INT | FLOATS | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS | TEXT, inner, max_size=3),
    max_leaves=6,
)


def deref(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][ref_name(node["$ref"])]
    return node


def strings(node: dict[str, Any]) -> st.SearchStrategy[str]:
    options = [TEXT, st.text(TRICKY_CHARS, max_size=6)]
    low, high = node.get("minLength"), node.get("maxLength")
    if high is not None:
        # Around the limit, with characters that are one code point but two UTF-16 units.
        options.append(st.text(TRICKY_CHARS, min_size=max(high - 1, 0), max_size=high + 1))
    if low is not None:
        options.append(st.text(TRICKY_CHARS, max_size=low + 1))
    if "pattern" in node:
        options.append(st.from_regex(node["pattern"], fullmatch=True))
        options.append(st.from_regex(node["pattern"], fullmatch=True).map(lambda s: s + "\n"))
        options.append(st.from_regex(node["pattern"], fullmatch=True).map(lambda s: "\n" + s))
    fmt = node.get("format")
    if fmt == "date":
        options += [st.dates().map(lambda d: d.isoformat()),
                    st.sampled_from(["2024-02-29", "2023-02-29", "2024-04-31", "0000-01-01", "2024-1-01",
                                     "２０２４-01-01", "2024-01-01\n", "2024-13-01", "20240101", "2024-01-01T10:00"])]
    if fmt == "email":
        options.append(st.sampled_from(EMAILS))
    return st.one_of(options)


def plans(root: dict[str, Any], node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    node = deref(root, node)
    kind = node.get("type")
    if "enum" in node:
        valid: st.SearchStrategy[Any] = st.sampled_from(node["enum"])
    elif kind == "object":
        props = node.get("properties", {})
        valid = st.fixed_dictionaries({}, optional={k: plans(root, v, depth + 1) for k, v in props.items()})
        valid = st.tuples(valid, st.dictionaries(KEYS, JUNK, max_size=2), st.booleans()).map(
            lambda t: {**t[0], **t[1]} if t[2] else t[0])
    elif kind == "array":
        items = plans(root, node["items"], depth + 1)
        if node.get("uniqueItems"):
            items = st.sampled_from(deref(root, node["items"]).get("enum", [0])) | JUNK
        valid = st.lists(items, max_size=3 if depth < 2 else 1)
    elif kind == "string":
        valid = strings(node)
    elif kind == "integer":
        low, high = node.get("minimum", -5), node.get("maximum", 5)
        valid = st.integers(low - 2, high + 2) | st.sampled_from([float(low), low + 0.5, True, 1e300])
    elif kind == "number":
        valid = SAFE_INT | FLOATS | st.sampled_from([0, -0.0, 1.5, 1e16])
    elif kind == "boolean":
        valid = st.booleans() | st.sampled_from([0, 1, "true", None])
    else:
        valid = JUNK
    return st.one_of(valid, valid, valid, JUNK)


STRATEGIES = {sid: plans(load(sid), load(sid)) for sid in SCHEMA_IDS}


@st.composite
def plan_for(draw: st.DrawFn, sid: str) -> Any:
    """A named wrapper: the schema strategies' own repr is many kilobytes long."""
    return draw(STRATEGIES[sid])


@pytest.mark.parametrize("sid", SCHEMA_IDS)
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_browser_and_python_agree(node: NodeValidator, sid: str, data: st.DataObject) -> None:
    plan = data.draw(plan_for(sid))
    reply = node.ask({"schema": sid, "data": plan})
    assert "crash" not in reply, reply.get("crash")
    expected = python_errors(load(sid), plan)
    assert {tuple(e) for e in reply["errors"]} == expected, json.dumps(plan, ensure_ascii=False)


def test_valid_examples_are_valid_in_both(node: NodeValidator) -> None:
    """A complete, valid plan per schema (so the property test is not only about broken ones)."""
    for sid in SCHEMA_IDS:
        plan = json.loads((ROOT / "tests/data" / f"form-plan-{sid}.json").read_text(encoding="utf-8"))
        assert python_errors(load(sid), plan) == set(), sid
        assert node.ask({"schema": sid, "data": plan}) == {"errors": []}, sid


def test_date_and_email_formats_agree(node: NodeValidator) -> None:
    """time and date-time are held to the JSON Schema Test Suite alone (test_json_schema_suite.py): jsonschema
    checks them only with rfc3339-validator, which has no leap seconds."""
    for fmt, values in {"date": ["2024-02-29", "2023-02-29", "0001-01-01", "0000-12-31", "9999-12-31", "2024-1-1",
                                 "٢٠٢٤-01-01", " 2024-01-01"],
                        "email": EMAILS}.items():
        schema = {"type": "string", "format": fmt}
        node.ask({"register": f"f-{fmt}", "schema": schema})
        for value in values:
            assert {tuple(e) for e in node.ask({"schema": f"f-{fmt}", "data": value})["errors"]} == \
                python_errors(schema, value), value


MIGRATE = """
import { migrations } from "./smart-action-plan.migrate.js";
const data = JSON.parse(process.argv[2]);
const once = await migrations[1](data);
const twice = await migrations[1](data);
process.stdout.write(JSON.stringify({ once, twice, input: data }));
"""


def test_smart_action_plan_migration_from_version_1(tmp_path: Path) -> None:
    """Version 1 data becomes valid version 2 data; the same plan read twice gets the same ids; nothing is lost."""
    shutil.copy(SCHEMAS / "smart-action-plan.migrate.js", tmp_path / "smart-action-plan.migrate.js")
    (tmp_path / "run.mjs").write_text(MIGRATE)
    v1 = {"goal": {"what": "Answer within a day"},
          "actions": [{"what": "Inbox at 9", "when": "2025-03-03T09:00", "commitment": 7, "toTen": "Quiet"},
                      {"what": "Inbox at 9", "when": "2025-03-03T09:00", "commitment": 7, "toTen": "Quiet"},
                      {"what": "Typo", "when": "next Friday"}],
          "reviewDate": "2025-04-01"}
    v1_schema = json.loads((ROOT / "tests/data/schema-smart-action-plan-v1.json").read_text(encoding="utf-8"))
    assert python_errors(v1_schema, {**v1, "actions": v1["actions"][:2]}) == set()
    env = {**os.environ, "TZ": "Europe/Rome"}
    out = json.loads(subprocess.run(["node", "run.mjs", json.dumps(v1)], cwd=tmp_path, env=env,
                                    capture_output=True, text=True, check=True).stdout)
    assert out["input"] == v1
    v2 = out["once"]
    assert v2 == out["twice"]
    first, second, typo = v2["actions"]
    assert first["when"] == {"date": "2025-03-03", "time": "09:00", "tz": "Europe/Rome"}
    assert first["id"] != second["id"], "identical actions still get their own ids"
    assert typo["when"] == "next Friday", "a value the migration cannot read is kept as typed"
    assert v2["review"]["when"] == {"date": "2025-04-01", "tz": "Europe/Rome"} and "reviewDate" not in v2
    v2["actions"] = [first, second]
    assert python_errors(load("smart-action-plan"), v2) == set()
