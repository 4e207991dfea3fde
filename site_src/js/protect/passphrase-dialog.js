// The passphrase dialogs: one to protect a file being exported (the passphrase twice), one to open a protected
// file being imported. A native <dialog>, built when needed and removed after: the passphrase lives only in its
// input until the dialog closes, and is never stored. Loaded only when a passphrase is needed.

import { dialogStyles } from "../core/dialog-styles.js";
import { t } from "../core/i18n.js";
import { el } from "../files/file-actions.js";
import { MAX_IMPORT_BYTES, sizeProblem } from "../files/plan-file.js";
import { MIN_PASSPHRASE, inspect, open, protect, recognise } from "./protected-file.js";

const length = (s) => [...s.normalize("NFC")].length;

function field(label, autocomplete) {
  // Password inputs: a passphrase is not shown over a shoulder unless the coachee asks (the checkbox below).
  const input = el("input", { type: "password", autocomplete, spellcheck: false, required: true });
  input.setAttribute("autocapitalize", "off");
  return { input, label: el("label", { className: "passphrase-field" }, label, input) };
}

/**
 * A modal dialog with the given fields; `submit(values)` runs while a "working" status shows and resolves
 * {done: value} (close, resolve the dialog with value) or {retry: message} (stay open, say why). Cancel,
 * Escape and the close button resolve null.
 */
async function passphraseDialog({ title, intro, fields, action, working, submit }) {
  await dialogStyles();
  const id = `passphrase-${Math.random().toString(36).slice(2)}`;
  const status = el("p", { className: "passphrase-status", role: "status" });
  status.setAttribute("aria-live", "polite");
  const inputs = fields.map((f) => f.input);
  const show = el("input", { type: "checkbox" });
  show.onchange = () => inputs.forEach((i) => { i.type = show.checked ? "text" : "password"; });
  const ok = el("button", { type: "submit", textContent: action });
  const cancel = el("button", { type: "button", className: "secondary", textContent: t("Cancel") });
  const form = el("form", { method: "dialog", noValidate: true },
    ...intro.map((text) => el("p", { textContent: text })),
    ...fields.map((f) => f.label),
    el("label", { className: "passphrase-show" }, show, " ", t("Show the passphrase")),
    status,
    el("div", { className: "dialog-buttons" }, ok, cancel));
  const dialog = el("dialog", { className: "passphrase-dialog" }, el("h2", { id, textContent: title }), form);
  dialog.setAttribute("aria-labelledby", id);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let result = null;
    let busy = false;
    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle("export-error", Boolean(isError));
    };
    cancel.onclick = () => dialog.close();
    // Escape during the work would leave it running with nobody to tell: held until it ends.
    dialog.oncancel = (ev) => { if (busy) ev.preventDefault(); };
    dialog.onclose = () => {
      for (const i of inputs) i.value = "";
      dialog.remove();
      resolve(result);
    };
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      if (busy) return;
      busy = true;
      for (const i of inputs) i.removeAttribute("aria-invalid");
      ok.disabled = true;
      cancel.disabled = true;
      form.setAttribute("aria-busy", "true");
      say(working, false);
      let outcome;
      try {
        outcome = await submit(inputs.map((i) => i.value));
      } catch {
        outcome = { retry: t("Something went wrong. Try again.") };
      }
      busy = false;
      ok.disabled = false;
      cancel.disabled = false;
      form.removeAttribute("aria-busy");
      if ("done" in outcome) {
        result = outcome.done;
        dialog.close();
        return;
      }
      say(outcome.retry, true);
      const bad = inputs[outcome.field ?? 0];
      bad.setAttribute("aria-invalid", "true");
      bad.focus();
      bad.select();
    };
    dialog.showModal();
  });
}

/**
 * Ask for a new passphrase (twice) and protect `text` with it. Resolves the protected file's text, or null
 * when the coachee cancelled.
 */
export function askToProtect(text) {
  const first = field(t("Passphrase (at least 10 characters)"), "off");
  const second = field(t("The same passphrase again"), "off");
  return passphraseDialog({
    title: t("Protect with a passphrase"),
    intro: [
      t("Only someone who knows the passphrase can open this file. Send the passphrase another way than the file."),
      t("Passo does not keep the passphrase anywhere. A lost passphrase cannot be recovered, " +
        "and without it nobody can open the file."),
    ],
    fields: [first, second],
    action: t("Protect and save"),
    working: t("Protecting the file…"),
    async submit([a, b]) {
      if (length(a) < MIN_PASSPHRASE) {
        return { retry: t("The passphrase needs at least {count} characters.", { count: MIN_PASSPHRASE }), field: 0 };
      }
      if (a.normalize("NFC") !== b.normalize("NFC")) {
        return { retry: t("The two passphrases are not the same. Type them again."), field: 1 };
      }
      const out = await protect(text, a);
      // A protected file is a third larger: one over the import limit could never be opened again.
      if (out.length > MAX_IMPORT_BYTES) return { retry: sizeProblem(out.length), field: 0 };
      return { done: out };
    },
  });
}

/**
 * The import's hook: resolves {text} (the file's own text, or the plaintext of a protected file once its
 * passphrase opened it), {error} (refused before any key derivation, or damaged) or {cancelled: true}.
 */
export async function openIfProtected(text) {
  if (!recognise(text)) return { text };
  let checked;
  try {
    checked = await inspect(text);
  } catch (e) {
    return { error: e.message };
  }
  let damaged = null;
  const pass = field(t("Passphrase"), "off");
  const plain = await passphraseDialog({
    title: t("This file is protected"),
    intro: [t("Type the passphrase that was chosen when the file was protected.")],
    fields: [pass],
    action: t("Open the file"),
    working: t("Opening the file…"),
    async submit([p]) {
      if (!p) return { retry: t("Type the passphrase first.") };
      try {
        return { done: await open(checked, p) };
      } catch (e) {
        if (e && e.kind === "passphrase") return { retry: e.message };
        if (e && e.name === "ProtectedFileError") {
          damaged = e.message;
          return { done: null };
        }
        throw e;
      }
    },
  });
  if (damaged) return { error: damaged };
  return plain === null ? { cancelled: true } : { text: plain };
}
