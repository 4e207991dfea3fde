"""Files of Passo's built-in theme that moved, and what that means for a site that overrides one.

A site or theme that overrides `site_src/js/store.js` was written for the layout before the browser code went into
feature folders. Its file still applies, at the new path, and its imports are read as they were meant (relative to
the old place); the build warns, naming the old path and the new one, so the coach can move the file. This table
is the one place that knows the moves: add a line here whenever a file of site_src/ or templates/ moves.
"""

from __future__ import annotations

from pathlib import Path

from passo import builtin
from passo.problems import Problem

# Passo 0.3: the browser code in feature folders (docs/architecture.md). Old site_src/ path -> new one.
_FOLDERS: dict[str, list[str]] = {
    "core": ["i18n", "trusted-url", "once-per-frame"],
    "time": ["zoned-time", "zone-day"],
    "charts": ["charts"],
    "schema": ["validate", "json-pointer", "plan-items", "form"],
    "store": ["store", "migrate", "checkin-shape"],
    "due": ["agenda-entries:entries", "agenda-groups:sections", "app-badge"],
    "files": ["plan-file", "save-file", "export-common:file-actions"],
    "protect": ["protected-file", "passphrase-dialog"],
    "checkin": ["checkin-dialog", "plan-checkin", "checkin-history", "plan-history", "plan-stats"],
    "share": ["share-file", "share-import", "share-rows", "share-ui", "shared-list", "shared-view"],
    "export": ["export-ui", "plan-export-ui", "plan-export-actions", "import-ui", "sponsor-ui", "sponsor-report",
               "ics", "plan-events", "calendar-defaults"],
    "agenda": ["agenda-page", "next-up"],
    "plans": ["plans-page", "plan-page", "plans-stats"],
    "review": ["review-page", "review-period", "review-carry-over"],
    "search": ["search"],
    "settings": ["settings-page"],
    "languages": ["lang-choice"],
}

MOVED: dict[str, str] = {
    f"js/{old}.js": f"js/{folder}/{new or old}.js"  # "old:new" where the file was renamed as it moved
    for folder, names in _FOLDERS.items()
    for old, _, new in (name.partition(":") for name in names)
}
"""Old path under site_src/ -> new path under site_src/."""


def moved_name(name: str, present: set[str] | dict[str, Path]) -> str:
    """Where a file a site names at `name` is now: `name` itself while Passo or the site still has it there."""
    if name in present or name not in MOVED:
        return name
    return MOVED[name]


def moved_override_warnings(folders: list[Path], site_dir: Path, label: str = "site_src") -> list[Problem]:
    """One warning per file of a site's or theme's folder (all but Passo's own, the last) at a path Passo moved."""
    own = folders[-1] if folders else None
    warnings = []
    for folder in folders[:-1]:
        for old, new in sorted(MOVED.items()):
            path = folder / old
            if path.is_file() and not (own is not None and (own / old).is_file()):
                warnings.append(Problem(builtin.display(path, site_dir), 0, 0,
                                        f"Passo moved {label}/{old} to {label}/{new}: this override applies there, "
                                        f"with its imports read from the old place; move it to {label}/{new}",
                                        severity="warning"))
    return warnings

