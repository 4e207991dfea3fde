"""Load stage: find the guides under `content/`, split and check their front matter."""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from passo.config import SiteConfig
from passo.problems import Problem, problem_at

FRONT_MATTER_FENCE = "---"
FRONT_MATTER_END = ("---", "...")  # YAML's end of document, which MkDocs accepts too
INDEX_NAMES = ("index.md", "README.md")  # the page of its folder, as in MkDocs
LANDING_KEY = "index"  # guides/index.md (or README.md): the guides' own page, /<lang>/guides/
HIDE = Literal["toc", "navigation", "path", "footer", "tags", "feedback"]
# libyaml's safe loader when PyYAML was built with it: the same rules, many times faster on big front matter.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")


class GuideMeta(BaseModel):
    """What a guide's YAML front matter may say."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, description="The guide's title; without it, the '# ' heading "
                                                              "the text opens with, else the file name.")
    summary: str = Field("", description="One sentence for lists, search results and the meta description.")
    description: str = Field("", description="MkDocs' name for the summary.")
    hide: list[HIDE] = Field(default_factory=list,
                             description="Parts of the page to leave out, as MkDocs Material names them: toc, "
                                         "navigation (the section line and previous/next), path (the section "
                                         "line), footer (previous/next), tags; feedback is accepted and does "
                                         "nothing.")
    toc_depth: Annotated[int, Field(ge=1, le=6)] | Annotated[str, Field(pattern=r"^[1-6]-[1-6]$")] = Field(
        3, description="The deepest heading level in the table of contents (2 to 6; 1 shows none), or a range like "
                       "'2-4'.")
    template: str | None = Field(None, description="A template of the site's templates/ folder for this page "
                                                   "(MkDocs' own templates do not apply).")
    order: int = Field(1000, description="Sorts the list of guides on the home page (then the title).")
    tags: list[str] = Field(default_factory=list, description="Topics, shown under the title.")
    key: str | None = Field(None, pattern=KEY_PATTERN.pattern,
                            description="Translation key and URL slug; defaults to the file's path under guides/.")
    plan: str | None = Field(None, description="Id of the plan form this guide explains.")
    lang: str | None = Field(None, description="Accepted from MkDocs-style corpora; must match the folder.")
    date: datetime.date | str | None = Field(None, description="Accepted from other generators' corpora; not "
                                                                "shown.")


@dataclass
class Guide:
    """One Markdown guide as read from disk."""

    lang: str
    rel_path: str  # path under content/<lang>/guides/, with '/' separators
    source: str  # path relative to the site folder, for messages
    meta: GuideMeta
    body: str
    body_line: int  # the file line where `body` starts, so Markdown problems point at the right line
    digest: str
    key: str = ""
    tags: list[str] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> file line, for messages
    title: str = ""  # the front matter's title, else the opening '# ' heading's text, else the file name's
    title_from: Literal["meta", "heading", "file"] = "meta"
    drop_heading: bool = False  # the text opens with the title as a '# ' heading: the page shows it once

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)

    @property
    def summary(self) -> str:
        return self.meta.summary or self.meta.description

    @property
    def rel_dir(self) -> str:
        return os.path.dirname(self.rel_path)


def guide_files(site_dir: Path, languages: list[str]) -> list[tuple[str, Path]]:
    """(language, path) of every guide source, sorted so builds are reproducible."""
    found = []
    for lang in languages:
        root = site_dir / "content" / lang / "guides"
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            found.extend((lang, Path(dirpath) / name) for name in sorted(filenames) if name.endswith(".md"))
    return found


def _yaml_key_lines(text: str) -> dict[str, int]:
    """Top-level front-matter key -> 0-based line inside the front matter."""
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def _has_surrogate(value: object) -> bool:
    """Walks with its own stack (front matter may nest deeper than Python's recursion limit), visiting each
    container once: YAML aliases can make a structure share itself, or refer to itself."""
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= c <= "\udfff" for c in item):
                return True
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _key_with_surrogate(data: dict) -> str | None:
    """YAML's "\\ud800" escapes make text that cannot be written as UTF-8: find the key holding one."""
    return next((str(k) for k, v in data.items() if _has_surrogate(k) or _has_surrogate(v)), None)


def parse_guide(site_dir: Path, lang: str, path: Path, raw: bytes | None = None) -> tuple[Guide | None, list[Problem]]:
    """Split front matter from Markdown and validate it; every problem carries the file's line."""
    display = path.relative_to(site_dir).as_posix()
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return None, [Problem(display, line, 0, message)]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[0].strip() == FRONT_MATTER_FENCE:
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() in FRONT_MATTER_END)
        except StopIteration:
            return None, [problem_at(path, 1, "front matter is not closed: add a '---' line after it",
                                     display_path=display)]
    else:  # front matter is optional, as in MkDocs
        end = -1
    front = "\n".join(lines[1:end]) if end > 0 else ""
    try:
        try:
            data = yaml.load(front, Loader=SAFE_LOADER) or {}
        except yaml.YAMLError:
            # libyaml points at where it gave up; the Python reader points at the line that is wrong.
            data = yaml.safe_load(front) or {}
    except RecursionError:
        return None, [problem_at(path, 2, "front matter is nested too deeply", display_path=display)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None and isinstance(getattr(exc, "position", None), int):  # a reader error: a bad character
            line = front[: exc.position].count("\n") + 2  # type: ignore[attr-defined]
        else:
            line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [problem_at(path, line, f"front matter is not valid YAML: {reason}",
                                 column=(mark.column + 1) if mark else 0, display_path=display)]
    if not isinstance(data, dict):
        return None, [problem_at(path, 2, "front matter must be 'key: value' lines", display_path=display)]
    bad_key = _key_with_surrogate(data)
    if bad_key is not None:
        line = _yaml_key_lines(front).get(bad_key, -1) + 2
        return None, [problem_at(path, line, f"front-matter '{bad_key}' has an escaped half of a character "
                                             "(like \\ud800); write the character itself", display_path=display)]
    try:
        meta = GuideMeta.model_validate(data)
    except ValidationError as exc:
        key_lines = _yaml_key_lines(front)
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            line = key_lines[name] + 2 if name in key_lines else 1
            if error["type"] == "extra_forbidden":
                allowed = ", ".join(GuideMeta.model_fields)
                message = f"unknown front-matter key '{name}' (allowed: {allowed})"
            elif error["type"] == "missing":
                message = f"front matter has no '{name}'"
            else:
                message = f"front-matter '{name}': {error['msg']}"
            problems.append(problem_at(path, line, message, display_path=display))
        return None, problems
    problems = []
    key_lines = {k: v + 2 for k, v in _yaml_key_lines(front).items()}
    if meta.lang is not None and meta.lang != lang:
        problems.append(problem_at(path, key_lines.get("lang", 2), f"lang '{meta.lang}' does not match the folder's "
                                   f"language '{lang}'", display_path=display))
    if meta.summary and meta.description:
        problems.append(problem_at(path, key_lines.get("description", 2), "front matter has both 'summary' and "
                                   "'description' (MkDocs' name for it): keep one", display_path=display))
    rel_path = path.relative_to(site_dir / "content" / lang / "guides").as_posix()
    key = meta.key or key_from_path(rel_path)
    if not KEY_PATTERN.match(key):
        problems.append(problem_at(path, 1, f"the file name makes the URL slug '{key}', which has characters a URL "
                                            "slug may not have: use lower-case letters, digits, '-' and '_', or "
                                            "set 'key:'", display_path=display))
    body_line = end + 2
    body = "\n".join(lines[end + 1:])
    heading = opening_heading(body)
    if meta.title:
        title, title_from = meta.title, "meta"
        drop = heading is not None and _same_text(heading, meta.title)
    elif heading:
        title, title_from, drop = heading, "heading", True
    else:
        title, title_from, drop = title_from_path(rel_path), "file", False
    guide = Guide(lang=lang, rel_path=rel_path, source=display, meta=meta, body=body, body_line=body_line,
                  digest=hashlib.sha256(raw).hexdigest(), key=key, tags=list(meta.tags), meta_lines=key_lines,
                  title=title, title_from=title_from, drop_heading=drop)
    return guide, problems


ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.*?)[ \t]*$")
SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
ATTR_LIST = re.compile(r"\s*\{:?[^{}]*\}\s*$")
INLINE_MARKUP = [
    (re.compile(r"!?\[([^\]]*)\](\([^)]*\)|\[[^\]]*\])"), r"\1"),  # links and images: their text
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # code spans
    (re.compile(r"<[^>]+>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"\*(.+?)\*|(?<!\w)_(.+?)_(?!\w)"), r"\1\2"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])"), r"\1"),  # backslash escapes
]


def opening_heading(body: str) -> str | None:
    """The text of the level-1 heading a Markdown body opens with, as plain text; None when it opens otherwise.
    MkDocs takes the title from the first H1 only when it is the page's first element; so does Passo."""
    lines = body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    line = lines[first]
    match = ATX_H1.match(line)
    if match:
        text = ATTR_LIST.sub("", match.group(1))
        text = re.sub(r"(^|[ \t]+)#+$", "", text)
    elif first + 1 < len(lines) and SETEXT_H1.match(lines[first + 1]) and not line.startswith(("    ", "\t")):
        text = ATTR_LIST.sub("", line.strip())
    else:
        return None
    for pattern, replacement in INLINE_MARKUP:
        text = pattern.sub(replacement, text)
    text = " ".join(html.unescape(text).split())
    return text or None


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def title_from_path(rel_path: str) -> str:
    """A title from the file name, as MkDocs makes one: 'getting-started.md' is "Getting started"; an index page
    takes its folder's name, and the guides' own index is "Guides"."""
    folder, name = posixpath.split(rel_path)
    stem = posixpath.basename(folder) if name in INDEX_NAMES else name.removesuffix(".md")
    return humanise(stem or "guides")


def humanise(name: str) -> str:
    """'getting-started' -> "Getting started"; a name with capitals keeps them ('FAQ', 'GROW-model')."""
    title = name.replace("-", " ").replace("_", " ").strip()
    return title.capitalize() if title.lower() == title else title


def key_from_path(rel_path: str) -> str:
    """The URL slug a guide's path makes: `x/index.md` (or `x/README.md`, as MkDocs reads it) is the page of its
    folder, `/guides/x/`, as MkDocs, Hugo and Eleventy make it. The top-level one keeps the key `index` and is the
    guides' own page, `/guides/` (see `guide_url`)."""
    folder, name = posixpath.split(rel_path)
    if name in INDEX_NAMES:
        return folder or LANDING_KEY
    return rel_path.removesuffix(".md")


def guide_url(key: str) -> str:
    """A guide's URL relative to its language's home: `guides/<key>/`, and `guides/` for the guides' index."""
    return "guides/" if key == LANDING_KEY else f"guides/{key}/"


def is_index(rel_path: str) -> bool:
    return posixpath.basename(rel_path) in INDEX_NAMES


Reuse = Callable[[str, os.stat_result], "Guide | None"]


def load_guides(site_dir: Path, config: SiteConfig, reuse: Reuse | None = None) -> tuple[list[Guide], list[Problem]]:
    """Every guide of every configured language, and every problem found in any of them.

    `reuse(source, stat)` may return the guide as an earlier build recorded it, so an unchanged file is not read."""
    guides: list[Guide] = []
    problems: list[Problem] = []
    for lang, path in guide_files(site_dir, config.languages):
        kept = reuse(path.relative_to(site_dir).as_posix(), path.stat()) if reuse else None
        if kept is not None:
            guides.append(kept)
            continue
        guide, found = parse_guide(site_dir, lang, path)
        problems.extend(found)
        if guide is not None:
            guides.append(guide)
    problems.extend(check_unique_urls(guides))
    problems.extend(check_translation_keys(guides, config))
    return guides, problems


def check_unique_urls(guides: list[Guide]) -> list[Problem]:
    """Two sources that would write one URL are an error naming both (never a silent overwrite)."""
    seen: dict[tuple[str, str], Guide] = {}
    problems = []
    for guide in guides:
        first = seen.setdefault((guide.lang, guide.key), guide)
        if first is guide:
            continue
        if is_index(first.rel_path) and is_index(guide.rel_path) and first.rel_dir == guide.rel_dir:
            folder = posixpath.join("guides", first.rel_dir) + "/"
            problems.append(Problem(guide.source, guide.line_of("key"), 0,
                                    f"{first.source} and {guide.source} are both the page of {folder} "
                                    "(MkDocs would skip README.md): keep one"))
        else:
            problems.append(Problem(guide.source, guide.line_of("key"), 0,
                                    f"{first.source} and {guide.source} both make the page "
                                    f"/{guide.lang}/{guide_url(guide.key)}; give one another 'key:' or file name"))
    return problems


def check_translation_keys(guides: list[Guide], config: SiteConfig) -> list[Problem]:
    """An explicit `key:` in a translation must name a guide of the default language."""
    default_keys = {g.key for g in guides if g.lang == config.default_language}
    problems = []
    for guide in guides:
        if guide.lang != config.default_language and guide.meta.key and guide.key not in default_keys:
            problems.append(Problem(guide.source, guide.line_of("key"), 0,
                                    f"translation key '{guide.key}' points nowhere: no "
                                    f"{config.default_language} guide has that key"))
    return problems
