"""The core journey (journey.py) in Firefox ESR, driven over WebDriver BiDi (Firefox speaks it itself: no
geckodriver) by puppeteer-core in Node. One browser for the whole file; the tests run in the journey's order."""

import pytest

from tests.engines.journey import *  # noqa: F403  (collected here: this engine's run of the journey)

ENGINE = "firefox"
pytestmark = [pytest.mark.e2e, pytest.mark.engines]
