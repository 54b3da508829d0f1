"""The envelope roles: one table with one entry per role, holding everything a role needs.

A role is what an envelope field carries that the generator fills in for each code. Every
reader of roles reads ``ROLES``: the model (which roles an envelope must have, which field
name implies a role), the example envelopes (``render/snippets.py``) and the envelope's JSON
Schema (``publish/contract.py``). Adding a role is a member of ``EnvelopeRole`` and its entry
here, then ``make schema``; ``tests/test_envelope_roles.py`` fails while a member has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Mapping

from .codes import Code
from .site import Site

JSON_MEDIA_TYPE = "application/json"
PROBLEM_MEDIA_TYPE = "application/problem+json"
MEDIA_TYPES = (JSON_MEDIA_TYPE, PROBLEM_MEDIA_TYPE)
"""Media types of error bodies (``envelope_media_type``): each has its own names that imply a role."""


class EnvelopeRole(str, Enum):
    """What an envelope field carries, which the generator fills in for each code."""

    code = "code"
    """The canonical code (required)."""
    doc_url = "doc_url"
    """The address of the code's page (required; RFC 9457's ``type``)."""
    message = "message"
    """The human message: the code's ``example.detail`` (required)."""
    request_id = "request_id"
    """The request's id: ``site.example_request_id``."""
    status = "status"
    """The HTTP status of the example."""
    title = "title"
    """The code's ``title`` (RFC 9457's ``title``; default: its summary)."""


@dataclass(frozen=True)
class RoleSpec:
    """Everything one role needs, for every reader of roles."""

    required: bool
    """Whether every envelope must have a field that carries it."""
    implied_by: Mapping[str, str]
    """Media type -> the top-level field name that carries the role when no field declares it."""
    example: Callable[[str, Code, Site], Any]
    """Its value in a code's example envelope: ``example(code name, code, site)``."""
    schema: Callable[[dict[str, Code], Site, str | None], dict[str, Any]]
    """Its JSON Schema in the contract files: ``schema(codes, site, $ref of an item of an array message)``;
    the ``$ref`` is None when the registry declares no array messages (no ``detail_items``)."""


class RoleTable(dict[EnvelopeRole, RoleSpec]):
    """The type of ``ROLES``: a role without an entry fails with its name and the fix, never falls through."""

    def __missing__(self, role: EnvelopeRole) -> RoleSpec:
        raise KeyError(f"envelope role {role.value!r} has no entry in ROLES (errdocs/registry/envelope_roles.py); add one")


def _returned(codes: dict[str, Code]) -> list[str]:
    # A schema lists only what a client can receive: removed codes are never sent.
    return [name for name, code in codes.items() if code.returned]


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in r".^$*+?()[]{}|\/" else ch for ch in text)


ROLES = RoleTable({
    EnvelopeRole.code: RoleSpec(
        required=True,
        implied_by={JSON_MEDIA_TYPE: "code", PROBLEM_MEDIA_TYPE: "code"},
        example=lambda name, code, site: name,
        schema=lambda codes, site, item_ref: {"type": "string", "enum": _returned(codes)},
    ),
    EnvelopeRole.doc_url: RoleSpec(
        required=True,
        implied_by={JSON_MEDIA_TYPE: "doc_url", PROBLEM_MEDIA_TYPE: "type"},
        example=lambda name, code, site: site.doc_url(name),
        schema=lambda codes, site, item_ref: {"type": "string", "format": "uri", "pattern": "^" + _regex_escape(site.errors_url)},
    ),
    EnvelopeRole.message: RoleSpec(
        required=True,
        implied_by={JSON_MEDIA_TYPE: "detail", PROBLEM_MEDIA_TYPE: "detail"},
        example=lambda name, code, site: code.example.detail,
        schema=lambda codes, site, item_ref: {
            "oneOf": [{"type": "string"}, {"type": "object"}, *([{"type": "array", "items": {"$ref": item_ref}}] if item_ref else [])]},
    ),
    EnvelopeRole.request_id: RoleSpec(
        required=False,
        implied_by={JSON_MEDIA_TYPE: "request_id", PROBLEM_MEDIA_TYPE: "request_id"},
        example=lambda name, code, site: site.example_request_id,
        schema=lambda codes, site, item_ref: {"type": "string", "minLength": 1},
    ),
    EnvelopeRole.status: RoleSpec(
        required=False,
        implied_by={PROBLEM_MEDIA_TYPE: "status"},
        example=lambda name, code, site: code.example_status,
        schema=lambda codes, site, item_ref: {
            "type": "integer", "enum": sorted({status for name in _returned(codes) for status in codes[name].statuses})},
    ),
    EnvelopeRole.title: RoleSpec(
        required=False,
        implied_by={PROBLEM_MEDIA_TYPE: "title"},
        example=lambda name, code, site: code.title or code.summary,
        schema=lambda codes, site, item_ref: {"type": "string", "minLength": 1},
    ),
})

REQUIRED_ROLES = tuple(role for role, spec in ROLES.items() if spec.required)
"""The roles every envelope must have a field for (from ``ROLES``)."""
ROLE_NAMES = {media_type: {spec.implied_by[media_type]: role for role, spec in ROLES.items() if media_type in spec.implied_by}
              for media_type in MEDIA_TYPES}
"""The role a top-level field's name gives it when no field declares that role, by media type (from ``ROLES``)."""
