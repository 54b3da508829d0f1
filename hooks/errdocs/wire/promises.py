"""What the registry's ``headers`` promise a response carries, read from each row's ``when``.

``when`` is written for readers (``Always``, ``429, 503``, ``402, sometimes 200``, ``On `429` and
`503` responses``), so it is read the way a reader would: ``Always``, or the statuses it names
(``5xx`` names a class). A status in a clause that hedges (``sometimes 200``) is no promise. A
``when`` that names no status and does not say ``Always`` (``On billing errors``) promises
nothing checkable; verify lists such rows as not checked rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..registry.model import EnvelopeRole, Header, Registry

_CLAUSES = re.compile(r"[,;]")
_ALWAYS = re.compile(r"\balways\b", re.IGNORECASE)
_STATUS = re.compile(r"(?<![\w.])([1-5])(\d\d|xx)(?![\w.])", re.IGNORECASE)
_HEDGES = re.compile(r"\b(sometimes|may|might|optionally|occasionally|rarely)\b", re.IGNORECASE)
"""Words that make a clause a possibility rather than a promise."""


@dataclass(frozen=True)
class HeaderPromise:
    """One ``headers`` row as a rule: on which responses its names are sent."""

    names: tuple[str, ...]
    """The row's header names; a row of several is a group of related headers (see ``check``)."""
    when: str
    """The row's ``when``, as written (quoted in problems)."""
    always: bool
    """``Always``: on every error response."""
    statuses: frozenset[int]
    """The statuses it names outside a hedge (a class such as ``5xx`` counts every status in it)."""

    def covers(self, status: int) -> bool:
        return self.always or status in self.statuses


def _statuses(clause: str) -> set[int]:
    found: set[int] = set()
    for first, rest in _STATUS.findall(clause):
        if rest.lower() == "xx":
            found |= set(range(int(first) * 100, int(first) * 100 + 100))
        else:
            found.add(int(first + rest))
    return found


def header_promise(header: Header) -> HeaderPromise | None:
    """``header`` as a rule, or None when its ``when`` promises nothing a response can be checked against."""
    always, statuses = False, set()
    for clause in _CLAUSES.split(header.when):
        if not _HEDGES.search(clause):
            always = always or bool(_ALWAYS.search(clause))
            statuses |= _statuses(clause)
    if not always and not _statuses(header.when):
        return None
    return HeaderPromise(tuple(header.names), header.when, always, frozenset(statuses))


def header_promises(registry: Registry) -> tuple[list[HeaderPromise], list[Header]]:
    """The rows as rules, and the rows whose ``when`` cannot be read as one (not checked)."""
    promises, unread = [], []
    for header in registry.headers:
        promise = header_promise(header)
        if promise is None:
            unread.append(header)
        else:
            promises.append(promise)
    return promises, unread


def _squashed(name: str) -> str:
    return re.sub(r"[-_]", "", name.lower())


def request_id_header(registry: Registry) -> str | None:
    """The declared header that carries the request's id, when the envelope has a ``request_id`` field too.

    Headers have no role, so the header is known by its name, as every API spells it: one that
    ends in ``Request-Id`` (``X-Request-ID``, ``Request-Id``, ``Ledgerly-Request-Id``,
    ``X-Amzn-RequestId``). Its value and the field's must agree."""
    if EnvelopeRole.request_id not in registry.roles:
        return None
    return next((name for header in registry.headers for name in header.names if _squashed(name).endswith("requestid")), None)
