"""Writes the code colours of site_src/css/guide.css from Pygments' styles: `xcode` on light pages and `lightbulb` on
dark ones, the two whose every token keeps 4.5:1 on the site's code background (--surface), as CSS classes (the CSP
allows no style attribute). Run it after changing Pygments or the styles: `python scripts/code_colours.py`;
tests/test_guide_css.py checks the contrast of what it wrote."""

from __future__ import annotations

import re
from pathlib import Path

from pygments.formatters import HtmlFormatter

LIGHT, DARK = "xcode", "lightbulb"
CSS = Path(__file__).resolve().parents[1] / "site_src" / "css" / "guide.css"
START, END = "/* code colours: from scripts/code_colours.py */\n", "/* end of code colours */\n"
RULE = re.compile(r"^(\.highlight \.[\w-]+) \{ ([^}]*) \}")


def rules(style: str) -> dict[str, str]:
    """Selector -> declarations of each token class the style colours (its background and base colour are the
    site's own)."""
    found = {}
    for line in HtmlFormatter(style=style).get_token_style_defs(".highlight"):
        match = RULE.match(line)
        if match and match.group(1) != ".highlight .hll":
            found[match.group(1)] = match.group(2).strip().rstrip(";")
    return found


def block() -> str:
    light, dark = rules(LIGHT), rules(DARK)
    lines = [START, f"/* Pygments' {LIGHT} */\n"]
    lines += [f"{selector} {{ {declarations} }}\n" for selector, declarations in light.items()]
    lines.append(f"@media (prefers-color-scheme: dark) {{\n  /* Pygments' {DARK}; what only {LIGHT} colours "
                 "takes the text colour */\n")
    for selector in sorted(set(light) - set(dark)):
        lines.append(f"  {selector} {{ color: inherit }}\n")
    lines += [f"  {selector} {{ {declarations} }}\n" for selector, declarations in dark.items()]
    lines += ["}\n", END]
    return "".join(lines)


def main() -> None:
    text = CSS.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    CSS.write_text(before + block() + after, encoding="utf-8")


if __name__ == "__main__":
    main()
