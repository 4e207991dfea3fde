"""SVG from a guide made safe to serve: an SVG opened at its own URL is a document of the site's origin, where the
plans are stored, so anything that could run script or fetch from elsewhere is taken out at build time."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Elements that run script, embed other documents or fetch: never kept, whatever they hold.
DROPPED = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler", "listener", "set"}
ANIMATIONS = {"animate", "animateMotion", "animateTransform"}
# Raster pictures only: an SVG or HTML data: URL would be a document with its own script.
SAFE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|avif)[;,]", re.IGNORECASE)
URL_REF = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class SvgRefused(ValueError):
    """The file cannot be read as SVG, or cannot be made safe; the message says why, for the author."""


@dataclass
class CleanSvg:
    data: bytes
    width: int | None
    height: int | None
    removed: list[str] = field(default_factory=list)  # what was taken out, e.g. "<script>", "onload"


def _local(name: str) -> tuple[str, str]:
    """('{ns}tag') -> (ns, tag)."""
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _external_url(value: str) -> bool:
    """A url(...) in CSS or an attribute that points anywhere but into this document."""
    return any(not ref.startswith("#") for ref in URL_REF.findall(value))


def _safe_href(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(SAFE_DATA.match(value))


def _size(root: ET.Element) -> tuple[int | None, int | None]:
    """Pixel size for the <img>: the width and height attributes when plain lengths, else the viewBox's."""
    width, height = (LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.split(r"[\s,]+", root.get("viewBox", "").strip())
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        return None, None
    return (round(w), round(h)) if w > 0 and h > 0 else (None, None)


def clean_svg(data: bytes) -> CleanSvg:
    """The SVG without scripts, event attributes, foreignObject, external references or stylesheets that fetch.

    Raises SvgRefused when the file is not SVG, declares entities (expanded without bound by some parsers: the
    "billion laughs"), or does not parse."""
    head = data[:4096].lower()
    if b"<!entity" in data.lower() or (b"<!doctype" in head and b"[" in head.split(b"<!doctype", 1)[1].split(b">")[0]):
        raise SvgRefused("it declares entities (<!ENTITY>); remove the DOCTYPE's internal subset")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgRefused(f"it is not well-formed XML ({exc})") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused("its root element is not <svg> in the SVG namespace (xmlns=\"http://www.w3.org/2000/svg\")")
    removed: list[str] = []
    _clean(root, removed)
    width, height = _size(root)
    out = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return CleanSvg(out, width, height, sorted(set(removed)))


def _clean(parent: ET.Element, removed: list[str]) -> None:
    """Walks with its own stack: a deeply nested file must not hit Python's recursion limit."""
    stack = [parent]
    while stack:
        element = stack.pop()
        _clean_attributes(element, removed)
        for child in list(element):
            if not isinstance(child.tag, str):  # comments and processing instructions
                element.remove(child)
                continue
            ns, tag = _local(child.tag)
            if ns != SVG_NS or tag in DROPPED:
                removed.append(f"<{tag}>")
                element.remove(child)
            elif tag in ANIMATIONS and ("href" in child.get("attributeName", "").lower()
                                        or child.get("attributeName", "").lower().startswith("on")):
                removed.append(f"<{tag}> of {child.get('attributeName')}")
                element.remove(child)
            elif tag == "style" and ("@import" in (child.text or "").lower() or _external_url(child.text or "")):
                removed.append("<style> with @import or an external url()")
                element.remove(child)
            else:
                stack.append(child)


def _clean_attributes(element: ET.Element, removed: list[str]) -> None:
    for name in list(element.attrib):
        ns, local = _local(name)
        value = element.attrib[name]
        if ns not in ("", XLINK_NS, XML_NS) or local.lower().startswith("on"):
            removed.append(local)
        elif local == "href" and not _safe_href(value):
            removed.append(f"{'xlink:' if ns else ''}href to {value[:40]}")
        elif _external_url(value):
            removed.append(f"{local} with url({value[:40]})")
        else:
            continue
        del element.attrib[name]
