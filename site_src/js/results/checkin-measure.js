// The check-in's optional "Where is it now?": for a plan whose goal is measured, one value per measured group,
// dated with the check-in. Left empty, nothing is recorded. Loaded by the check-in dialog only for such a plan.

import { formatNumber, t } from "../core/i18n.js";
import { goalOf, measurementProblem, recordableGroups } from "../measure/measure-core.js";
import { recordMeasurement, removeMeasurement } from "../store/measurements.js";
import { parseValue } from "./measure-dialog.js";

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

/**
 * The part for `plan` (null when nothing of it is measured): {box, read(), save(values)}. read() gives the
 * measurements typed ([] when none), or an error text; save() records them after the check-in.
 */
export function measurePart(plan, schema) {
  const groups = recordableGroups(plan, schema);
  if (!groups.length) return null;
  const box = el("fieldset", { className: "ci-measure" },
    el("legend", { textContent: t("Where is it now?") }),
    el("p", { className: "hint", textContent: t("Optional: the latest value of what you measure.") }));
  const inputs = groups.map((group, i) => {
    const goal = goalOf(plan, group);
    const input = el("input", { type: "text", inputMode: "decimal", id: `ci-measure-${i}`, autocomplete: "off" });
    const label = el("label", { htmlFor: input.id, textContent: goal.metric });
    if (plan.lang) label.lang = plan.lang;
    if (Number.isFinite(goal.target)) {
      const hint = el("p", { className: "hint", id: `${input.id}-hint`,
        textContent: t("Target: {target}.", { target: formatNumber(goal.target) }) });
      input.setAttribute("aria-describedby", hint.id);
      box.append(label, hint, input);
    } else {
      box.append(label, input);
    }
    return { group, input };
  });
  return {
    box,
    read(at) {
      const out = [];
      for (const { group, input } of inputs) {
        if (!input.value.trim()) continue;
        const value = parseValue(input.value);
        if (!Number.isFinite(value)) {
          input.setAttribute("aria-invalid", "true");
          return t("Enter a number, like 7.5.");
        }
        input.setAttribute("aria-invalid", "false");
        const m = { group: group.pointer, at, value, note: "" };
        const problem = measurementProblem(m, schema);
        if (problem) return problem;
        out.push(m);
      }
      return out;
    },
    async save(list) {
      for (const m of list) await recordMeasurement(plan.id, m);
    },
    async remove(list) {
      for (const m of list) await removeMeasurement(plan.id, m);
    },
  };
}
