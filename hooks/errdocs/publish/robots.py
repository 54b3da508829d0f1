"""``robots.txt``: every crawler and agent is welcome, and told where the sitemap and the agent resources are."""

from __future__ import annotations

ROBOTS_TXT = "robots.txt"


def robots_txt(docs_url: str, *, agentmap: str) -> str:
    """Every crawler and agent is welcome; the sitemap lists every page, and ``Agentmap`` (Agentic
    Resource Discovery) names the ai-catalog manifest: ``agentmap``, its address from the host's root."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {docs_url}sitemap.xml\nAgentmap: {agentmap}\n"
