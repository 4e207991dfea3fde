// The measure of a shared plan against its path (DESIGN.md "Measurements"), for the desk: the one place where the
// measurements work plugs in. Until a share carries `measurements`, both functions answer "nothing to show".
//
// The path runs straight from the baseline at the plan's start to the target at the deadline. A share holds no
// creation date, so the start is the plan's `created` when there is one, else its first measurement.

const DAY = 86400000;
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function at(data, pointer) {
  let v = data;
  for (const raw of String(pointer || "").split("/").slice(1)) {
    const k = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    v = isObject(v) || Array.isArray(v) ? v[k] : undefined;
  }
  return v;
}

/** The groups a schema marks with x-measure, as {pointer, measure}; pointers to plain objects only. */
function measuredGroups(schema, node = schema, ptr = "", depth = 0) {
  if (!isObject(node) || depth > 8) return [];
  const out = isObject(node["x-measure"]) ? [{ pointer: ptr, measure: node["x-measure"] }] : [];
  for (const [k, child] of Object.entries(node.properties || {})) out.push(...measuredGroups(schema, child, `${ptr}/${k}`, depth + 1));
  return out;
}

/**
 * {group, value, expected, behind} for the latest measurement of the plan's first measured group that has a path
 * (baseline, target, deadline shared), or null: no measurements, or nothing to compare with. now: ms.
 */
export function measureStatus(rec, schema, now) {
  const list = rec && Array.isArray(rec.measurements) ? rec.measurements : [];
  if (!list.length || !schema) return null;
  for (const { pointer, measure } of measuredGroups(schema)) {
    const group = at(rec.data, pointer);
    const points = list.filter((m) => m && m.group === pointer && Number.isFinite(m.value) && Date.parse(m.at));
    if (!isObject(group) || !points.length) continue;
    const baseline = Number(group[measure.baseline]);
    const target = Number(group[measure.target]);
    const end = Date.parse(`${group[measure.deadline]}T23:59:59Z`);
    const start = Date.parse(rec.created || points[0].at);
    if (![baseline, target, end, start].every(Number.isFinite) || end <= start) continue;
    const last = points[points.length - 1];
    const when = Math.min(Math.max(Date.parse(last.at), start), end);
    const expected = baseline + ((target - baseline) * (when - start)) / (end - start);
    // Behind: on the far side of the path from the target (a target below the baseline means "lower is better").
    const behind = target >= baseline ? last.value < expected : last.value > expected;
    return { group: pointer, value: last.value, expected: Math.round(expected * 10) / 10, behind,
      days: Math.round((now - Date.parse(last.at)) / DAY) };
  }
  return null;
}

/**
 * The measure's chart for the session preparation: where the measure chart module plugs in (it draws into
 * `container` and resolves true). Until then nothing is drawn and the page shows no chart section.
 */
export async function renderMeasureChart(/* container, rec, schema */) {
  return false;
}
