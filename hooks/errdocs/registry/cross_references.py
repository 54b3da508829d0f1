"""Cross-reference rules: what only the whole registry shows wrong, checked once every entry's shape is valid.

A rule within one entry is that model's own validator; these span entries or need the
registry's settings: code names, related and replacement codes exist, SDK ids are declared,
each envelope role is played once, example details fit ``detail_items``, changelog versions
are unique and not newer than the registry's.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from .codes import Fact
from .document import Registry
from .envelope import ItemField, envelope_roles, field_at
from .envelope_roles import LISTED_ROLES, PER_EXAMPLE_ROLES, REQUIRED_ROLES, ROLES, EnvelopeRole
from .field_types import kind
from .guidance import RETRY_AFTER
from .semver import semver

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
RESERVED_NAMES = frozenset({"changelog", "index", "overview"})
"""Names of generated pages that live beside the code pages (under ``site.errors_path``)."""
MAX_CODE_LENGTH = 64
"""Longest code name: it is a file name and part of every ``doc_url``."""
_CODE_RE = re.compile(CODE_PATTERN)  # used with fullmatch: `$` alone accepts a trailing newline


def _code_name_problem(name: str) -> str | None:
    if name in RESERVED_NAMES:
        return f"code {name!r} is reserved for a generated page; choose another name"
    if not _CODE_RE.fullmatch(name):
        return f"code {name[:40]!r} is not snake_case (expected e.g. rate_limit_exceeded)"
    if len(name) > MAX_CODE_LENGTH:
        return f"code {name[:20]!r}... is {len(name)} characters; the most is {MAX_CODE_LENGTH}"
    return None


def _generated_prefix(registry: Registry, page: str) -> tuple[str, str] | None:
    """The kind and name start of the generated pages a code page's path would fall among, if any."""
    for kind, prefix in (("group page", registry.group_pages_prefix), ("sub-code page", registry.subcode_pages_prefix)):
        if page.startswith(prefix):
            return kind, prefix
    return None


Loc = tuple[Any, ...]
"""Where in the registry: ``("codes", "forbidden", "retry", "policy")``."""


def cross_reference_problems(registry: Registry, *, unread: Iterable[str] = ()) -> list[tuple[Loc, str]]:
    """Rules that span entries, checked once the shape is valid: (path, message) pairs.

    ``unread``: codes left out of ``registry`` for problems of their own. They exist, so
    references to them stand; only their names are checked here."""
    unread = set(unread)
    problems: list[tuple[Loc, str]] = [(("codes", name), named) for name in sorted(unread) if (named := _code_name_problem(name))]
    declared = set(registry.site.sdks)
    problems += _envelope_problems(registry)
    settable = _settable_fields(registry)
    for name, code in registry.codes.items():
        named = _code_name_problem(name)
        if named:
            problems.append((("codes", name), named))
        elif clash := _generated_prefix(registry, registry.code_page_path(name)):  # a slug: codes_x -> codes-x
            problems.append((("codes", name), f"the page of code {name!r} would take the name of a {clash[0]} "
                                              f"({clash[1]}...); choose another code name"))
        problems += _example_field_problems(registry, name, settable)
        problems += _category_problems(registry, name)
        problems += _subcode_problems(registry, name)
        if isinstance(code.example.detail, list):
            where = ("codes", name, "example", "detail")
            if registry.detail_items is None:
                problems.append((where, "an array message needs `detail_items` at the top level: the keys of each item "
                                        "(`[]` if they vary)"))
            else:
                problems += _detail_item_problems(registry.detail_items, code.example.detail, where)
        for header in code.example.headers:
            if not registry.declares_header(header):
                problems.append((("codes", name, "example", "headers", header),
                                 f"header {header!r} is not declared under `headers`; declare it, so pages say when it comes"))
        for sdk_id in code.sdk:
            if sdk_id not in declared:
                problems.append((("codes", name, "sdk", sdk_id), f"unknown SDK {sdk_id!r} (declared in site.sdks: {', '.join(sorted(declared)) or 'none'})"))
        for sdk_id in sorted(declared - set(code.sdk)):
            problems.append((("codes", name, "sdk"), f"missing the exception for SDK {sdk_id!r}"))
        replacement = code.lifecycle.replaced_by
        if replacement is not None:
            where = ("codes", name, "lifecycle", "replaced_by")
            if replacement == name:
                problems.append((where, "a code cannot replace itself"))
            elif replacement not in registry.codes:
                if replacement not in unread:  # an unread code exists; whether it is removed is unknown yet
                    problems.append((where, f"unknown code {replacement!r}"))
            elif not registry.codes[replacement].returned:
                problems.append((where, f"{replacement!r} is removed itself; point at a code clients still receive"))
        for index, rel in enumerate(code.related):
            if rel.code is None:
                continue
            if rel.code == name:
                problems.append((("codes", name, "related", index, "code"), "a code cannot relate to itself"))
            elif rel.code not in registry.codes and rel.code not in unread:
                problems.append((("codes", name, "related", index, "code"), f"unknown code {rel.code!r}"))
    if registry.retry_guidance.retry_after and not registry.declares_header(RETRY_AFTER):
        problems.append((("retry_guidance", "retry_after"), f"the API declares no {RETRY_AFTER} header under `headers`; "
                                                            "declare it, or leave this text out"))
    versions = [entry.version for entry in registry.changelog]
    for index, entry in enumerate(registry.changelog):
        if versions.index(entry.version) != index:
            problems.append((("changelog", index, "version"), f"version {entry.version} has two changelog entries"))
        if semver(entry.version) > semver(registry.version):
            problems.append(
                (("changelog", index, "version"), f"{entry.version} is newer than the registry version {registry.version}")
            )
    return problems


def _settable_fields(registry: Registry) -> dict[str, EnvelopeRole | None]:
    """Dotted path -> role of the fields a code's ``example.fields`` may set: those no role fills, and
    those whose role lets an example differ (``PER_EXAMPLE_ROLES``)."""
    return {".".join(path): role for path, role in envelope_roles(registry.envelope, registry.envelope_media_type)
            if (role is None or role in PER_EXAMPLE_ROLES) and not field_at(registry.envelope, path).fields}


def _example_field_problems(registry: Registry, name: str, settable: dict[str, EnvelopeRole | None]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for key, value in registry.codes[name].example.fields.items():
        where = ("codes", name, "example", "fields", key)
        if key not in settable:
            problems.append((where, f"{key!r} is not an envelope field an example sets (fields: {', '.join(sorted(settable)) or 'none'})"))
            continue
        field, role = field_at(registry.envelope, tuple(key.split("."))), settable[key]
        if value is None and not field.nullable:
            problems.append((where, f"{key!r} is not nullable; give it a value, or declare `nullable: true` on the field"))
        elif role is not None and field.closed and value is not None and value not in ROLES[role].values(registry.codes):  # type: ignore[misc]
            problems.append((where, f"{value!r} is not a {role.value} the registry lists, and {key!r} is closed"))
    return problems


def _category_problems(registry: Registry, name: str) -> list[tuple[Loc, str]]:
    """A code has a category exactly when the envelope has a field to send it in."""
    path = registry.roles.get(EnvelopeRole.category)
    category = registry.codes[name].category
    if path is None and category is not None:
        return [(("codes", name, "category"), "no envelope field carries the category role; give the field that sends it "
                                              "`role: category`")]
    if path is not None and category is None:
        return [(("codes", name), f"missing `category`: the envelope sends one in {'.'.join(path)!r} with every code")]
    if category is None and Fact.category in registry.codes[name].unconfirmed:
        return [(("codes", name, "unconfirmed", Fact.category.value), "the code has no category to mark as unconfirmed")]
    return []


def _subcode_problems(registry: Registry, name: str) -> list[tuple[Loc, str]]:
    """Sub-codes need a field to be sent in, and an example shows one of its code's own."""
    code = registry.codes[name]
    path = registry.roles.get(EnvelopeRole.subcode)
    if path is None:
        if code.subcodes:
            return [(("codes", name, "subcodes"), "no envelope field carries the subcode role; give the field that sends "
                                                  "them `role: subcode`")]
        return []
    key = ".".join(path)
    shown = code.example.fields.get(key)
    if code.subcodes and shown is not None and shown not in code.subcodes:
        return [(("codes", name, "example", "fields", key), f"{shown!r} is not one of this code's subcodes "
                                                            f"({', '.join(list(code.subcodes)[:5])}{', ...' if len(code.subcodes) > 5 else ''})")]
    return []


def _envelope_problems(registry: Registry) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    roles = envelope_roles(registry.envelope, registry.envelope_media_type)
    played: dict[EnvelopeRole, list[str]] = {}
    for path, role in roles:
        field = field_at(registry.envelope, path)
        if role is not None:
            played.setdefault(role, []).append(".".join(path))
            if field.fields:
                problems.append((("envelope", *path), f"field {'.'.join(path)!r} has member fields, so it cannot carry the {role.value} role"))
        if field.closed and role not in LISTED_ROLES:
            names = [r.value for r in LISTED_ROLES]
            listed = " or ".join(filter(None, [", ".join(names[:-1]), names[-1]]))
            problems.append((("envelope", *path, "closed"), f"only a field whose values the registry lists can be closed "
                                                            f"(the {listed} role); {'.'.join(path)!r} has "
                                                            + (f"the {role.value} role" if role else "no role")))
    for role in REQUIRED_ROLES:
        if role not in played:
            implied = ROLES[role].implied_by[registry.envelope_media_type]
            problems.append((("envelope",), f"no field carries the {role.value} role: name a top-level field {implied!r} or give one `role: {role.value}`"))
    for role, paths in played.items():
        if len(paths) > 1:
            problems.append((("envelope",), f"fields {', '.join(paths)} all carry the {role.value} role; one field per role"))
    for index, field in enumerate(registry.envelope):
        siblings = [f.name for f in registry.envelope]
        if siblings.index(field.name) != index:
            problems.append((("envelope", index, "name"), f"field {field.name!r} is declared twice"))
    return problems


def item_shape(items: list[ItemField]) -> str:
    """The item shape as a reader writes it: ``{loc: array, msg: string, type: string}``."""
    parts = [f"{f.name}: {' or '.join(f.types)}{'' if f.required else ' (optional)'}" for f in items]
    return "{" + (", ".join(parts) or "any keys") + "}"


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,), "null": (type(None),),
}


def _json_type_of(value: Any, types: list[str]) -> bool:
    # bool is an int in Python, not in JSON.
    return any(isinstance(value, _JSON_TYPES[t]) and not (isinstance(value, bool) and t in ("integer", "number"))
               for t in types)


def _detail_item_problems(items: list[ItemField], detail: list[Any], where: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    shape = item_shape(items)
    for index, item in enumerate(detail):
        if not isinstance(item, dict):
            problems.append(((*where, index), f"expected an item {shape} (got {kind(item)})"))
            continue
        for field in items:
            if field.name not in item:
                if field.required:
                    problems.append(((*where, index, field.name), f"required key is missing; each item is {shape}"))
                continue
            value = item[field.name]
            if not _json_type_of(value, field.types):
                problems.append(((*where, index, field.name), f"expected {' or '.join(field.types)} (got {kind(value)}); each item is {shape}"))
            elif isinstance(value, list) and field.item_types:
                for member in value:
                    if not _json_type_of(member, field.item_types):
                        problems.append(((*where, index, field.name), f"members must be {' or '.join(field.item_types)} (got {kind(member)})"))
                        break
    return problems
