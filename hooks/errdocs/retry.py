"""The retry guidance snippet, rendered from ``retry_guidance`` and each code's retry policy."""

from __future__ import annotations

from . import markup
from .model import Registry, RetryPolicy
from .tables import code_link, status_summary


def _seconds(value: float) -> str:
    return f"{value:g} s"


def retry_guidance(registry: Registry) -> str:
    """Markdown with H3 sub-headings, meant to sit under an H2 of the including page."""
    guidance = registry.retry_guidance
    live = {name: code for name, code in registry.codes.items() if code.returned}
    retryable = [(name, code) for name, code in live.items() if code.retryable]
    rows = [
        [code_link(name), status_summary(code.statuses), markup.cell(code.retry.label), "Yes" if code.retry.sdk_retries else "No"]
        for name, code in retryable
    ]
    after_action = [name for name, code in live.items() if code.retry.policy is RetryPolicy.after_action]
    never = [name for name, code in live.items() if code.retry.policy is RetryPolicy.never]
    backoff = guidance.backoff
    parts = [
        markup.prose(guidance.intro),
        "### Which codes to retry",
        markup.table(["Code", "HTTP", "How", "SDKs retry"], rows) if rows else "No code is retryable as sent.",
    ]
    if after_action:
        parts.append(
            "Retry only after fixing the cause outside the request (credentials, access, billing): "
            + ", ".join(code_link(name) for name in after_action)
            + "."
        )
    if never:
        parts.append(
            "Never retry unchanged; the request itself must change: "
            + ", ".join(code_link(name) for name in never)
            + "."
        )
    parts += [
        "### Honour `Retry-After`",
        markup.prose(guidance.retry_after),
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
