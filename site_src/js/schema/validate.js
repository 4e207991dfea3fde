// The browser's validator of Passo's JSON Schema subset, with the semantics of Python's jsonschema
// (Draft 2020-12 and its format checker), so the build, the import checks and the form agree on every plan.
// tests/test_validate_agreement.py holds the two to the same verdicts over generated plans.

import { n, t } from "../core/i18n.js";
import { refTarget } from "./json-pointer.js";

const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function isType(v, type) {
  switch (type) {
    case "object": return isObject(v);
    case "array": return Array.isArray(v);
    case "string": return typeof v === "string";
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "number": return typeof v === "number";
    case "boolean": return typeof v === "boolean";
    case "null": return v === null;
    default: return false;
  }
}

// jsonschema's equal(): 1 equals 1.0, true never equals 1, arrays and objects compare deeply.
function equal(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => own(b, k) && equal(a[k], b[k]));
  }
  return false;
}

const codePoints = (s) => [...s].length; // schema lengths count code points, as Python's len() does

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function isDate(s) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= (mo === 2 && leap ? 29 : DAYS[mo - 1]);
}
// RFC 3339 full-time (the JSON Schema Test Suite's optional/format/time.json and date-time.json).
const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?([Zz]|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))$/;
function isTime(s) {
  const m = TIME.exec(s);
  if (!m) return false;
  if (m[3] !== "60") return true;
  // A leap second is the last second of a UTC day: 23:59:60 once the offset is taken off.
  const offset = m[6] ? (m[6] === "-" ? -1 : 1) * (+m[7] * 60 + +m[8]) : 0;
  return (((+m[1] * 60 + +m[2] - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

const isIPv4 = (s) => /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/
  .test(s);
/** RFC 4291 2.2 text: eight groups of 1-4 hex digits, one `::` for a run of zero groups, an IPv4 address last. */
function isIPv6(s) {
  const tail = /^(.*:)([0-9.]+)$/.exec(s);
  if (tail && tail[2].includes(".")) {
    if (!isIPv4(tail[2])) return false;
    s = `${tail[1]}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === "" ? [] : h.split(":")));
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}
// RFC 5321's Mailbox: a dot-atom or a quoted local part, "@", a domain name or an address literal. Characters past
// ASCII may stand where letters do (RFC 6531 addresses), so an address in any script is not refused.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\u{10FFFF}]";
const LETTER = "[A-Za-z0-9\\u0080-\\u{10FFFF}]";
const LABEL = `${LETTER}(?:-*${LETTER})*`; // hyphens inside a label only; one way to match, so no backtracking
const EMAIL = new RegExp(`^(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\u0080-\\u{10FFFF}]|\\\\[\\x20-\\x7E])*")`
  + `@(?:(${LABEL}(?:\\.${LABEL})*)|\\[(.*)\\])$`, "u");
function isEmail(s) {
  const m = EMAIL.exec(s);
  if (!m) return false;
  if (m[1] !== undefined) return true;
  return m[2].startsWith("IPv6:") ? isIPv6(m[2].slice(5)) : isIPv4(m[2]);
}

const FORMATS = {
  date: isDate,
  time: isTime,
  "date-time": (s) => /^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]/.test(s) && isDate(s.slice(0, 10)) && isTime(s.slice(11)),
  email: isEmail,
};

const patterns = new Map();
// Python's re reads `.` as "not \n" and `$` as "at the end or before a final \n"; JavaScript's u-flag RegExp
// does not, so the two are rewritten to mean what they mean in Python (the build checks the rest of the pattern).
function regexp(source) {
  let re = patterns.get(source);
  if (!re) {
    let out = "";
    let inClass = false;
    for (let i = 0; i < source.length; i += 1) {
      const c = source[i];
      if (c === "\\") {
        out += c + (source[i + 1] ?? "");
        i += 1;
      } else if (inClass) {
        if (c === "]") inClass = false;
        out += c;
      } else if (c === "[") {
        inClass = true;
        out += c;
      } else if (c === ".") {
        out += "[^\\n]";
      } else if (c === "$") {
        out += "(?=\\n?$)";
      } else {
        out += c;
      }
    }
    re = new RegExp(out, "u");
    patterns.set(source, re);
  }
  return re;
}

function typeMessage(type) {
  switch (type) {
    case "string": return t("Enter text here.");
    case "integer": return t("Enter a whole number.");
    case "number": return t("Enter a number.");
    case "boolean": return t("This should be ticked or not ticked.");
    default: return t("This part of the plan has an unexpected shape.");
  }
}

function formatMessage(format) {
  switch (format) {
    case "date": return t("Enter a valid date.");
    case "email": return t("Enter an email address, like name@example.org.");
    case "time": return t("Enter a valid time.");
    default: return t("Enter a valid date and time.");
  }
}

function message(keyword, schema, extra) {
  switch (keyword) {
    case "type": return typeMessage(schema.type);
    case "required": return t("Fill this in.");
    case "additionalProperties": return t("“{name}” does not belong in this form.", { name: extra });
    case "minItems": return n("Add at least {n} item.", "Add at least {n} items.", schema.minItems);
    case "maxItems": return n("Keep at most {n} item.", "Keep at most {n} items.", schema.maxItems);
    case "uniqueItems": return t("Each choice can be picked only once.");
    case "minLength":
      return schema.minLength === 1 ? t("Fill this in.")
        : n("Write at least {n} character.", "Write at least {n} characters.", schema.minLength);
    case "maxLength":
      return n("Shorten this to {n} character or fewer.", "Shorten this to {n} characters or fewer.", schema.maxLength);
    case "minimum": return t("Enter {min} or more.", { min: schema.minimum });
    case "maximum": return t("Enter {max} or less.", { max: schema.maximum });
    case "enum": return t("Choose one of the options.");
    case "const": return t("This value is not allowed here.");
    case "format": return formatMessage(schema.format);
    case "pattern":
      return schema["x-widget"] === "time" ? t("Enter a time as hours and minutes, like 09:30.")
        : t("This is not in the expected form.");
    default: return t("This value is not allowed here.");
  }
}

function resolveRef(root, ref) {
  const { node } = refTarget(root, ref);
  if (!isObject(node)) throw new Error(`$ref ${ref} points nowhere`); // the build lets no such schema through
  return node;
}

const escapeToken = (k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");

function check(root, schema, value, pointer, out) {
  const fail = (keyword, extra) => {
    const error = { pointer, keyword, message: message(keyword, schema, extra) };
    if (extra !== undefined) error.property = extra;
    out.push(error);
  };
  if (own(schema, "$ref")) check(root, resolveRef(root, schema.$ref), value, pointer, out);
  if (own(schema, "type") && !isType(value, schema.type)) fail("type");
  if (own(schema, "enum") && !schema.enum.some((e) => equal(e, value))) fail("enum");
  if (own(schema, "const") && !equal(schema.const, value)) fail("const");
  if (isObject(value)) {
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const name of schema.required || []) if (!own(value, name)) fail("required", name);
    for (const key of Object.keys(value)) {
      if (own(props, key)) check(root, props[key], value[key], `${pointer}/${escapeToken(key)}`, out);
      else if (schema.additionalProperties === false) fail("additionalProperties", key);
    }
  }
  if (Array.isArray(value)) {
    if (own(schema, "minItems") && value.length < schema.minItems) fail("minItems");
    if (own(schema, "maxItems") && value.length > schema.maxItems) fail("maxItems");
    if (schema.uniqueItems === true && value.some((v, i) => value.slice(0, i).some((w) => equal(v, w)))) {
      fail("uniqueItems");
    }
    if (own(schema, "items")) value.forEach((v, i) => check(root, schema.items, v, `${pointer}/${i}`, out));
  }
  if (typeof value === "string") {
    if (own(schema, "minLength") && codePoints(value) < schema.minLength) fail("minLength");
    if (own(schema, "maxLength") && codePoints(value) > schema.maxLength) fail("maxLength");
    if (own(schema, "pattern") && !regexp(schema.pattern).test(value)) fail("pattern");
    if (own(schema, "format") && own(FORMATS, schema.format) && !FORMATS[schema.format](value)) fail("format");
  }
  if (typeof value === "number") {
    if (own(schema, "minimum") && value < schema.minimum) fail("minimum");
    if (own(schema, "maximum") && value > schema.maximum) fail("maximum");
  }
}

/**
 * Every way `data` breaks `schema`: [{pointer, keyword, message, property?}]. `pointer` is the JSON pointer of
 * the value at fault (for `required` and `additionalProperties`, the object; `property` names the key).
 */
export function validate(schema, data) {
  const out = [];
  check(schema, schema, data, "", out);
  return out;
}
