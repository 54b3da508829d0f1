"""The overview's generated tables: envelope fields, standard headers, canonical codes."""

from __future__ import annotations

from . import markup
from .model import Code, LifecycleState, Registry


def code_link(name: str) -> str:
    """Link to a code's page, written docs-root-absolute so it works from any page.

    MkDocs (``validation.links.absolute_links: relative_to_docs``) checks and
    rewrites it to a relative URL; the Markdown twins turn it into an absolute one.
    """
    return f"[{markup.code(name)}](/errors/{name}.md)"


def status_summary(statuses: list[int]) -> str:
    return " / ".join(str(status) for status in statuses)


def _when(code: Code) -> str:
    if code.state is LifecycleState.deprecated:
        return f"**Deprecated**, use {code_link(code.lifecycle.replaced_by or '')}. {markup.text(code.overview.when)}"
    return markup.text(code.overview.when)


def envelope_fields_table(registry: Registry) -> str:
    rows = [
        [markup.code(field.name), markup.text(field.type), markup.cell(field.description)]
        for field in registry.envelope
    ]
    return markup.table(["Field", "Type", "Description"], rows)


def headers_table(registry: Registry) -> str:
    rows = [
        [", ".join(markup.code(name) for name in header.names), markup.text(header.when), markup.cell(header.meaning)]
        for header in registry.headers
    ]
    return markup.table(["Header", "When", "What it means"], rows)


def codes_table(registry: Registry) -> str:
    """Codes clients can receive (removed ones are gone from the wire, not from their pages)."""
    rows = [
        [code_link(name), status_summary(code.statuses), _when(code), markup.text(code.overview.retry)]
        for name, code in registry.codes.items()
        if code.returned
    ]
    return markup.table(["Code", "HTTP", "When", "Retry?"], rows)
