"""Passes over a page's HTML once Markdown has made it: the only edits made to the engine's HTML.

Two, each a plain string edit of HTML the engine made: heading permalinks marked as
chrome (for checkers that compare a page with its twin), and, while ``mkdocs serve``
shows sources that have problems, a banner naming them at the top of every page.
The check that no HTML can run script is ``render.active``: it reads, these write.
"""

from __future__ import annotations

import html


def mark_chrome(page_html: str) -> str:
    """A page body with its heading permalinks (``¶``) marked ``data-markdown-ignore``: chrome,
    not text, for checkers that compare a page with its twin (afdocs' parity check)."""
    return page_html.replace('<a class="headerlink" ', '<a class="headerlink" data-markdown-ignore ')


def with_banner(page_html: str, problems: list[str]) -> str:
    """A whole HTML page with ``problems_banner`` at the start of its content (its ``<article>``,
    else its ``<body>``); the page unchanged when there are none."""
    banner = problems_banner(problems)
    for opening in ("<article", "<body"):
        start = page_html.find(opening)
        if banner and start >= 0:
            end = page_html.index(">", start) + 1
            return page_html[:end] + banner + page_html[end:]
    return page_html


def problems_banner(problems: list[str]) -> str:
    """HTML put at the top of every served page while the sources have problems ("" when none)."""
    if not problems:
        return ""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (
        '<div class="admonition failure" data-markdown-ignore><p class="admonition-title">The docs sources have errors; '
        f"this page shows the last good registry</p><ul>{items}</ul></div>"
    )
