// The dialogs' stylesheet (css/dialogs.css), added to the page when the first dialog is about to open: the sponsor
// report, the share for the coach and the passphrase dialogs are opened by few visits, so a first visit, on a phone
// plan, goes without their bytes. The page names the fingerprinted file (base.html, <html data-dialog-css>).

let loading = null;

/** Resolves once the dialogs' styles apply (at once after the first time; never rejects: a dialog still opens). */
export function dialogStyles() {
  if (!loading) {
    const href = document.documentElement.dataset.dialogCss;
    if (!href) return Promise.resolve();
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    loading = new Promise((resolve) => {
      link.onload = resolve;
      link.onerror = resolve;
    });
    document.head.append(link);
  }
  return loading;
}
