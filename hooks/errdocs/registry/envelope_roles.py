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
    category = "category"
    """The code's ``category``: the class it belongs to, such as ``card_error``."""
    subcode = "subcode"
    """One of the code's ``subcodes`` (a second-level reason, such as a decline code); examples show the first."""


@dataclass(frozen=True)
class RoleSpec:
    """Everything one role needs, for every reader of roles."""

    required: bool
    """Whether every envelope must have a field that carries it."""
    implied_by: Mapping[str, str]
    """Media type -> the top-level field name that carries the role when no field declares it."""
    example: Callable[[str, Code, Site], Any]
    """Its value in a code's example envelope: ``example(code name, code, site)``."""
    schema: Callable[[dict[str, Code], Site, str | None], dict[str, Any]] | None = None
    """Its JSON Schema in the contract files: ``schema(codes, site, $ref of an item of an array message)``;
    the ``$ref`` is None when the registry declares no array messages (no ``detail_items``).
    None for a role with ``values``, whose schema is the set of those values."""
    values: Callable[[dict[str, Code]], list[Any]] | None = None
    """For a role whose values the registry documents one by one (the codes, their statuses):
    those values, as the schema lists them. Such a field may be ``closed``."""
    value_type: str = "string"
    """The JSON type of ``values``."""
    per_example: bool = False
    """Whether a code's ``example.fields`` may give the field another value than the role's."""

    def __post_init__(self) -> None:
        if (self.schema is None) == (self.values is None):
            raise ValueError("a role has either a schema or documented values, not both")

    def json_schema(self, codes: dict[str, Code], site: Site, item_ref: str | None, *, closed: bool) -> dict[str, Any]:
        """The schema of a field with this role; ``closed`` refuses values the registry does not document."""
        if self.schema is not None:
            return self.schema(codes, site, item_ref)
        return value_set(self.value_type, self.values(codes), closed=closed)  # type: ignore[misc]


UNDOCUMENTED_VALUE = "A value this version of the contract does not list: later versions add values without a breaking change, so accept it."


def value_set(json_type: str, values: list[Any], *, closed: bool) -> dict[str, Any]:
    """The documented ``values`` as a schema: exactly those when ``closed``, else those or any other of ``json_type``.

    The open form is ``anyOf: [{enum}, {type}]`` rather than ``examples`` or an ``x-`` extension:
    every JSON Schema validator and OpenAPI 3.1 reader then accepts a new value, while editors
    (which collect ``enum`` values from every ``anyOf`` branch for completion) and client
    generators that know this open-enum idiom still see the documented ones."""
    documented = {"type": json_type, "enum": values}
    if closed:
        return documented
    return {"anyOf": [documented, {"type": json_type, "description": UNDOCUMENTED_VALUE}]}


class RoleTable(dict[EnvelopeRole, RoleSpec]):
    """The type of ``ROLES``: a role without an entry fails with its name and the fix, never falls through."""

    def __missing__(self, role: EnvelopeRole) -> RoleSpec:
        raise KeyError(f"envelope role {role.value!r} has no entry in ROLES (errdocs/registry/envelope_roles.py); add one")


def _returned(codes: dict[str, Code]) -> list[str]:
    # A schema lists only what a client can receive: removed codes are never sent.
    return [name for name, code in codes.items() if code.returned]


def _categories(codes: dict[str, Code]) -> list[str]:
    # Each once, in the order of the codes that use them.
    return list(dict.fromkeys(codes[name].category for name in _returned(codes) if codes[name].category is not None))


def _subcodes(codes: dict[str, Code]) -> list[str]:
    # The schema documents one set for the field: every returned code's values, each once.
    return list(dict.fromkeys(value for name in _returned(codes) for value in codes[name].subcodes))


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in r".^$*+?()[]{}|\/" else ch for ch in text)


ROLES = RoleTable({
    EnvelopeRole.code: RoleSpec(
        required=True,
        implied_by={JSON_MEDIA_TYPE: "code", PROBLEM_MEDIA_TYPE: "code"},
        example=lambda name, code, site: name,
        values=_returned,
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
        values=lambda codes: sorted({status for name in _returned(codes) for status in codes[name].statuses}),
        value_type="integer",
    ),
    EnvelopeRole.title: RoleSpec(
        required=False,
        implied_by={PROBLEM_MEDIA_TYPE: "title"},
        example=lambda name, code, site: code.title or code.summary,
        schema=lambda codes, site, item_ref: {"type": "string", "minLength": 1},
    ),
    EnvelopeRole.category: RoleSpec(
        required=False,
        implied_by={},  # `type` is too common a name to mean a category by itself
        example=lambda name, code, site: code.category,
        values=_categories,
        per_example=True,
    ),
    EnvelopeRole.subcode: RoleSpec(
        required=False,
        implied_by={},  # APIs name it freely: decline_code, reason, sub_code...
        example=lambda name, code, site: next(iter(code.subcodes), None),
        values=_subcodes,
        per_example=True,
    ),
})

REQUIRED_ROLES = tuple(role for role, spec in ROLES.items() if spec.required)
"""The roles every envelope must have a field for (from ``ROLES``)."""
PER_EXAMPLE_ROLES = tuple(role for role, spec in ROLES.items() if spec.per_example)
"""The roles whose field a code's ``example.fields`` may set (from ``ROLES``)."""
LISTED_ROLES = tuple(role for role, spec in ROLES.items() if spec.values is not None)
"""The roles whose values the registry documents one by one: their fields may be ``closed`` (from ``ROLES``)."""
ROLE_NAMES = {media_type: {spec.implied_by[media_type]: role for role, spec in ROLES.items() if media_type in spec.implied_by}
              for media_type in MEDIA_TYPES}
"""The role a top-level field's name gives it when no field declares that role, by media type (from ``ROLES``)."""
