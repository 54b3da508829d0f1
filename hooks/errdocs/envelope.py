"""Example error envelopes: built as data, serialised with ``json.dumps``."""

from __future__ import annotations

from typing import Any

from . import markup
from .http_status import standard_reason
from .model import Code, Registry


def example_envelope(registry: Registry, name: str) -> dict[str, Any]:
    """The JSON body a client receives for ``name``, with this page's real ``doc_url``."""
    code = registry.codes[name]
    body: dict[str, Any] = {}
    for field in registry.envelope:
        body[field.name] = _field_value(registry, name, code, field.name)
    return body


def _field_value(registry: Registry, name: str, code: Code, field: str) -> Any:
    if field == "detail":
        return code.example.detail
    if field == "code":
        return name
    if field == "request_id":
        return registry.site.example_request_id
    if field == "doc_url":
        return registry.doc_url(name)
    # A registry may declare extra envelope fields; examples show them as null
    # rather than inventing values.
    return None


def example_status_line(code: Code) -> str:
    """``HTTP/1.1 503 Service Unavailable`` for the status the example shows."""
    status = code.example.status or code.statuses[0]
    line = next((line for line in code.http if line.startswith(f"{status} ")), f"{status} {standard_reason(status)}")
    return f"HTTP/1.1 {line}"


def example_markdown(registry: Registry, name: str) -> str:
    """The example response: optional ``http`` block (status + headers), then the JSON envelope."""
    code = registry.codes[name]
    parts: list[str] = []
    if code.example.headers:
        head = [example_status_line(code)]
        head += [f"{key}: {' '.join(str(value).split())}" for key, value in code.example.headers.items()]
        head.append("Content-Type: application/json")
        parts.append(markup.fence("\n".join(head), "http"))
    parts.append(markup.json_block(example_envelope(registry, name)))
    return "\n\n".join(parts)
