// Settings: the languages kept offline, how much each takes, and a button to keep one more or let one go. The
// language of the page itself stays (it is the one being read); every change is announced.
import { formatBytes, t } from "../core/i18n.js";
import { dropLanguage, keepLanguage, languageEntry, languageState, offlineStatus, onProgress } from "../offline/offline-worker.js";

const $ = (id) => document.getElementById(id);

export async function init() {
  const list = $("settings-offline-list");
  if (!list) return;
  const live = $("settings-offline-status");
  const own = document.documentElement.lang;
  const rows = new Map([...list.querySelectorAll("li[data-lang]")].map((row) => [row.dataset.lang, row]));
  const name = (code) => rows.get(code).querySelector(".offline-language-name").textContent;
  const before = new Map(); // each language's last state, so a change is announced once
  let busy = false;

  const describe = (entry, state) => {
    if (state === "ready") return t("Kept offline: {size}", { size: formatBytes(entry.bytes) });
    if (state === "failed") return t("Saving stopped: there is no connection. It goes on once you are online.");
    if (state === "saving") return t("Saving… {percent}%", { percent: Math.floor((100 * entry.stored) / Math.max(entry.files, 1)) });
    return t("Not kept ({size})", { size: formatBytes(entry.bytes) });
  };

  const draw = (entry) => {
    const row = rows.get(entry.code);
    if (!row) return;
    const state = row.querySelector("[data-offline-state]");
    const button = row.querySelector("button");
    const now = languageState(entry);
    let text = describe(entry, now);
    if (entry.code === own && entry.kept) text += " · " + t("in use on this page");
    state.textContent = text;
    button.hidden = entry.code === own && entry.kept;
    button.textContent = entry.kept ? t("Remove") : t("Keep offline");
    button.dataset.action = entry.kept ? "drop" : "keep";
    button.disabled = busy;
    const was = before.get(entry.code);
    before.set(entry.code, now);
    if (was === undefined || was === now) return;
    if (now === "ready") live.textContent = t("{language} is kept offline.", { language: name(entry.code) });
    else if (now === "failed") live.textContent = t("Saving {language} needs a connection. It goes on once you are online.", { language: name(entry.code) });
  };

  const drawAll = (status) => {
    if (!status) {
      list.hidden = true;
      live.textContent = t("This browser does not keep Passo offline.");
      return;
    }
    list.hidden = false;
    for (const code of rows.keys()) {
      const entry = languageEntry(status, code);
      if (entry) draw(entry);
      else rows.get(code).hidden = true;
    }
  };

  list.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button || busy) return;
    const code = button.closest("li").dataset.lang;
    busy = true;
    let status;
    if (button.dataset.action === "keep") {
      live.textContent = t("Saving {language} for offline use…", { language: name(code) });
      status = await keepLanguage(code);
    } else {
      status = await dropLanguage(code);
      live.textContent = t("{language} was removed from this device.", { language: name(code) });
    }
    busy = false;
    if (status) before.set(code, undefined);
    drawAll(status);
    // Focus stays on the row's button, which now does the opposite.
    button.focus();
  });
  onProgress((entry) => draw(entry));
  drawAll(await offlineStatus(own));
  document.documentElement.dataset.offlineLanguagesReady = "1";
}
