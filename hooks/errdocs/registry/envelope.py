"""The error envelope: its fields, the item shape of array messages, and which field plays which role."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from .envelope_roles import ROLE_NAMES, EnvelopeRole
from .field_types import Identifier, JsonValue, Markdown, Model, Text

_ROLE_HELP = (
    "What it carries: " + ", ".join(f"``{role.value}``" for role in list(EnvelopeRole)[:-1])
    + f" or ``{list(EnvelopeRole)[-1].value}``\n(default: the role its name implies, such as ``detail`` -> ``message``)."
)


class EnvelopeField(Model):
    """One field of the error envelope."""

    name: Identifier
    """JSON key."""
    type: Text
    """Type as a reader understands it, e.g. ``string (URL)``."""
    description: Markdown
    """What the field holds."""
    required: bool = True
    """Whether every error response carries it."""
    nullable: bool = False
    """Whether it may be ``null`` (the schema allows it, the fields table says so, and an example
    without a value for it shows ``null``)."""
    # Described from EnvelopeRole, not by a docstring, so the schema names a new role unasked.
    role: Annotated[EnvelopeRole, Strict(False)] | None = Field(None, description=_ROLE_HELP)
    closed: bool = False
    """Whether the API sends no value but the ones the registry documents for this field (the
    codes, their statuses): the schema then refuses any other. By default it lists them and
    accepts new ones, so a client that validates responses survives a new code."""
    example: JsonValue | None = None
    """Its value in the examples when no role fills it and the code gives none (``example.fields``)."""
    fields: list[EnvelopeField] = []
    """The members of an object field, e.g. ``error: {code, message, doc_url}``."""


JsonType = Literal["string", "integer", "number", "boolean", "array", "object", "null"]


class ItemField(Model):
    """One key of the items of an array ``detail``."""

    name: Annotated[str, Field(min_length=1)]
    """The key."""
    type: JsonType | Annotated[list[JsonType], Field(min_length=1)]
    """JSON type(s) of its value: ``string``, ``integer``, ``number``, ``boolean``, ``array``, ``object``, ``null``."""
    items: JsonType | Annotated[list[JsonType], Field(min_length=1)] | None = None
    """For an array: the JSON type(s) of its members."""
    required: bool = True
    """Whether every item has it."""
    description: Text | None = None
    """What it holds."""

    @property
    def types(self) -> list[str]:
        return [self.type] if isinstance(self.type, str) else list(self.type)

    @property
    def item_types(self) -> list[str]:
        return [] if self.items is None else [self.items] if isinstance(self.items, str) else list(self.items)


def envelope_paths(fields: list[EnvelopeField], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], EnvelopeField]]:
    """Every field with its path of names, depth first: ``(("error", "code"), field)``."""
    out = []
    for field in fields:
        out.append(((*prefix, field.name), field))
        out += envelope_paths(field.fields, (*prefix, field.name))
    return out


def field_at(fields: list[EnvelopeField], path: tuple[str, ...]) -> EnvelopeField:
    """The field at ``path`` (``("error", "code")``), which must exist."""
    field = next(f for f in fields if f.name == path[0])
    return field if len(path) == 1 else field_at(field.fields, path[1:])


def envelope_roles(fields: list[EnvelopeField], media_type: str) -> list[tuple[tuple[str, ...], EnvelopeRole | None]]:
    """Every field's path and role, depth first. A role is the field's ``role``, else the
    one its top-level name implies (``ROLE_NAMES``) unless another field declares it."""
    paths = envelope_paths(fields)
    declared = {field.role for _, field in paths if field.role is not None}
    by_name = ROLE_NAMES[media_type]
    out = []
    for path, field in paths:
        role = field.role
        if role is None and len(path) == 1 and by_name.get(field.name) not in declared:
            role = by_name.get(field.name)
        out.append((path, role))
    return out

