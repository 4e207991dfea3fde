// The plan form page: opens the plan in ?id= (or starts a new one on the first input), autosaves it, shows
// whether it is saved, and copes with the same plan being edited in another tab. What is typed is never lost:
// it stays in the form and in memory until a save succeeds, however often storage fails.

import { loadMessages, t } from "../core/i18n.js";
import { migrationInfo } from "../store/migrate.js";
import { getPlan, newPlan, onPlansChanged, savePlan } from "../store/store.js";
import { bindForm, titleOf } from "../schema/form.js";

const DEBOUNCE_MS = 400;

export async function init() {
  const page = document.querySelector("[data-plan-page]");
  const formEl = document.getElementById("plan-form");
  if (!page || !formEl) return;
  await loadMessages();
  const sharedId = new URL(location.href).searchParams.get("shared");
  if (sharedId) {
    // A plan shared with the coach: shown read-only, and none of this page's saving is ever started.
    await (await import("../share/shared-view.js")).showShared(page, formEl, sharedId);
    page.dataset.ready = "true";
    return;
  }
  // "Repeat" pressed on a new plan before its first save has started plan-checkin.js (where the picker is loaded):
  // start it now and press again, so the button never does nothing.
  formEl.addEventListener("click", (e) => {
    const open = !page.dataset.checkinStarted && e.target.closest("[data-repeat-open]");
    if (open) import("../checkin/plan-checkin.js").then((m) => m.init()).then(() => open.click());
  });
  const html = document.documentElement;
  const schemaId = page.dataset.schema;
  const version = Number(page.dataset.schemaVersion);
  const baseTitle = document.title;
  const saveText = page.querySelector("[data-save-text]");
  const retryButton = page.querySelector("[data-save-retry]");
  const notice = page.querySelector("[data-plan-notice]");
  const noticeText = notice.querySelector("[data-notice-text]");
  const noticeChoice = notice.querySelector("[data-notice-choice]");

  let plan = null; // the plan as last saved or loaded; null until the first input of a new plan
  let dirty = false; // edits not yet handed to a save
  let saving = null; // the save in flight
  let again = false; // edits arrived while a save was in flight
  let failure = null; // the last save's error, until one succeeds
  let readOnly = false;
  let timer = 0;
  let pendingOther = null; // another tab's newer revision, while the coachee decides

  const schema = await fetch(new URL(`schemas/${schemaId}.json`, new URL(html.dataset.root || "./", document.baseURI)))
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null); // without it the form still saves; only the messages are missing
  const form = bindForm(formEl, schema, { onChange: edited });

  /** The saved state, in words and as data-save-state (idle, saving, saved, failed) for styles and tests. */
  function status(state, reason = "") {
    const words = { idle: "", saving: t("Saving…"), saved: t("Saved") };
    saveText.textContent = state in words ? words[state] : t("Not saved: {reason}", { reason });
    retryButton.hidden = state !== "failed";
    page.dataset.saveState = state;
  }

  function showNotice(text, choice = false) {
    noticeText.textContent = text;
    noticeChoice.hidden = !choice;
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
    pendingOther = null;
  }

  function nameTab(data) {
    const title = titleOf(data, page.dataset.titlePointer);
    document.title = title ? `${title.slice(0, 60)} · ${baseTitle}` : baseTitle;
  }

  function edited() {
    if (readOnly) return;
    dirty = true;
    if (!plan) {
      // The first input creates the draft, and the address now names it so a reload finds it again.
      plan = newPlan(schemaId, version, html.lang || "en");
      const url = new URL(location.href);
      url.searchParams.set("id", plan.id);
      history.replaceState(history.state, "", url);
      save();
      return;
    }
    status("saving");
    clearTimeout(timer);
    timer = setTimeout(save, DEBOUNCE_MS);
  }

  function save() {
    clearTimeout(timer);
    if (readOnly || !plan || (!dirty && !failure)) return saving || Promise.resolve();
    if (saving) {
      again = true;
      return saving;
    }
    const data = form.getData();
    dirty = false;
    status("saving");
    nameTab(data);
    const draft = { ...plan, data, schema_version: version };
    saving = savePlan(draft, { baseRevision: plan.revision })
      .then((saved) => {
        plan = saved;
        failure = null;
        if (!dirty) status("saved");
      })
      .catch((error) => {
        dirty = true; // still in the form and in `draft`: the next attempt sends it again
        failure = error;
        if (error && error.kind === "conflict" && error.current) {
          otherVersion(error.current);
          status("conflict", error.message);
        } else {
          status("failed", (error && error.message) || String(error));
        }
      })
      .finally(() => {
        saving = null;
        if (again) {
          again = false;
          if (!pendingOther) save();
        }
      });
    return saving;
  }

  function otherVersion(current) {
    pendingOther = current;
    showNotice(t("This plan was changed in another tab or window while you were writing here. Which version do you want to keep?"), true);
  }

  function show(loaded, { announce = "" } = {}) {
    plan = loaded;
    dirty = false;
    failure = null;
    form.setData(loaded.data, { showAll: true });
    nameTab(loaded.data);
    status("saved");
    if (announce) showNotice(announce);
  }

  retryButton.addEventListener("click", () => {
    dirty = true;
    save();
  });

  notice.querySelector("[data-notice-load]").addEventListener("click", async () => {
    const fresh = await getPlan(plan.id).catch(() => pendingOther);
    hideNotice();
    if (fresh) show(fresh);
  });

  notice.querySelector("[data-notice-keep]").addEventListener("click", async () => {
    // Saving on top of the latest stored revision keeps the revision count (the calendar SEQUENCE) rising.
    const latest = (await getPlan(plan.id).catch(() => null)) || pendingOther;
    if (latest) plan = { ...plan, revision: latest.revision, created: latest.created };
    hideNotice();
    dirty = true;
    save();
  });

  const changed = async (message, own = false) => {
    if (!plan || !message || readOnly) return;
    if (message.erased || (message.deleted && message.id === plan.id)) {
      // Erased elsewhere: what is on screen is now the only copy; saving it again is one input away.
      plan = { ...plan, revision: 0 };
      dirty = true;
      showNotice(t("This plan was deleted in another tab. What you see here is kept if you go on editing."));
      return;
    }
    if (message.id !== plan.id || !(message.revision > plan.revision)) return;
    const fresh = await getPlan(plan.id).catch(() => null);
    if (!fresh || fresh.revision <= plan.revision) return;
    if (!dirty && !saving && !failure) {
      show(fresh, { announce: own ? "" : t("This plan was changed in another tab. You now see the latest version.") });
    } else {
      otherVersion(fresh);
    }
  };
  onPlansChanged((message) => changed(message));
  // A check-in on this page (plan-checkin.js) changes the plan too (a done tick, a new date): show it as saved.
  window.addEventListener("passo:plans-changed", (ev) => ev.detail && ev.detail.checkins && changed(ev.detail, true));

  // Save at once when the page may go away: a phone switches apps without warning.
  const flush = () => {
    if (dirty || failure) save();
  };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush();
  });
  document.addEventListener("passo:flush", (e) => e.detail.waitUntil(save()));
  window.addEventListener("beforeunload", (e) => {
    if (!failure) return;
    e.preventDefault(); // the last save failed: ask before the typed text goes
    e.returnValue = "";
  });

  await open();
  page.dataset.ready = "true"; // for tests and styles: the form is bound and the plan (if any) is shown

  /** Show the plan in ?id=, if any; a plan this form cannot edit is shown read-only with the reason. */
  async function open() {
    const id = new URL(location.href).searchParams.get("id");
    if (!id) {
      status("idle");
      return;
    }
    let loaded;
    try {
      loaded = await getPlan(id);
    } catch (error) {
      status("idle");
      showNotice(error.message); // a StorageError's message says what happened and that nothing saved is lost
      readOnly = true;
      form.setDisabled(true);
      return;
    }
    if (!loaded) {
      // A draft whose first save never landed (or a plan deleted meanwhile): keep the id so reloads agree.
      plan = { ...newPlan(schemaId, version, html.lang || "en"), id };
      status("idle");
      return;
    }
    const info = migrationInfo(loaded);
    if (loaded.schema !== schemaId || (info && info.status !== "migrated")) {
      readOnly = true;
      form.setData(loaded.data);
      form.setDisabled(true);
      plan = loaded;
      status("idle");
      const reason = loaded.schema !== schemaId ? t("This plan belongs to another form.")
        : info.status === "newer"
          ? t("This plan was saved by a newer version of Passo. It is kept unchanged; reload the page to update Passo.")
          : t("This plan could not be brought up to date with this form. It is kept unchanged on this device.");
      showNotice(reason);
      return;
    }
    show(loaded);
  }
}
