"""`site.toml`: the site's name, languages, paths and branding, declared once with a sentence per field."""

from __future__ import annotations

import posixpath
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from passo.problems import Problem, problem_at

LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

Colour = Annotated[str, Field(pattern=HEX_COLOUR.pattern)]


@dataclass(frozen=True)
class NavEntry:
    """One item of `nav`: a guide (its path under guides/, with an optional title) or a section (a title and the
    entries under it). `line` is where site.toml writes it, for messages."""

    line: int
    title: str | None = None
    path: str | None = None
    children: tuple[NavEntry, ...] = ()


class Branding(BaseModel):
    """How the organisation's name and colours appear on every page and in the installed app."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("Passo", description="The name shown in the header, the window title and the installed app.")
    short_name: str = Field("Passo", max_length=12,
                            description="The name under the app icon on a phone (12 characters at most).")
    logo: str | None = Field(None, description="A square PNG of at least 512 px, relative to site.toml: the app "
                                               "icon and the header logo. Without it, an icon is drawn from the "
                                               "name's first letter.")
    colour: Colour = Field("#1f5c99", description="The brand colour (#rrggbb): header, buttons, theme colour.")
    background: Colour = Field("#ffffff", description="The splash-screen background of the installed app.")


class MarkdownExtension(BaseModel):
    """One entry of `markdown_extensions`, written as MkDocs writes it: a name, or a one-key table name -> options."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, description="The Python-Markdown extension: a built-in name ('abbr', "
                                                     "'toc') or a module path ('pymdownx.details').")
    options: dict[str, Any] = Field(default_factory=dict, description="The extension's own options, as its "
                                                                      "documentation names them.")
    line: int = Field(0, description="The line of site.toml the entry is written on (found while reading), so a "
                                     "problem with the extension points there.")


class SiteConfig(BaseModel):
    """Everything `site.toml` may say; an unknown key or a wrong type is an error naming file and line."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, description="The site's name, shown on every page.")
    description: str = Field("", description="One sentence about the site, for search engines and the app store "
                                             "card.")
    languages: list[str] = Field(["en"], min_length=1,
                                 description="Language codes the site is published in; each needs a catalogue "
                                             "in locales/ (English is the source language and needs none).")
    default_language: str = Field("en", validate_default=True,
                                  description="The language of guides shown where no translation exists.")
    base_path: str = Field("/", description="The path the site is served under, e.g. '/coaching/'; pages link "
                                            "relatively, this is used by the 404 page only.")
    site_url: str | None = Field(None, description="The absolute URL the site is published at; feeds the "
                                                   "sitemap and hreflang links.")
    theme: str | None = Field(None, description="A folder, relative to site.toml, whose templates and static "
                                                "files override the built-in ones of the same name.")
    raw_html: Literal["sanitize", "escape", "refuse", "allow"] = Field(
        "sanitize", description="Raw HTML inside guides: kept to a safe subset, the rest dropped with a warning "
                                "(sanitize); shown as text (escape); a build error (refuse); or passed through "
                                "(allow; the Content-Security-Policy still blocks inline script).")
    markdown_extensions: list[MarkdownExtension] = Field(
        default_factory=list, description="Python-Markdown extensions added to the ones every guide is read with, "
                                          "in MkDocs' syntax: names, or one-key tables name -> options "
                                          "(markdown_extensions = [\"abbr\", {toc = {permalink = true}}]).")
    broken_links: Literal["error", "warn"] = Field(
        "error", description="A link to a guide, a heading or a file that is not there: a build error (error), or, "
                             "as MkDocs has it, a warning, the link left as written (warn; `passo new site "
                             "--from-mkdocs` writes this).")
    search: bool = Field(True, description="Build the offline search index with Pagefind.")
    offline_media_mb: float = Field(25, ge=0, description="Guide images and files up to this many megabytes in all "
                                                          "are kept offline with the site when it is installed; "
                                                          "past it, each is kept once viewed (the build says "
                                                          "which).")
    branding: Branding = Field(default_factory=Branding, description="Organisation name, logo and colours.")
    nav: list[Any] = Field(default_factory=list,
                           description="The guides in order and in sections, in MkDocs' nav: syntax written as TOML: "
                                       "each item is \"path.md\" (under content/<default language>/guides/), "
                                       "{\"Title\" = \"path.md\"} or {\"Section\" = [...]}. Without it, "
                                       "folders are sections and guides follow their 'order:', then their titles.")
    _nav_entries: list[NavEntry] = PrivateAttr(default_factory=list)

    @property
    def nav_entries(self) -> list[NavEntry]:
        """`nav` checked and with the line of each entry."""
        return self._nav_entries

    @field_validator("markdown_extensions", mode="before")
    @classmethod
    def _mkdocs_syntax(cls, value: Any) -> Any:
        """MkDocs' list of names and one-key mappings, made the entries the model holds."""
        if not isinstance(value, list):
            return value
        entries = []
        for item in value:
            if isinstance(item, str):
                entries.append({"name": item})
            elif isinstance(item, dict) and len(item) == 1:
                name, options = next(iter(item.items()))
                if not isinstance(options, dict):
                    raise ValueError(f"the options of '{name}' must be a table, e.g. {{{name} = {{}}}}")
                entries.append({"name": name, "options": options})
            else:
                raise ValueError("each entry is an extension's name or a one-key table name -> options, "
                                 "e.g. \"abbr\" or {toc = {permalink = true}}")
        return entries

    @field_validator("languages")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not LANG_CODE.match(code):
                raise ValueError(f"'{code}' is not a language code like 'en' or 'pt-BR'")
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value

    @field_validator("base_path")
    @classmethod
    def _base_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with '/'")
        return value if value.endswith("/") else value + "/"

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^/]+", value):
            raise ValueError("must be an absolute http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("default_language")
    @classmethod
    def _default_in_languages(cls, value: str, info: ValidationInfo) -> str:
        languages = info.data.get("languages")
        if languages is not None and value not in languages:
            raise ValueError(f"'{value}' is not in languages")
        return value


def _key_lines(text: str) -> dict[str, int]:
    """Dotted key -> line where it is written; tomllib keeps no positions, so a small scan finds them."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[([A-Za-z0-9_.\- ]+)\]", stripped)
        if header:
            table = header.group(1).strip()
            lines.setdefault(table, number)
            continue
        match = re.match(r"^([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=", stripped)
        if match:
            key = match.group(1).strip('"')
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


def _line_of(text: str, loc: tuple[str | int, ...]) -> int:
    """The line of the longest written prefix of a pydantic error location."""
    keys = [str(k) for k in loc if isinstance(k, str)]
    known = _key_lines(text)
    for size in range(len(keys), 0, -1):
        line = known.get(".".join(keys[:size]))
        if line:
            return line
    return 1


def _place_extensions(text: str, entries: list[MarkdownExtension]) -> None:
    """Give each `markdown_extensions` entry the line its name is written on, reading on from the key and from the
    entry before (two entries may share a line, or a name)."""
    key_line = _key_lines(text).get("markdown_extensions", 1)
    position = sum(len(line) + 1 for line in text.split("\n")[:key_line - 1])
    for entry in entries:
        name = re.escape(entry.name)
        found = re.compile(rf"[\"']{name}[\"']|(?<=[{{,\s]){name}\s*[=.]").search(text, position)
        if found:
            position = found.end()
        entry.line = text.count("\n", 0, position) + 1


def load_config(path: Path) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate `site.toml`; on failure return every problem, each with its line."""
    display = path.name
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        return None, [Problem(display, 0, 0, "site.toml not found: every site needs one")]
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line, 0, "not UTF-8 text")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return None, [problem_at(path, line, f"not valid TOML: {message}", column=column, display_path=display)]
    try:
        config = SiteConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            key = ".".join(str(k) for k in loc) or "site.toml"
            if error["type"] == "extra_forbidden":
                message = f"unknown key '{key}'"
            else:
                message = f"{key}: {error['msg'].removeprefix('Value error, ')}"
            problems.append(problem_at(path, _line_of(text, loc), message, display_path=display))
        return None, problems
    _place_extensions(text, config.markdown_extensions)
    if config.nav:
        entries, problems = _nav_entries(config.nav, _nav_token_lines(text), path, _line_of(text, ("nav",)))
        if problems:
            return None, problems
        config._nav_entries = entries
    if config.theme and not (path.parent / config.theme).is_dir():
        return None, [problem_at(path, _line_of(text, ("theme",)), f"theme: the folder '{config.theme}' does not "
                                 "exist (the path is relative to site.toml)", display_path=display)]
    return config, []


# --- nav ----------------------------------------------------------------------------------------------------------

NAV_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'', re.S)
NAV_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+(?=\s*=)")


def _nav_token_lines(text: str) -> list[tuple[str, int]]:
    """The strings and bare keys of the top-level `nav = [...]`, in order, each with its line: tomllib keeps no
    positions, so a small scanner walks the value as TOML writes it."""
    line = _key_lines(text).get("nav")
    if not line:
        return []
    start = sum(len(row) + 1 for row in text.split("\n")[: line - 1])
    at = text.index("=", start) + 1
    tokens: list[tuple[str, int]] = []
    depth = 0
    while at < len(text):
        char = text[at]
        if char == "#":
            at = text.find("\n", at)
            if at < 0:
                break
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                break
        elif char in "\"\'":
            match = NAV_STRING.match(text, at)
            if match is None:
                break
            try:
                value = tomllib.loads(f"v = {match.group(0)}")["v"]
            except tomllib.TOMLDecodeError:
                break
            tokens.append((value, text.count("\n", 0, at) + 1))
            at = match.end()
            continue
        else:
            bare = NAV_BARE_KEY.match(text, at)
            if bare and depth:
                tokens.append((bare.group(0), text.count("\n", 0, at) + 1))
                at = bare.end()
                continue
        at += 1
    return tokens


def _nav_entries(items: list, tokens: list[tuple[str, int]], path: Path,
                 fallback: int) -> tuple[list[NavEntry], list[Problem]]:
    """Check nav's shape as MkDocs reads it, making the entries; every problem names its line (`fallback`, nav's
    own line, where the scan lost its place)."""
    problems: list[Problem] = []
    queue = list(tokens)

    def take(value: str) -> int:
        """The line of the next string written, while the scan and the parsed value agree."""
        if queue and queue[0][0] == value:
            return queue.pop(0)[1]
        queue.clear()
        return fallback

    def skip(value: Any) -> list[int]:
        """Pass over a value that is no entry, keeping the scan in step; the lines of its strings."""
        if isinstance(value, str):
            return [take(value)]
        if isinstance(value, dict):
            return [line for key, inner in value.items() for line in (take(key), *skip(inner))]
        if isinstance(value, list):
            return [line for inner in value for line in skip(inner)]
        return []

    def fail(line: int, message: str) -> None:
        problems.append(problem_at(path, line, f"nav: {message}", display_path=path.name))

    def page(value: str, line: int, title: str | None) -> NavEntry | None:
        normal = posixpath.normpath(value.strip()) if value.strip() else ""
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
            fail(line, f"'{value}' is a link to another site; nav lists guides (link to it from a guide instead)")
        elif not normal.endswith(".md") or normal.startswith(("../", "/")) or normal == "..":
            fail(line, f"'{value}' is not a guide: write the path of a .md file under the guides folder, "
                       "like \"habits/daily.md\"")
        else:
            return NavEntry(line, title, normal)
        return None

    def walk(values: list) -> list[NavEntry]:
        entries = []
        for item in values:
            if isinstance(item, str):
                entry = page(item, take(item), None)
            elif isinstance(item, dict) and len(item) == 1:
                title, value = next(iter(item.items()))
                line = take(title)
                if not title.strip():
                    fail(line, "a title is empty")
                    entry = None
                elif isinstance(value, str):
                    entry = page(value, take(value), title)
                elif isinstance(value, list):
                    entry = NavEntry(line, title, None, tuple(walk(value)))
                else:
                    fail(line, f"'{title}' must name a guide (\"path.md\") or a list of entries (a section)")
                    entry = None
            elif isinstance(item, dict):
                lines = skip(item)
                fail(lines[0] if lines else fallback,
                     "each table in nav has one key: {\"Title\" = \"path.md\"} or {\"Section\" = [...]}")
                entry = None
            else:
                lines = skip(item)
                fail(lines[0] if lines else fallback, f"{item!r} is neither \"path.md\" nor a one-key table")
                entry = None
            if entry is not None:
                entries.append(entry)
        return entries

    return walk(items), problems
