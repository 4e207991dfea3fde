"""Each language's glossary (locales/<lang>/GLOSSARY.md): where the English of a string holds one of a term's
English forms, its translation uses none of the renderings the glossary says to avoid; quotation marks are the
language's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from passo.config import load_config
from passo.i18n import SOURCE_LANGUAGE, catalogue_path
from tests.conftest import REPO

TERMS = {"check-in", "review", "commitment", "agreement", "session", "device", "drop", "overdue", "revision"}
QUOTES = "“”„«»"  # the double quotation marks a catalogue may hold; the glossary names its language's
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")
LANGUAGES = [code for code in load_config(REPO / "site.toml")[0].languages  # type: ignore[union-attr]
             if code != SOURCE_LANGUAGE]


@dataclass(frozen=True)
class Term:
    name: str
    english: tuple[str, ...]
    avoid: tuple[str, ...]


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    other_senses: tuple[str, ...]
    quotes: str


def ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def read_glossary(path: Path) -> Glossary:
    """The table (term | English forms | use | avoid), the phrases under "## Other senses", the quotation marks."""
    terms: list[Term] = []
    other: list[str] = []
    quotes = ""
    header: list[str] | None = None
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip().lower()
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = [c.lower() for c in cells]
                assert header == ["term", "english forms", "use", "avoid"], f"{path}: table header {cells}"
            elif not all(set(c) <= {"-", ":"} for c in cells):
                assert len(cells) == 4, f"{path}: a row needs 4 cells: {line}"
                terms.append(Term(cells[0], tuple(f.strip() for f in cells[1].split(",") if f.strip()),
                                  tuple(ticked(cells[3]))))
        elif line.startswith("Quotation marks:"):
            quotes = "".join(ticked(line))
        elif section == "other senses":
            other += ticked(line)
    return Glossary(tuple(terms), tuple(other), quotes)


def mentions(term: Term, english: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", english, re.IGNORECASE) for form in term.english)


def slips(glossary: Glossary, po: Path) -> list[str]:
    """One line per translation that uses an avoided rendering or another language's quotation marks."""
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    found = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = tuple(s for s in (message.string if isinstance(message.string, tuple) else (message.string,)) if s)
        english = PLACEHOLDER.sub(" ", " ".join(ids))  # "{revision}" names a value, not the word
        for phrase in glossary.other_senses:
            english = re.sub(re.escape(phrase), " ", english, flags=re.IGNORECASE)
        translation = PLACEHOLDER.sub(" ", " ".join(strings)).lower()
        for term in glossary.terms:
            if mentions(term, english):
                found += [f"{ids[0]!r}: {term.name} is not {bad!r}: {strings}" for bad in term.avoid
                          if bad.lower() in translation]
        wrong = sorted({q for q in "".join(strings) if q in QUOTES and q not in glossary.quotes})
        if wrong:
            found.append(f"{ids[0]!r}: quotation marks {''.join(wrong)} (this language uses {glossary.quotes}): "
                         f"{strings}")
    return found


def glossary_path(lang: str) -> Path:
    return REPO / "locales" / lang / "GLOSSARY.md"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_a_glossary_of_the_nine_terms(lang: str) -> None:
    assert glossary_path(lang).is_file(), f"locales/{lang}/GLOSSARY.md is missing"
    glossary = read_glossary(glossary_path(lang))
    assert {t.name for t in glossary.terms} == TERMS
    assert all(t.english and t.avoid for t in glossary.terms), glossary.terms
    assert glossary.quotes and set(glossary.quotes) <= set(QUOTES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_translation_uses_a_rendering_its_glossary_avoids(lang: str) -> None:
    assert slips(read_glossary(glossary_path(lang)), catalogue_path(REPO, lang)) == []


PLANTED = '''msgid ""
msgstr ""
"Language: {lang}\\n"

msgid "Check in"
msgstr "{check_in}"

msgid "Save check-in"
msgstr "{save}"

msgid "revision {{revision}}, changed {{date}}"
msgstr "{revision}"

msgid "Reminders come with the calendar file. Some apps drop reminders when they import a file."
msgstr "{reminders}"

msgid "{{n}} item is overdue."
msgid_plural "{{n}} items are overdue."
msgstr[0] "{overdue_one}"
msgstr[1] "{overdue_other}"

msgid "Delete “{{title}}” shared with me"
msgstr "{quoted}"
'''


def test_a_planted_slip_fails_and_a_right_rendering_passes(tmp_path: Path) -> None:
    """The real glossaries against a catalogue of a few strings: an avoided word is found, in a plural form too;
    a placeholder, a phrase of another sense and the right word are not."""
    italian = tmp_path / "it.po"
    italian.write_text(PLANTED.format(
        lang="it", check_in="Verifica", save="Salva il check-in",
        revision="versione {revision}, ultima modifica {date}",
        reminders="Alcune app li scartano quando importano un file.", overdue_one="{n} voce è in ritardo.",
        overdue_other="{n} voci sono scadute.", quoted="Elimina «{title}» condiviso con me"), encoding="utf-8")
    assert slips(read_glossary(glossary_path("it")), italian) == [
        "'Check in': check-in is not 'verifica': ('Verifica',)",
        "'{n} item is overdue.': overdue is not 'scadute': ('{n} voce è in ritardo.', '{n} voci sono scadute.')",
        "'Delete “{title}” shared with me': quotation marks «» (this language uses “”): "
        "('Elimina «{title}» condiviso con me',)"]

    swedish = tmp_path / "sv.po"
    swedish.write_text(PLANTED.format(
        lang="sv", check_in="Stäm av", save="Spara incheckningen", revision="version {revision}, ändrad {date}",
        reminders="Vissa appar tar bort påminnelserna.", overdue_one="{n} punkt är försenad.",
        overdue_other="{n} punkter är försenade.", quoted="Ta bort “{title}” som delats med mig"), encoding="utf-8")
    assert slips(read_glossary(glossary_path("sv")), swedish) == [
        "'Save check-in': check-in is not 'incheckning': ('Spara incheckningen',)",
        "'Delete “{title}” shared with me': quotation marks “ (this language uses ”): "
        "('Ta bort “{title}” som delats med mig',)"]
