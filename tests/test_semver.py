"""Contract versions: one reading (``packaging.version``) for the model's order and the breaking-change gate."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from errdocs.registry.load import RegistryError, validate_registry
from errdocs.registry.model import major_version, semver
from errdocs.tools.breaking import ContractChange, unapproved

from conftest import EXAMPLE_SITE

BASE: dict[str, Any] = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("older, newer", [
    ("1.9.0", "1.10.0"),  # by number, not by text
    ("1.0.9", "1.1.0"),
    ("0.99.99", "1.0.0"),
    ("1.0.0-alpha", "1.0.0-beta.1"),
    ("1.0.0-beta.1", "1.0.0"),  # a pre-release comes before its release
    ("1.0.0-rc.2", "1.0.1"),
])
def test_versions_order_by_number(older: str, newer: str) -> None:
    assert semver(older) < semver(newer)


@pytest.mark.parametrize("one, other", [("1.2.3", "1.2.3"), ("01.2.3", "1.2.3"), ("1.0.0-beta.1", "1.0.0-beta1")])
def test_versions_equal_by_number(one: str, other: str) -> None:
    assert semver(one) == semver(other)


@pytest.mark.parametrize("written, major", [
    ("2.0.0", 2),
    ("10.4.1", 10),
    ("1.0.0-beta.1", 1),  # semver pre-release
    ("3.0.0-rc.1+build.5", 3),
    ("2.0", 2),  # YAML's float 2.0 reaches the gate as it was written
    (2.0, 2),
    (2, 2),
    (None, 0),  # no version at all
    ("", 0),
    ("latest", 0),
    (True, 0),
])
def test_major_version_of_what_a_registry_wrote(written: Any, major: int) -> None:
    assert major_version(written) == major


@pytest.mark.parametrize("old_version, new_version, blocked", [
    ("1.9.0", "2.0.0", False),  # the major went up and the changelog names the change
    ("1.9.0", "1.10.0", True),
    ("2.0.0-beta.1", "2.0.0", True),  # the same major
    (None, "1.0.0", False),  # a base without a version is major 0
])
def test_the_gate_lets_a_recorded_breaking_change_through_a_new_major_only(
        old_version: str | None, new_version: str, blocked: bool) -> None:
    change = ContractChange("breaking", "server_broke", "HTTP status [503] -> [502]")
    new = {"version": new_version,
           "changelog": [{"version": new_version, "changes": [{"kind": "changed", "subject": "server_broke"}]}]}
    assert unapproved([change], {"version": old_version}, new) == ([change] if blocked else [])


def _problems(version: str, changelog_versions: list[str]) -> list[str]:
    data = copy.deepcopy(BASE)
    data["version"] = version
    data["changelog"] = [{"version": v, "date": "2026-01-31", "summary": "A release."} for v in changelog_versions]
    try:
        validate_registry(data, text=yaml.safe_dump(data), file="registry.yaml")
    except RegistryError as err:
        return [f"{p.path}: {p.message}" for p in err.problems]
    return []


@pytest.mark.parametrize("version, changelog, expected", [
    ("1.10.0", ["1.9.0", "1.10.0"], []),
    ("1.9.0", ["1.10.0"], ["changelog[0].version: 1.10.0 is newer than the registry version 1.9.0"]),
    ("1.0.0-beta.1", [], ["version: '1.0.0-beta.1' does not match the expected form ^\\d+\\.\\d+\\.\\d+$"]),
    ("v1.0.0", [], ["version: 'v1.0.0' does not match the expected form ^\\d+\\.\\d+\\.\\d+$"]),
])
def test_the_model_takes_major_minor_patch_and_orders_the_changelog_by_number(
        version: str, changelog: list[str], expected: list[str]) -> None:
    assert _problems(version, changelog) == expected
