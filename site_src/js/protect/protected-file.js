// protect/: passphrase-protected files: the JWE itself (this module), the dialog that asks for the
// passphrase (passphrase-dialog.js) and the "Protect with a passphrase" option of every export (protect-option.js).
//
// Passphrase-protected files (DESIGN.md "Contract"): a JWE, RFC 7516, PBES2-HS512+A256KW with A256GCM, made and
// opened with WebCrypto alone. Everything that can be checked without the passphrase is checked before any key
// is derived, so a hostile file (a huge p2c, a zip bomb, a giant file) is refused before it can hang the page.
// No DOM: Node tests drive this module as is (globalThis.crypto.subtle).

import { t } from "../core/i18n.js";
import { MAX_IMPORT_BYTES, breathe, sizeProblem } from "../files/plan-file.js";

export const ALG = "PBES2-HS512+A256KW";
export const ENC = "A256GCM";
export const P2C = 210000;
export const MIN_P2C = 1000;
export const MAX_P2C = 1000000;
export const MIN_PASSPHRASE = 10;
const MEMBERS = ["protected", "encrypted_key", "iv", "ciphertext", "tag"];
// RFC 7516 7.2.1 lets other tools put header parameters outside `protected` (joserfc puts p2s in `header`).
const HEADER_MEMBERS = ["header", "unprotected"];
const PARAMS = new Set(["alg", "enc", "p2s", "p2c", "cty", "typ", "kid"]);
const MAX_HEADER_CHARS = 4096;
// Decoded sizes fixed by the algorithms: 96-bit GCM IV, 128-bit tag, a 256-bit key wrapped by AES-KW.
const LENGTHS = { iv: 12, tag: 16, encrypted_key: 40 };

/** Thrown by open(): `kind` is "refused" (checked before any key derivation), "passphrase" or "damaged". */
export class ProtectedFileError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = "ProtectedFileError";
    this.kind = kind;
  }
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = (s) => new TextEncoder().encode(s);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// base64url by table over typed arrays: btoa/atob and string building take seconds on a few MB on a phone.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ENCODE = new TextEncoder().encode(ALPHABET);
const DECODE = new Uint8Array(256).fill(255);
ENCODE.forEach((code, i) => { DECODE[code] = i; });

export function b64url(bytes) {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = ENCODE[(v >> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | ((i + 1 < n ? bytes[i + 1] : 0) << 8);
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    if (i + 1 < n) out[o++] = ENCODE[(v >> 6) & 63];
  }
  return new TextDecoder().decode(out.subarray(0, o));
}

/** Strict base64url (no padding, no other characters, no stray bits); null when the text is not that. */
export function unb64url(text) {
  if (typeof text !== "string" || text.length % 4 === 1) return null;
  const codes = new TextEncoder().encode(text);
  if (codes.length !== text.length) return null; // a character outside ASCII
  const out = new Uint8Array(Math.floor((codes.length * 3) / 4));
  const last = codes.length - (codes.length % 4);
  let o = 0;
  let bad = 0;
  for (let i = 0; i < last; i += 4) {
    const a = DECODE[codes[i]];
    const b = DECODE[codes[i + 1]];
    const c = DECODE[codes[i + 2]];
    const d = DECODE[codes[i + 3]];
    bad |= a | b | c | d; // 255 anywhere leaves bit 7 set (valid values are under 64)
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = codes.length - last;
  if (rest) {
    const a = DECODE[codes[last]];
    const b = DECODE[codes[last + 1]];
    const c = rest === 3 ? DECODE[codes[last + 2]] : 0;
    bad |= a | b | c;
    // The bits past the last whole byte must be zero, so each byte string has exactly one spelling.
    if ((rest === 2 && (b & 15)) || (rest === 3 && (c & 3))) return null;
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >> 16;
    if (rest === 3) out[o++] = (v >> 8) & 255;
  }
  if (bad & 128) return null;
  return out;
}

// The ciphertext of a large backup is several MB: coded in slices, letting input in between (a phone takes
// about as long for one slice as for one frame).
const SLICE = 3 << 18;

async function b64urlSliced(bytes) {
  const parts = [];
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(b64url(bytes.subarray(i, i + SLICE))); // whole 3-byte groups: the pieces join without seams
    await breathe();
  }
  return parts.join("");
}

async function unb64urlSliced(text) {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  const chars = (SLICE / 3) * 4;
  for (let i = 0; i < text.length; i += chars) {
    const part = unb64url(text.slice(i, i + chars));
    if (!part) return null;
    out.set(part, (i / 4) * 3);
    await breathe();
  }
  return out;
}

// A compact JWE's first part is the base64url of a JSON object: '{"' is "eyJ", but RFC 7515 lets white space
// come before the brace and between the tokens, and other tools write it ("ewo" is "{\n").
function isCompact(s) {
  if (/\s/.test(s) || s.split(".").length !== 5) return false;
  if (s.startsWith("eyJ")) return true;
  const first = s.slice(0, s.indexOf("."));
  const head = unb64url(first.slice(0, Math.min(64, first.length - (first.length % 4))));
  return head !== null && /^[ \t\r\n]*(\{|$)/.test(new TextDecoder().decode(head));
}

/** Is this text a protected file, in either serialization? "json", "compact" or null. Cheap on a plain file. */
export function recognise(text) {
  if (typeof text !== "string") return null;
  const s = text.replace(/^\uFEFF/, "").trim();
  if (isCompact(s)) return "compact";
  if (!s.startsWith("{") || !s.includes('"ciphertext"')) return null;
  // An oversized unprotected header is refused by inspect() before anything is parsed; parsing it here would
  // block the page for seconds (a million keys) before that.
  if (HEADER_MEMBERS.includes(oversizedMember(s))) return "json";
  let doc;
  try {
    doc = JSON.parse(s);
  } catch {
    return null; // not JSON: the ordinary import says so
  }
  return isObject(doc) && "ciphertext" in doc && !("format" in doc) ? "json" : null;
}

/**
 * The first key that appears twice in one object of a JSON text, or null. JSON.parse keeps the last of two
 * and says nothing, so the text itself is scanned: strings (a large ciphertext is one regex match) and braces.
 */
export function duplicateKey(json) {
  // Unrolled string pattern: a plain alternation steps through a large ciphertext one character at a time.
  const token = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\]:]/g;
  const stack = [];
  let last = null;
  for (let m = token.exec(json); m; m = token.exec(json)) {
    const tok = m[0];
    if (tok === "{") stack.push(new Set());
    else if (tok === "[") stack.push(null);
    else if (tok === "}" || tok === "]") stack.pop();
    else if (tok === ":" && last && last[0] === '"') {
      const keys = stack[stack.length - 1];
      const key = JSON.parse(last);
      if (keys) {
        if (keys.has(key)) return key;
        keys.add(key);
      }
    }
    last = tok;
  }
  return null;
}

/**
 * The first member of a JSON text's outer object whose object or array value is longer than a header may be, or
 * null. Scanned, not parsed: a hostile `header` of a million keys costs no more than MAX_HEADER_CHARS of scanning.
 */
export function oversizedMember(json) {
  const token = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\]:]/g;
  let depth = 0;
  let start = 0;
  let name = null;
  let last = null;
  for (let m = token.exec(json); m; m = token.exec(json)) {
    const tok = m[0];
    if (tok === "{" || tok === "[") {
      depth += 1;
      if (depth === 2) start = m.index;
    } else if (tok === "}" || tok === "]") {
      depth -= 1;
    } else if (tok === ":" && depth === 1 && last && last[0] === '"') {
      name = JSON.parse(last);
    }
    if (depth >= 2 && token.lastIndex - start > MAX_HEADER_CHARS) return name;
    last = tok;
  }
  return null;
}

// Messages are written out at each t() call: the catalogue extraction only sees literal msgids.
const invalid = (message) => new ProtectedFileError("refused", message);
const missing = (part) => invalid(t("This protected file is not valid: “{part}” is missing.", { part }));
const notAllowed = (part) => invalid(t("This protected file is not valid: “{part}” is not allowed in it.",
  { part }));
const twice = (part) => invalid(t("This protected file is not valid: “{part}” appears twice.", { part }));
const wrongLength = (part) => invalid(t("This protected file is not valid: “{part}” has the wrong length.",
  { part }));
const notJSON = () => invalid(t("This protected file is not valid: it is not JSON."));
const notWhole = (part) => invalid(t("This protected file is not valid: “{part}” is not a whole number.", { part }));
const badHeader = () => invalid(t("This protected file is not valid: its header is not a JSON object."));

async function decoded(part, text) {
  let bytes = null;
  if (typeof text === "string") bytes = part === "ciphertext" ? await unb64urlSliced(text) : unb64url(text);
  if (!bytes) throw invalid(t("This protected file is not valid: “{part}” is not base64url text.", { part }));
  if (part in LENGTHS && bytes.length !== LENGTHS[part]) throw wrongLength(part);
  return bytes;
}

/** The serialization's parts as base64url strings and the unprotected headers, whichever form the file has. */
function members(text) {
  const s = text.replace(/^\uFEFF/, "").trim();
  if (isCompact(s)) {
    const [prot, encrypted_key, iv, ciphertext, tag] = s.split(".");
    return { parts: { protected: prot, encrypted_key, iv, ciphertext, tag }, headers: [] };
  }
  const big = oversizedMember(s);
  if (big !== null) throw wrongLength(big);
  let doc;
  try {
    doc = JSON.parse(s);
  } catch {
    throw notJSON();
  }
  if (!isObject(doc)) throw notJSON();
  const dup = duplicateKey(s);
  if (dup !== null) throw twice(dup);
  for (const k of Object.keys(doc)) if (!MEMBERS.includes(k) && !HEADER_MEMBERS.includes(k)) throw notAllowed(k);
  for (const k of MEMBERS) if (typeof doc[k] !== "string") throw missing(k);
  const headers = [];
  for (const k of HEADER_MEMBERS) {
    if (!(k in doc)) continue;
    if (!isObject(doc[k])) throw badHeader();
    headers.push(doc[k]);
  }
  return { parts: Object.fromEntries(MEMBERS.map((k) => [k, doc[k]])), headers };
}

/**
 * Everything about a protected file that can be checked without its passphrase. Returns {header (the joined
 * parameters), salt, bytes: {encrypted_key, iv, ciphertext, tag}, aad}; throws a "refused" ProtectedFileError.
 */
export async function inspect(text) {
  if (typeof text !== "string") throw notJSON();
  if (text.length > MAX_IMPORT_BYTES) throw new ProtectedFileError("refused", sizeProblem(text.length));
  const { parts, headers } = members(text);
  if (parts.protected.length > MAX_HEADER_CHARS) throw wrongLength("protected");
  const protectedJSON = new TextDecoder().decode(await decoded("protected", parts.protected));
  let prot;
  try {
    prot = JSON.parse(protectedJSON);
  } catch {
    prot = null;
  }
  if (!isObject(prot)) throw badHeader();
  const dup = duplicateKey(protectedJSON);
  if (dup !== null) throw twice(dup);
  // No prototype: a parameter named "constructor" or "__proto__" is only ever a name that is not allowed.
  const header = Object.create(null);
  for (const h of [prot, ...headers]) {
    for (const [k, v] of Object.entries(h)) {
      if (k in header) throw twice(k);
      header[k] = v;
    }
  }
  if ("zip" in header) {
    throw invalid(t("This protected file is compressed (“zip”). Passo does not open compressed protected files."));
  }
  for (const k of Object.keys(header)) if (!PARAMS.has(k)) throw notAllowed(k);
  for (const k of ["alg", "enc", "p2s", "p2c"]) if (!(k in header)) throw missing(k);
  for (const [k, want] of [["alg", ALG], ["enc", ENC]]) {
    if (header[k] !== want) {
      throw invalid(t("This file is protected with “{value}”, which Passo does not open (it opens {expected}).",
        { value: String(header[k]).slice(0, 40), expected: want }));
    }
  }
  const p2c = header.p2c;
  if (!Number.isInteger(p2c)) throw notWhole("p2c");
  if (p2c < MIN_P2C || p2c > MAX_P2C) {
    throw invalid(t("This protected file asks for {count} rounds of key derivation; Passo accepts 1,000 to 1,000,000.",
      { count: String(p2c).slice(0, 20) }));
  }
  if ("cty" in header && !/^(application\/)?json$/i.test(String(header.cty))) throw notAllowed("cty");
  const p2s = await decoded("p2s", header.p2s);
  // RFC 7518 4.8.1.1: at least 8 octets of salt input.
  if (p2s.length < 8 || p2s.length > 256) throw wrongLength("p2s");
  const bytes = {};
  for (const k of ["encrypted_key", "iv", "ciphertext", "tag"]) bytes[k] = await decoded(k, parts[k]);
  const salt = new Uint8Array([...utf8(ALG), 0, ...p2s]);
  return { header, p2c, salt, bytes, aad: utf8(parts.protected) };
}

async function keyEncryptionKey(passphrase, salt, iterations) {
  const base = await subtle().importKey("raw", utf8(passphrase), "PBKDF2", false, ["deriveKey"]);
  return subtle().deriveKey({ name: "PBKDF2", salt, iterations, hash: "SHA-512" }, base,
    { name: "AES-KW", length: 256 }, false, ["wrapKey", "unwrapKey"]);
}

/**
 * The text as a protected file (flattened JSON serialization), under a passphrase normalised to NFC.
 * options.p2c: the derivation count (tests use the minimum to stay quick; files use P2C).
 */
export async function protect(text, passphrase, { p2c = P2C } = {}) {
  const p2s = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const header = { alg: ALG, enc: ENC, p2s: b64url(p2s), p2c, cty: "application/json" };
  const prot = b64url(utf8(JSON.stringify(header)));
  const kek = await keyEncryptionKey(String(passphrase).normalize("NFC"), new Uint8Array([...utf8(ALG), 0, ...p2s]),
    p2c);
  // Extractable, or wrapKey refuses it; it never leaves this function other than wrapped.
  const cek = await subtle().generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const encryptedKey = new Uint8Array(await subtle().wrapKey("raw", cek, kek, "AES-KW"));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await subtle().encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(prot), tagLength: 128 }, cek, utf8(text)));
  // WebCrypto returns ciphertext || tag; the JWE keeps them apart.
  const file = { protected: prot, encrypted_key: b64url(encryptedKey), iv: b64url(iv),
    ciphertext: await b64urlSliced(sealed.subarray(0, sealed.length - 16)),
    tag: b64url(sealed.subarray(sealed.length - 16)) };
  return `${JSON.stringify(file)}\n`;
}

/**
 * The plaintext of a protected file (its text, or what inspect() returned for it). Throws ProtectedFileError:
 * "refused" before any key derivation, "passphrase" when the passphrase does not unwrap the key, "damaged" when
 * the content fails its tag.
 */
export async function open(file, passphrase) {
  // A file already inspected (the dialog checks it once, before the first try) is not checked again.
  const { p2c, salt, bytes, aad } = typeof file === "string" ? await inspect(file) : file;
  const unwrap = async (form) => {
    const kek = await keyEncryptionKey(form, salt, p2c);
    return subtle().unwrapKey("raw", bytes.encrypted_key, kek, "AES-KW", "AES-GCM", false, ["decrypt"])
      .catch(() => null);
  };
  // Passo protects under the NFC form; a file made elsewhere may hold the passphrase as typed there, decomposed
  // (NFD) on some keyboards: that form is tried too, and only when it differs (one more derivation).
  const typed = String(passphrase);
  const composed = typed.normalize("NFC");
  const cek = (await unwrap(composed)) || (typed !== composed ? await unwrap(typed) : null);
  if (!cek) {
    throw new ProtectedFileError("passphrase",
      t("This passphrase does not open this file. Check it and try again: capitals and accents count."));
  }
  const sealed = new Uint8Array(bytes.ciphertext.length + 16);
  sealed.set(bytes.ciphertext);
  sealed.set(bytes.tag, bytes.ciphertext.length);
  try {
    const plain = await subtle().decrypt({ name: "AES-GCM", iv: bytes.iv, additionalData: aad, tagLength: 128 },
      cek, sealed);
    return new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    throw new ProtectedFileError("damaged", t("The passphrase is right, but the file was changed or damaged " +
      "after it was protected, so it cannot be opened."));
  }
}
