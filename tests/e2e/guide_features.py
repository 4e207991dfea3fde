"""A one-guide site whose guide uses everything Markdown makes beyond prose, for the browser tests of guide pages."""

from __future__ import annotations

from pathlib import Path

from passo.pipeline import build
from tests.conftest import MINIMAL_TOML, guide

PATH = "en/guides/features/"
BODY = '''\
Every feature a guide may use, on one page.

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


def build_features(folder: Path) -> Path:
    """Build the site in `folder`; return its dist."""
    (folder / "content/en/guides").mkdir(parents=True)
    (folder / "site.toml").write_text(MINIMAL_TOML, encoding="utf-8")
    (folder / "content/en/guides/features.md").write_text(guide("Every Markdown feature", BODY), encoding="utf-8")
    build(folder)
    return folder / "dist"
