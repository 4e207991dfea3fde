// languages/: the site's root page, where a visitor's language is chosen.
//
// The root page sends the browser to its preferred language when the site has it; otherwise it lets people pick.
export function init() {
  const offered = [...document.querySelectorAll("[data-lang]")];
  const codes = offered.map((a) => a.dataset.lang);
  for (const wanted of navigator.languages || [navigator.language]) {
    const base = String(wanted).toLowerCase();
    const match = codes.find((c) => c.toLowerCase() === base) || codes.find((c) => c.toLowerCase() === base.split("-")[0]);
    if (match) {
      location.replace(offered[codes.indexOf(match)].href);
      return;
    }
  }
}
