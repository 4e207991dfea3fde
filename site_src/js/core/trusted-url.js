// Trusted Types: the CSP says `require-trusted-types-for 'script'`, so the browser takes a script URL only from a
// policy. The one the app hands over is its own service worker; this policy (the only one the CSP allows:
// `trusted-types passo-sw`) turns exactly that URL into a TrustedScriptURL and refuses any other.
let policy;

function onlyTheWorker(value) {
  const url = new URL(value);
  if (url.origin !== location.origin || !url.pathname.endsWith("/sw.js") || url.search || url.hash) {
    throw new TypeError(`not this site's service worker: ${value}`);
  }
  return url.href;
}

export function serviceWorkerUrl(url) {
  if (!window.trustedTypes) return onlyTheWorker(url.href); // a browser without Trusted Types takes the string
  policy ??= window.trustedTypes.createPolicy("passo-sw", { createScriptURL: onlyTheWorker });
  return policy.createScriptURL(url.href);
}
