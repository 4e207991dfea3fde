// Hand a file to the coachee: the share sheet where the browser accepts the file (iOS Safari), else a download.
// Chrome on Android shares neither .json nor .ics (canShare says no), so it gets the download.

export const JSON_TYPE = "application/json";
export const CALENDAR_TYPE = "text/calendar;charset=utf-8";

/**
 * Save text as a file. Resolves "shared", "downloaded" or "cancelled" (the coachee closed the share sheet).
 * Call it straight from a click: the share sheet needs the tap's user activation.
 */
export async function saveFile(text, name, type) {
  const blob = new Blob([text], { type });
  if (typeof File === "function" && navigator.canShare) {
    const file = new File([blob], name, { type });
    let ok = false;
    try {
      ok = navigator.canShare({ files: [file] });
    } catch {
      ok = false;
    }
    if (ok) {
      try {
        await navigator.share({ files: [file] });
        return "shared";
      } catch (e) {
        if (e && e.name === "AbortError") return "cancelled";
        // NotAllowedError (activation used up by a slow export) and the like: a download still works.
      }
    }
  }
  download(blob, name);
  return "downloaded";
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked late: Safari reads the blob after click() returns, and an early revoke gives an empty file.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
