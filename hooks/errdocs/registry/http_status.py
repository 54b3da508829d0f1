"""Reason phrases of HTTP error statuses, for checking ``"413 Payload Too Large"``."""

from __future__ import annotations

from http import HTTPStatus

# Phrases that RFC 9110 or widespread usage spell differently from Python's
# HTTPStatus table; any of them is accepted for its status.
_ALIASES: dict[int, tuple[str, ...]] = {
    413: ("Payload Too Large", "Content Too Large", "Request Entity Too Large"),
    414: ("URI Too Long", "Request-URI Too Long"),
    416: ("Range Not Satisfiable", "Requested Range Not Satisfiable"),
    418: ("I'm a teapot", "I'm a Teapot"),
    422: ("Unprocessable Entity", "Unprocessable Content"),
}


def standard_reason(status: int) -> str:
    """The usual reason phrase of ``status``, or ``""`` if it has none."""
    if status in _ALIASES:
        return _ALIASES[status][0]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def reason_matches(status: int, reason: str) -> bool:
    """Whether ``reason`` is an accepted phrase for ``status``.

    Unregistered statuses (e.g. 499) accept any phrase: there is nothing to check against.
    """
    expected = {standard_reason(status), *_ALIASES.get(status, ())} - {""}
    return not expected or reason in expected
