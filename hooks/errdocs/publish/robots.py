"""``robots.txt``: every crawler and agent is welcome, and told where the sitemap is."""

from __future__ import annotations

ROBOTS_TXT = "robots.txt"


def robots_txt(docs_url: str) -> str:
    """Every crawler and agent is welcome; the sitemap lists every page."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {docs_url}sitemap.xml\n"
