// JSON pointers (RFC 6901) into plan data: read a value, write one into a copy. Shared by the store (a check-in's
// change and its undo) and plan-items.js.

export const unescapePtr = (s) => s.replace(/~1/g, "/").replace(/~0/g, "~");
export const escapePtr = (s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1");
export const own = (o, k) => o != null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);

/** The keys of an absolute JSON pointer. */
export function keysOf(ptr) {
  return ptr ? ptr.split("/").slice(1).map(unescapePtr) : [];
}

/**
 * What a local `$ref` names, read as JSON Schema says and as the build reads it (passo/forms/schema_model.py
 * ref_name): the URI fragment percent-decoded, then a JSON pointer, so `#/$defs/a~1b%25` is the definition `a/b%`.
 * {node, sptr}: the target (undefined when there is none) and its pointer written plainly (`/$defs/a~1b%`).
 */
export function refTarget(root, ref) {
  let fragment;
  try {
    fragment = typeof ref === "string" && ref.startsWith("#") ? decodeURIComponent(ref.slice(1)) : null;
  } catch {
    fragment = null; // not percent-encoded UTF-8: the build refuses such a reference
  }
  if (fragment === null || (fragment && !fragment.startsWith("/"))) return { node: undefined, sptr: "" };
  const keys = keysOf(fragment);
  const node = keys.reduce((v, k) => (own(v, k) ? v[k] : undefined), root);
  return { node, sptr: keys.map((k) => `/${escapePtr(k)}`).join("") };
}

/** The value at an absolute JSON pointer, or undefined. */
export function getAt(data, ptr) {
  return keysOf(ptr).reduce((v, k) => (own(v, k) ? v[k] : undefined), data);
}

/** A copy of data with value set at an absolute JSON pointer (missing objects are created; undefined removes). */
export function setAt(data, ptr, value) {
  const copy = structuredClone(data ?? {});
  const keys = keysOf(ptr);
  let node = copy;
  keys.slice(0, -1).forEach((k) => {
    if (node[k] == null || typeof node[k] !== "object") node[k] = {};
    node = node[k];
  });
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return copy;
}

/** Data with every edit ({pointer, value}) applied, as a copy. */
export function applyEdits(data, edits) {
  return edits.reduce((d, e) => setAt(d, e.pointer, e.value), data);
}
