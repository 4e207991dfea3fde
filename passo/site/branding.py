"""The organisation's colours as CSS custom properties, with text colours that keep WCAG AA contrast."""

from __future__ import annotations

from passo.config import SiteConfig

# The page and the card surface of each scheme (site.css --bg and --surface): links stand on both.
DARK_BACKGROUNDS = ("#121417", "#1d2126")
LIGHT_BACKGROUNDS = ("#ffffff", "#f3f5f8")


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _mix(colour: str, towards: str, amount: float) -> str:
    a, b = _rgb(colour), _rgb(towards)
    return "#" + "".join(f"{round((x + (y - x) * amount) * 255):02x}" for x, y in zip(a, b, strict=True))


def readable_on(background: str | tuple[str, ...], colour: str, target: float = 4.6) -> str:
    """`colour`, lightened or darkened just enough to be read as text (and links) on every one of `background`."""
    backgrounds = (background,) if isinstance(background, str) else background
    towards = "#ffffff" if luminance(backgrounds[0]) < 0.5 else "#000000"
    for step in range(21):
        candidate = _mix(colour, towards, step / 20)
        if all(contrast(candidate, b) >= target for b in backgrounds):
            return candidate
    return towards


def brand_css(config: SiteConfig) -> bytes:
    brand = config.branding.colour
    on_brand = "#ffffff" if contrast("#ffffff", brand) >= contrast("#111111", brand) else "#111111"
    light = readable_on(LIGHT_BACKGROUNDS, brand)
    dark = readable_on(DARK_BACKGROUNDS, brand)
    button = brand if contrast(on_brand, brand) >= 4.5 else readable_on(on_brand, brand)
    return (
        "/* Generated from site.toml [branding]: colours checked for 4.5:1 contrast. */\n"
        f":root{{--brand:{button};--brand-contrast:{on_brand};--link:{light};--header-bg:{button};}}\n"
        f"@media (prefers-color-scheme: dark){{:root{{--link:{dark};}}}}\n"
    ).encode()
