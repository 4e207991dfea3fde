"""The format checker Python's side of the tests holds plans to: draft 2020-12's own (FormatChecker() would mix in
every draft's checkers, and its `time` is draft 3's), with Passo's `email` in place of jsonschema's.

jsonschema's email check only looks for an "@", which the JSON Schema Test Suite's optional/format/email.json does
not accept. Passo's (validate.js isEmail) is written again here: test_json_schema_suite.py holds validate.js to that
file, and test_validate_agreement.py holds this twin to validate.js.
"""

from __future__ import annotations

import re

import jsonschema

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010FFFF]"
_LETTER = r"[A-Za-z0-9\u0080-\U0010FFFF]"
_LABEL = rf"{_LETTER}(?:-*{_LETTER})*"
_EMAIL = re.compile(rf'(?:{_ATEXT}+(?:\.{_ATEXT}+)*|"(?:[\x20\x21\x23-\x5B\x5D-\x7E\u0080-\U0010FFFF]|\\[\x20-\x7E])*")'
                    rf"@(?:({_LABEL}(?:\.{_LABEL})*)|\[(.*)\])")
_IPV4 = re.compile(r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")


def _ipv6(text: str) -> bool:
    tail = re.fullmatch(r"(.*:)([0-9.]+)", text, re.S)
    if tail and "." in tail[2]:
        if not _IPV4.fullmatch(tail[2]):
            return False
        text = f"{tail[1]}0:0"
    halves = text.split("::")
    groups = [g for h in halves if h for g in h.split(":")]
    if len(halves) > 2 or not all(re.fullmatch(r"[0-9A-Fa-f]{1,4}", g) for g in groups):
        return False
    return len(groups) <= 7 if len(halves) == 2 else len(groups) == 8


def passo_email(value: object) -> bool:
    if not isinstance(value, str) or not (m := _EMAIL.fullmatch(value)):
        return not isinstance(value, str)
    if m[1] is not None:
        return True
    return _ipv6(m[2][5:]) if m[2].startswith("IPv6:") else bool(_IPV4.fullmatch(m[2]))


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checkers = {**jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers, "email": (passo_email, ())}
