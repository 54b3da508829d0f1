"""Envelope roles: one entry per role in ``ROLES``, which every renderer reads; a role without one is named, never skipped."""

from __future__ import annotations

import typing
from typing import Any, Callable

import pytest

from errdocs.publish.contract import envelope_schema
from errdocs.registry.load import load_registry
from errdocs.registry.model import MEDIA_TYPES, REQUIRED_ROLES, ROLE_NAMES, ROLES, EnvelopeRole, Registry
from errdocs.render.snippets import example_envelope

from conftest import ROOT

PROBLEM_SITE = ROOT / "tests" / "fixtures" / "problem_site"


@pytest.mark.parametrize("role", list(EnvelopeRole), ids=lambda role: role.value)
def test_every_role_has_an_entry(role: EnvelopeRole) -> None:
    assert role in ROLES, f"add an entry for {role.value!r} to ROLES (errdocs/registry/envelope_roles.py)"


def test_the_table_holds_one_entry_per_role_in_the_enum_order_and_nothing_else() -> None:
    assert list(ROLES) == list(EnvelopeRole)


def test_the_table_knows_every_media_type_of_the_model() -> None:
    assert set(MEDIA_TYPES) == set(typing.get_args(Registry.model_fields["envelope_media_type"].annotation))


@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_a_required_role_is_implied_by_a_field_name_in_every_media_type(media_type: str) -> None:
    # The problem for a missing required role tells the author which name would carry it.
    for role in REQUIRED_ROLES:
        assert ROLE_NAMES[media_type][ROLES[role].implied_by[media_type]] is role


@pytest.mark.parametrize("render", [
    lambda registry: example_envelope(registry, next(iter(registry.codes))),
    envelope_schema,
], ids=["example envelope", "envelope schema"])
def test_a_renderer_names_a_role_without_an_entry(render: Callable[[Registry], Any], monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(PROBLEM_SITE / "registry.yaml")
    assert EnvelopeRole.title in registry.roles  # the problem site's `title` field carries it
    render(registry)
    monkeypatch.delitem(ROLES, EnvelopeRole.title)  # as if the entry had never been written
    with pytest.raises(KeyError, match=r"envelope role 'title' has no entry in ROLES \(errdocs/registry/envelope_roles.py\)"):
        render(registry)
