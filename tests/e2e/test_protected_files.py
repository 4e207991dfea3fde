"""Passphrase-protected files in Debian's Chromium (Pixel 7): every JSON export can be protected, Python's joserfc
opens what the app made, the app opens what joserfc made, a wrong passphrase lets the coachee try again, a hostile
file is refused before any key is derived, and nothing of the passphrase is kept. Axe on the dialogs; offline."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from joserfc import jwe
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.snippets import PUT_PLANS, READY
from tests.e2e.test_export_import import (
    action_plan,
    agreement,
    backup,
    import_bytes,
    import_result,
    open_plan,
    open_plans,
    seed,
    stored,
)
from tests.test_protected_file import (
    ALG,
    ENC,
    HOSTILE,
    b64,
    joserfc_open,
    joserfc_protect,
    jwcrypto_protect,
    key,
    registry,
)

pytestmark = pytest.mark.e2e

PASSPHRASE = "Perché è così, Åsa!"  # typed composed on one device, decomposed on the other: NFC on both sides
LANGUAGES = ["en", "it", "nl", "sv"]
NOTHING = "Nothing was imported, and your plans are unchanged:"

# Counts the key derivations the page starts (installed before any page script).
COUNT_DERIVATIONS = """
window.__derivations = 0;
const subtle = crypto.subtle;
const deriveKey = subtle.deriveKey.bind(subtle);
subtle.deriveKey = (...args) => { window.__derivations += 1; return deriveKey(...args); };
"""

# Everything the page keeps: every IndexedDB store, localStorage and sessionStorage, as one text.
EVERYTHING_KEPT = """async () => {
  const dbs = await indexedDB.databases();
  const out = [JSON.stringify({...localStorage}), JSON.stringify({...sessionStorage})];
  for (const {name} of dbs) {
    const db = await new Promise((ok, no) => {
      const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
    });
    for (const store of db.objectStoreNames) {
      const all = await new Promise((ok) => {
        const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
      });
      out.push(JSON.stringify(all));
    }
    db.close();
  }
  return out.join("\\n");
}"""


def protect_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Protect with a passphrase")


def open_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="This file is protected")


def fill_new_passphrase(dialog: Locator, first: str, second: str) -> None:
    dialog.get_by_label("Passphrase (at least 10 characters)").fill(first)
    dialog.get_by_label("The same passphrase again").fill(second)


def save_protected(page: Page, dialog: Locator, passphrase: str = PASSPHRASE) -> tuple[str, bytes]:
    fill_new_passphrase(dialog, passphrase, passphrase)
    with page.expect_download() as info:
        dialog.get_by_role("button", name="Protect and save").click()
    expect(dialog).to_have_count(0)
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def type_passphrase(page: Page, passphrase: str) -> Locator:
    dialog = open_dialog(page)
    expect(dialog).to_be_visible()
    dialog.get_by_label("Passphrase", exact=True).fill(passphrase)
    dialog.get_by_role("button", name="Open the file").click()
    return dialog


def assert_nothing_kept(page: Page, passphrase: str) -> None:
    kept = page.evaluate(EVERYTHING_KEPT)
    for form in ("NFC", "NFD"):
        assert unicodedata.normalize(form, passphrase) not in kept
    assert page.locator("input[type=password], .passphrase-dialog").count() == 0


def test_protected_plan_file_opens_in_joserfc_and_in_a_fresh_browser(
        page: Page, watch: Any, browser: Browser, site_url: str, browser_context_args: dict[str, Any]) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    page.get_by_label("Protect with a passphrase").first.check()
    page.get_by_role("button", name="Export JSON").first.click()
    name, data = save_protected(page, protect_dialog(page))
    assert re.fullmatch(r"passo-smart-action-plan-a1a1a1a1-\d{4}-\d{2}-\d{2}\.protected\.json", name)
    expect(page.locator(".export-status")).to_have_text("Your protected file is ready.")
    assert b"all-hands" not in data
    plain = json.loads(joserfc_open(data.decode(), PASSPHRASE))
    assert plain["format"] == "passo-plan" and plain["data"] == stored(page)[0]["data"]
    assert_nothing_kept(page, PASSPHRASE)

    fresh = browser.new_context(**browser_context_args)
    try:
        other = fresh.new_page()
        open_plans(other, site_url)
        import_bytes(other, data, name)
        type_passphrase(other, unicodedata.normalize("NFD", PASSPHRASE))
        assert import_result(other) == "Import done. Added: 1. Updated: 0. Skipped: 0."
        assert stored(other) == stored(page)
        assert_nothing_kept(other, PASSPHRASE)
    finally:
        fresh.close()


def test_crypto_and_dialog_load_only_when_a_passphrase_is_needed(page: Page, watch: Any, site_url: str) -> None:
    loaded: list[str] = []
    page.on("request", lambda req: loaded.append(req.url))
    lazy = re.compile(r"/(protected-file|passphrase-dialog)\.[0-9a-f]+\.js$")
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export JSON").first.click()
    assert json.loads(Path(info.value.path()).read_text())["id"] == plan["id"]  # unprotected: plain JSON
    assert not [u for u in loaded if lazy.search(u)]
    page.get_by_label("Protect with a passphrase").first.check()
    page.get_by_role("button", name="Export JSON").first.click()
    expect(protect_dialog(page)).to_be_visible()
    assert len([u for u in loaded if lazy.search(u)]) == 2


def test_backup_wrong_passphrase_then_the_right_one(
        page: Page, watch: Any, browser: Browser, site_url: str, browser_context_args: dict[str, Any]) -> None:
    plans = [action_plan(), agreement(["goal"]), action_plan("a1a1a1a1-0000-4000-8000-000000000002", "Second")]
    seed(page, site_url, plans)
    page.locator(".import-backup").get_by_label("Protect with a passphrase").check()
    page.get_by_role("button", name="Back up all plans").click()
    dialog = protect_dialog(page)
    expect(dialog).to_contain_text("A lost passphrase cannot be recovered")
    status = dialog.locator("[role=status]")
    fill_new_passphrase(dialog, "too short", "too short")
    dialog.get_by_role("button", name="Protect and save").click()
    expect(status).to_have_text("The passphrase needs at least 10 characters.")
    fill_new_passphrase(dialog, PASSPHRASE, PASSPHRASE + " ")
    dialog.get_by_role("button", name="Protect and save").click()
    expect(status).to_have_text("The two passphrases are not the same. Type them again.")
    name, data = save_protected(page, dialog)
    assert re.fullmatch(r"passo-backup-\d{4}-\d{2}-\d{2}\.protected\.json", name)
    assert len(json.loads(joserfc_open(data.decode(), PASSPHRASE))["plans"]) == 3

    fresh = browser.new_context(**browser_context_args)
    try:
        other = fresh.new_page()
        other.add_init_script(COUNT_DERIVATIONS)
        mine = action_plan("b2b2b2b2-0000-4000-8000-000000000009", "Already here")
        seed(other, site_url, [mine])
        before = stored(other)
        # Cancelled: nothing changes.
        import_bytes(other, data, name)
        open_dialog(other).get_by_role("button", name="Cancel").click()
        expect(other.locator(".import-status")).to_have_text("Import cancelled: nothing was changed.")
        assert stored(other) == before
        # A wrong passphrase: a clear message, the dialog stays for another try, nothing changed.
        import_bytes(other, data, name)
        dialog = type_passphrase(other, PASSPHRASE.lower())
        expect(dialog.locator("[role=status]")).to_have_text(
            "This passphrase does not open this file. Check it and try again: capitals and accents count.")
        expect(dialog.get_by_label("Passphrase", exact=True)).to_be_focused()
        assert stored(other) == before
        type_passphrase(other, PASSPHRASE)
        assert import_result(other) == "Import done. Added: 3. Updated: 0. Skipped: 0."
        assert len(stored(other)) == 4
        assert other.evaluate("window.__derivations") == 2
    finally:
        fresh.close()


def test_sponsor_report_json_can_be_protected(page: Page, watch: Any, site_url: str) -> None:
    agreed = agreement(["goal"])
    seed(page, site_url, [agreed])
    open_plan(page, site_url, agreed)
    page.get_by_role("button", name="Sponsor report").click()
    report = page.locator(".sponsor-dialog")
    report.get_by_label("Protect with a passphrase").check()
    report.get_by_role("button", name="Export JSON").click()
    _, data = save_protected(page, protect_dialog(page))
    assert json.loads(joserfc_open(data.decode(), PASSPHRASE))["format"] == "passo-sponsor-report"
    expect(report).to_be_visible()  # back to the report, which stays open


def test_files_joserfc_made_import(page: Page, watch: Any, site_url: str) -> None:
    plans = [action_plan(), agreement(["goal"])]
    text = json.dumps(backup(plans))
    header = {"alg": ALG, "enc": ENC, "p2s": b64(b"sixteen-byte-sal"), "p2c": 210000, "cty": "application/json"}
    flattened = joserfc_protect(text, PASSPHRASE, {"alg": ALG, "enc": ENC}, {"p2c": 210000})
    assert "p2s" in json.loads(flattened)["header"]
    compact = jwe.encrypt_compact(header, text.encode(), key(PASSPHRASE), registry=registry())
    open_plans(page, site_url)
    import_bytes(page, flattened.encode(), "from-joserfc.json")
    type_passphrase(page, PASSPHRASE)
    assert import_result(page) == "Import done. Added: 2. Updated: 0. Skipped: 0."
    import_bytes(page, compact.encode(), "from-joserfc-compact.json")
    type_passphrase(page, PASSPHRASE)
    assert import_result(page) == "Import done. Added: 0. Updated: 0. Skipped: 2."


def test_a_jwcrypto_file_with_spaced_header_and_decomposed_passphrase_imports(page: Page, watch: Any,
                                                                            site_url: str) -> None:
    """Two ways of other tools at once, in the browser's own WebCrypto: a compact file whose header JSON is indented
    (RFC 7515 allows it), made under the passphrase's decomposed bytes (NFD). Typed decomposed, it opens at the
    second derivation; the first, under the NFC form, fails."""
    page.add_init_script(COUNT_DERIVATIONS)
    decomposed = unicodedata.normalize("NFD", PASSPHRASE)
    header = {"alg": ALG, "enc": ENC, "p2c": 1000, "p2s": b64(b"sixteen-byte-sal")}
    made = jwcrypto_protect(json.dumps(backup([action_plan()])), decomposed, compact=True,
                            protected=json.dumps(header, indent=2))
    assert made.startswith("ewo")  # "{\n", not the usual '{"'
    open_plans(page, site_url)
    import_bytes(page, made.encode(), "from-jwcrypto.json")
    type_passphrase(page, decomposed)
    assert import_result(page) == "Import done. Added: 1. Updated: 0. Skipped: 0."
    assert page.evaluate("window.__derivations") == 2


def test_hostile_files_are_refused_before_any_key_is_derived(page: Page, watch: Any, site_url: str) -> None:
    page.add_init_script(COUNT_DERIVATIONS)
    seed(page, site_url, [action_plan()])
    before = stored(page)
    for case, (text, message) in HOSTILE.items():
        import_bytes(page, text.encode(), "hostile.json")
        errors = page.locator(".import-errors")
        expect(errors.locator("li"), case).to_have_text(message)
        expect(errors, case).to_contain_text(NOTHING)
        expect(open_dialog(page), case).to_have_count(0)
        assert page.evaluate("window.__derivations") == 0, case
        assert stored(page) == before, case
    # A changed byte: the passphrase is right, the content fails its tag; the coachee is told, nothing changes.
    doc = json.loads(joserfc_protect(json.dumps(backup([action_plan(what="Changed")])), PASSPHRASE,
                                     {"alg": ALG, "enc": ENC}, {"p2c": 1000}))
    doc["tag"] = ("B" if doc["tag"][0] == "A" else "A") + doc["tag"][1:]
    import_bytes(page, json.dumps(doc).encode(), "damaged.json")
    type_passphrase(page, PASSPHRASE)
    expect(page.locator(".import-errors li")).to_have_text(
        "The passphrase is right, but the file was changed or damaged after it was protected, so it cannot be opened.")
    expect(open_dialog(page)).to_have_count(0)
    assert stored(page) == before


def test_protect_and_open_offline(page: Page, watch: Any, site_url: str) -> None:
    open_plans(page, site_url)
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null",
                           timeout=60_000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.evaluate(PUT_PLANS, [action_plan()])
    page.context.set_offline(True)
    try:
        page.reload()
        page.wait_for_function(READY)
        page.locator(".import-backup").get_by_label("Protect with a passphrase").check()
        page.get_by_role("button", name="Back up all plans").click()
        _, data = save_protected(page, protect_dialog(page))
        import_bytes(page, data)
        type_passphrase(page, PASSPHRASE)
        assert import_result(page) == "Import done. Added: 0. Updated: 0. Skipped: 1."
    finally:
        page.context.set_offline(False)


# --- accessibility: both dialogs, showing an error, in every language, light and dark ------------------------------

AXE = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_on_the_passphrase_dialogs(browser: Browser, browser_context_args: dict[str, Any],
                                                     site_url: str, lang: str, scheme: str) -> None:
    context = browser.new_context(**{**browser_context_args, "service_workers": "block", "color_scheme": scheme})
    try:
        page = context.new_page()
        page.goto(f"{site_url}{lang}/plans/")
        page.wait_for_function(READY)
        page.evaluate(PUT_PLANS, [action_plan()])
        page.locator(".import-backup [data-protect]").check()
        page.locator("[data-backup]").click()
        dialog = page.locator(".passphrase-dialog")
        expect(dialog).to_be_visible()
        dialog.locator("input[type=password]").first.fill("short")
        dialog.locator("button[type=submit]").click()
        expect(dialog.locator(".export-error")).not_to_be_empty()
        result = AXE.run(page)
        assert result.violations_count == 0, result.generate_report()
        dialog.locator("input[type=password]").nth(0).fill(PASSPHRASE)
        dialog.locator("input[type=password]").nth(1).fill(PASSPHRASE)
        with page.expect_download() as info:
            dialog.locator("button[type=submit]").click()
        import_bytes(page, Path(info.value.path()).read_bytes())
        expect(dialog).to_be_visible()
        dialog.locator("input[type=password]").fill("wrong passphrase")
        dialog.locator("button[type=submit]").click()
        expect(dialog.locator(".export-error")).not_to_be_empty()
        assert page.evaluate("document.documentElement.lang") == lang
        result = AXE.run(page)
        assert result.violations_count == 0, result.generate_report()
    finally:
        context.close()


def test_a_share_for_the_coach_can_be_protected(page: Page, site_url: str) -> None:
    plan = action_plan()
    seed(page, site_url, [plan])
    open_plan(page, site_url, plan)
    page.wait_for_selector("[data-export-ui='plan'][data-export-ready]")
    page.get_by_role("button", name="Share with my coach").click()
    share = page.locator(".share-dialog")
    share.get_by_label("Protect with a passphrase").check()
    share.get_by_role("button", name="Share", exact=True).click()
    name, data = save_protected(page, protect_dialog(page))
    assert name.endswith(".protected.json")
    opened = json.loads(joserfc_open(data.decode(), unicodedata.normalize("NFD", PASSPHRASE)))
    assert opened["format"] == "passo-share" and [p["id"] for p in opened["plans"]] == [plan["id"]]
    expect(share.locator(".share-status")).to_have_text("Your share file is ready. Send it to your coach.")
