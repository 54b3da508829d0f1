"""One response against the registry: status, headers and body in, a ``Verdict`` with its problems out.

Every rule reads the registry model: the envelope's media type and published JSON Schema
(``publish.contract``), the field of each role, each code's statuses, ``doc_url``, lifecycle,
category and sub-codes, the declared headers (``promises``) and the retry policy. A body is
never copied into a problem: a problem names a field by its path and shows only the values the
registry checks (a code, an address, a status, a header), each cut to a short length.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..publish.contract import envelope_schema
from ..registry.model import (
    CODE_PATTERN,
    RETRY_AFTER,
    RETRYABLE_POLICIES,
    SUBCODE_PATTERN,
    Code,
    EnvelopeRole,
    LifecycleState,
    Registry,
    field_at,
    retry_after_delay,
)
from .promises import HeaderPromise, header_promises, request_id_header

SHOWN_LENGTH = 80
"""The most characters of a sent value a problem shows: enough for a code or an address, not for customer data."""


class Severity(str, Enum):
    error = "error"
    """The response breaks the documented contract: verify exits 1."""
    warning = "warning"
    """Allowed, but worth a look: a deprecated code, a sub-code the open field does not list yet."""


@dataclass(frozen=True)
class Problem:
    """One way a response differs from what the registry documents."""

    rule: str
    """Which check found it: ``media-type``, ``body``, ``schema``, ``code``, ``lifecycle``, ``status``,
    ``doc_url``, ``category``, ``subcode``, ``header``, ``request-id`` or ``retry-after``."""
    field: str
    """Where: an envelope path (``error.doc_url``), ``headers.<Name>``, ``status`` or ``body``."""
    expected: str
    """What the registry documents there."""
    sent: str
    """What the response carries there (shortened; never a whole body)."""
    severity: Severity = Severity.error

    def __str__(self) -> str:
        return f"{'warning: ' if self.severity is Severity.warning else ''}{self.field}: expected {self.expected}, sent {self.sent}"


@dataclass(frozen=True)
class Verdict:
    """What one response showed: the documented code it carries (for coverage) and its problems."""

    status: int
    code: str | None = None
    """The documented code the body names (None: no error response, no readable code, or an undocumented one)."""
    subcode: str | None = None
    """Its sub-code, when documented for that code."""
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.error)

    @property
    def ok(self) -> bool:
        return not self.errors


def shown(value: Any) -> str:
    """A sent value as a problem shows it: short scalars quoted, anything else by its kind only."""
    if isinstance(value, str):
        text = value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 3] + "..."
        return json.dumps(text, ensure_ascii=False)
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'' if len(value) == 1 else 's'}"
    return type(value).__name__


def shown_if(pattern: str, value: Any) -> str:
    """A sent value where a code or sub-code belongs: shown only if it has that form; anything
    else (a sentence, an e-mail address) may be customer data, so only its kind and length show."""
    if isinstance(value, str) and re.fullmatch(pattern, value):
        return shown(value)
    return f"{_json_kind(value)} of {len(value)} characters" if isinstance(value, str) else _json_kind(value)


def _json_kind(value: Any) -> str:
    """A value's JSON type in words (``a string``), for type mismatches: the value itself stays out."""
    return {str: "a string", bool: "true or false", int: "an integer", float: "a number", dict: "an object",
            list: "an array", type(None): "null"}.get(type(value), type(value).__name__)


def _path(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def _one_of(values: list[Any]) -> str:
    quoted = [json.dumps(v) for v in values[:6]] + (["..."] if len(values) > 6 else [])
    return quoted[0] if len(quoted) == 1 else "one of " + ", ".join(quoted)


_SCHEMA_TYPES = {"string": "a string", "integer": "an integer", "number": "a number", "object": "an object",
                 "array": "an array", "boolean": "true or false", "null": "null"}


def _expected_by_schema(error: ValidationError) -> str:
    """What the failing part of the schema asks for, in words."""
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return " or ".join(_SCHEMA_TYPES.get(t, t) for t in types)
    if error.validator in ("oneOf", "anyOf"):
        kinds = []
        for sub in error.validator_value:
            if "$ref" in sub or sub.get("type") == "array":
                kinds.append("an array of items")
            elif "type" in sub:
                kinds.append(_SCHEMA_TYPES.get(sub["type"], sub["type"]))
        return " or ".join(dict.fromkeys(kinds)) or f"what the schema's {error.validator} allows"
    if error.validator == "enum":
        return _one_of(list(error.validator_value))
    if error.validator == "minLength":
        return "a non-empty string"
    return f"{error.validator} {json.dumps(error.validator_value)[:40]}"


def _get(body: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    """The value at ``path`` in ``body``, and whether it is there."""
    for name in path:
        if not isinstance(body, dict) or name not in body:
            return False, None
        body = body[name]
    return True, body


class WireContract:
    """The registry's promises for error responses, ready to check responses one by one."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.media_type = registry.envelope_media_type
        self.validator = Draft202012Validator(envelope_schema(registry))
        self.promises, self.unread_headers = header_promises(registry)
        self.request_id_header = request_id_header(registry)
        self.roles = registry.roles

    def check(self, status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes | None) -> Verdict:
        """Every problem of one response; a response below 400 is no error response and has none.

        ``headers`` are name/value pairs or a mapping (names in any case); ``body`` is the
        decoded body bytes, or None when the traffic did not record it (only status and
        headers are then checked)."""
        if status < 400:
            return Verdict(status)
        sent = _header_values(headers)
        problems = self._media_type(sent)
        if body is None:
            problems.append(Problem("body", "body", f"a {self.media_type} envelope", "no recorded body (status and headers checked only)",
                                    Severity.warning))
            return Verdict(status, problems=tuple(problems + self._headers(status, sent, None, None)))
        try:
            envelope = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: JSON nested past Python's stack
            what = "an empty body" if not body.strip() else f"{len(body)} bytes that are not JSON"
            problems.append(Problem("body", "body", f"a JSON envelope ({self.media_type})", what))
            return Verdict(status, problems=tuple(problems + self._headers(status, sent, None, None)))
        name, code, subcode, found = self._envelope(status, envelope)
        handled = {self.roles[role] for role in found}
        problems += [self._schema_problem(error) for error in self.validator.iter_errors(envelope)
                     if not any(tuple(error.absolute_path)[: len(path)] == path for path in handled)]
        problems += [problem for group in found.values() for problem in group]
        problems += self._request_id(sent, envelope)
        problems += self._headers(status, sent, name, code, subcode)
        return Verdict(status, name if code is not None else None, subcode, tuple(problems))

    # --- the parts of a response

    def _media_type(self, sent: dict[str, list[str]]) -> list[Problem]:
        values = sent.get("content-type")
        if not values:
            return [Problem("media-type", "headers.Content-Type", self.media_type, "nothing")]
        media_type = values[0].split(";")[0].strip().lower()
        if media_type != self.media_type:
            return [Problem("media-type", "headers.Content-Type", self.media_type, shown(values[0]))]
        return []

    def _schema_problem(self, error: ValidationError) -> Problem:
        if error.validator == "required":
            missing = re.match(r"'(.*)' is a required property", error.message)
            name = missing.group(1) if missing else "a field"
            return Problem("schema", _path([*error.absolute_path, name]), "a field the envelope requires", "nothing")
        sent = shown(error.instance) if error.validator in ("enum", "minLength") else _json_kind(error.instance)
        return Problem("schema", _path(error.absolute_path), _expected_by_schema(error), sent)

    def _envelope(self, status: int, envelope: Any) -> tuple[str | None, Code | None, str | None, dict[EnvelopeRole, list[Problem]]]:
        """The code the envelope names, and the problems of the role fields checked against it.

        Returns ``(name, code, subcode, {role: problems})``: a role in the mapping was checked
        here, so the schema's own finding about that field is left out (one problem per drift)."""
        found: dict[EnvelopeRole, list[Problem]] = {}
        there, name = _get(envelope, self.roles[EnvelopeRole.code])
        if not there:
            return None, None, None, found  # the schema says the field is missing
        code_field = _path(self.roles[EnvelopeRole.code])
        code = self.registry.codes.get(name) if isinstance(name, str) else None
        if code is None:
            found[EnvelopeRole.code] = [Problem("code", code_field, "a code the registry documents", shown_if(CODE_PATTERN, name))]
            return None, None, None, found
        found[EnvelopeRole.code] = self._lifecycle(name, code, code_field)
        if code.state is LifecycleState.removed:
            return name, None, None, found
        if status not in code.statuses:
            expected = ", ".join(map(str, code.statuses))
            found[EnvelopeRole.code].append(Problem("status", "status", f"{'one of ' if len(code.statuses) > 1 else ''}{expected} ({name})", str(status)))
        for role, check in ((EnvelopeRole.doc_url, self._doc_url), (EnvelopeRole.status, self._status_field),
                            (EnvelopeRole.category, self._category)):
            if role in self.roles:
                there, value = _get(envelope, self.roles[role])
                found[role] = check(name, code, status, value) if there else []
        subcode = None
        if EnvelopeRole.subcode in self.roles:
            there, value = _get(envelope, self.roles[EnvelopeRole.subcode])
            found[EnvelopeRole.subcode] = self._subcode(name, code, value) if there and value is not None else []
            subcode = value if there and isinstance(value, str) and value in code.subcodes else None
        return name, code, subcode, found

    def _lifecycle(self, name: str, code: Code, field: str) -> list[Problem]:
        life = code.lifecycle
        instead = f", use {life.replaced_by}" if life.replaced_by else ""
        if life.state is LifecycleState.removed:
            return [Problem("lifecycle", field, f"a code the API still sends ({name} was removed in {life.since}{instead})", shown(name))]
        if life.state is LifecycleState.deprecated:
            return [Problem("lifecycle", field, f"{life.replaced_by} ({name} is deprecated since {life.since}, removed on {life.removal_date})",
                            shown(name), Severity.warning)]
        return []

    def _doc_url(self, name: str, code: Code, status: int, value: Any) -> list[Problem]:
        expected = self.registry.doc_url(name)
        return [] if value == expected else [Problem("doc_url", _path(self.roles[EnvelopeRole.doc_url]), expected, shown(value))]

    def _status_field(self, name: str, code: Code, status: int, value: Any) -> list[Problem]:
        # RFC 9457: the body's status repeats the response's; a proxy that changed one shows here.
        if value == status and type(value) is int:
            return []
        return [Problem("status", _path(self.roles[EnvelopeRole.status]), f"{status} (the response's status)", shown(value))]

    def _category(self, name: str, code: Code, status: int, value: Any) -> list[Problem]:
        path = self.roles[EnvelopeRole.category]
        # A code's example may show another value in the field (``example.fields``); that value is documented too.
        allowed = [code.category, code.example.fields.get(".".join(path))]
        if value in [v for v in allowed if v is not None]:
            return []
        return [Problem("category", _path(path), f"{json.dumps(code.category)} ({name}'s category)", shown(value))]

    def _subcode(self, name: str, code: Code, value: Any) -> list[Problem]:
        if isinstance(value, str) and value in code.subcodes:
            return []
        path = self.roles[EnvelopeRole.subcode]
        documented = f"{_one_of(list(code.subcodes))} ({name}'s sub-codes)" if code.subcodes else f"no sub-code ({name} documents none)"
        sent = shown_if(SUBCODE_PATTERN, value)
        if field_at(self.registry.envelope, path).closed or not isinstance(value, str):
            return [Problem("subcode", _path(path), documented, sent)]
        # An open field accepts values the registry does not list yet: adding one is not breaking.
        return [Problem("subcode", _path(path), documented + "; the field is open, so document it", sent, Severity.warning)]

    def _request_id(self, sent: dict[str, list[str]], envelope: Any) -> list[Problem]:
        if self.request_id_header is None:
            return []
        header = sent.get(self.request_id_header.lower())
        path = self.roles[EnvelopeRole.request_id]
        there, value = _get(envelope, path)
        if not header or not there or not isinstance(value, str) or value == header[0]:
            return []  # a missing header or field is the header rule's or the schema's to report
        return [Problem("request-id", _path(path), f"the {self.request_id_header} header's value {shown(header[0])}", shown(value))]

    def _headers(self, status: int, sent: dict[str, list[str]], name: str | None, code: Code | None,
                 subcode: str | None = None) -> list[Problem]:
        problems = []
        for promise in self.promises:
            if not promise.covers(status) or any(n.lower() in sent for n in promise.names):
                continue
            problems.append(self._missing(promise, status, name, code, subcode))
        retry_after = sent.get(RETRY_AFTER.lower())
        if retry_after and not _retry_after_valid(retry_after[0]):
            problems.append(Problem("retry-after", f"headers.{RETRY_AFTER}", "whole seconds or an HTTP date", shown(retry_after[0])))
        return problems

    def _missing(self, promise: HeaderPromise, status: int, name: str | None, code: Code | None, subcode: str | None) -> Problem:
        said = f"headers row: when {json.dumps(promise.when)}"
        if len(promise.names) > 1:
            # A row of several names groups related headers; the API sends those that apply
            # (a subscription's status without its grace days), so one of them is the promise.
            return Problem("header", "headers." + "|".join(promise.names), f"at least one of them ({said})", "none")
        header = promise.names[0]
        if code is not None and header.lower() == RETRY_AFTER.lower():
            policy = code.subcodes[subcode].retry if subcode and code.subcodes[subcode].retry else code.retry.policy
            if policy in RETRYABLE_POLICIES:
                return Problem("retry-after", f"headers.{header}", f"present ({name}'s retry policy is {policy.value}; {said})", "nothing")
        return Problem("header", f"headers.{header}", f"present ({said})", "nothing")


def _header_values(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Header values by lowercased name (HTTP names are case-insensitive; a name may repeat)."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name.lower(), []).append(value)
    return values


def _retry_after_valid(value: str) -> bool:
    """RFC 9110: ``Retry-After`` is delay-seconds (digits) or an HTTP date."""
    return retry_after_delay(value, now=0.0) is not None
