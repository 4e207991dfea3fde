"""`new guide LANG SLUG` and `new site DIR`: skeletons that build at once, so a coach starts from something working
(`mkdocs.py`: `new site DIR --from-mkdocs mkdocs.yml`, a site made of an MkDocs project's docs)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from passo import builtin
from passo.content.load import KEY_PATTERN
from passo.i18n import DOMAIN, SOURCE_LANGUAGE, shipped_languages

SKELETON = """---
title: {title}
summary: One sentence that says what this guide helps with.
order: 100
tags: []
---

Start with a short paragraph: who this guide is for and what they will be able to do after reading it.

## First step

Explain the first step in plain words.

## Next step

Link to related guides with their file name, for example `[the GROW model](grow.md)`.
"""


def new_guide(site_dir: Path, lang: str, slug: str, title: str | None = None) -> Path:
    if not KEY_PATTERN.match(slug):
        raise ValueError(f"'{slug}' is not a URL slug: use lower-case letters, digits and '-'")
    path = site_dir / "content" / lang / "guides" / f"{slug}.md"
    if path.exists():
        raise ValueError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SKELETON.format(title=title or slug.replace("-", " ").capitalize()), encoding="utf-8")
    return path


SITE_TOML = """# Your coaching site. Every key is explained in Passo's docs/install.md; `passo check` finds mistakes.
name = {name}
description = {description}
languages = {languages}
default_language = "{default}"
# The path the site is published under, e.g. "/coaching/" for https://example.org/coaching/.
base_path = "/"
{site_url}
# A folder of your own templates/ and site_src/ files that replace Passo's files of the same path:
# theme = "theme"
{tail}
[branding]
name = {name}
short_name = {short_name}
colour = "#1f5c99"
background = "#ffffff"
"""

# The first guide, in each language Passo's interface speaks: it explains itself and opens a plan form.
WELCOME = {
    "en": ("Start here", "What this site is for and how to make your first action plan.",
           "This site holds your coaching guides and plan forms. Everything you write in a form stays on "
           "your own phone or computer and works without a connection.\n\n## Your first plan\n\n"
           "Open the action plan below, write one goal and the first step that depends on you alone.\n\n"
           "## For the coach\n\nEdit this guide in `content/en/guides/welcome.md`, add guides with "
           "`passo new guide en SLUG`, and change the plan forms in `schemas/`."),
    "it": ("Inizia da qui", "A cosa serve questo sito e come preparare il tuo primo piano d'azione.",
           "Questo sito raccoglie le guide di coaching e i moduli dei piani. Quello che scrivi in un modulo "
           "resta sul tuo telefono o computer e funziona anche senza connessione.\n\n## Il tuo primo piano\n\n"
           "Apri il piano d'azione qui sotto, scrivi un obiettivo e il primo passo che dipende solo da te.\n\n"
           "## Per il coach\n\nModifica questa guida in `content/it/guides/welcome.md`, aggiungi guide con "
           "`passo new guide it SLUG` e cambia i moduli dei piani in `schemas/`."),
    "nl": ("Begin hier", "Waar deze site voor is en hoe je je eerste actieplan maakt.",
           "Op deze site staan je coachinggidsen en planformulieren. Wat je in een formulier schrijft, blijft "
           "op je eigen telefoon of computer en werkt ook zonder verbinding.\n\n## Je eerste plan\n\n"
           "Open het actieplan hieronder en schrijf één doel op, met de eerste stap die alleen van jou "
           "afhangt.\n\n## Voor de coach\n\nPas deze gids aan in `content/nl/guides/welcome.md`, voeg gidsen "
           "toe met `passo new guide nl SLUG` en wijzig de planformulieren in `schemas/`."),
    "sv": ("Börja här", "Vad den här webbplatsen är till för och hur du gör din första handlingsplan.",
           "Här finns dina coachningsguider och planformulär. Det du skriver i ett formulär stannar i din "
           "egen telefon eller dator och fungerar även utan uppkoppling.\n\n## Din första plan\n\n"
           "Öppna handlingsplanen nedan, skriv ett mål och det första steget som bara beror på dig.\n\n"
           "## För coachen\n\nÄndra den här guiden i `content/sv/guides/welcome.md`, lägg till guider med "
           "`passo new guide sv SLUG` och ändra planformulären i `schemas/`."),
}
WELCOME_PLAN = "smart-action-plan"


def _guide(lang: str) -> str:
    title, summary, body = WELCOME[lang]
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsummary: {json.dumps(summary, ensure_ascii=False)}"
            f"\norder: 1\nplan: {WELCOME_PLAN}\n---\n\n{body}\n")


def _schema_catalogue(lang: str, schema_ids: list[str]) -> bytes:
    """Passo's translations of the plan forms' texts, so the coach can edit them with the forms."""
    with (builtin.folder("locales") / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        shipped = read_po(handle, locale=lang.replace("-", "_"))
    catalog = Catalog(locale=lang.replace("-", "_"), project="Passo site", charset="utf-8")
    for message in shipped:
        if message.id and message.context and message.context.split(":", 1)[0] in schema_ids:
            catalog.add(message.id, message.string, locations=message.locations, context=message.context)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True)
    return buffer.getvalue()


DESCRIPTION = "Coaching guides and action plans that stay on your phone and work offline."


def new_site(target: Path, languages: list[str], name: str | None = None, *, description: str | None = None,
             site_url: str | None = None, toml_tail: str = "", guides: dict[str, bytes] | None = None,
             extra: dict[str, bytes] | None = None) -> list[Path]:
    """Write a site that builds at once; refuse, writing nothing, a folder that holds anything already.
    `guides` (path under the default language's guides/ -> bytes) replace the welcome guide; `extra` (path in the
    site folder -> bytes) and `toml_tail` (top-level keys added to site.toml) are what an import brings."""
    languages = languages or [SOURCE_LANGUAGE]
    shipped = shipped_languages()
    for lang in languages:
        if lang not in shipped or lang not in WELCOME:
            raise ValueError(f"Passo speaks {', '.join(shipped)}: '{lang}' is not one of them yet")
    if len(set(languages)) != len(languages):
        raise ValueError("a language is given twice")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValueError(f"{target} is not empty: passo new site writes only into a new or empty folder "
                         "(nothing was written)")
    name = name or "Coaching"
    files: dict[str, bytes] = {
        "site.toml": (SITE_TOML.format(name=json.dumps(name, ensure_ascii=False), default=languages[0],
                                       short_name=json.dumps(name[:12], ensure_ascii=False),
                                       languages=json.dumps(languages),
                                       description=json.dumps(description or DESCRIPTION, ensure_ascii=False),
                                       site_url=f"site_url = {json.dumps(site_url)}" if site_url
                                       else '# site_url = "https://coaching.example.org/"', tail=toml_tail)).encode(),
        ".gitignore": b"dist/\n.dist.passo-state.json\n",
    }
    if guides is None:
        for lang in languages:
            files[f"content/{lang}/guides/welcome.md"] = _guide(lang).encode()
    else:
        files.update({f"content/{languages[0]}/guides/{rel}": data for rel, data in guides.items()})
    files.update(extra or {})
    schemas = builtin.folder("schemas")
    schema_ids = sorted(p.stem for p in schemas.glob("*.json"))
    for path in sorted(schemas.iterdir()):
        if path.suffix in (".json", ".js"):
            files[f"schemas/{path.name}"] = path.read_bytes()
    for lang in languages:
        if lang != SOURCE_LANGUAGE:
            files[f"locales/{lang}/LC_MESSAGES/{DOMAIN}.po"] = _schema_catalogue(lang, schema_ids)
    written = []
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
