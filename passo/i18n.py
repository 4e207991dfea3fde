"""Gettext catalogues: load and check them, translate templates and schemas, and give the browser its strings."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from passo import builtin
from passo.problems import Problem, problem_at

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
CONTEXT_SEPARATOR = "\x04"
# printf-style and brace placeholders, whose set must be equal in msgid and msgstr.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")
JS_KEYWORDS = {"t": None, "n": (1, 2), "tp": ((1, "c"), 2)}


def catalogue_path(site_dir: Path, lang: str) -> Path:
    return site_dir / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass
class Language:
    """One language's catalogue, ready for Jinja and for the browser."""

    code: str
    catalog: Catalog | None
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def has(self, message: str, context: str | None = None) -> bool:
        if self.catalog is None:
            return self.code == SOURCE_LANGUAGE
        entry = self.catalog.get(message, context=context)
        return bool(entry and entry.string and (not isinstance(entry.string, tuple) or all(entry.string)))


def _placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text)}


def _read_catalogue(path: Path, lang: str, display: str) -> tuple[Catalog | None, list[Problem]]:
    """One .po file; a broken placeholder or an unreadable file is an error with file and line."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        return None, [problem_at(path, line, f"catalogue cannot be read: {exc}", display_path=display)]
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _placeholders(ids[0])
        for text in strings:
            if text and _placeholders(text) != wanted:
                line = message.lineno or 0
                problems.append(problem_at(path, line, f"placeholders differ: '{ids[0]}' has "
                                                       f"{sorted(wanted) or 'none'}, the translation has "
                                                       f"{sorted(_placeholders(text)) or 'none'}",
                                           display_path=display))
                break
    return catalog, problems


def shipped_languages() -> list[str]:
    """Languages Passo's own interface is translated into (English, the source, needs no catalogue)."""
    found = {p.parent.parent.name for p in builtin.folder("locales").glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted({SOURCE_LANGUAGE, *found})


def load_language(site_dir: Path, lang: str, theme: str | None = None) -> tuple[Language | None, list[Problem]]:
    """Passo's catalogue for `lang`, with the theme's and then the site's entries added or put over it (site >
    theme > Passo): a language Passo ships needs no catalogue in the site."""
    found = [(folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po") for folder in builtin.layers(site_dir, theme, "locales")]
    paths = [path for path in found if path.is_file()]
    if not paths:
        if lang == SOURCE_LANGUAGE:
            return Language(lang, None, NullTranslations()), []
        display = catalogue_path(site_dir, lang).relative_to(site_dir).as_posix()
        return None, [Problem("site.toml", 0, 0, f"language '{lang}' has no catalogue: Passo ships "
                                                 f"{', '.join(shipped_languages())}; for another language create "
                                                 f"{display} (passo i18n writes it)")]
    merged: Catalog | None = None
    problems: list[Problem] = []
    for path in reversed(paths):  # Passo's first, the site's last: later entries win
        catalog, found_problems = _read_catalogue(path, lang, builtin.display(path, site_dir))
        problems.extend(found_problems)
        if catalog is None:
            return None, problems
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            # An untranslated or fuzzy entry of the site leaves Passo's translation be.
            if message.id and all(strings) and not message.fuzzy:
                merged.delete(message.id, context=message.context)
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Language(lang, merged, Translations(buffer, domain=DOMAIN)), problems


def is_template_literal(message: object, context: str | None) -> bool:
    """t(`...${x}...`) is computed at run time (a schema text looked up by its pointer): nothing to extract."""
    texts = [*(message if isinstance(message, tuple) else (message,)), context or ""]
    return any("${" in str(text) for text in texts)


Message = tuple[str | None, str | tuple[str, str]]
# Babel's JavaScript reader is slow (about a second for Passo's browser code): a module's messages are kept by the
# digest of its bytes, in memory for `serve` and tests, and in the build record between builds.
_JS_CACHE: dict[str, list[Message]] = {}


def _file_messages(data: bytes) -> list[Message]:
    found = []
    for _line, message, _comments, context in extract("javascript", io.BytesIO(data), keywords=JS_KEYWORDS):
        if message and not is_template_literal(message, context):
            found.append((context, message))
    return found


# The strings of Passo's own browser modules, by digest, made by scripts/js_strings.py (a test keeps it current):
# a first build, with no record yet, reads only the modules a site overrides.
SHIPPED_JS_STRINGS = Path(__file__).with_name("js_strings.json")
_SHIPPED: dict[str, list] | None = None


def shipped_js_strings() -> dict[str, list]:
    global _SHIPPED
    if _SHIPPED is None:
        try:
            _SHIPPED = json.loads(SHIPPED_JS_STRINGS.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _SHIPPED = {}  # a missing or broken file costs time, never a wrong string: the modules are read
    return _SHIPPED


def _from_record(entries: list) -> list[Message]:
    """JSON keeps a plural's (singular, plural) as a list: make it the tuple Babel gives."""
    return [(context, tuple(message) if isinstance(message, list) else message) for context, message in entries]


def js_messages(site_src: list[Path], recorded: dict[str, list] | None = None) -> tuple[list[Message], dict[str, list]]:
    """(context, msgid) of every string the browser code asks for with t(), n() or tp(), and the messages of
    each module by digest (for the build record). `recorded` is what the last build found."""
    found: set[Message] = set()
    by_digest: dict[str, list] = {}
    for folder in site_src:
        for path in sorted(folder.glob("js/**/*.js")):
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if digest not in _JS_CACHE:
                if len(_JS_CACHE) > 512:
                    _JS_CACHE.clear()
                known = recorded[digest] if recorded and digest in recorded else shipped_js_strings().get(digest)
                _JS_CACHE[digest] = _from_record(known) if known is not None else _file_messages(data)
            messages = _JS_CACHE[digest]
            by_digest[digest] = [[context, list(m) if isinstance(m, tuple) else m] for context, m in messages]
            found.update(messages)
    return sorted(found, key=lambda item: (item[0] or "", str(item[1]))), by_digest


def browser_messages(language: Language, wanted: list[tuple[str | None, str | tuple[str, str]]],
                     extra: list[tuple[str | None, str]] = ()) -> dict[str, str | list[str]]:
    """The JSON the browser loads: msgid (or context\\x04msgid) -> translation, only for translated strings."""
    out: dict[str, str | list[str]] = {}
    if language.catalog is None:
        return out
    for context, message in [*wanted, *extra]:
        msgid = message[0] if isinstance(message, tuple) else message
        entry = language.catalog.get(msgid, context=context)
        if not entry or not entry.string:
            continue
        key = f"{context}{CONTEXT_SEPARATOR}{msgid}" if context else msgid
        out[key] = list(entry.string) if isinstance(entry.string, tuple) else entry.string
    return dict(sorted(out.items()))
