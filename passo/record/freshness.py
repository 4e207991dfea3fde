"""Is the last build still up to date? Answered from the build record and file stats alone, so the command line can
say "nothing changed" before it loads the rest of Passo (pydantic, Jinja2, Markdown)."""

from __future__ import annotations

import os
from pathlib import Path

from passo.record.state import BuildState, site_input_files, stat_signature, state_path


def site_inputs(site_dir: Path) -> list[Path]:
    """Every file besides the guides that a build reads: the site's, its theme's and Passo's own."""
    theme = None
    try:
        import tomllib

        theme = tomllib.loads((site_dir / "site.toml").read_text(encoding="utf-8")).get("theme")
    except (OSError, ValueError):
        pass
    return site_input_files(site_dir, theme if isinstance(theme, str) else None)


def guides_unchanged(site_dir: Path, state: BuildState) -> bool:
    """The same guide files as the record, each with the size and modification time recorded, and so are the
    images and files they use."""
    seen = 0
    content = site_dir / "content"
    for dirpath, _dirs, files in os.walk(content):
        for name in files:
            if not name.endswith(".md"):
                continue
            path = Path(dirpath) / name
            record = state.guides.get(path.relative_to(site_dir).as_posix())
            if record is None:
                return False
            st = path.stat()
            if st.st_mtime_ns != record.mtime_ns or st.st_size != record.size or record.media_changed(site_dir):
                return False
            seen += 1
    return seen == len(state.guides)


def unchanged_pages(site_dir: Path, out_dir: Path | None = None, *, minify: bool = True) -> int | None:
    """The number of pages of the last build when nothing it read has changed since, else None."""
    site_dir = site_dir.resolve()
    out_dir = (out_dir or site_dir / "dist").resolve()
    if not out_dir.is_dir():
        return None
    previous = BuildState.load(state_path(out_dir))
    if not previous.site_digest or previous.minified != minify:
        return None
    if stat_signature(site_inputs(site_dir), site_dir) != previous.site_stat:
        return None
    if not guides_unchanged(site_dir, previous):
        return None
    return sum(1 for f in previous.files if f.endswith(".html"))
