"""`python build.py i18n`: gather every interface and schema text into the gettext catalogues translators edit."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from passo.config import load_config
from passo.i18n import JS_KEYWORDS, SOURCE_LANGUAGE, catalogue_path, is_template_literal

TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def extract_messages(site_dir: Path) -> Catalog:
    """Every translatable string: templates (Jinja2), browser code (t, n, tp), the titles of site.toml's nav and
    plan schemas (both with a context)."""
    catalog = Catalog(project="Passo", charset="utf-8")
    templates = site_dir / "templates"
    if templates.is_dir():
        for filename, line, message, comments, context in extract_from_dir(
                str(templates), method_map=[("**.html", "jinja2")], keywords=TEMPLATE_KEYWORDS,
                options_map={"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                         "lstrip_blocks": "true"}}):
            catalog.add(message, locations=[(f"templates/{filename}", line)], auto_comments=comments, context=context)
    site_src = site_dir / "site_src"
    if site_src.is_dir():
        for filename, line, message, comments, context in extract_from_dir(
                str(site_src), method_map=[("js/**.js", "javascript")], keywords=JS_KEYWORDS):
            if is_template_literal(message, context):
                continue
            catalog.add(message, locations=[(f"site_src/{filename}", line)], auto_comments=comments, context=context)
    from passo.site.pwa import NEEDS_CONNECTION  # each language card's note, in that card's language

    catalog.add(NEEDS_CONNECTION, locations=[("passo/site/pwa.py", 0)])
    config, _problems = load_config(site_dir / "site.toml")
    if config is not None:  # titles written in nav: sections, and guides nav names otherwise
        from passo.content.nav import NAV_CONTEXT

        stack = list(config.nav_entries)
        while stack:
            entry = stack.pop(0)
            if entry.title:
                catalog.add(entry.title, locations=[("site.toml", entry.line)], context=NAV_CONTEXT)
            stack[:0] = entry.children
    schemas_dir = site_dir / "schemas"
    if schemas_dir.is_dir() and any(schemas_dir.glob("*.json")):
        from passo.forms.form_html import LEGEND, WHO, WHO_CONTEXT  # the visibility markers every form shows

        for text in [*WHO.values(), *LEGEND.values()]:
            catalog.add(text, locations=[("passo/forms/form_html.py", 0)], context=WHO_CONTEXT)
        from passo.forms.schema_model import load_schemas, translatable_strings

        schemas, _problems = load_schemas(schemas_dir)
        for schema_id, schema in sorted(schemas.items()):
            for context, text in translatable_strings(schema):
                catalog.add(text, locations=[(f"schemas/{schema_id}.json", 0)], context=context)
    return catalog


def update_catalogues(site_dir: Path) -> list[str]:
    """Create or update locales/<lang>/LC_MESSAGES/messages.po for every configured language but English."""
    config, problems = load_config(site_dir / "site.toml")
    if config is None:
        return [p.format() for p in problems]
    template = extract_messages(site_dir)
    report = [f"{len(template)} strings extracted"]
    for lang in config.languages:
        if lang == SOURCE_LANGUAGE:
            continue
        path = catalogue_path(site_dir, lang)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang.replace("-", "_"))
        else:
            catalog = Catalog(locale=lang.replace("-", "_"), project="Passo", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, sort_output=True, omit_header=False, include_previous=False)
        missing = sum(1 for m in catalog if m.id and not m.string)
        report.append(f"{path.relative_to(site_dir)}: {len(catalog)} strings, {missing} untranslated")
    return report
