"""The core journey (journey.py) in WebKitGTK (Safari's engine): MiniBrowser under Xvfb, driven by Debian's
WebKitWebDriver through Selenium. One browser for the whole file; the tests run in the journey's order."""

import pytest

from tests.engines.journey import *  # noqa: F403  (collected here: this engine's run of the journey)

ENGINE = "webkit"
pytestmark = [pytest.mark.e2e, pytest.mark.engines]
