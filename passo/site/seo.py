"""Files for crawlers: sitemap.xml (with hreflang alternates) and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape


def sitemap(site_url: str | None, pages: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    """pages: (url path, [(lang, url path of the same page in that language)]), sorted for reproducible output."""
    base = site_url or "/"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for path, alternates in sorted(pages):
        out.append(f"<url><loc>{escape(base + path)}</loc>")
        out.extend(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{escape(base + alt)}"/>'
                   for lang, alt in sorted(alternates))
        out.append("</url>")
    out.append("</urlset>\n")
    return "\n".join(out).encode("utf-8")


def robots(site_url: str | None) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")
