"""A small site whose middle guide uses everything Markdown makes beyond prose (a picture and a worksheet among it)
and sits in a section between two others, for the browser tests of guide pages and bench/lighthouse.py."""

from __future__ import annotations

import io
from pathlib import Path

from passo.pipeline import build
from tests.conftest import MINIMAL_TOML, guide

PATH = "en/guides/method/features/"
BODY = '''\
Every feature a guide may use, on one page.

![The four steps of GROW, drawn as a cycle](img/cycle.png)

Print [the worksheet](files/worksheet.pdf) before the session.

## Code

```python title="plan.py" linenums="1" hl_lines="2"
# A plan in three lines
goal = "run 5 km"  # the G of GROW
will = ["book", "go", "repeat"]
```

1. A step with code:

    ```text
    passo build
    ```

2. The next step.

## Tabs and details

=== "Phone"
    Tap **Check in**.

=== "Computer"
    Click **Check in**, or press <kbd>Enter</kbd>.

??? note "Why it works"
    Small steps are easy to repeat.

???+ tip "Open by default"
    Start today.

!!! warning "Careful"
    Rest counts too.

## Lists and notes

- [x] Book the session
- [ ] Write the goal

GROW[^1] is a model.

[^1]: Whitmore, 1992.

Goal
:   What you want.

| Step | Question |
|---|---|
| Goal | What do you want? |

*[GROW]: Goal, Reality, Options, Will
'''


def picture() -> bytes:
    """A 1600 x 1000 diagram, wider than a phone: the page gets WebP variants of it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 1000), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    for n, colour in enumerate([(30, 90, 160), (200, 120, 40), (40, 140, 90), (150, 50, 120)]):
        draw.ellipse((100 + n * 360, 350, 400 + n * 360, 650), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def build_features(folder: Path) -> Path:
    """Build the site in `folder`; return its dist."""
    guides = folder / "content/en/guides/method"
    (guides / "img").mkdir(parents=True)
    (guides / "files").mkdir()
    (folder / "site.toml").write_text(MINIMAL_TOML, encoding="utf-8")
    (guides / "index.md").write_text("# The method\n\nThree guides, read in order.\n", encoding="utf-8")
    (guides / "basics.md").write_text(guide("The basics", "Start here.\n", order="1"), encoding="utf-8")
    (guides / "features.md").write_text(guide("Every Markdown feature", BODY, order="2"), encoding="utf-8")
    (guides / "practice.md").write_text(guide("Practice", "Then practise.\n", order="3"), encoding="utf-8")
    (guides / "img/cycle.png").write_bytes(picture())
    (guides / "files/worksheet.pdf").write_bytes(b"%PDF-1.4\n% a one-page worksheet\n")
    build(folder)
    return folder / "dist"
