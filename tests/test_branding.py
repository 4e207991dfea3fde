"""The organisation's colour becomes link and button colours that every reader can read, in light and dark mode."""

from __future__ import annotations

import re

import pytest

from passo.config import SiteConfig
from passo.site.branding import DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, brand_css, contrast


def links(colour: str) -> tuple[str, str]:
    css = brand_css(SiteConfig.model_validate({"name": "Org", "languages": ["en"], "branding": {"colour": colour}}))
    light = re.search(r":root\{[^}]*--link:(#[0-9a-f]{6})", css.decode())
    dark = re.search(r"prefers-color-scheme: dark\)\{:root\{--link:(#[0-9a-f]{6})", css.decode())
    assert light and dark, css
    return light.group(1), dark.group(1)


@pytest.mark.parametrize("colour", ["#1f5c99", "#000000", "#ffffff", "#ff0000", "#5785b2", "#2e7d32", "#ffd400"])
def test_links_keep_4_5_to_1_on_the_page_and_on_cards_in_both_schemes(colour: str) -> None:
    light, dark = links(colour)
    for background in LIGHT_BACKGROUNDS:
        assert contrast(light, background) >= 4.5, (colour, light, background)
    for background in DARK_BACKGROUNDS:
        assert contrast(dark, background) >= 4.5, (colour, dark, background)


def test_the_backgrounds_are_the_ones_the_style_sheet_uses() -> None:
    from tests.conftest import REPO

    css = (REPO / "site_src/css/site.css").read_text()
    light, dark = css.split("prefers-color-scheme: dark", 1)
    for name, backgrounds, part in (("light", LIGHT_BACKGROUNDS, light), ("dark", DARK_BACKGROUNDS, dark)):
        found = {m.group(1) for m in re.finditer(r"--(?:bg|surface):\s*(#[0-9a-f]{6})", part)}
        assert set(backgrounds) <= found, (name, backgrounds, found)
