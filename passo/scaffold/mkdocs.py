"""`passo new site DIR --from-mkdocs mkdocs.yml`: a site whose guides are an MkDocs project's docs folder, byte for
byte, with its name, nav and `markdown_extensions` carried into site.toml in MkDocs' syntax. What Passo cannot carry
over (theme options, plugins, hooks, Python objects in the YAML, `:::` directives) is listed, each at its line."""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from passo.config import MarkdownExtension
from passo.content import extensions
from passo.i18n import SOURCE_LANGUAGE
from passo.problems import Problem
from passo.scaffold import new_site

# Python-Markdown extensions that are MkDocs plugins in all but name: they import the documented program's code.
RUNS_CODE = {"mkdocs-click": "mkdocs-click", "mkdocs_click": "mkdocs-click"}
# What a plugin that Passo replaces becomes, by name.
PLUGINS_PASSO_DOES = {
    "search": "Passo builds its own offline search index (Pagefind); nothing to carry over",
    "literate-nav": "read at import: the nav files it names were carried into site.toml's nav",
}
# Top-level keys carried into site.toml, or read to make the site.
CARRIED = {"site_name", "site_description", "site_url", "docs_dir", "nav", "markdown_extensions"}
DIRECTIVE = re.compile(r"^::: ")
# A raw HTML image with a relative address: MkDocs reads it from the built page's URL, Passo keeps it as written.
FENCE = re.compile(r"^\s*(```|~~~)")
SNIPPET_LINE = re.compile(r"""^\s*;?-{1,}8<-{1,}\s+(["'])(?P<path>[^"']+)\1""")
SNIPPET_BLOCK = re.compile(r"^\s*-{1,}8<-{1,}\s*$")
NAV_LINK = re.compile(r"^(?P<indent>\s*)[-*+]\s+\[(?P<title>[^\]]*)\]\((?P<path>[^)\s]+)\)\s*$")
NAV_TEXT = re.compile(r"^(?P<indent>\s*)[-*+]\s+(?P<title>\S.*?)\s*$")


@dataclass(frozen=True)
class Tagged:
    """A YAML value under a tag Passo cannot read (`!!python/name:...`, `!ENV`, `!relative`): kept to be reported."""

    tag: str
    value: Any
    line: int

    def describe(self) -> str:
        tag = self.tag.replace("tag:yaml.org,2002:", "!!")
        if isinstance(self.value, str) and self.value:
            return f"{tag} {self.value}"
        if isinstance(self.value, list) and self.value:
            return f"{tag} {self.value!r}"
        return tag


class YamlMap(dict):
    """A mapping that remembers the line of each key."""

    lines: dict[Any, int]


class YamlList(list):
    """A sequence that remembers the line of each item."""

    lines: list[int]


class _Loader(yaml.SafeLoader):
    """YAML as MkDocs writes it, with lines; a tag it does not know becomes a Tagged value, never a crash."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = repr(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _unknown(loader: _Loader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = [loader.construct_object(child, deep=True) for child in node.value]
    else:
        value = None
    return Tagged(node.tag, value, node.start_mark.line + 1)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
_Loader.add_multi_constructor("", _unknown)


def _line(container: Any, key: Any, default: int = 0) -> int:
    if isinstance(container, YamlMap):
        return container.lines.get(key, default)
    if isinstance(container, YamlList) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return default


def _tagged_in(value: Any) -> list[Tagged]:
    if isinstance(value, Tagged):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _tagged_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in _tagged_in(v)]
    return []


# --- TOML ---------------------------------------------------------------------------------------------------------

def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, but TOML refuses DEL unescaped)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_value(value: Any, indent: str = "") -> str:
    """A value as TOML writes it inline; lists of tables and nested lists one item a line, so each has its line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(str(k))} = {toml_value(v, indent)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        if not any(isinstance(item, dict | list) for item in value):
            return "[" + ", ".join(toml_value(item, indent) for item in value) + "]"
        inner = indent + "  "
        return "[\n" + "".join(f"{inner}{toml_value(item, inner)},\n" for item in value) + indent + "]"
    raise TypeError(f"{value!r} has no TOML form")


def _plain(value: Any) -> Any:
    """The value as TOML can hold it: None left out (TOML has no null), YAML's containers made plain."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value if v is not None]
    return value


# --- the import ---------------------------------------------------------------------------------------------------

@dataclass
class Imported:
    """What `import_mkdocs` wrote, and what it could not carry over (each at its line)."""

    written: list[Path]
    pages: int
    left_out: list[Problem]


class _Notes:
    def __init__(self, config_name: str) -> None:
        self.config_name = config_name
        self.items: list[Problem] = []

    def at(self, line: int, message: str, path: str | None = None) -> None:
        self.items.append(Problem(path or self.config_name, line, 0, message, "warning"))


def import_mkdocs(config_path: Path, target: Path, languages: list[str] | None = None) -> Imported:
    """Make a Passo site in `target` from the MkDocs project of `config_path`; raise ValueError naming what is
    missing (mkdocs.yml, docs_dir) or a `target` that holds anything already, writing nothing then."""
    if not config_path.is_file():
        raise ValueError(f"{config_path} not found: --from-mkdocs takes the path of an mkdocs.yml")
    project = config_path.parent
    name = config_path.name
    notes = _Notes(name)
    try:
        data = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loader)  # _Loader is a SafeLoader
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{config_path} is not YAML that can be read: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{config_path} holds no settings (MkDocs needs at least site_name)")
    for tagged in _tagged_in(data):
        notes.at(tagged.line, f"{tagged.describe()} cannot be carried over")
    docs_name = data.get("docs_dir", "docs")
    if not isinstance(docs_name, str):
        docs_name = "docs"
    docs = (project / docs_name).resolve()
    if not docs.is_dir():
        raise ValueError(f"docs_dir '{docs_name}' not found: there is no folder {project / docs_name}")

    guides: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            guides[path.relative_to(docs).as_posix()] = path.read_bytes()
    pages = sum(1 for rel in guides if rel.endswith(".md"))

    plugins = _plugins(data, notes)
    extra = _snippet_files(data, project, docs, docs_name, guides, notes)
    _directives(guides, docs_name, notes)
    tail = ("\n# As MkDocs: a link to a guide, heading or file that is not there is a warning, not an error.\n"
            'broken_links = "warn"\n')
    if "nav" in data and isinstance(data["nav"], list):
        nav = _nav(data["nav"], docs, plugins.get("literate-nav"), notes)
        if nav:
            tail += "\n# The guides in order and in sections, as mkdocs.yml's nav (MkDocs' nav: syntax as TOML).\n"
            tail += f"nav = {toml_value(nav)}\n"
    if "markdown_extensions" in data:
        tail += _markdown_extensions(data["markdown_extensions"], data, target, notes)
    for key, value in data.items():
        if key not in CARRIED and key != "plugins":
            _not_carried(key, value, _line(data, key), notes)

    site_name = data.get("site_name")
    site_url = data.get("site_url")
    description = data.get("site_description")
    written = new_site(
        target, languages or [SOURCE_LANGUAGE],
        name=site_name if isinstance(site_name, str) and site_name.strip() else project.resolve().name,
        description=description if isinstance(description, str) else None,
        site_url=site_url if isinstance(site_url, str) and re.match(r"^https?://[^/]+", site_url) else None,
        toml_tail=tail, guides=guides, extra=extra)
    return Imported(written, pages, sorted(notes.items))


def _plugins(data: dict, notes: _Notes) -> dict[str, dict]:
    """Each plugin is listed; the options of those the import reads (literate-nav) are returned."""
    found: dict[str, dict] = {}
    plugins = data.get("plugins") or []
    items = list(plugins.items()) if isinstance(plugins, dict) else [
        (next(iter(p)), p[next(iter(p))]) if isinstance(p, dict) and p else (p, {}) for p in plugins]
    for index, (plugin, options) in enumerate(items):
        line = _line(plugins, plugin if isinstance(plugins, dict) else index, _line(data, "plugins"))
        plugin = str(plugin)
        found[plugin] = options if isinstance(options, dict) else {}
        why = PLUGINS_PASSO_DOES.get(plugin, "Passo runs no MkDocs plugins")
        notes.at(line, f"plugin '{plugin}' cannot be carried over: {why}" if plugin not in PLUGINS_PASSO_DOES
                 else f"plugin '{plugin}': {why}")
    return found


def _not_carried(key: str, value: Any, line: int, notes: _Notes) -> None:
    if key == "theme":
        options = [str(k) for k in value] if isinstance(value, dict) else []
        notes.at(line, "theme cannot be carried over" + (f" ({', '.join(options)})" if options else "") +
                 ": Passo has its own templates (a site's theme folder may override them)")
    elif key == "hooks":
        for index, hook in enumerate(value if isinstance(value, list) else [value]):
            notes.at(_line(value, index, line), f"hook '{hook}' cannot be carried over: Passo runs no MkDocs hooks")
    elif key in ("extra_css", "extra_javascript"):
        notes.at(line, f"{key} cannot be carried over: Passo's pages load only Passo's own styles and scripts "
                       "(a theme folder may override them)")
    else:
        notes.at(line, f"{key} cannot be carried over: Passo has no such setting")


def _markdown_extensions(value: Any, data: dict, target: Path, notes: _Notes) -> str:
    """site.toml's markdown_extensions, names and options as mkdocs.yml has them; an entry that cannot work here
    (not installed, a plugin in disguise) is written commented out, so the site builds, and listed."""
    if not isinstance(value, list):
        notes.at(_line(data, "markdown_extensions"), "markdown_extensions is not a list: not carried over")
        return ""
    kept: list[str] = []
    off: list[str] = []
    for index, item in enumerate(value):
        line = _line(value, index, _line(data, "markdown_extensions"))
        if isinstance(item, dict) and len(item) == 1:
            ext, options = next(iter(item.items()))
            options = options if isinstance(options, dict) else {}
        elif isinstance(item, str):
            ext, options = item, {}
        else:
            notes.at(line, f"markdown_extensions: {item!r} is neither a name nor name: options; not carried over")
            continue
        ext = str(ext)
        for option, option_value in list(options.items()):
            option_line = _line(options, option, line)
            if _tagged_in(option_value):
                notes.at(option_line, f"markdown extension '{ext}': option '{option}' is a Python object; "
                         "left out")
                del options[option]
            elif option_value is None:
                notes.at(option_line, f"markdown extension '{ext}': option '{option}' is empty (null), which TOML "
                         "cannot write; left out, as if not set")
                del options[option]
        options = _plain(options)
        for option, option_value in options.items():
            if isinstance(option_value, str) and any(0xE000 <= ord(c) <= 0xF8FF for c in option_value):
                notes.at(line,
                         f"markdown extension '{ext}': option '{option}' is a private-use character, a glyph of "
                         "the MkDocs theme's icon font, which Passo's pages lack: carried over, it shows as a box")
        entry = toml_value({ext: options}) if options else toml_string(ext)
        if ext in RUNS_CODE:
            why = "its `::: mkdocs-click` blocks run the documented program's code, which Passo does not do"
        else:
            problems = extensions.check([MarkdownExtension(name=ext, options=options)], target)
            why = problems[0].message.removeprefix(f"markdown extension '{ext}' ") if problems else ""
        if why:
            notes.at(line, f"markdown extension '{ext}' cannot be carried over: {why}; written commented out in "
                           "site.toml")
            off.append(f"  # {entry},  # {why}")
        else:
            kept.append(f"  {entry},")
    lines = ["", "# Python-Markdown extensions, as mkdocs.yml lists them (MkDocs' syntax as TOML).",
             "markdown_extensions = [", *kept, *off, "]", ""]
    return "\n".join(lines)


def _nav(items: Any, docs: Path, literate: dict | None, notes: _Notes, where: str = "") -> list:
    """mkdocs.yml's nav as TOML can hold it: paths as written (a wrong one stays, for the build to point at); a
    folder literate-nav reads becomes a section of its nav file's links; a link to another site is left out."""
    out: list = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        line = _line(items, index)
        if isinstance(item, dict) and len(item) == 1:
            title, value = next(iter(item.items()))
            line = _line(item, title, line)
            if isinstance(value, list):
                out.append({str(title): _nav(value, docs, literate, notes, where)})
            elif isinstance(value, str):
                converted = _nav_path(value, docs, literate, notes, line, where)
                if converted is not None:
                    out.append({str(title): converted})
            else:
                notes.at(line, f"nav: {item!r} cannot be carried over")
        elif isinstance(item, str):
            converted = _nav_path(item, docs, literate, notes, line, where)
            if isinstance(converted, list):
                out.extend(converted)
            elif converted is not None:
                out.append(converted)
        else:
            notes.at(line, f"nav: {item!r} cannot be carried over")
    return out


def _nav_path(value: str, docs: Path, literate: dict | None, notes: _Notes, line: int, where: str) -> Any:
    if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) or value.startswith("/"):
        notes.at(line, f"nav: the link '{value}' cannot be carried over: Passo's nav lists guides only")
        return None
    path = posixpath.normpath(posixpath.join(where, value)) if where else value
    if value.endswith("/") or (docs / path).is_dir():
        folder = path.rstrip("/")
        if literate is not None:
            nav_file = str(literate.get("nav_file", "SUMMARY.md"))
            if (docs / folder / nav_file).is_file():
                return _literate(docs, folder, nav_file, literate, notes, line)
        pages = sorted((p.relative_to(docs).as_posix() for p in (docs / folder).glob("*.md")),
                       key=lambda p: (posixpath.basename(p) not in ("index.md", "README.md"), p))
        notes.at(line, f"nav: the folder '{value}' became its Markdown files in name order")
        return pages
    return path


def _literate(docs: Path, folder: str, nav_file: str, options: dict, notes: _Notes, line: int) -> list:
    """literate-nav's nav file: a Markdown list of links (nested lists are sections), its index page first when
    `implicit_index` is on, as the plugin reads it."""
    text = (docs / folder / nav_file).read_text(encoding="utf-8")
    root: list = []
    stack: list[tuple[int, list]] = [(-1, root)]
    for source in text.splitlines():
        link, plain = NAV_LINK.match(source), NAV_TEXT.match(source)
        match = link or plain
        if not match:
            continue
        depth = len(match.group("indent").expandtabs(4))
        while stack and depth <= stack[-1][0]:
            stack.pop()
        holder = stack[-1][1]
        if link:
            target = posixpath.normpath(posixpath.join(folder, link.group("path")))
            if (docs / target).is_dir() or target.endswith("/"):
                target = _nav_path(target + "/", docs, options, notes, line, "")
            holder.append({link.group("title"): target})
        else:
            children: list = []
            holder.append({plain.group("title"): children})
            stack.append((depth, children))
    listed = {v for item in root for v in item.values() if isinstance(v, str)}
    if options.get("implicit_index"):
        index = next((f"{folder}/{n}" for n in ("index.md", "README.md") if (docs / folder / n).is_file()), None)
        if index and index not in listed:
            root.insert(0, index)
    notes.at(line, f"nav: '{folder}/' is read by the literate-nav plugin: its nav file {folder}/{nav_file} was "
                   "carried into site.toml's nav")
    return root


def _directives(guides: dict[str, bytes], docs_name: str, notes: _Notes) -> None:
    """`:::` lines (mkdocstrings, mkdocs-click) outside fenced code: plugins' syntax, shown as text by Passo."""
    for rel, data in guides.items():
        if not rel.endswith(".md"):
            continue
        fenced = False
        for number, source in enumerate(data.decode("utf-8", "replace").split("\n"), start=1):
            if FENCE.match(source):
                fenced = not fenced
            elif not fenced and DIRECTIVE.match(source):
                notes.at(number, f"'{source.strip()}': ::: directives (mkdocstrings, mkdocs-click) are plugins "
                         "Passo does not run: shown as text", path=posixpath.join(docs_name, rel))


def _snippet_files(data: dict, project: Path, docs: Path, docs_name: str, guides: dict[str, bytes],
                   notes: _Notes) -> dict[str, bytes]:
    """Files `--8<--` snippets pull in, copied at the same place relative to the site folder as to mkdocs.yml, so
    the snippets resolve unchanged (Passo reads snippets from the site folder)."""
    root = project.resolve()
    found: dict[str, bytes] = {}
    for rel, content in guides.items():
        if not rel.endswith(".md"):
            continue
        block = False
        for number, source in enumerate(content.decode("utf-8", "replace").split("\n"), start=1):
            names: list[str] = []
            if SNIPPET_BLOCK.match(source):
                block = not block
                continue
            match = SNIPPET_LINE.match(source)
            if match:
                names.append(match.group("path"))
            elif block and source.strip() and not source.strip().startswith(";"):
                names.append(source.strip())
            for name in names:
                path_name = re.sub(r"(:-?\d*)+$|:[A-Za-z_][\w-]*$", "", name)
                if re.match(r"^[a-z]+://", path_name):
                    continue
                path = (root / path_name).resolve()
                if path.is_file() and path.is_relative_to(root):
                    found[path.relative_to(root).as_posix()] = path.read_bytes()
                elif not path.is_file():
                    notes.at(number, f"snippet '{name}' is not beside {notes.config_name}: not copied (the build "
                                     "will say where it is missing)", path=posixpath.join(docs_name, rel))
    return found
