"""A plan schema rendered, at build time, into an accessible HTML form that js/schema/form.js binds to plan data.

The markup is the contract with form.js: every value sits in an element with `data-kind` (object, array,
value, checks) and, except for a list's items, `data-key`; a value's error message is the `[data-error]` child of
that element; list items are cloned from a `<template>` whose ids carry the `__i__` placeholder (form.js swaps it
for a unique number). Ids come from the data path, so the same schema always gives the same HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any

from passo.forms.schema_model import JsonPath, PlanSchema, pointer, resolve, widget_of
from passo.forms.visibility import declared

Translate = Callable[[str, str], str]
ITEM = "__i__"  # placeholder for a list item's index in ids inside <template>
TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
# Who may see an answer if the coachee shares the plan (DESIGN.md "Coach loop"): the marker beside each field.
# Interface texts under one gettext context; passo/catalogues.py extracts them from here.
WHO_CONTEXT = "passo:visibility"
WHO = {
    "coachee": "Only you",
    "coach": "You and your coach",
    "sponsor": "Your coach and sponsor, if your agreement shares it",
}
LEGEND = {
    "title": "Who sees your answers",
    "coachee": "This answer never leaves your device, not in a share nor in a report.",
    "coach": "Your coach sees this answer when you share the plan with them.",
    "sponsor": "Your coach sees it when you share the plan; your sponsor only in a sponsor report, and only for "
               "the topics your coaching agreement shares.",
}


def _attr(value: Any) -> str:
    return escape(str(value), quote=True)


def _attrs(**values: Any) -> str:
    """HTML attributes in the order given; None and False drop out, True is a bare attribute."""
    out = []
    for name, value in values.items():
        name = name.rstrip("_").replace("_", "-")
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{_attr(value)}"')
    return "".join(out)


class _Form:
    def __init__(self, schema: PlanSchema, translate: Translate):
        self.schema = schema
        self.root = schema.raw
        self.translate = translate
        self.levels: set[str] = set()  # the visibility levels the form's markers show, for the legend

    def text(self, path: JsonPath, english: str) -> str:
        """Translated, escaped schema text; the context is where the string is written in the file."""
        return escape(self.translate(f"{self.schema.id}:{pointer(path)}", english))

    def words(self, ref_node: dict[str, Any], ref_path: JsonPath, node: dict[str, Any], path: JsonPath,
              key: str) -> str:
        """A title or description: the $ref's own (it names this use) wins over the definition's."""
        if key in ref_node:
            return self.text((*ref_path, key), ref_node[key])
        if key in node:
            return self.text((*path, key), node[key])
        return ""

    # -- dispatch ------------------------------------------------------------------------------------------

    def value(self, ref_node: dict[str, Any], ref_path: JsonPath, ids: tuple[str, ...], key: str | None,
              depth: int, required: bool, siblings: dict[str, Any] | None = None, label: str | None = None,
              inherited: str = "coachee", marked: bool = False) -> str:
        """One value of the plan: a field, a group of fields or a list. key is None for a list item.

        `inherited` is the visibility around this value; `marked` says an enclosing value already shows who
        sees it (the date and time of a "when", the steps of a list of steps), so this one shows no marker.
        """
        node, path = resolve(self.root, ref_node, ref_path)
        widget = widget_of(node)
        ident = "f-" + "-".join(ids)
        title = label or self.words(ref_node, ref_path, node, path, "title") or escape(key or "")
        hint = self.words(ref_node, ref_path, node, path, "description")
        vis = declared(ref_node, self.root)[1] or inherited
        common = {"data_key": key, "data_visibility": vis}
        if widget == "hidden":
            generate = "uuid" if key == "id" else "tz" if key == "tz" else None
            hidden = _attrs(id=ident, data_kind="value", data_key=key, data_type="string", data_generate=generate)
            return f'<input type="hidden"{hidden}>'
        # Markers go on what the coachee answers: a field, a choice, a date with its time, a list of steps.
        # Groups and lists of items hold fields that say it themselves.
        leaf = widget not in ("fieldset", "list")
        who = self.who(ident, vis) if leaf and not marked else ""
        if leaf and not marked:
            self.levels.add(vis)
        if widget == "repeat":
            return self.repeat(ident, title, common, who)
        if widget in ("fieldset", "when"):
            return self.group(node, path, ident, ids, title, hint, depth, common, widget, key is None, required,
                              vis, who)
        if widget in ("list", "steps"):
            return self.array(node, path, ident, ids, title, hint, depth, common, vis, who)
        if widget in ("radio", "scale", "checkboxes"):
            return self.choices(node, path, ref_path, ident, title, hint, common, widget, required, siblings,
                                inherited, who)
        return self.field(node, path, ident, title, hint, common, widget, required, key is None, who)

    def who(self, ident: str, vis: str) -> str:
        """The marker saying who may see this answer; aria-describedby ties it to the field."""
        text = escape(self.translate(WHO_CONTEXT, WHO[vis]))
        return f'<span class="who who-{vis}" id="{ident}-who">{text}</span>'

    def legend(self) -> str:
        """The key to the markers at the top of the form: the levels this form uses, in the order they nest."""
        title = escape(self.translate(WHO_CONTEXT, LEGEND["title"]))
        rows = "".join(
            f'<li><span class="who who-{level}">{escape(self.translate(WHO_CONTEXT, WHO[level]))}</span> '
            f'{escape(self.translate(WHO_CONTEXT, LEGEND[level]))}</li>'
            for level in ("coachee", "coach", "sponsor") if level in self.levels)
        return (f'<section class="who-legend" aria-labelledby="who-legend-title">\n'
                f'<h2 id="who-legend-title">{title}</h2>\n<ul>{rows}</ul>\n</section>')

    # -- pieces --------------------------------------------------------------------------------------------

    @staticmethod
    def hint_error(ident: str, hint: str, who: str = "") -> tuple[str, str, str]:
        """The hint paragraph, the (empty, hidden) error paragraph and the aria-describedby that ties them
        and the marker (who is heard right after the field's name)."""
        hint_html = f'<p class="hint" id="{ident}-hint">{hint}</p>' if hint else ""
        error_html = f'<p class="error" id="{ident}-error" data-error hidden></p>'
        described = " ".join([f"{ident}-who"] * bool(who) + [f"{ident}-hint"] * bool(hint) + [f"{ident}-error"])
        return hint_html, error_html, described

    @staticmethod
    def heading(depth: int, inner: str) -> str:
        """Legends of groups carry headings (h2, h3) so screen reader users can jump between sections."""
        return f"<h{depth + 1}>{inner}</h{depth + 1}>" if depth <= 2 else inner

    def group(self, node: dict[str, Any], path: JsonPath, ident: str, ids: tuple[str, ...], title: str,
              hint: str, depth: int, common: dict[str, Any], widget: str, is_item: bool, present: bool,
              vis: str = "coachee", who: str = "") -> str:
        props: dict[str, Any] = node.get("properties", {})
        # `required` is announced only where the value must be there: an optional group's required parts are
        # required once the group is filled in, which the validator says when it happens.
        required = set(node.get("required", [])) if present else set()
        hint_html, error_html, described = self.hint_error(ident, hint, who)
        # A field that keeps the answer to a prompt is shown inside that prompt, not in the plain order.
        in_prompts = {p["field"] for child in props.values() for p in resolve(self.root, child, ())[0]
                      .get("x-prompts", []) if p.get("field")}
        children = []
        for name, child in props.items():
            if name in in_prompts:
                continue
            children.append(self.value(child, (*path, "properties", name), (*ids, _slug(name)), name,
                                       depth + 1, name in required, props, inherited=vis, marked=widget == "when"))
        body = "\n".join(children)
        if not ids:  # the root: the <form> itself is the group
            return body
        legend = f'<span data-item-label>{title}</span> <span data-n></span>' if is_item else title
        css = "group when" if widget == "when" else "group"
        return (f'<fieldset{_attrs(class_=css, id=ident, data_kind="object", **common)}'
                f' aria-describedby="{described}">\n<legend>{self.heading(depth, legend)}</legend>\n'
                f"{who}{hint_html}{error_html}\n{body}\n</fieldset>")

    def array(self, node: dict[str, Any], path: JsonPath, ident: str, ids: tuple[str, ...], title: str,
              hint: str, depth: int, common: dict[str, Any], vis: str = "coachee", who: str = "") -> str:
        items_ref = node["items"]
        items, items_path = resolve(self.root, items_ref, (*path, "items"))
        item_title = self.words(items_ref, (*path, "items"), items, items_path, "title") or title
        hint_html, error_html, described = self.hint_error(ident, hint, who)
        content = self.value(items_ref, (*path, "items"), (*ids, ITEM), None, depth + 1, True, inherited=vis,
                             marked=bool(who))
        add = self.text((*path, "x-add"), node["x-add"])
        tools = ('<div class="item-tools">'
                 '<button type="button" class="tool" data-list-move="-1"><span aria-hidden="true">↑</span>'
                 '<span class="visually-hidden"></span></button>'
                 '<button type="button" class="tool" data-list-move="1"><span aria-hidden="true">↓</span>'
                 '<span class="visually-hidden"></span></button>'
                 '<button type="button" class="tool remove" data-list-remove></button></div>')
        limits = _attrs(data_min=node.get("minItems"), data_max=node.get("maxItems"))
        return (f'<fieldset{_attrs(class_="group list", id=ident, data_kind="array", **common)}'
                f'{limits} data-item-title="{_attr(item_title)}" aria-describedby="{described}">\n'
                f"<legend>{self.heading(depth, title)}</legend>\n{who}{hint_html}{error_html}\n"
                f'<ol class="items" data-items></ol>\n'
                f'<button type="button" class="add" id="{ident}-add" data-list-add>{add}</button>\n'
                f'<template data-item-template><li class="item">\n{content}\n{tools}\n</li></template>\n'
                f"</fieldset>")

    def field(self, node: dict[str, Any], path: JsonPath, ident: str, title: str, hint: str,
              common: dict[str, Any], widget: str, required: bool, is_item: bool, who: str = "") -> str:
        """A single control with its label: text, textarea, number, date, time, email, select, checkbox."""
        hint_html, error_html, described = self.hint_error(ident, hint, who)
        kind = node.get("type", "string")
        label = f'{title} <span data-n></span>' if is_item else title
        control_attrs = {"id": ident, "name": ident, "aria_describedby": described,
                         "required": required and not is_item}
        confirm = ""
        if widget == "checkbox" and "x-confirm" in node:
            confirm = (f'<p class="confirm" id="{ident}-confirm" data-confirm>'
                       f'{self.text((*path, "x-confirm"), node["x-confirm"])}</p>')
            control_attrs["aria_describedby"] = f"{described} {ident}-confirm"
        if widget == "textarea":
            control = f"<textarea{_attrs(**control_attrs, rows=3)}></textarea>"
        elif widget == "select":
            options = "".join(f'<option value="{i}">{self.option(path, node, i)}</option>'
                              for i in range(len(node["enum"])))
            control = f'<select{_attrs(**control_attrs)}><option value=""></option>{options}</select>'
        elif widget == "checkbox":
            control = f'<input type="checkbox"{_attrs(**control_attrs)}>'
        else:
            input_type = {"number": "number", "date": "date", "time": "time", "email": "email"}.get(widget, "text")
            extra: dict[str, Any] = {}
            if input_type == "number":
                extra = {"inputmode": "numeric" if kind == "integer" else "decimal",
                         "step": "1" if kind == "integer" else "any",
                         "min": node.get("minimum"), "max": node.get("maximum")}
            elif input_type == "email":
                extra = {"autocomplete": "off", "spellcheck": "false"}
            control = f'<input type="{input_type}"{_attrs(**control_attrs, **extra)}>'
        enum = _attrs(data_enum=json.dumps(node["enum"], ensure_ascii=False)) if widget == "select" else ""
        css = "field check" if widget == "checkbox" else "field"
        # The hint comes before a text control, so it is read before typing; a checkbox's follows its label.
        body = (f"{control}\n<label for=\"{ident}\">{label}</label>\n{who}{hint_html}{confirm}" if widget == "checkbox"
                else f"<label for=\"{ident}\">{label}</label>\n{who}{hint_html}{control}\n")
        return (f'<div{_attrs(class_=css, data_kind="value", data_type=kind, **common)}{enum}>\n'
                f"{body}{error_html}\n</div>")

    def repeat(self, ident: str, title: str, common: dict[str, Any], who: str = "") -> str:
        """A repeat rule (DESIGN.md "Recurring actions"): its JSON kept in a hidden input (data-type json), and the
        button that opens the picker (js/repeat/repeat-picker.js, loaded on demand: most visits never open it).
        Its problems are said on the enclosing "when" group, as its date's and time's are."""
        value = _attrs(id=ident, data_kind="value", data_type="json", **common)
        return (f'<div class="repeat" data-repeat>\n<input type="hidden"{value}>'
                f'<button type="button" class="button-secondary repeat-open" id="{ident}-open" data-repeat-open '
                f'aria-expanded="false"><span class="repeat-title">{title}</span> '
                f'<span class="repeat-summary" data-repeat-summary></span></button>\n{who}'
                f'<div class="repeat-panel" id="{ident}-panel" data-repeat-panel hidden></div>\n</div>')

    def option(self, path: JsonPath, node: dict[str, Any], i: int) -> str:
        labels = node.get("x-labels")
        if labels:
            return self.text((*path, "x-labels", i), labels[i])
        return escape(str(node["enum"][i]))

    def choices(self, node: dict[str, Any], path: JsonPath, ref_path: JsonPath, ident: str, title: str, hint: str,
                common: dict[str, Any], widget: str, required: bool, siblings: dict[str, Any] | None,
                inherited: str = "coachee", who: str = "") -> str:
        """A radio group (enum or 1-10 scale) or a checkbox group (array of enum values) in a fieldset.

        `inherited` is the visibility of the enclosing group: a prompt's answer field is its sibling."""
        hint_html, error_html, described = self.hint_error(ident, hint, who)
        if widget == "scale":
            values = list(range(node["minimum"], node["maximum"] + 1))
            options = [(str(v), str(v)) for v in values]
            data = {"data_kind": "value", "data_type": node["type"]}
        elif widget == "checkboxes":
            items, items_path = resolve(self.root, node["items"], (*path, "items"))
            options = [(str(i), self.option(items_path, items, i)) for i in range(len(items["enum"]))]
            data = {"data_kind": "checks", "data_enum": json.dumps(items["enum"], ensure_ascii=False)}
        else:
            options = [(str(i), self.option(path, node, i)) for i in range(len(node["enum"]))]
            data = {"data_kind": "value", "data_type": node.get("type", "string"),
                    "data_enum": json.dumps(node["enum"], ensure_ascii=False)}
        input_type = "checkbox" if widget == "checkboxes" else "radio"
        inputs = "".join(
            f'<span class="choice"><input type="{input_type}" id="{ident}-{value}" name="{ident}" '
            f'value="{value}"{" required" if required and input_type == "radio" else ""}>'
            f'<label for="{ident}-{value}">{label}</label></span>'
            for value, label in options)
        css = {"scale": "field choices scale", "checkboxes": "field choices checks"}.get(widget, "field choices")
        group = (f'<fieldset{_attrs(class_=css, id=ident, **data, **common)} aria-describedby="{described}">\n'
                 f"<legend>{title}</legend>\n{who}{hint_html}<div class=\"options\">{inputs}</div>\n{error_html}\n"
                 f"</fieldset>")
        if "x-prompts" not in node:
            return group
        prompts = []
        for i, prompt in enumerate(node["x-prompts"]):
            text = self.text((*path, "x-prompts", i, "text"), prompt["text"])
            if prompt.get("field") and siblings and prompt["field"] in siblings:
                # The prompt's question labels the field that keeps the answer.
                name = prompt["field"]
                body = self.value(siblings[name], (*ref_path[:-1], name), (*_ids_of(ident), _slug(name)), name,
                                  9, False, label=text, inherited=inherited)
            else:
                body = f'<p class="prompt-text">{text}</p>'
            prompts.append(f'<div class="prompt" data-min="{prompt["min"]}" data-max="{prompt["max"]}" hidden>'
                           f"{body}</div>")
        return (f'<div class="with-prompts">\n{group}\n<div class="prompts" data-prompts aria-live="polite">'
                f'{"".join(prompts)}</div>\n</div>')


def _slug(name: str) -> str:
    """An id-safe form of a property name (ids stay readable and stable)."""
    return re.sub(r"[^A-Za-z0-9_]", lambda m: f"_{ord(m.group(0)):x}", name)


def _ids_of(ident: str) -> tuple[str, ...]:
    """The id parts of the parent of `ident` (prompt fields are siblings of the scale they belong to)."""
    return tuple(ident.removeprefix("f-").split("-")[:-1])


def render_form(schema: PlanSchema, translate: Translate) -> str:
    """The plan form for `schema` as an HTML fragment; `translate(context, english)` gives the page's text."""
    form = _Form(schema, translate)
    body = form.value(schema.raw, (), (), None, 0, True)
    return (f'<form class="plan-form" id="plan-form" data-schema="{_attr(schema.id)}" '
            f'data-version="{schema.version}" novalidate>\n'
            f'<div class="visually-hidden" role="status" aria-live="polite" data-live></div>\n'
            f"{form.legend()}\n{body}\n</form>\n")
