"""Which Python-Markdown extensions a guide is read with, and their options: Passo's set (what MkDocs sites use:
pymdown-extensions' fences, details, tabs, task lists and snippets, and Python-Markdown's own), plus the ones a site
adds in site.toml's `markdown_extensions`. Options that would break a promise (no inline style under the CSP,
snippets only from the site folder) are Passo's to set, and asking otherwise is an error at the site.toml line."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, get_installed_extensions
from pymdownx.snippets import SnippetMissingError

from passo.config import MarkdownExtension
from passo.problems import Problem, problem_at

# Every guide is read with these, in this order; a site's entry of the same name changes their options.
BUILT_IN: dict[str, dict[str, Any]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "sane_lists": {},
    "tables": {},
    "toc": {"slugify": slugify_unicode, "permalink": False, "toc_depth": "2-6"},  # a page's toc_depth cuts it
    # Pygments writes CSS classes (css/guide.css colours them): the CSP allows no style attribute.
    "pymdownx.highlight": {"use_pygments": True, "noclasses": False, "pygments_lang_class": True,
                           "guess_lang": False},
    "pymdownx.superfences": {},  # fences inside lists and quotes, titled fences
    "pymdownx.details": {},      # ??? and ???+ as <details>
    "pymdownx.tabbed": {"alternate_style": True},  # === tabs made of radio buttons and CSS, no script
    "pymdownx.tasklist": {},
}
SNIPPETS = "pymdownx.snippets"  # on when the site folder is known: snippets are read from it, and only from it

# Options Passo decides whatever site.toml says, with the reason a site is told when it asks otherwise.
FIXED: dict[str, dict[str, tuple[Any, str]]] = {
    "pymdownx.highlight": {"noclasses": (False, "the Content-Security-Policy allows no inline style")},
    "codehilite": {"noclasses": (False, "the Content-Security-Policy allows no inline style")},
    SNIPPETS: {
        "restrict_base_path": (True, "snippets are read from the site folder only"),
        "check_paths": (True, "a missing snippet is an error, not a silent gap"),
        "url_download": (False, "snippets are read from the site folder only, never downloaded"),
    },
}

# Names MkDocs sites write for something Passo's set already does another way.
SAME_AS = {"fenced_code": "pymdownx.superfences", "markdown.extensions.fenced_code": "pymdownx.superfences"}
EXTRA = ("abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables")

# The package to install for extensions MkDocs sites often list, by top-level module or entry-point name.
PACKAGES = {
    "pymdownx": "pymdown-extensions",
    "material": "mkdocs-material",
    "callouts": "markdown-callouts",
    "github-callouts": "markdown-callouts",
    "markdown_callouts": "markdown-callouts",
    "mdx_gh_links": "mdx-gh-links",
    "mkdocs-click": "mkdocs-click",
    "mkdocs_click": "mkdocs-click",
    "markdown_include": "markdown-include",
    "mdx_truly_sane_lists": "mdx-truly-sane-lists",
    "mdx_math": "python-markdown-math",
    "markdown_katex": "markdown-katex",
    "plantuml_markdown": "plantuml-markdown",
    "mdx_include": "mdx-include",
    "markdown_blockdiag": "markdown-blockdiag",
}


def canonical(name: str) -> str:
    """One name per extension: Python-Markdown's own by their short names ('markdown.extensions.toc' is 'toc')."""
    name = SAME_AS.get(name, name)
    return name.removeprefix("markdown.extensions.")


def setup(entries: Sequence[MarkdownExtension], site_dir: Path | None) -> tuple[list[str], dict[str, dict]]:
    """Extension names in order and their options: Passo's set, then the site's, with Passo's fixed options."""
    configs: dict[str, dict[str, Any]] = {name: dict(options) for name, options in BUILT_IN.items()}
    if site_dir is not None:
        configs[SNIPPETS] = {}
    for entry in entries:
        name = canonical(entry.name)
        if name == "extra":  # Python-Markdown's bundle: every part is in Passo's set; options go to each part
            for part, options in entry.options.items():
                configs.setdefault(canonical(part), {}).update(options)
            continue
        configs.setdefault(name, {}).update(entry.options)
    for name, fixed in FIXED.items():
        if name in configs:
            configs[name].update({option: value for option, (value, _why) in fixed.items()})
    if SNIPPETS in configs:
        configs[SNIPPETS]["base_path"] = snippet_folders(configs[SNIPPETS].get("base_path"), site_dir)
    return list(configs), configs


def snippet_folders(written: Any, site_dir: Path | None) -> list[str]:
    """The folders snippets are read from: the site folder, or those site.toml names inside it (as MkDocs reads
    them, relative to the config file)."""
    root = (site_dir or Path.cwd()).resolve()
    names = [written] if isinstance(written, str) else list(written or ["."])
    return [str((root / name).resolve()) for name in names]


def check(entries: Sequence[MarkdownExtension], site_dir: Path) -> list[Problem]:
    """Each extension site.toml adds must be installed, take the options written, and leave Passo's own alone."""
    problems = []
    toml = site_dir / "site.toml"
    for entry in entries:
        message = _problem(entry, site_dir)
        if message:
            problems.append(problem_at(toml, entry.line, message, display_path="site.toml"))
    return problems


def _problem(entry: MarkdownExtension, site_dir: Path) -> str | None:
    name = canonical(entry.name)
    if name == "extra":
        unknown = sorted(set(entry.options) - set(EXTRA))
        return f"markdown extension 'extra' has no part '{unknown[0]}' (its parts: {', '.join(EXTRA)})" \
            if unknown else None
    for option, (value, why) in FIXED.get(name, {}).items():
        if option in entry.options and entry.options[option] != value:
            return f"markdown extension '{entry.name}': Passo sets {option} = {str(value).lower()} ({why})"
    if name == SNIPPETS:
        root = site_dir.resolve()
        for folder in snippet_folders(entry.options.get("base_path"), site_dir):
            if not Path(folder).is_relative_to(root):
                return f"markdown extension '{entry.name}': base_path '{folder}' is outside the site folder " \
                       "(snippets are read from the site folder only)"
    missing = _not_installed(name)
    if missing:
        return missing
    builder = markdown.Markdown()
    try:
        extension = builder.build_extension(name, entry.options)
    except KeyError as exc:  # Python-Markdown's Extension refuses an option it does not declare
        known = ", ".join(sorted(builder.build_extension(name, {}).getConfigs()))
        return f"markdown extension '{entry.name}' has no option '{exc.args[0]}' (its options: {known})"
    except AttributeError:  # a module without makeExtension
        hint = ""
        if len(entry.options) == 1 and isinstance(next(iter(entry.options.values())), dict):
            dotted = f"{entry.name}.{next(iter(entry.options))}"
            hint = f"; a dotted name needs quotes in TOML: {{\"{dotted}\" = {{...}}}}"
        return f"'{entry.name}' is not a Python-Markdown extension{hint}"
    except Exception as exc:  # an extension's own checks raise what they like; the site needs its message
        return f"markdown extension '{entry.name}' could not be set up: {exc}"
    try:
        markdown.Markdown(extensions=[extension])
    except Exception as exc:
        return f"markdown extension '{entry.name}' could not be set up: {exc}"
    return None


def _not_installed(name: str) -> str | None:
    """Python-Markdown finds an extension by entry-point name, else by module path; neither found is an error
    naming the package to install."""
    if any(point.name == name for point in get_installed_extensions()):
        return None
    module = name.split(":", 1)[0]
    top = module.split(".", 1)[0]
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a name no module can have
        found = False
    if found:
        return None
    package = PACKAGES.get(top) or PACKAGES.get(name)
    install = f"pip install {package}" if package else f"install the package that provides '{top}'"
    return f"markdown extension '{name}' is not installed: {install}"


def harden_snippets(md: markdown.Markdown, site_dir: Path | None) -> None:
    """pymdown's own check compares paths as written; a symlink inside the site folder to a file outside would pass
    it, so the file a snippet resolves to must be inside the site folder too."""
    if site_dir is None or "snippet" not in md.preprocessors:
        return
    snippet = md.preprocessors["snippet"]
    root = site_dir.resolve()
    find = snippet.get_snippet_path

    read: dict[str, tuple[int, int]] = {}
    md.passo_snippets_read = read  # type: ignore[attr-defined]

    def inside(path: str) -> str | None:
        found = find(path)
        if not found:
            return None
        resolved = Path(found).resolve()
        if not resolved.is_relative_to(root):
            return None
        # Noted with its stat, so an edit to the snippet makes the pages that pull it in again.
        st = resolved.stat()
        read[resolved.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
        return found

    snippet.get_snippet_path = inside  # type: ignore[method-assign]


def snippets_read(md: markdown.Markdown) -> dict[str, tuple[int, int]]:
    """The files `--8<--` pulled into the last conversion, by path under the site folder, with (mtime_ns, size);
    the record is emptied for the next one."""
    read: dict[str, tuple[int, int]] = getattr(md, "passo_snippets_read", {})
    taken = dict(read)
    read.clear()
    return taken


class _LabelledTasks(Treeprocessor):
    """A task's checkbox needs a name for screen readers (axe's rule `label`): the item's own words, by wrapping
    them and the checkbox in a <label>, up to the first block inside the item (a nested list stays outside)."""

    def run(self, root: etree.Element) -> None:
        for item in root.iter("li"):
            if "task-list-item" not in item.get("class", "").split():
                continue
            holder = item if (item.text or "").startswith(STX) else (item[0] if len(item) else None)
            if holder is None or not (holder.text or "").startswith(STX):
                continue
            label = etree.Element("label")
            label.text, holder.text = holder.text, None
            for child in list(holder):
                if self.md.is_block_level(child.tag):
                    break
                holder.remove(child)
                label.append(child)
            holder.insert(0, label)


def label_tasks(md: markdown.Markdown) -> None:
    """After the inline pass (20), when the item's words are elements, and after the task list's own (25)."""
    if "task-list" in md.treeprocessors:
        md.treeprocessors.register(_LabelledTasks(md), "passo-task-labels", 19)


def snippet_problem(error: SnippetMissingError, body: str, first_line: int, site_dir: Path | None) -> tuple[int, str]:
    """(line, message) for a snippet that cannot be read: outside the site folder, or not there."""
    text = str(error)
    match = re.search(r"'(.*)'", text)
    path = match.group(1) if match else ""
    line = first_line
    for number, source in enumerate(body.split("\n")):
        if path and (("-8<-" in source and path in source) or source.strip() == path):
            line = first_line + number
            break
    if text.startswith("Snippet section"):
        return line, f"snippet section '{path}' is not in the file"
    root = (site_dir or Path.cwd()).resolve()
    if Path(path).is_absolute() or not (root / path).resolve().is_relative_to(root):
        return line, f"snippet '{path}' is outside the site folder: snippets are read from the site folder only"
    return line, f"snippet '{path}' is not in the site folder"
