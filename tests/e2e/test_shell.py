"""The site as a coachee's phone meets it: offline after the first visit, under a sub-path, updates, install."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from passo.pipeline import build
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO, guide

pytestmark = pytest.mark.e2e

CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def html_pages(dist: Path) -> list[str]:
    """URL paths of every page a person can open (the 404 page is reached by mistake, not by link)."""
    pages = []
    for path in sorted(dist.rglob("*.html")):
        rel = path.relative_to(dist).as_posix()
        # The 404 page is reached by mistake, not by link; the root page moves on to the browser's language by
        # itself (tested on its own), which would race with the next page opened here.
        if rel in ("404.html", "index.html") or rel.startswith("pagefind/"):
            continue
        pages.append(rel.removesuffix("index.html"))
    return pages


def wait_until_offline_ready(page) -> None:  # type: ignore[no-untyped-def]
    """The page's own signal: the service worker controls it and holds the app and this page's language whole
    (`<html data-offline="ready">`, what the home page shows as "Offline ready")."""
    page.wait_for_selector("html[data-offline='ready']", state="attached", timeout=60_000)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


OFFLINE_PAGE = "You are offline"


def languages_of(dist: Path) -> list[str]:
    return sorted(p.parent.name for p in dist.glob("*/index.html"))


def check_every_page_offline(page, site_url: str, dist: Path, min_pages: int) -> None:  # type: ignore[no-untyped-def]
    """One visit to the English home page, then offline: every English page and the app's own pages open with a
    heading and no CSP violation; a page of a language the device does not keep shows the offline page, whose card
    for that language says it needs a connection once; the root moves on to English, and an unknown page shows
    the offline fallback."""
    page.add_init_script(CSP_RECORDER)
    page.goto(site_url + "en/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    pages = html_pages(dist)
    assert len(pages) > min_pages
    others = [code for code in languages_of(dist) if code != "en"]
    for path in pages:
        response = page.goto(site_url + path)
        assert response is not None and response.ok, path
        assert page.locator("main h1").count() >= 1, f"{path} shows no heading offline"
        assert page.evaluate("window.__cspViolations") == [], path
        lang = path.split("/", 1)[0]
        if lang in others:
            assert page.locator("h1").inner_text() == OFFLINE_PAGE, f"{path} opened offline, never visited"
            page.wait_for_selector("html[data-languages-checked]", state="attached")
            assert page.locator(f'a[data-lang="{lang}"] [data-needs-connection]').is_visible(), path
            assert page.locator('a[data-lang="en"] [data-needs-connection]').is_hidden(), path
        elif path != "offline.html":
            assert page.locator("h1").inner_text() != OFFLINE_PAGE, f"{path} is not kept offline"
    page.goto(site_url)  # the language choice, offline too, moves on to the browser's language
    page.wait_for_url(site_url + "en/")
    # A page never visited and not on the site: the offline fallback, not the browser's error page.
    page.goto(site_url + "en/guides/not-a-guide/")
    assert "offline" in page.locator("h1").inner_text().lower()
    page.context.set_offline(False)


def test_every_page_works_offline_after_the_first_visit(page, watch, site_url: str, example_dist: Path) -> None:
    check_every_page_offline(page, site_url, example_dist, min_pages=60)


def test_form_page_opens_offline_with_a_plan_id(page, watch, site_url: str) -> None:
    page.goto(site_url + "en/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    page.goto(site_url + "en/plans/smart-action-plan/?id=00000000-0000-4000-8000-000000000000")
    assert page.locator("form").count() >= 1
    page.context.set_offline(False)


def copy_example(tmp_path: Path) -> Path:
    """The example site's sources, copied to change and build again (the repository without tests, benchmarks,
    output or hidden folders)."""
    site = tmp_path / "site"
    shutil.copytree(REPO, site, ignore=shutil.ignore_patterns("dist", ".venv", "node_modules", ".git", "tests",
                                                              "bench", ".*"))
    return site


def build_under_sub_path(tmp_path: Path, base_path: str = "/coaching/") -> Path:
    """The example site built for base_path (a copy of the repository with site.toml changed); returns dist."""
    site = copy_example(tmp_path)
    (site / "site.toml").write_text((site / "site.toml").read_text().replace('base_path = "/"',
                                                                             f'base_path = "{base_path}"'))
    dist = tmp_path / "dist"
    build(site, dist, incremental=False)
    return dist


@pytest.mark.allow_console_errors  # the test asks for a missing page on purpose: the browser logs its 404
def test_under_a_sub_path_on_nginx(page, watch, nginx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = nginx(build_under_sub_path(tmp_path), "/coaching/")
    page.add_init_script(CSP_RECORDER)
    response = page.goto(url + "en/")
    assert response is not None and response.ok
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-cache"
    css = page.locator('link[rel="stylesheet"]').first.get_attribute("href")
    css_response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + css)
    assert "immutable" in css_response.headers["cache-control"]
    wait_until_offline_ready(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == url
    # Italian chosen in the language menu is kept too, under the sub-path as at the root.
    page.locator(".lang-switch").get_by_role("link", name="Italiano").click()
    page.wait_for_url(url + "it/")
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    for path in ("en/", "it/guides/grow/", "sv/plans/", "nl/settings/", "en/plans/grow-session/"):
        response = page.goto(url + path)
        assert response is not None and response.ok, path
        assert page.evaluate("window.__cspViolations") == [], path
        kept = path.startswith(("en/", "it/"))
        assert (page.locator("h1").inner_text() == OFFLINE_PAGE) != kept, path
    page.context.set_offline(False)
    assert watch.foreign == []
    assert watch.console_errors == []
    missing = page.goto(url + "en/no-such-page/")
    assert missing is not None and missing.status == 404
    assert page.locator("h1").inner_text() == "Page not found"


def test_update_prompt_then_new_content(page, watch, make_site, serve_dir, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/en/guides/a.md": guide("Version one", "The first text.\n")})
    dist = tmp_path / "served"
    build(site, dist)
    url = serve_dir(dist)
    page.goto(url + "en/guides/a/")
    wait_until_offline_ready(page)
    (site / "content/en/guides/a.md").write_text(guide("Version two", "The second text.\n"))
    build(site, dist)
    # The coachee still has the page open (a form half filled in, say). The app asks for updates when it comes
    # back to the foreground; ask now rather than wait for the browser's own timing. (A reload instead could
    # let the browser switch workers by itself in the moment no page is open, which is fine but not this test.)
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    # The old version stays on screen until the coachee chooses to reload.
    assert page.locator("h1").inner_text() == "Version one"
    banner = page.locator("#update-banner")
    banner.wait_for(state="visible", timeout=60_000)
    with page.expect_navigation():
        page.get_by_role("button", name="Reload").click()
    assert page.locator("h1").inner_text() == "Version two"


def test_a_redeploy_of_the_same_site_offers_no_update(page, watch, example_dist: Path, serve_dir,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    """CI builds the unchanged site again and deploys it: the coachee's phone finds the same service worker, so
    it fetches nothing again and asks for no reload (the other update test shows a real change is offered)."""
    served = tmp_path / "served"
    shutil.copytree(example_dist, served)
    url = serve_dir(served)
    page.goto(url + "en/")
    wait_until_offline_ready(page)
    build(REPO, tmp_path / "again", incremental=False)  # a second build of the same input
    shutil.rmtree(served)
    shutil.copytree(tmp_path / "again", served)
    found = page.evaluate("""async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();  // resolves once the check is done; a changed sw.js would now be installing
      return {installing: !!registration.installing, waiting: !!registration.waiting};
    }""")
    assert found == {"installing": False, "waiting": False}
    assert page.locator("#update-banner").is_hidden()


def test_chromium_reports_no_installability_error(playwright, site_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = playwright.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                           args=CHROMIUM_ARGS)
    try:
        page = context.new_page()
        page.goto(site_url + "en/")
        wait_until_offline_ready(page)
        cdp = context.new_cdp_session(page)
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert manifest["url"] == site_url + "manifest.webmanifest"
    finally:
        context.close()


def test_root_sends_the_browser_to_its_language(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="it-IT")
    try:
        page = context.new_page()
        page.goto(site_url)
        page.wait_for_url(site_url + "it/")
        assert page.locator("html").get_attribute("lang") == "it"
    finally:
        context.close()


def precached(dist: Path) -> dict[str, tuple[str, str]]:
    """sw.js's list: file -> (content hash, group), the group "*" (the app) or the languages a file belongs to."""
    sw = (dist / "sw.js").read_text(encoding="utf-8")
    listed = json.loads(re.search(r"PRECACHE = (\{.*?\});", sw, re.S).group(1))  # type: ignore[union-attr]
    return {name: (digest, group) for name, (digest, _size, group) in listed.items()}


def url_path(name: str) -> str:
    return "/" + name.removesuffix("index.html")


def test_an_update_fetches_only_changed_files_of_kept_languages(page, watch, counting_server,  # type: ignore[no-untyped-def]
                                                                 tmp_path: Path) -> None:
    """Italian opened first and Dutch chosen in the language menu: a deploy that changes a guide in all four
    languages brings this phone the changed files of the app, Italian and Dutch, and nothing of English or
    Swedish; after the reload the new Italian and Dutch texts are there offline."""
    site = copy_example(tmp_path)
    dist = tmp_path / "dist"
    build(site, dist)
    url, hits = counting_server(dist)
    page.goto(url + "it/guides/grow/")
    wait_until_offline_ready(page)
    page.locator(".lang-switch").get_by_role("link", name="Nederlands").click()
    page.wait_for_url(url + "nl/guides/grow/")
    wait_until_offline_ready(page)

    before = precached(dist)
    for lang in ("en", "it", "nl", "sv"):
        guide_file = site / f"content/{lang}/guides/grow.md"
        guide_file.write_text(guide_file.read_text(encoding="utf-8") + f"\nUpdate-{lang}-2.\n", encoding="utf-8")
    # Built beside the served folder and swapped in, as a deploy does: the browser checks for a new worker by
    # itself after a navigation, and must not meet a build half written.
    build(site, tmp_path / "next")
    after = precached(tmp_path / "next")
    changed = {name for name, (digest, _group) in after.items() if before.get(name, ("",))[0] != digest}
    assert {f"{lang}/guides/grow/index.html" for lang in ("en", "it", "nl", "sv")} <= changed
    kept = {name for name in changed if after[name][1] == "*" or {"it", "nl"} & set(after[name][1].split())}
    mark = hits.mark()
    dist.rename(tmp_path / "old")
    (tmp_path / "next").rename(dist)
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.locator("#update-banner").wait_for(state="visible", timeout=60_000)
    fetched = {path for path, status in hits.since(mark) if status == 200}
    report = f"kept and changed: {sorted(kept)}\nfetched: {sorted(fetched)}"
    assert fetched <= {url_path(name) for name in kept} | {"/sw.js"}, report
    assert {"/it/guides/grow/", "/nl/guides/grow/", "/sw.js"} <= fetched, report
    assert not [p for p in fetched if p.startswith(("/en/", "/sv/", "/i18n/en", "/i18n/sv"))], report
    with page.expect_navigation():
        page.locator("#update-reload").click()
    wait_until_offline_ready(page)
    page.context.set_offline(True)
    for lang in ("it", "nl"):
        page.goto(url + f"{lang}/guides/grow/")
        assert f"Update-{lang}-2." in page.locator("main").inner_text()
    page.goto(url + "sv/guides/grow/")
    assert page.locator("h1").inner_text() == OFFLINE_PAGE
    page.context.set_offline(False)
