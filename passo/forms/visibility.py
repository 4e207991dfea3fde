"""Who may see each answer of a plan (DESIGN.md "Coach loop"): the levels, how they nest, and the coach's view.

`x-visibility` is `coachee` (the default), `coach` or `sponsor`; a field takes the nearest declaration on the
way down from the root, a `$ref`'s own declaration winning over its definition's. The coach sees `coach` and
`sponsor`. This is the Python reading of those rules: the form markers come from it, and the tests hold the
browser's share filter (site_src/js/share/share-file.js) to it.
"""

from __future__ import annotations

from typing import Any

from passo.forms.schema_model import ref_name, widget_of

LEVELS = ("coachee", "coach", "sponsor")
COACH_SEES = frozenset({"coach", "sponsor"})
_MISSING = object()


def declared(ref_node: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The node a (possibly $ref) schema stands for and the visibility it declares itself, if any."""
    vis = ref_node.get("x-visibility")
    node = ref_node
    for _ in range(64):
        if "$ref" not in node:
            break
        node = root["$defs"][ref_name(node["$ref"])]
        vis = vis or node.get("x-visibility")
    return node, vis


def _is_item_id(key: str, node: dict[str, Any]) -> bool:
    """A list item's hidden `id`: structure, not an answer; it travels with whatever of its item is shared."""
    return key == "id" and widget_of(node) == "hidden"


def _plain(node: dict[str, Any]) -> bool:
    return node.get("type") not in ("object", "array")


def coach_view(root: dict[str, Any], data: Any) -> dict[str, Any]:
    """The plan data with every answer the coach may not see removed; the shape and item ids kept."""
    out = _view(root, root, data, "coachee", item=False)
    return {} if out is _MISSING else out


def _view(root: dict[str, Any], ref_node: dict[str, Any], value: Any, inherited: str, item: bool) -> Any:
    node, own = declared(ref_node, root)
    vis = own or inherited
    kind = node.get("type")
    if kind == "object":
        if not isinstance(value, dict):
            return _MISSING
        props: dict[str, Any] = node.get("properties", {})
        content: dict[str, Any] = {}
        for key, child in props.items():
            if key not in value:
                continue
            if _is_item_id(key, declared(child, root)[0]):
                content[key] = value[key]
                continue
            kept = _view(root, child, value[key], vis, item=False)
            if kept is not _MISSING:
                content[key] = kept
        has_answers = any(not _is_item_id(k, declared(props[k], root)[0]) for k in content)
        if has_answers or item:
            return content if has_answers else {k: v for k, v in content.items() if k == "id"}
        return _MISSING
    if kind == "array":
        if not isinstance(value, list):
            return _MISSING
        items_node, items_vis = declared(node.get("items", {}), root)
        if _plain(items_node):
            return list(value) if (items_vis or vis) in COACH_SEES else _MISSING
        kept = [_view(root, node["items"], v, vis, item=True) for v in value]
        kept = [{} if k is _MISSING else k for k in kept]
        if not any(k for k in kept if set(k) - {"id"}):
            return _MISSING
        return kept
    if isinstance(value, (dict, list)):
        return _MISSING
    return value if vis in COACH_SEES else _MISSING


def hidden_from_coach(root: dict[str, Any], data: Any) -> list[str]:
    """JSON pointers of the values in `data` the coach may not see or the schema does not know (for tests)."""
    out: list[str] = []
    _hidden(root, root, data, "coachee", "", out)
    return out


def _hidden(root: dict[str, Any], ref_node: dict[str, Any], value: Any, inherited: str, ptr: str,
            out: list[str]) -> None:
    node, own = declared(ref_node, root)
    vis = own or inherited
    kind = node.get("type")
    if kind == "object" and isinstance(value, dict):
        props = node.get("properties", {})
        for key, v in value.items():
            child_ptr = f"{ptr}/{key.replace('~', '~0').replace('/', '~1')}"
            if key not in props:
                out.append(child_ptr)
            elif not _is_item_id(key, declared(props[key], root)[0]):
                _hidden(root, props[key], v, vis, child_ptr, out)
    elif kind == "array" and isinstance(value, list):
        items_node, items_vis = declared(node.get("items", {}), root)
        if _plain(items_node):
            if (items_vis or vis) not in COACH_SEES:
                out.append(ptr)
            return
        for i, v in enumerate(value):
            _hidden(root, node["items"], v, vis, f"{ptr}/{i}", out)
    elif vis not in COACH_SEES:
        out.append(ptr)
