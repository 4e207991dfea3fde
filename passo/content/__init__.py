"""Guides: reading Markdown files with their front matter (`load`), and turning their bodies into HTML with links
between guides resolved (`markdown_render`). Knows nothing of templates or of the pages around a guide."""
