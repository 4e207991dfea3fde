"""Fixtures of the engine tests: the example site built once under a sub-path and served by nginx, an X server for
WebKitGTK, and one browser per engine for the whole session."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.engines.drivers import Engine, Firefox, FirefoxProcess, WebKit
from tests.engines.netcut import NetCut

BASE_PATH = "/coaching/"


@dataclass
class Site:
    url: str  # the site on nginx, under BASE_PATH
    port: int
    access_log: Path

    def requests(self, path: str) -> int:
        """How many requests for `path` (under the base path; any query) nginx has answered so far."""
        if not self.access_log.exists():
            return 0
        wanted = f'"GET {BASE_PATH}{path}'
        return sum(wanted in line for line in self.access_log.read_text().splitlines())


@dataclass
class Journey:
    """One engine's session, carried from test to test (a coachee's journey, in order)."""

    engine: Engine
    url: str  # the site as this engine reaches it
    site: Site
    facts: dict[str, Any] = field(default_factory=dict)
    fresh: Engine | None = None  # a second, empty profile for the imports


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """An engine's file imports the journey's tests (sorted by name, as imports are): run them in journey.py's order,
    which is the journey's. Only those items move, each within its own file's places."""
    from tests.engines import journey

    places: dict[Path, list[int]] = {}
    for n, item in enumerate(items):
        function = getattr(item, "function", None)
        if function is not None and function.__module__ == journey.__name__:
            places.setdefault(item.path, []).append(n)
    for indexes in places.values():
        ordered = sorted((items[n] for n in indexes), key=lambda it: it.function.__code__.co_firstlineno)  # type: ignore[attr-defined]
        for n, item in zip(indexes, ordered, strict=True):
            items[n] = item


@pytest.fixture(scope="session")
def engine_site(tmp_path_factory: pytest.TempPathFactory, nginx: Any) -> Site:
    from tests.e2e.test_shell import build_under_sub_path

    dist = build_under_sub_path(tmp_path_factory.mktemp("engines"), BASE_PATH)
    url = nginx(dist, BASE_PATH)
    port = int(url.split(":")[2].split("/")[0])
    return Site(url, port, dist.parent / f"nginx-{port}" / "logs" / "access.log")


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """An X server of our own for WebKitGTK (MiniBrowser has no headless mode); Xvfb picks a free display."""
    read, write = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                               pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        process.kill()
        raise RuntimeError("Xvfb did not start (scripts/setup.sh test installs xvfb)")
    yield f":{number}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def journey(request: pytest.FixtureRequest, engine_site: Site, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Journey]:
    """The engine named by the test file's ENGINE ("webkit" or "firefox"), one for the whole file."""
    name = request.module.ENGINE
    workdir = tmp_path_factory.mktemp(name)
    # The engine reaches nginx through a relay the offline test can cut (netcut.py); same origin throughout.
    cut = NetCut(engine_site.port)
    url = engine_site.url.replace(f":{engine_site.port}/", f":{cut.port}/")
    process: FirefoxProcess | None = None
    engine: Engine
    if name == "webkit":
        engine = WebKit(request.getfixturevalue("xvfb"), workdir / "home", cut)
    else:
        process = FirefoxProcess(workdir)
        engine = Firefox(process, cut)
    run = Journey(engine, url, engine_site)
    try:
        yield run
    finally:
        try:
            if process:
                process.close()  # every profile with it
            else:
                for one in (run.fresh, engine):
                    if one:
                        one.close()
        finally:
            cut.close()
