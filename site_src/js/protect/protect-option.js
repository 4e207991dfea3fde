// "Protect with a passphrase" beside an export (templates/partials/protect-option.html): every export that can
// leave protected (plan file, backup, sponsor report, share for the coach) asks here, so the crypto and the
// dialog load only when the box is ticked.

/**
 * Before saveFile: when the "Protect with a passphrase" box (partials/protect-option.html) is ticked, ask for a
 * passphrase and protect the text. Resolves {text, name, protected} to save, or null when the coachee cancelled.
 * The crypto and the dialog load only here, on first use.
 */
export async function protectIfAsked(box, text, name) {
  if (!box || !box.checked) return { text, name, protected: false };
  const out = await (await import("./passphrase-dialog.js")).askToProtect(text);
  return out === null ? null : { text: out, name: name.replace(/(\.json)?$/, ".protected.json"), protected: true };
}
