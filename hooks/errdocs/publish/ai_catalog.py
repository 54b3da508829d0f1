"""``/.well-known/ai-catalog.json``: what the site offers agents, as an Agentic Resource Discovery 1.0 manifest.

ARD (the ai-catalog manifest) names each resource with a domain-anchored URN, a media type, a
``url`` or inline ``data``, and 2 to 5 representative queries that registries index. The manifest
lists the MCP server (a server card inline: there is no hosted endpoint, so it says how to run
it) and one nested catalog of the documents agents read: ``llms.txt``, ``llms-full.txt`` and the
contract files. They sit in a nested catalog (``application/ai-catalog+json`` with ``data``, as
ARD's own bundle example does) because ARD's top level is for discovery types (MCP servers,
agent cards, catalogs, registries): Lighthouse's conformance check warns on any other there.
Pages link the manifest (``<link rel="ai-catalog">``), hosts send it in ``Link`` headers, and
``robots.txt`` names it in an ``Agentmap:`` line.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from ..registry.model import Registry
from .contract import ENVELOPE_SCHEMA, ERRORS_JSON, MCP_REQUIRES, MCP_TOOLS, OPENAPI_FRAGMENT, mcp_command
from .llms import LLMS_FULL_TXT, LLMS_TXT, WELL_KNOWN_AI_CATALOG

ARD_VERSION = "1.0"
MCP_SERVER_CARD = "application/mcp-server-card+json"
AI_CATALOG = "application/ai-catalog+json"
SERVER_CARD_SCHEMA = "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json"

__all__ = ["WELL_KNOWN_AI_CATALOG", "ai_catalog", "agentmap_path"]


def agentmap_path(registry: Registry) -> str:
    """The manifest's address from the host's root (``/.well-known/ai-catalog.json``), for ``robots.txt``
    and ``Link`` headers: relative, so the same site answers for it wherever it is served."""
    return urllib.parse.urlsplit(registry.site.docs_url).path + WELL_KNOWN_AI_CATALOG


def _urn(registry: Registry, name: str) -> str:
    """``urn:air:<host>:<path segments>:errors:<name>``: anchored in the docs' host, apart per docs folder."""
    parts = urllib.parse.urlsplit(registry.site.docs_url)
    folders = [re.sub(r"[^A-Za-z0-9._-]", "-", segment) for segment in parts.path.split("/") if segment]
    return ":".join(["urn", "air", parts.hostname or "localhost", *folders, "errors", name])


def _server_card(registry: Registry) -> dict[str, Any]:
    host = urllib.parse.urlsplit(registry.site.docs_url).hostname or "localhost"
    name = ".".join(reversed(host.split("."))) + "/errors"
    return {
        "$schema": SERVER_CARD_SCHEMA,
        "name": name,
        "title": f"{registry.site.name} errors",
        "description": f"Look up {registry.site.name} errors: meaning, what to do, when to retry.",
        "version": registry.version,
        "_meta": {name: {"install": MCP_REQUIRES, "command": mcp_command(registry), "transport": "stdio",
                         "tools": list(MCP_TOOLS)}},
    }


def ai_catalog(registry: Registry) -> dict[str, Any]:
    """The manifest, as ARD 1.0 names its fields; every query is made from the registry's own names."""
    site, docs = registry.site, registry.site.docs_url
    api = site.name
    first = next((name for name, code in registry.codes.items() if code.returned), next(iter(registry.codes)))
    retryable = next((name for name, code in registry.codes.items() if code.retryable), first)
    status = registry.codes[retryable].statuses[0]
    documents = [
        (LLMS_TXT, "llms.txt", "text/plain", f"The index of the {api} error documentation for agents: every page as Markdown.",
         [f"{api} documentation index for LLMs", f"list every {api} error code with its HTTP status"]),
        (LLMS_FULL_TXT, "llms-full.txt", "text/plain", f"Every page of the {api} error documentation in one Markdown file.",
         [f"all {api} error documentation in one file", f"full text of the {api} error pages"]),
        (ERRORS_JSON, "errors.json", "application/json",
         f"Every {api} error code as data: status, meaning, steps, retry policy and backoff, SDK exceptions.",
         [f"{api} error codes as JSON", f"is the {api} error {retryable} retryable"]),
        (ENVELOPE_SCHEMA, "Error envelope schema", "application/schema+json",
         f"JSON Schema (2020-12) of the body of every {api} error response.",
         [f"JSON Schema of {api} error responses", f"validate a {api} error body"]),
        (OPENAPI_FRAGMENT, "OpenAPI error components", "application/openapi+json",
         f"OpenAPI 3.1 components of the {api} errors (envelope schema, one response per status) to $ref.",
         [f"OpenAPI schema for {api} errors", f"{api} error responses to reference from an OpenAPI document"]),
    ]
    return {
        "specVersion": ARD_VERSION,
        "host": {"displayName": api, "documentationUrl": docs},
        "entries": [
            {
                "identifier": _urn(registry, "mcp-server"),
                "displayName": f"{api} error lookup (MCP server)",
                "type": MCP_SERVER_CARD,
                "data": _server_card(registry),
                "description": (f"An MCP server over this site's errors.json ({', '.join(MCP_TOOLS)}), run locally: "
                                f"{mcp_command(registry)} (stdio; --http HOST:PORT for Streamable HTTP), with {MCP_REQUIRES}."),
                "capabilities": list(MCP_TOOLS),
                "representativeQueries": [
                    f"what does the {api} error {first} mean and what should I do",
                    f"should I retry an HTTP {status} response from the {api}, and when",
                    f"explain this {api} error response",
                ],
                "version": registry.version,
                "metadata": {"install": MCP_REQUIRES, "command": mcp_command(registry), "transport": "stdio"},
            },
            {
                "identifier": _urn(registry, "documentation"),
                "displayName": f"{api} error documentation for agents",
                "type": AI_CATALOG,
                "description": f"The documents agents read: llms.txt, llms-full.txt and the error contract as data ({docs}).",
                "representativeQueries": [f"{api} error documentation", f"{api} error contract as data"],
                "version": registry.version,
                "data": {
                    "specVersion": ARD_VERSION,
                    "entries": [
                        {"identifier": _urn(registry, path.replace(".", "-")), "displayName": title, "type": media_type,
                         "url": docs + path, "description": about, "representativeQueries": queries, "version": registry.version}
                        for path, title, media_type, about, queries in documents
                    ],
                },
            },
        ],
    }
