"""Trusted Types: the CSP makes Chromium refuse any string put into an HTML or script sink, so an injected piece
of HTML cannot run. The app and the search index run a whole session without one refusal, and the refusal is
really on: a page cannot put a string into innerHTML or make a worker from a plain URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from passo.site.headers import CSP_HEADER, headers_file, nginx_snippet
from tests.e2e.session import walk_session

pytestmark = pytest.mark.e2e

# Reports each violation of the page's policy to the test, on every page the context opens.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => window.__violation(
  `${e.violatedDirective} ${e.blockedURI} ${e.sample} at ${e.sourceFile}:${e.lineNumber}`));"""
TRUSTED_TYPES_WORDS = ("Trusted", "TrustedHTML", "TrustedScript", "Content Security Policy", "Refused")


class Refusals:
    """Every policy violation event, and every console error about Trusted Types or the CSP, of a context."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and any(word in message.text for word in TRUSTED_TYPES_WORDS):
            self.seen.append(f"console: {message.text} ({message.location.get('url')})")


@pytest.fixture
def watched(browser: Browser, browser_context_args: dict) -> tuple[Page, Refusals]:  # type: ignore[misc]
    refusals = Refusals()
    context = browser.new_context(**browser_context_args)
    context.expose_binding("__violation", lambda source, text: refusals.seen.append(
        f"violation on {source['frame'].url}: {text}"))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("console", refusals.console)
    page.on("pageerror", lambda error: refusals.seen.append(f"page error: {error}"))
    yield page, refusals
    context.close()


def test_the_policy_is_sent_everywhere_a_host_can_send_it() -> None:
    for where, text in (("_headers", headers_file("/coaching/").decode()), ("nginx", nginx_snippet("/c/", "/srv")),
                        ("docs/deploy.md", (Path(__file__).parents[2] / "docs/deploy.md").read_text())):
        assert "require-trusted-types-for 'script'; trusted-types passo-sw" in text, where
    assert CSP_HEADER in (Path(__file__).parents[2] / "docs/deploy.md").read_text()


def test_a_whole_session_meets_no_trusted_types_refusal(watched: tuple[Page, Refusals], site_url: str) -> None:
    page, refusals = watched
    walk_session(page, site_url, settle=True)
    assert refusals.seen == []


ENFORCEMENT = """() => {
  const refused = (fn) => { try { fn(); return "allowed"; } catch (e) { return e.name; } };
  const div = document.createElement("div");
  return {
    innerHTML: refused(() => { div.innerHTML = "<img src=x>"; }),
    insertAdjacentHTML: refused(() => div.insertAdjacentHTML("beforeend", "<b>x</b>")),
    scriptSrc: refused(() => { document.createElement("script").src = "evil.js"; }),
    scriptText: refused(() => { document.createElement("script").textContent = "alert(1)"; }),
    worker: refused(() => new Worker("evil.js")),
    anotherPolicy: refused(() => trustedTypes.createPolicy("mine", { createHTML: (s) => s })),
    theAppsPolicyAgain: refused(() => trustedTypes.createPolicy("passo-sw", { createScriptURL: (s) => s })),
    textStillWorks: refused(() => { div.textContent = "<b>plain</b>"; }),
  };
}"""


def test_a_string_in_an_html_or_script_sink_throws(watched: tuple[Page, Refusals], site_url: str) -> None:
    page, refusals = watched
    page.goto(site_url + "en/plans/smart-action-plan/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    assert page.evaluate(ENFORCEMENT) == {
        "innerHTML": "TypeError", "insertAdjacentHTML": "TypeError", "scriptSrc": "TypeError",
        "scriptText": "TypeError", "worker": "TypeError", "anotherPolicy": "TypeError",
        "theAppsPolicyAgain": "TypeError", "textStillWorks": "allowed",
    }
    # Each refusal above is also reported, which is how the session test would see one in the app.
    assert len(refusals.seen) >= 7
