"""The three lookups, as plain functions of a catalog: one code (``get_error``), the codes that
match some filters (``find_errors``), and an error response as received (``explain_response``).

Each returns a pydantic model: the MCP server publishes their JSON Schemas as the tools' output
schemas, and every answer, "not documented" included, is one of them, never an exception.
"""

from __future__ import annotations

import difflib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..registry.model import RETRY_AFTER, retry_after_delay
from .catalog import Catalog, CodeEntry, Lifecycle, Policy, SdkError, Status


class _Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class Subcode(_Answer):
    """One documented value of the code's second-level field."""

    value: str
    meaning: str
    what_to_do: str
    retry_policy: Policy
    """Its own policy where it has one, else the code's."""
    retryable: bool


class RetryFacts(_Answer):
    """A code's retry policy, and what it means in seconds."""

    policy: Policy
    """``never`` (the request must change), ``after_action`` (fix the cause first), ``backoff`` or ``once``."""
    retryable: bool
    """Whether sending the same request again can succeed."""
    sdk_retries: bool
    """Whether the official SDKs retry it by themselves."""
    label: str
    in_seconds: str
    """What to do, with the waits in seconds."""
    delays_seconds: list[float]
    """The wait before each retry when the response names no ``Retry-After`` (before jitter); empty when none is due."""
    honours_retry_after: bool
    """Whether the API sends ``Retry-After`` (its seconds then win over ``delays_seconds``)."""


class ErrorFacts(_Answer):
    """Everything documented about one code."""

    code: str
    title: str | None
    summary: str
    http: list[Status]
    category: str | None
    group: str | None
    meaning: str
    """When it happens (Markdown)."""
    what_to_do: list[str]
    """The steps, in order (Markdown)."""
    retry: RetryFacts
    sdk_exceptions: dict[str, SdkError]
    subcodes: list[Subcode]
    subcode_field: str | None
    """The envelope field that carries a sub-code (``error.decline_code``), if the API has one."""
    lifecycle: Lifecycle
    doc_url: str
    twin_url: str | None
    """The code's page as Markdown."""


class ErrorAnswer(_Answer):
    """``get_error``: the code's facts, or why there are none."""

    documented: bool
    code: str
    api: str
    version: str
    """The version of the error contract the answer comes from."""
    message: str
    error: ErrorFacts | None
    similar: list[str]
    """Documented codes spelled like the one asked for, when it is not documented."""


class ErrorSummary(_Answer):
    code: str
    http: list[int]
    category: str | None
    retry_policy: Policy
    retryable: bool
    lifecycle: Literal["active", "deprecated", "removed"]
    summary: str
    doc_url: str


class FindAnswer(_Answer):
    """``find_errors``: every code that matches all the filters given."""

    api: str
    version: str
    total: int
    errors: list[ErrorSummary]


class RetryDecision(_Answer):
    """Whether and when to send the request again."""

    decision: Literal["retry", "retry_after_action", "do_not_retry", "unknown"]
    wait_seconds: float | None
    """How long to wait before the next attempt (``Retry-After`` when sent, else the first backoff delay)."""
    max_retries: int | None
    delays_seconds: list[float]
    reason: str


Verdict = Literal["documented_error", "undocumented_code", "not_this_envelope", "not_json", "not_an_error"]


class Explanation(_Answer):
    """``explain_response``: what a response is, and what to do about it."""

    verdict: Verdict
    """``documented_error``; ``undocumented_code`` (this API's envelope, a code this version does not
    list); ``not_this_envelope`` (JSON, but not this API's error body); ``not_json``; ``not_an_error`` (status below 400)."""
    message: str
    api: str
    version: str
    status: int
    code: str | None
    subcode: str | None
    subcode_documented: bool | None
    status_documented: bool | None
    """Whether the code is documented with this HTTP status."""
    error: ErrorFacts | None
    retry: RetryDecision
    what_to_change: list[str]
    """What to fix before sending the request again (the sub-code's advice first, then the code's steps)."""
    doc_url: str | None


# --- get_error ------------------------------------------------------------------------------------


def _in_seconds(catalog: Catalog, policy: Policy) -> tuple[str, list[float]]:
    """A policy in words with its waits in seconds, and the waits (from the published backoff)."""
    backoff = catalog.retry_guidance.backoff
    header = catalog.retry_guidance.retry_after_header
    after = f"wait the seconds of its `{header}` header when the response has one; otherwise " if header else ""
    if policy == "never":
        return "Do not retry: the same request gets the same error. Change the request first.", []
    if policy == "after_action":
        return "Do not retry until the cause is fixed (see what to do); then send the request again.", []
    if backoff is None:
        return ("Retry once, then report it." if policy == "once" else "Retry with exponential backoff."), []
    delays = backoff.delays_seconds
    if policy == "once":
        first = delays[:1] or [backoff.base_seconds]  # a registry may allow no backoff retries and still one retry
        return f"Retry once: {after}wait {first[0]:g} s. If it fails again, report it.", first
    waits = ", then ".join(f"{delay:g} s" for delay in delays)
    jitter = f" {backoff.jitter}" if backoff.jitter else ""
    return (f"Retry: {after}wait {waits} before the successive retries ({len(delays)} at most, "
            f"{backoff.max_seconds:g} s at the longest).{jitter}"), delays


def _subcodes(entry: CodeEntry) -> list[Subcode]:
    return [
        Subcode(value=value, meaning=sub.meaning, what_to_do=sub.what_to_do,
                retry_policy=sub.retry.policy if sub.retry else entry.retry.policy,
                retryable=sub.retry.retryable if sub.retry else entry.retry.retryable)
        for value, sub in entry.subcodes.items()
    ]


def error_facts(catalog: Catalog, name: str) -> ErrorFacts:
    """The facts of a documented code."""
    entry = catalog.codes[name]
    words, delays = _in_seconds(catalog, entry.retry.policy)
    subcode_path = catalog.role_path("subcode")
    return ErrorFacts(
        code=name, title=entry.title, summary=entry.summary, http=entry.http, category=entry.category, group=entry.group,
        meaning=entry.when, what_to_do=entry.steps,
        retry=RetryFacts(policy=entry.retry.policy, retryable=entry.retry.retryable, sdk_retries=entry.retry.sdk_retries,
                         label=entry.retry.label, in_seconds=words, delays_seconds=delays,
                         honours_retry_after=catalog.retry_guidance.retry_after_header is not None),
        sdk_exceptions=entry.sdk, subcodes=_subcodes(entry),
        subcode_field=".".join(subcode_path) if subcode_path and entry.subcodes else None,
        lifecycle=entry.lifecycle, doc_url=entry.doc_url, twin_url=entry.twin_url,
    )


def _life(name: str, entry: CodeEntry) -> str:
    life = entry.lifecycle
    if life.state == "deprecated":
        return f" Deprecated since {life.since}: use {life.replaced_by}; it stops on {life.removal_date}."
    if life.state == "removed":
        return f" Removed in {life.since}: the API no longer sends it" + (f"; use {life.replaced_by}." if life.replaced_by else ".")
    return ""


def _unlisted(catalog: Catalog) -> str:
    return (f"{catalog.name} {catalog.version} documents no such code. New codes arrive without a breaking change: "
            "handle it by its HTTP status, and check that this is the right API and the code is spelled as sent.")


def get_error(catalog: Catalog, code: str) -> ErrorAnswer:
    """One code's facts; an unknown code gets ``documented: false`` and the closest documented spellings."""
    if code not in catalog.codes:
        similar = difflib.get_close_matches(code, list(catalog.codes), n=5, cutoff=0.6)
        return ErrorAnswer(documented=False, code=code, api=catalog.name, version=catalog.version,
                           message=_unlisted(catalog), error=None, similar=similar)
    entry = catalog.codes[code]
    statuses = "/".join(str(status) for status in entry.statuses)
    return ErrorAnswer(documented=True, code=code, api=catalog.name, version=catalog.version,
                       message=f"{code} (HTTP {statuses}): {entry.summary}{_life(code, entry)}",
                       error=error_facts(catalog, code), similar=[])


# --- find_errors ----------------------------------------------------------------------------------


def _words(name: str, entry: CodeEntry) -> str:
    """Everything a text search looks in, lowercased."""
    parts = [name, entry.summary, entry.title or "", entry.category or "", entry.group or "", entry.when, *entry.steps]
    parts += [f"{value} {sub.meaning} {sub.what_to_do}" for value, sub in entry.subcodes.items()]
    return " ".join(parts).lower()


def find_errors(catalog: Catalog, *, status: int | None = None, retryable: bool | None = None,
                category: str | None = None, text: str | None = None) -> FindAnswer:
    """The codes that match every filter given (none given: every code), in the catalog's order.
    ``text`` matches when each of its words is in the code, its summary, meaning, steps or sub-codes."""
    terms = (text or "").lower().split()
    found = [
        ErrorSummary(code=name, http=entry.statuses, category=entry.category, retry_policy=entry.retry.policy,
                     retryable=entry.retry.retryable, lifecycle=entry.lifecycle.state, summary=entry.summary, doc_url=entry.doc_url)
        for name, entry in catalog.codes.items()
        if (status is None or status in entry.statuses)
        and (retryable is None or entry.retry.retryable is retryable)
        and (category is None or (entry.category or "").lower() == category.lower())
        and all(term in _words(name, entry) for term in terms)
    ]
    return FindAnswer(api=catalog.name, version=catalog.version, total=len(found), errors=found)


# --- explain_response -----------------------------------------------------------------------------


def _at(body: Any, path: tuple[str, ...] | None) -> Any:
    """The value at ``path`` in a JSON body, or None."""
    if path is None:
        return None
    for key in path:
        if not isinstance(body, dict) or key not in body:
            return None
        body = body[key]
    return body


def retry_after_seconds(headers: dict[str, Any], *, now: float | None = None) -> float | None:
    """``Retry-After`` (any case) as seconds to wait: a number of seconds, or an HTTP date from now; None if absent or unreadable."""
    value = next((str(v).strip() for k, v in headers.items() if k.lower() == RETRY_AFTER.lower()), None)
    return retry_after_delay(value, now=now) if value else None


def _decision(catalog: Catalog, policy: Policy, headers: dict[str, Any]) -> RetryDecision:
    words, delays = _in_seconds(catalog, policy)
    if policy == "never":
        return RetryDecision(decision="do_not_retry", wait_seconds=None, max_retries=0, delays_seconds=[], reason=words)
    if policy == "after_action":
        return RetryDecision(decision="retry_after_action", wait_seconds=None, max_retries=None, delays_seconds=[], reason=words)
    header = retry_after_seconds(headers)
    wait = header if header is not None else (delays[0] if delays else None)
    why = f"The response says {RETRY_AFTER}: {header:g} s. " if header is not None else ""
    return RetryDecision(decision="retry", wait_seconds=wait, max_retries=1 if policy == "once" else len(delays) or None,
                         delays_seconds=delays, reason=why + words)


def _undocumented(catalog: Catalog, status: int) -> RetryDecision:
    peers = [name for name, entry in catalog.codes.items() if status in entry.statuses]
    known = f" Documented codes with HTTP {status}: {', '.join(peers)}." if peers else ""
    return RetryDecision(decision="unknown", wait_seconds=None, max_retries=None, delays_seconds=[],
                         reason=f"Not documented, so no retry policy: decide by the HTTP status.{known}")


def explain_response(catalog: Catalog, *, status: int, body: Any, headers: dict[str, Any] | None = None) -> Explanation:
    """What an HTTP response is: the code (and sub-code) found through the envelope's roles, whatever
    the envelope's shape, and whether and when to retry, ``Retry-After`` first, then the backoff."""
    headers = headers or {}
    base = {"api": catalog.name, "version": catalog.version, "status": status}
    nothing = {"code": None, "subcode": None, "subcode_documented": None, "status_documented": None, "error": None,
               "what_to_change": [], "doc_url": None}
    if status < 400:
        return Explanation(verdict="not_an_error", message=f"HTTP {status} is not an error status (400-599).",
                           retry=RetryDecision(decision="do_not_retry", wait_seconds=None, max_retries=0, delays_seconds=[],
                                               reason="The request succeeded or was redirected: nothing to retry."),
                           **base, **nothing)
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: JSON nested past Python's stack
            return Explanation(verdict="not_json", message=(
                f"The body is not JSON, so it is not a {catalog.name} error ({catalog.media_type}): it may come from a "
                "proxy, a load balancer or another service in between."), retry=_undocumented(catalog, status), **base, **nothing)
    code_path = catalog.role_path("code")
    code = _at(body, code_path)
    if not isinstance(code, str) or not code:
        field = ".".join(code_path or ("code",))
        return Explanation(verdict="not_this_envelope", message=(
            f"The body is JSON but not {catalog.name}'s error envelope: it has no code in `{field}`. It may come from "
            "another service in between, or from another API."), retry=_undocumented(catalog, status), **base, **nothing)
    subcode = _at(body, catalog.role_path("subcode"))
    subcode = subcode if isinstance(subcode, str) and subcode else None
    doc_url = _at(body, catalog.role_path("doc_url"))
    if code not in catalog.codes:
        return Explanation(verdict="undocumented_code", message=f"`{code}`: {_unlisted(catalog)}",
                           retry=_undocumented(catalog, status), **base,
                           **{**nothing, "code": code, "subcode": subcode, "doc_url": doc_url if isinstance(doc_url, str) else None})
    entry = catalog.codes[code]
    sub = entry.subcodes.get(subcode) if subcode else None
    policy = sub.retry.policy if sub and sub.retry else entry.retry.policy
    change = ([sub.what_to_do] if sub else []) + (list(entry.steps) if policy in ("never", "after_action") else [])
    notes = [f"{code}: {entry.summary}"]
    if sub:
        notes.append(f"Sub-code {subcode}: {sub.meaning}")
    elif subcode:
        notes.append(f"Sub-code {subcode} is not documented for {code}; the code's policy applies.")
    if status not in entry.statuses:
        notes.append(f"Documented with HTTP {'/'.join(map(str, entry.statuses))}, not {status}.")
    life = _life(code, entry).strip()
    if life:
        notes.append(life)
    return Explanation(
        verdict="documented_error", message=" ".join(notes), **base, code=code, subcode=subcode,
        subcode_documented=(sub is not None) if subcode else None, status_documented=status in entry.statuses,
        error=error_facts(catalog, code), retry=_decision(catalog, policy, headers), what_to_change=change,
        doc_url=entry.doc_url,
    )
