"""Code in guides is readable in both colour schemes: every token colour of css/guide.css keeps WCAG's 4.5:1 on the
code background (the site's --surface), on a highlighted line, and on the token's own background where it has one."""

from __future__ import annotations

import re

from tests.conftest import REPO

CSS = (REPO / "site_src/css/guide.css").read_text(encoding="utf-8")
SITE_CSS = (REPO / "site_src/css/site.css").read_text(encoding="utf-8")
DARK = "@media (prefers-color-scheme: dark) {"


def split_schemes(css: str) -> tuple[str, str]:
    """(rules outside any dark-scheme block, rules inside them)."""
    light, dark, rest = [], [], css
    while DARK in rest:
        before, after = rest.split(DARK, 1)
        light.append(before)
        depth, end = 1, 0
        while depth:
            depth += {"{": 1, "}": -1}.get(after[end], 0)
            end += 1
        end -= 1  # the brace that closes the block
        dark.append(after[:end])
        rest = after[end + 1:]
    light.append(rest)
    return "".join(light), "".join(dark)


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def variable(css: str, name: str) -> str:
    return re.search(rf"{name}:\s*(#[0-9a-fA-F]{{6}})", css).group(1)  # type: ignore[union-attr]


def tokens(css: str) -> list[tuple[str, str, str | None]]:
    """(selector, colour, own background) of each token rule that sets a colour."""
    found = []
    for selector, body in re.findall(r"(\.highlight \.[\w-]+) \{ ([^}]*) \}", css):
        colour = re.search(r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})", body)
        background = re.search(r"background-color: (#[0-9a-fA-F]{3,6})", body)
        if colour and selector != ".highlight .hll":
            found.append((selector, colour.group(1), background.group(1) if background else None))
    return found


def test_every_token_colour_reads_at_4_5_to_1_in_both_schemes() -> None:
    site_light, site_dark = split_schemes(SITE_CSS)
    light, dark = split_schemes(CSS)
    assert "code colours: from scripts/code_colours.py" in CSS
    for scheme, css, surface in (("light", light, variable(site_light, "--surface")),
                                 ("dark", dark, variable(site_dark, "--surface"))):
        marked = re.search(r"\.hll \{ background: (#[0-9a-fA-F]{6})", css).group(1)  # type: ignore[union-attr]
        rules = tokens(css)
        assert len(rules) > 40, scheme
        low = [(selector, colour, ground, round(contrast(colour, ground), 2))
               for selector, colour, own in rules for ground in (own,) if own] + \
              [(selector, colour, ground, round(contrast(colour, ground), 2))
               for selector, colour, own in rules if not own for ground in (surface, marked)]
        assert [row for row in low if row[3] < 4.5] == [], scheme


def test_line_numbers_and_muted_text_read_too() -> None:
    site_light, site_dark = split_schemes(SITE_CSS)
    for css in (site_light, site_dark):
        assert contrast(variable(css, "--muted"), variable(css, "--surface")) >= 4.5
