// Drives Debian's Firefox ESR over WebDriver BiDi (Firefox speaks it itself: no geckodriver) with puppeteer-core,
// for tests/engines/firefox.py. One JSON request a line on stdin, one JSON reply a line on stdout:
//   {"id": 1, "cmd": "goto", "args": {...}}  ->  {"id": 1, "ok": true, "result": ...} or {"ok": false, "error": "..."}
// Pages are named by a number; a "profile" is a BiDi user context: storage, service workers and caches of its own.

import readline from "node:readline";
import puppeteer from "puppeteer-core";

let browser = null;
const pages = new Map(); // number -> {page, context, errors}
let nextPage = 1;

function fn(source) {
  // The test's function, compiled here in Node and sent to the page by puppeteer as a BiDi script.callFunction:
  // the page's CSP (no eval) does not apply to it, as with any WebDriver script.
  return new Function(`return (${source});`)();
}

function entry(id) {
  const found = pages.get(id);
  if (!found) throw new Error(`no page ${id}`);
  return found;
}

function watch(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message || e}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  return errors;
}

const commands = {
  async launch({ executable, profile, downloads, prefs }) {
    browser = await puppeteer.launch({
      browser: "firefox",
      protocol: "webDriverBiDi",
      executablePath: executable,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: {
        "browser.download.dir": downloads,
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": true,
        "browser.download.always_ask_before_handling_new_types": false,
        ...prefs,
      },
    });
    return (await browser.version());
  },
  async newProfile({ downloads }) {
    const context = await browser.createBrowserContext({ downloadBehavior: { policy: "allow", downloadPath: downloads } });
    const page = await context.newPage();
    const id = nextPage++;
    pages.set(id, { page, context, errors: watch(page) });
    return id;
  },
  async closeProfile({ page }) {
    const { context } = entry(page);
    pages.delete(page);
    await context.close();
  },
  async goto({ page, url }) {
    await entry(page).page.goto(url, { waitUntil: "load" });
  },
  async reload({ page }) {
    await entry(page).page.reload({ waitUntil: "load" });
  },
  async url({ page }) {
    return entry(page).page.url();
  },
  async js({ page, source, args }) {
    return await entry(page).page.evaluate(fn(source), ...args);
  },
  async click({ page, selector }) {
    // A real click (BiDi input.performActions) at the element's centre, once it is there and visible.
    const handle = await entry(page).page.waitForSelector(selector, { visible: true, timeout: 30000 });
    await handle.click();
    await handle.dispose();
  },
  async type({ page, selector, text }) {
    // Key by key, as a person types: each key sends its input event (puppeteer's BiDi input.performActions).
    await entry(page).page.type(selector, text);
  },
  async upload({ page, selector, path }) {
    const handle = await entry(page).page.waitForSelector(selector);
    await handle.uploadFile(path); // BiDi input.setFiles: the file chooser's result, with its input/change events
    await handle.dispose();
  },
  async offline({ page, offline }) {
    // BiDi emulation.setNetworkConditions {type: "offline"}: Firefox's own offline state for this tab.
    await entry(page).page.setOfflineMode(offline);
  },
  async errors({ page }) {
    return entry(page).errors.splice(0);
  },
  async close() {
    if (browser) await browser.close();
    browser = null;
    return null;
  },
};

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  const { id, cmd, args } = JSON.parse(line);
  let reply;
  try {
    const result = await commands[cmd](args || {});
    reply = { id, ok: true, result: result === undefined ? null : result };
  } catch (e) {
    reply = { id, ok: false, error: (e && e.stack) || String(e) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
if (browser) await browser.close();
