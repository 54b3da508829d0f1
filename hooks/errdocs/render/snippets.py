"""Markdown snippets rendered from the registry: example envelopes, tables, retry guidance.

Each is a plain function of the registry, used by the code pages, by the include
markers of hand-written pages, and (the envelope) by the contract files.
"""

from __future__ import annotations

from typing import Any

from ..registry.http_status import standard_reason
from ..registry.model import RETRY_AFTER, ROLES, Code, EnvelopeField, EnvelopeRole, Fact, LifecycleState, Registry, RetryPolicy, envelope_paths
from . import markup


# --- example responses ----------------------------------------------------------------------------


def example_envelope(registry: Registry, name: str) -> dict[str, Any]:
    """The JSON body a client receives for ``name``, with this page's real ``doc_url``.

    Each field's value comes from the code's ``example.fields`` (which sets a field with a role
    only where the role allows it, such as a category), else from its role, else from the
    field's own ``example``. An optional field with no value is left out; a required or
    nullable one shows ``null`` rather than an invented value.
    """
    code = registry.codes[name]
    by_path = {path: value for role, path in registry.roles.items()
               if (value := ROLES[role].example(name, code, registry.site)) is not None}
    return _object(registry.envelope, (), by_path, code)


def _object(fields: list[EnvelopeField], prefix: tuple[str, ...], by_path: dict[tuple[str, ...], Any], code: Code) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for field in fields:
        path = (*prefix, field.name)
        if field.fields:
            body[field.name] = _object(field.fields, path, by_path, code)
        elif ".".join(path) in code.example.fields:
            body[field.name] = code.example.fields[".".join(path)]
        elif path in by_path:
            body[field.name] = by_path[path]
        elif field.example is not None or field.required or field.nullable:
            body[field.name] = field.example
    return body


def example_status_line(code: Code) -> str:
    """``HTTP/1.1 503 Service Unavailable`` for the status the example shows."""
    status = code.example_status
    line = next((line for line in code.http if line.startswith(f"{status} ")), f"{status} {standard_reason(status)}")
    return f"HTTP/1.1 {line}"


def example_markdown(registry: Registry, name: str) -> str:
    """The example response: the JSON envelope, after an ``http`` block (status line and
    headers) when the example has headers or names its status."""
    code = registry.codes[name]
    parts: list[str] = []
    if code.example.headers or code.example.status is not None:
        head = [example_status_line(code)]
        head += [f"{key}: {' '.join(str(value).split())}" for key, value in code.example.headers.items()]
        head.append(f"Content-Type: {registry.envelope_media_type}")
        parts.append(markup.fence("\n".join(head), "http"))
    parts.append(markup.json_block(example_envelope(registry, name)))
    return "\n\n".join(parts)


# --- tables ---------------------------------------------------------------------------------------


def code_link(registry: Registry, name: str) -> str:
    """Link to a code's page, written docs-root-absolute so it works from any page.

    MkDocs (``validation.links.absolute_links: relative_to_docs``) checks and
    rewrites it to a relative URL; the Markdown twins turn it into an absolute one.
    """
    return f"[{markup.code(name)}](/{registry.code_page_path(name)})"


RETRY_NOTES = {
    RetryPolicy.never: "not retryable",
    RetryPolicy.after_action: "retry only after fixing the cause",
    RetryPolicy.backoff: "retryable with backoff",
    RetryPolicy.once: "retryable once",
}
"""A retry policy in a few words, for the llms.txt lines and the sub-code tables."""


def if_unconfirmed(code: Code, fact: Fact) -> str:
    """`` (unconfirmed)`` after a fact that no published source confirms (``Code.unconfirmed``), else nothing."""
    return " (unconfirmed)" if fact in code.unconfirmed else ""


def status_summary(statuses: list[int]) -> str:
    return " / ".join(str(status) for status in statuses)


def _when(registry: Registry, code: Code) -> str:
    if code.state is LifecycleState.deprecated:
        return f"**Deprecated**, use {code_link(registry, code.lifecycle.replaced_by or '')}. {markup.text(code.overview.when)}"
    return markup.text(code.overview.when)


def envelope_fields_table(registry: Registry) -> str:
    """Every field, members of objects as dotted paths (``error.code``), optional and nullable ones marked."""
    rows = [
        [markup.code(".".join(path)), markup.text(field.type) + (" or null" if field.nullable else "")
         + ("" if field.required else " (optional)"), markup.cell(field.description)]
        for path, field in envelope_paths(registry.envelope)
    ]
    return markup.table(["Field", "Type", "Description"], rows)


def headers_table(registry: Registry) -> str:
    rows = [
        [", ".join(markup.code(name) for name in header.names), markup.text(header.when), markup.cell(header.meaning)]
        for header in registry.headers
    ]
    return markup.table(["Header", "When", "What it means"], rows)


def _has_categories(registry: Registry) -> bool:
    return EnvelopeRole.category in registry.roles


def code_rows(registry: Registry, names: list[str]) -> list[list[str]]:
    """The codes table's rows of ``names`` (a Category cell when the envelope sends categories)."""
    categories = _has_categories(registry)
    return [
        [code_link(registry, name), status_summary(code.statuses) + if_unconfirmed(code, Fact.http_status),
         *([markup.code(code.category or "") + if_unconfirmed(code, Fact.category)] if categories else []), _when(registry, code),
         markup.text(code.overview.retry) + if_unconfirmed(code, Fact.retry_policy)]
        for name in names
        for code in [registry.codes[name]]
    ]


def code_table(registry: Registry, names: list[str]) -> str:
    """One codes table: the codes ``names``, with their status, category (if any), when and retry."""
    header = ["Code", "HTTP", *(["Category"] if _has_categories(registry) else []), "When", "Retry?"]
    return markup.table(header, code_rows(registry, names))


def codes_table(registry: Registry) -> str:
    """Codes clients can receive (removed ones are gone from the wire, not from their pages),
    one table per group under the group's name (H3: the include sits under an H2)."""
    return "\n\n".join(
        f"### {markup.text(group)}\n\n" + code_table(registry, names)
        for group, names in registry.code_groups().items()
    )


# --- retry guidance -------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:g} s"


def retry_guidance(registry: Registry, *, group_links: list[str] = ()) -> str:  # type: ignore[assignment]
    """Markdown with H3 sub-headings, meant to sit under an H2 of the including page.

    With ``group_links`` (Markdown links to the group pages, for registries whose code
    lists would not fit one page) the lists of codes give way to those links: each group
    page's codes table states every code's retry policy."""
    guidance = registry.retry_guidance
    live = {name: code for name, code in registry.codes.items() if code.returned}
    retryable = [(name, code) for name, code in live.items() if code.retryable]
    rows = [
        [code_link(registry, name), status_summary(code.statuses), markup.cell(code.retry.label), "Yes" if code.retry.sdk_retries else "No"]
        for name, code in retryable
    ]
    after_action = [name for name, code in live.items() if code.retry.policy is RetryPolicy.after_action]
    never = [name for name, code in live.items() if code.retry.policy is RetryPolicy.never]
    backoff = guidance.backoff
    parts = [markup.prose(guidance.intro), "### Which codes to retry"]
    if group_links:
        parts.append(
            f"{len(retryable)} of the {len(live)} codes are retryable as sent. The **Retry?** column of each "
            "group's codes table says, code by code, whether and how to retry:\n\n"
            + "\n".join(f"- {link}" for link in group_links)
        )
        after_action = never = []
    else:
        parts.append(markup.table(["Code", "HTTP", "How", "SDKs retry"], rows) if rows else "No code is retryable as sent.")
    if after_action:
        parts.append(
            "Retry only after something outside the request has changed: "
            + ", ".join(code_link(registry, name) for name in after_action)
            + "."
        )
    if never:
        parts.append(
            "Never retry unchanged; the request itself must change: "
            + ", ".join(code_link(registry, name) for name in never)
            + "."
        )
    if guidance.retry_after:  # only an API that declares the header has this text (cross_references)
        parts += [f"### Honour `{RETRY_AFTER}`", markup.prose(guidance.retry_after)]
    parts += [
        "### Back off when the server gives no delay",
        (
            f"Wait {_seconds(backoff.base_seconds)} before the first retry, double the wait on each further "
            f"attempt, never wait longer than {_seconds(backoff.max_seconds)} at a time, and stop after "
            f"{backoff.max_retries} retries. {markup.text(backoff.jitter)}"
        ),
        "### Retry budgets",
        markup.prose(guidance.budget),
        "### Keep retried writes safe",
        markup.prose(guidance.idempotency),
    ]
    return "\n\n".join(parts)
