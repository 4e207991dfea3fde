"""What the last good build read and wrote, so the next one redoes only what a change affects."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from passo import builtin

# 6: Passo's own files and version joined the inputs, and `x/index.md` makes the key `x` (was `x/index`). 7: guides
# record their media. 8: a guide's title (which may come from its text) and each guide page's navigation are
# recorded. 9: the snippet files a guide pulls in join its media sources. 10: the media each language's precache
# holds (was: the media left out of the one precache). A state of another version (an older Passo's dist/) is
# ignored, so that build starts over from nothing.
STATE_VERSION = 10
# Everything except the guides: a change here can touch every page, so it means a full rebuild.
SITE_INPUTS = ("site.toml", "templates", "site_src", "locales", "schemas")


@dataclass
class GuideRecord:
    """One guide source as the last build saw it: stat, digest, front matter, and what its page links to."""

    mtime_ns: int
    size: int
    digest: str
    lang: str
    rel_path: str
    key: str
    body_line: int
    meta: dict
    anchors: list[str] = field(default_factory=list)
    links: list[list] = field(default_factory=list)  # [line, href, target key, anchor]
    title: str = ""  # from the front matter, the opening '# ' heading or the file name (Guide.title_from)
    title_from: str = "meta"
    drop_heading: bool = False
    media: list[list] = field(default_factory=list)  # [output path, size] of each image or file its pages use
    # [source, mtime_ns, size] of each media file its links found, of each place looked in first (size -1) and of
    # each `--8<--` snippet file it pulls in: a picture or snippet edited, or a picture added where it now wins,
    # makes the guide's pages again.
    media_sources: list[list] = field(default_factory=list)

    def media_changed(self, site_dir: Path) -> bool:
        for source, mtime_ns, size in self.media_sources:
            try:
                st = (site_dir / source).stat()
            except OSError:
                if size != -1:
                    return True
                continue
            if size == -1 or st.st_mtime_ns != mtime_ns or st.st_size != size:
                return True
        return False


@dataclass
class BuildState:
    version: int = STATE_VERSION
    site_stat: list = field(default_factory=list)
    site_digest: str = ""
    guides: dict[str, GuideRecord] = field(default_factory=dict)  # source path -> record
    files: dict[str, str] = field(default_factory=dict)  # output path -> content hash
    reads: dict[str, list[str]] = field(default_factory=dict)  # output path -> sources it was made from
    sw_template: str = ""  # the hand-written service worker the generated sw.js is made from
    passo_version: str = ""  # the Passo that made this build
    minified: bool = False  # whether the browser code was minified (`serve` builds without)
    js_messages: dict[str, list] = field(default_factory=dict)  # browser module digest -> its interface strings
    # Per site language, the guide media its precache holds (within offline_media_mb); every language a key.
    offline_media: dict[str, list[str]] = field(default_factory=dict)
    nav: dict[str, str] = field(default_factory=dict)  # guide page -> digest of its navigation (section, prev, next)

    @classmethod
    def load(cls, path: Path) -> BuildState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if data.get("version") != STATE_VERSION or data.get("passo_version") != builtin.version():
            return cls()
        data["guides"] = {k: GuideRecord(**v) for k, v in data.get("guides", {}).items()}
        return cls(**data)

    def save(self, path: Path) -> None:
        temp = path.with_name(path.name + ".tmp")
        data = {**vars(self), "guides": {k: vars(v) for k, v in self.guides.items()}}
        temp.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
        os.replace(temp, path)


def state_path(out_dir: Path) -> Path:
    """Kept beside the output folder, never inside it: `dist/` holds only what the host serves."""
    return out_dir.parent / f".{out_dir.name}.passo-state.json"


def site_input_files(site_dir: Path, theme: str | None) -> list[Path]:
    """The site's files and Passo's own (each once: this repository is both), guides aside."""
    roots = [site_dir / name for name in SITE_INPUTS]
    if theme:
        roots.append(site_dir / theme)
    files = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                files.extend(Path(dirpath) / n for n in sorted(filenames) if not n.startswith("."))
    seen = {p.resolve() for p in files}
    files.extend(p for p in builtin.input_files() if p.resolve() not in seen)
    return files


def _label(path: Path, site_dir: Path) -> str:
    """A site file by its path in the site; Passo's own by its path in Passo, with the version that shipped it."""
    if path.is_relative_to(site_dir):
        return path.relative_to(site_dir).as_posix()
    return f"passo {builtin.version()}:{path.relative_to(builtin.root()).as_posix()}"


def stat_signature(files: list[Path], site_dir: Path) -> list:
    out = []
    for path in files:
        st = path.stat()
        out.append([_label(path, site_dir), st.st_mtime_ns, st.st_size])
    return out


def digest_files(files: list[Path], site_dir: Path) -> str:
    h = hashlib.sha256()
    h.update(f"passo {builtin.version()}\0".encode())
    for path in files:
        h.update(_label(path, site_dir).encode())
        h.update(b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]
