"""The two other engines behind one small interface, so the core journey (test_core_journey.py) is written once:
WebKitGTK through WebKitWebDriver and Python Selenium, Firefox ESR through WebDriver BiDi and puppeteer-core in a
Node process (firefox_driver.mjs). Both are Debian packages; nothing is downloaded."""

from __future__ import annotations

import itertools
import os
import platform
import time
from pathlib import Path
from typing import Any

from tests.js.node_driver import NodeDriver

WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = f"/usr/lib/{platform.machine()}-linux-gnu/webkit2gtk-4.1/MiniBrowser"
FIREFOX = "/usr/bin/firefox-esr"
PARTIAL = (".part", ".download", ".crdownload", ".tmp")


class Engine:
    """One browser profile. Subclasses give the primitives; the helpers below are shared."""

    name = ""
    downloads: Path

    # --- primitives ---
    def goto(self, url: str) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def url(self) -> str:
        raise NotImplementedError

    def js(self, source: str, *args: Any) -> Any:
        """Calls the JavaScript function `source` in the page with `args`; a returned promise is awaited."""
        raise NotImplementedError

    def click(self, css: str) -> None:
        raise NotImplementedError

    def type(self, css: str, text: str) -> None:
        """Types `text` key by key into the (empty) field."""
        raise NotImplementedError

    def upload(self, css: str, path: Path) -> None:
        """Gives the file input `path`, as the file chooser would."""
        raise NotImplementedError

    def offline(self, offline: bool) -> None:
        raise NotImplementedError

    def errors(self) -> list[str]:
        """Page errors and console errors since the last call (where the driver can see them)."""
        raise NotImplementedError

    def fresh(self) -> Engine:
        """A new, empty profile of the same engine: no storage, no service worker, no cache."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # --- helpers ---
    def wait(self, source: str, *args: Any, timeout: float = 30, what: str = "") -> Any:
        """Polls the page until the JavaScript function `source` returns something truthy (the page's own ready
        signals: data-*-ready attributes, a controlling service worker, a result in the DOM)."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while True:
            try:
                last = self.js(source, *args)
            except Exception as e:  # a navigation in progress: the script had no document to run in
                last = e
            else:
                if last:
                    return last
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: timed out waiting for {what or source} (last: {last!r})")
            time.sleep(0.05)

    def wait_for(self, css: str, timeout: float = 30) -> None:
        self.wait("(css) => document.querySelector(css) !== null", css, timeout=timeout, what=css)

    def set_value(self, css: str, value: str) -> None:
        """For date and time fields, which neither driver can type into reliably: the value a picker would give,
        with the input and change events a user's input sends."""
        self.js("""(css, value) => {
          const input = document.querySelector(css);
          input.focus();
          input.value = value;
          input.dispatchEvent(new Event("input", {bubbles: true}));
          input.dispatchEvent(new Event("change", {bubbles: true}));
        }""", css, value)

    def download(self, click_css: str, timeout: float = 30) -> Path:
        """Clicks `click_css` and returns the file the browser saved (a new, complete file in its folder)."""
        def files() -> set[Path]:
            return {p for p in self.downloads.iterdir() if p.is_file() and not p.name.startswith(".")}

        before = files()
        self.click(click_css)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = [p for p in files() if p not in before]
            done = [p for p in new if not p.name.endswith(PARTIAL)]
            if done and not [p for p in new if p.name.endswith(PARTIAL)] and done[0].stat().st_size > 0:
                return done[0]
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: no download after clicking {click_css}")


# --- WebKitGTK ---------------------------------------------------------------------------------------------------


class WebKit(Engine):
    """MiniBrowser under Xvfb, driven by WebKitWebDriver (W3C WebDriver classic) through Python Selenium. Each
    instance is one WebDriver session, that is one MiniBrowser with an ephemeral profile of its own."""

    name = "webkit"

    def __init__(self, display: str, home: Path, network: Any) -> None:
        from selenium import webdriver
        from selenium.webdriver.remote.client_config import ClientConfig
        from selenium.webdriver.remote.file_detector import UselessFileDetector
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        for path in (WEBKIT_DRIVER, MINIBROWSER):
            if not os.access(path, os.X_OK):
                raise RuntimeError(f"{path} is missing: scripts/setup.sh test installs webkit2gtk-driver")
        home.mkdir(parents=True, exist_ok=True)
        self._display, self._home, self._network = display, home, network
        self.downloads = home  # MiniBrowser saves downloads in $HOME (it ignores XDG_DOWNLOAD_DIR)
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        env = {**os.environ, "DISPLAY": display, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
               "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CONFIG_HOME": str(home / ".config")}
        # The driver's path is given and started here (no Selenium Manager lookup); webdriver.WebKitGTK would do the
        # same but through a RemoteConnection argument Selenium itself has deprecated.
        self.service = Service(executable_path=WEBKIT_DRIVER, env=env)
        self.service.start()
        try:
            connection = RemoteConnection(client_config=ClientConfig(remote_server_addr=self.service.service_url))
            self.driver = webdriver.Remote(command_executor=connection, options=options)
        except Exception:
            self.service.stop()
            raise
        # WebKitWebDriver has no file upload endpoint: the path goes to the file input as typed text.
        self.driver.file_detector = UselessFileDetector()
        self.driver.set_script_timeout(60)

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def url(self) -> str:
        return str(self.driver.current_url)

    def js(self, source: str, *args: Any) -> Any:
        return self.driver.execute_script(f"return ({source}).apply(null, arguments);", *args)

    def _act(self, css: str, action: Any, timeout: float = 30) -> None:
        """Does `action(element)` once the element is there and takes it, as puppeteer does on the Firefox side: a
        dialog may draw its parts just after it opens, and an element refused (covered, not yet interactable)
        has had nothing done to it, so it is tried again until the deadline."""
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            ElementNotInteractableException,
            NoSuchElementException,
            StaleElementReferenceException,
        )
        from selenium.webdriver.common.by import By

        refused = (NoSuchElementException, StaleElementReferenceException, ElementNotInteractableException,
                   ElementClickInterceptedException)
        deadline = time.monotonic() + timeout
        while True:
            try:
                action(self.driver.find_element(By.CSS_SELECTOR, css))
                return
            except refused:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.05)

    def click(self, css: str) -> None:
        self._act(css, lambda element: element.click())

    def type(self, css: str, text: str) -> None:
        self._act(css, lambda element: element.send_keys(text))

    def upload(self, css: str, path: Path) -> None:
        self._act(css, lambda element: element.send_keys(str(path)))  # to the (visually hidden) file input

    def offline(self, offline: bool) -> None:
        # WebKitWebDriver has no network emulation: the connection to the site is cut under the browser instead
        # (tests/engines/netcut.py), so every request of the page and of its service worker fails as offline.
        self._network.set_online(not offline)

    def errors(self) -> list[str]:
        return []  # WebKitWebDriver has no log endpoint; the page errors are not visible from here

    def fresh(self) -> WebKit:
        return WebKit(self._display, self._home.with_name(self._home.name + "-fresh"), self._network)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.service.stop()


# --- Firefox ESR -------------------------------------------------------------------------------------------------


class FirefoxProcess(NodeDriver):
    """One Firefox, and the Node process driving it (firefox_driver.mjs), for a test file."""

    def __init__(self, workdir: Path) -> None:
        if not os.access(FIREFOX, os.X_OK):
            raise RuntimeError(f"{FIREFOX} is missing: scripts/setup.sh test installs firefox-esr")
        super().__init__(Path(__file__).with_name("firefox_driver.mjs"))
        self.workdir = workdir
        (workdir / "profile").mkdir(parents=True)
        self.version = self("launch", executable=FIREFOX, profile=str(workdir / "profile"),
                            downloads=str(workdir / "downloads"), prefs={})

    def close(self) -> None:
        try:
            self("close")  # Firefox first, then Node
        finally:
            super().close()


class Firefox(Engine):
    """One BiDi user context (storage, service workers and caches of its own) with one tab."""

    name = "firefox"
    _profiles = itertools.count(1)

    def __init__(self, process: FirefoxProcess, network: Any) -> None:
        self._process, self._network = process, network
        self.downloads = process.workdir / f"downloads-{next(self._profiles)}"
        self.downloads.mkdir(parents=True)
        self._page = process("newProfile", downloads=str(self.downloads))

    def _call(self, cmd: str, **args: Any) -> Any:
        return self._process(cmd, page=self._page, **args)

    def goto(self, url: str) -> None:
        self._call("goto", url=url)

    def reload(self) -> None:
        self._call("reload")

    def url(self) -> str:
        return str(self._call("url"))

    def js(self, source: str, *args: Any) -> Any:
        return self._call("js", source=source, args=list(args))

    def click(self, css: str) -> None:
        self._call("click", selector=css)

    def type(self, css: str, text: str) -> None:
        self._call("type", selector=css, text=text)

    def upload(self, css: str, path: Path) -> None:
        self._call("upload", selector=css, path=str(path))

    def offline(self, offline: bool) -> None:
        # Firefox's own offline state for the tab (BiDi emulation.setNetworkConditions: navigator.onLine is false,
        # the page's and its service worker's requests fail). The browser's own update check of sw.js is outside
        # the tab's emulation and still reached the server, so the connection is cut under it too (netcut.py).
        self._call("offline", offline=offline)
        self._network.set_online(not offline)

    def errors(self) -> list[str]:
        return list(self._call("errors"))

    def fresh(self) -> Firefox:
        return Firefox(self._process, self._network)

    def close(self) -> None:
        self._call("closeProfile")
