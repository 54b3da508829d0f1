"""The contract as data: ``errors.json``, the envelope JSON Schema and an OpenAPI fragment.

SDK generators, API servers and tests read these instead of scraping pages. All
three come from the same registry as the docs, so the docs cannot promise a code
or a status the machine-readable contract does not hold.
"""

from __future__ import annotations

from typing import Any, Callable

from ..registry.model import (
    RETRY_AFTER, RETRYABLE_POLICIES, ROLES, EnvelopeField, ItemField, Registry, envelope_paths, envelope_roles,
)
from ..render.markup import html_safe, indented_json
from ..render.snippets import example_envelope
from .twins import code_twin_url

ERRORS_JSON = "errors.json"
ENVELOPE_SCHEMA = "envelope.schema.json"
OPENAPI_FRAGMENT = "errors.openapi.json"
CONTRACT_FILES = (ERRORS_JSON, ENVELOPE_SCHEMA, OPENAPI_FRAGMENT)

MCP_TOOLS = {
    "get_error": "one code: what it means, what to do, whether and when to retry, its page",
    "find_errors": "the codes with a status, a category, a retry behaviour or some words",
    "explain_response": "an error response as received: its code (and sub-code) and whether and when to retry",
}
"""The tools of ``errdocs mcp`` (``errdocs.agents.server``), named and described wherever the site tells agents of them."""
MCP_REQUIRES = "errdocs with its mcp extra"
"""What runs the MCP server. Named, never given as a ``pip install`` line: errdocs is installed
from its source, and a command naming a package index would send agents to whatever package
takes that name there."""


def mcp_command(registry: Registry) -> str:
    """The command that serves this site's errors to an agent over MCP (stdio), from the published ``errors.json``."""
    return f"errdocs mcp {registry.site.docs_url}{ERRORS_JSON}"


CONTRACT_NOTES = {
    ERRORS_JSON: "every code with its HTTP status, meaning, steps, retry policy, example response, SDK exceptions, "
                 "doc_url, Markdown page, lifecycle and any sub-codes, and the retry backoff in seconds "
                 "(what `errdocs mcp` serves)",
    ENVELOPE_SCHEMA: "JSON Schema (2020-12) of the error envelope; `code` lists the documented codes",
    OPENAPI_FRAGMENT: "OpenAPI 3.1 components (ErrorEnvelope schema, one response per status) to $ref",
}


def errors_json(registry: Registry) -> dict[str, Any]:
    """Everything an agent needs to act on an error, so a site's ``errors.json`` alone serves
    ``errdocs mcp``. Keys are only ever added: older readers ignore the new ones."""
    roles = envelope_roles(registry.envelope, registry.envelope_media_type)
    backoff = registry.retry_guidance.backoff
    codes: dict[str, Any] = {}
    for name, code in registry.codes.items():
        lifecycle = code.lifecycle
        codes[name] = {
            "http": [{"status": int(line[:3]), "reason": line[4:]} for line in code.http],
            "summary": code.summary,
            **({"title": code.title} if code.title is not None else {}),
            **({"category": code.category} if code.category is not None else {}),
            "group": code.nav_group,
            "when": code.when,
            "steps": list(code.steps),
            "retry": {
                "policy": code.retry.policy.value,
                "retryable": code.retryable,
                "sdk_retries": code.retry.sdk_retries,
                "label": code.retry.label,
            },
            "example": {
                "status": code.example_status,
                "headers": dict(code.example.headers),
                "body": example_envelope(registry, name),
            },
            "sdk": {sdk_id: {"exception": raised.exception, "attributes": [a.name for a in raised.attributes]}
                    for sdk_id, raised in code.sdk.items()},
            "doc_url": registry.doc_url(name),
            "twin_url": code_twin_url(registry, name),
            "lifecycle": {
                "state": lifecycle.state.value,
                "since": lifecycle.since,
                "replaced_by": lifecycle.replaced_by,
                "removal_date": lifecycle.removal_date.isoformat() if lifecycle.removal_date else None,
            },
            **({"unconfirmed": code.unconfirmed_facts} if code.unconfirmed else {}),
            **({"subcodes": {value: {"meaning": sub.meaning, "what_to_do": sub.what_to_do,
                                     **({"retry": {"policy": sub.retry.value, "retryable": sub.retry in RETRYABLE_POLICIES}}
                                        if sub.retry else {})}
                             for value, sub in code.subcodes.items()}} if code.subcodes else {}),
        }
    return {
        "name": registry.site.name,
        "version": registry.version,
        "docs_url": registry.site.docs_url,
        "media_type": registry.envelope_media_type,
        "envelope": [
            {"name": ".".join(path), "type": f.type, "required": f.required, "description": f.description,
             **({"nullable": True} if f.nullable else {}), **({"closed": True} if f.closed else {}),
             **({"role": role.value} if role else {})}
            for (path, role), (_, f) in zip(roles, envelope_paths(registry.envelope))
        ],
        **({"detail_items": _item_schema(registry.detail_items)} if registry.detail_items is not None else {}),
        "headers": [{"names": h.names, "when": h.when, "meaning": h.meaning} for h in registry.headers],
        "retry_guidance": {
            "retry_after_header": RETRY_AFTER if registry.declares_header(RETRY_AFTER) else None,
            "backoff": {
                "max_retries": backoff.max_retries, "base_seconds": backoff.base_seconds,
                "max_seconds": backoff.max_seconds, "jitter": backoff.jitter, "delays_seconds": backoff.delays,
            },
        },
        "codes": codes,
    }


def _item_schema(items: list[ItemField]) -> dict[str, Any]:
    """JSON Schema of one item of an array message, from ``detail_items``."""
    properties: dict[str, Any] = {}
    for field in items:
        types = field.types
        schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
        if field.item_types:
            item_types = field.item_types
            schema["items"] = {"type": item_types[0] if len(item_types) == 1 else item_types}
        if field.description:
            schema["description"] = field.description
        properties[field.name] = schema
    return {
        "type": "object",
        "required": [f.name for f in items if f.required],
        "properties": properties,
    }


def _object_schema(registry: Registry, fields: list[EnvelopeField], prefix: tuple[str, ...], item_ref: str | None) -> dict[str, Any]:
    roles = {path: role for role, path in registry.roles.items()}
    properties: dict[str, Any] = {}
    for field in fields:
        path = (*prefix, field.name)
        if field.fields:
            schema = _object_schema(registry, field.fields, path, item_ref)
        elif path in roles:
            schema = ROLES[roles[path]].json_schema(registry.codes, registry.site, item_ref, closed=field.closed)
        else:
            schema = {}
        if field.nullable and set(schema) == {"anyOf"}:  # one flat anyOf: an open enum or null
            schema = {"anyOf": [*schema["anyOf"], {"type": "null"}]}
        elif field.nullable and schema:  # an empty schema allows null already
            schema = {"anyOf": [schema, {"type": "null"}]}
        properties[field.name] = {**schema, "description": field.description}
    return {"type": "object", "required": [f.name for f in fields if f.required], "properties": properties}


_ITEM_SCHEMA = "ValidationItem"
"""The name of an array message's item schema, in ``$defs`` and in OpenAPI's ``components``."""


def _item_schemas(registry: Registry) -> dict[str, Any]:
    """``{"ValidationItem": schema}`` when the registry declares array messages, else nothing."""
    return {} if registry.detail_items is None else {_ITEM_SCHEMA: _item_schema(registry.detail_items)}


def envelope_schema(registry: Registry) -> dict[str, Any]:
    items = _item_schemas(registry)
    body = _object_schema(registry, registry.envelope, (), f"#/$defs/{_ITEM_SCHEMA}" if items else None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": registry.site.docs_url + ENVELOPE_SCHEMA,
        "title": f"{registry.site.name} error envelope",
        "description": f"Body of every error response (contract version {registry.version}).",
        **body,
        **({"$defs": items} if items else {}),
    }


def openapi_fragment(registry: Registry) -> dict[str, Any]:
    items = _item_schemas(registry)
    body = _object_schema(registry, registry.envelope, (), f"#/components/schemas/{_ITEM_SCHEMA}" if items else None)
    by_status: dict[int, list[str]] = {}
    reasons: dict[int, str] = {}
    for name, code in registry.codes.items():
        if not code.returned:
            continue
        for line in code.http:
            status = int(line[:3])
            by_status.setdefault(status, []).append(name)
            reasons.setdefault(status, line[4:])
    responses = {}
    for status in sorted(by_status):
        names = by_status[status]
        media: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}
        # A code's example shows one status: it is listed under that status only.
        examples = {
            name: {"value": example_envelope(registry, name)}
            for name in names
            if registry.codes[name].example_status == status
        }
        if examples:
            media["examples"] = examples
        responses[f"Error{status}"] = {
            "description": f"{reasons[status]}: " + ", ".join(names),
            "content": {registry.envelope_media_type: media},
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{registry.site.name} errors",
            "version": registry.version,
            "description": f"Error components to $ref from an API description. Docs: {registry.site.docs_url}",
        },
        "paths": {},
        "components": {
            "schemas": {
                "ErrorEnvelope": body,
                **items,
            },
            "responses": responses,
        },
    }


_DOCUMENTS: dict[str, Callable[[Registry], dict[str, Any]]] = {
    ERRORS_JSON: errors_json,
    ENVELOPE_SCHEMA: envelope_schema,
    OPENAPI_FRAGMENT: openapi_fragment,
}


def contract_files(registry: Registry) -> dict[str, str]:
    """``{site path: JSON text}``, stable byte for byte for the same registry."""
    return {path: html_safe_json(document(registry)) for path, document in _DOCUMENTS.items()}


def html_safe_json(document: Any) -> str:
    """JSON whose text can never open a tag: ``<``, ``>`` and ``&`` only occur inside
    strings, where ``\\u003c``-style escapes decode to the very same values."""
    return html_safe(indented_json(document)) + "\n"
