// A field of a plan schema as people read it: the node a $ref leads to with the visibility, topic and title that
// apply there, and a field's label path in the page language. The calendar, the sponsor report and the share for
// the coach all label fields this way.

import { tp } from "../core/i18n.js";
import { escapePtr, refTarget, unescapePtr } from "./json-pointer.js";

/**
 * Follow local $refs. Keywords beside a $ref describe this use of the target and win over the target's own:
 * returns {node: the target, sptr: its pointer, vis, topic, title, titlePtr} with the outermost of each.
 */
export function resolveSchema(root, node, sptr) {
  const out = { vis: undefined, topic: undefined, title: undefined, titlePtr: undefined };
  for (let guard = 0; node && guard < 32; guard++) {
    if (out.vis === undefined && node["x-visibility"] !== undefined) out.vis = node["x-visibility"];
    if (out.topic === undefined && typeof node["x-topic"] === "string") out.topic = node["x-topic"];
    if (out.title === undefined && typeof node.title === "string") {
      out.title = node.title;
      out.titlePtr = `${sptr}/title`;
    }
    if (typeof node.$ref !== "string" || !node.$ref.startsWith("#")) break;
    ({ node, sptr } = refTarget(root, node.$ref));
  }
  return { ...out, node, sptr };
}

/** A field's label (the titles along its path, list positions as numbers: "Actions › 2 › What") and schema. */
export function fieldAt(schemaId, root, pointer) {
  const parts = [];
  let node = root;
  let sptr = "";
  for (const key of pointer.split("/").slice(1).map(unescapePtr)) {
    ({ node, sptr } = resolveSchema(root, node, sptr));
    if (!node) break;
    if (/^[0-9]+$/.test(key) && node.items) {
      parts.push(String(Number(key) + 1));
      node = node.items;
      sptr = `${sptr}/items`;
      continue;
    }
    node = node.properties && node.properties[key];
    sptr = `${sptr}/properties/${escapePtr(key)}`;
    const r = resolveSchema(root, node, sptr);
    parts.push(r.title !== undefined ? tp(`${schemaId}:${r.titlePtr}`, r.title) : key);
  }
  const r = node ? resolveSchema(root, node, sptr) : { node: null, sptr };
  return { label: parts.join(" › "), node: r.node, sptr: r.sptr };
}
