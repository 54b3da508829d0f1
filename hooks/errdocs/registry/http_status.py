"""Standard reason phrases of HTTP error statuses: the phrase a bare ``http: 413`` gets."""

from __future__ import annotations

from http import HTTPStatus

# Python's HTTPStatus spells these differently across versions (3.13 follows RFC 9110's
# renames): fixed here so a bare number gives the same page on every Python.
_PREFERRED: dict[int, str] = {
    413: "Payload Too Large",
    414: "URI Too Long",
    416: "Range Not Satisfiable",
    418: "I'm a teapot",
    422: "Unprocessable Entity",
}


def standard_reason(status: int) -> str:
    """The usual reason phrase of ``status``, or ``""`` if it has none."""
    if status in _PREFERRED:
        return _PREFERRED[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
