// "Next up" on the home page: once the device holds plans, how many items are overdue and the next three,
// linking to the agenda. With no plans (a first visit) nothing is shown and nothing changes on the page.

import { loadMessages, n, t } from "../core/i18n.js";

/** Whether this browser may hold plans: a first visit has no database, and then nothing more is loaded. */
async function mayHavePlans() {
  if (typeof indexedDB === "undefined") return false;
  if (typeof indexedDB.databases !== "function") return true;
  return (await indexedDB.databases()).some((db) => db.name === "passo");
}

const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export async function init() {
  const box = document.getElementById("next-up");
  if (!box) return;
  try {
    if (!(await mayHavePlans())) return;
    const [{ listPlans }, { groupAgenda }, { itemHref, lateText, loadEntries }, { whenHere }] = await Promise.all([
      import("../store/store.js"), import("../due/sections.js"), import("../due/entries.js"),
      import("../due/when-text.js")]);
    if (!(await listPlans()).length) return;
    await loadMessages();
    const entries = await loadEntries();
    const groups = groupAgenda(entries, Date.now());
    const next = [...groups.overdue, ...groups.today, ...groups.week, ...groups.later].slice(0, 3);
    const html = document.documentElement;
    const root = html.dataset.root || "./";
    const lang = html.lang || "en";
    const heading = el("h2", { id: "next-up-heading", textContent: t("Next up") });
    const parts = [heading];
    parts.push(el("p", { className: "next-up-overdue", textContent: groups.overdue.length
      ? n("{n} item is overdue.", "{n} items are overdue.", groups.overdue.length) : t("Nothing is overdue.") }));
    if (next.length) {
      parts.push(el("ul", { className: "next-up-list" }, ...next.map((e) => {
        const link = el("a", { href: itemHref(root, lang, e.plan, e.item.id), textContent: e.item.text });
        if (e.plan.lang) link.lang = e.plan.lang;
        const late = lateText(e.late);
        return el("li", {}, link, " ", el("span", { className: "next-up-when",
          textContent: late ? `${whenHere(e.when)} · ${late}` : whenHere(e.when) }));
      })));
    }
    parts.push(el("p", {}, el("a", { href: `${root}${lang}/agenda/`, textContent: t("Open the agenda") })));
    box.replaceChildren(...parts);
    box.setAttribute("aria-labelledby", "next-up-heading");
    box.hidden = false;
  } catch {
    // Storage unavailable (a private window): the home page stays as it is.
  } finally {
    document.documentElement.dataset.nextUpReady = "1";
  }
}
