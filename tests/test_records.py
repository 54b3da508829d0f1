"""The record machinery behind the model: validation messages, immutability, and the exported schema."""

from __future__ import annotations

import json
from typing import Annotated, Any, Union

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from errdocs.model import Registry
from errdocs.records import Bounds, Check, Invalid, MinLen, OneOrList, Pattern, Record, factory, validate
from errdocs.schema import registry_schema

from conftest import EXAMPLE_SITE, ROOT
from test_properties import mutated_registries


def _upper(value: str) -> str:
    if value != value.upper():
        raise Invalid("must be upper case")
    return value


class Inner(Record):
    """A nested record."""

    name: Annotated[str, Pattern(r"^[a-z]+$")]
    """A lower-case name."""


class Outer(Record):
    """A record using every kind of annotation."""

    title: Annotated[str, MinLen(1), Check(_upper)]
    """Upper-case title."""
    count: Annotated[int, Bounds(ge=0, le=9)] = 0
    ratio: float = 1.0
    tags: Annotated[list[str], OneOrList(), MinLen(1)] = factory(lambda: ["x"])
    inner: Inner | None = None
    mixed: Union[str, int, list[Any]] = ""
    by_name: dict[str, Inner] = factory(dict)

    def _rule(self) -> str | None:
        return "count must be 0 when ratio is 0" if self.ratio == 0 and self.count else None


def problems(data: Any) -> list[tuple[tuple, str]]:
    return validate(Outer, data)[1]


def test_valid_data_becomes_frozen_typed_records() -> None:
    value, found = validate(Outer, {"title": "HI", "count": 3, "ratio": 2, "tags": "one", "inner": {"name": "ab"},
                                    "by_name": {"k": {"name": "cd"}}})
    assert found == []
    assert value == Outer(title="HI", count=3, ratio=2.0, tags=["one"], inner=Inner(name="ab"), by_name={"k": Inner(name="cd")})
    assert isinstance(value.ratio, float) and value.tags == ["one"]
    with pytest.raises(AttributeError, match="immutable"):
        value.title = "NO"  # type: ignore[misc]
    assert not hasattr(value, "__dict__"), "records are slotted: no per-instance dict"


@pytest.mark.parametrize("data, expected", [
    ("text", [((), "expected a mapping (got a string)")]),
    ({}, [(("title",), "required field is missing")]),
    ({"title": "HI", "cuont": 1}, [(("cuont",), "unknown key 'cuont'; did you mean 'count'?")]),
    ({"title": "HI", "zzz": 1}, [(("zzz",), "unknown key 'zzz'; expected one of: title, count, ratio, tags, inner, mixed, by_name")]),
    ({"title": ""}, [(("title",), "must not be empty")]),
    ({"title": "lower"}, [(("title",), "must be upper case")]),
    ({"title": "HI", "count": True}, [(("count",), "expected an integer (got true or false)")]),
    ({"title": "HI", "count": 10}, [(("count",), "must be at most 9")]),
    ({"title": "HI", "ratio": "1"}, [(("ratio",), "expected a number (got a string)")]),
    ({"title": "HI", "tags": []}, [(("tags",), "must have at least one entry")]),
    ({"title": "HI", "tags": ["a", 2]}, [(("tags", 1), "expected a string (got an integer)")]),
    ({"title": "HI", "inner": {"name": "A"}}, [(("inner", "name"), "'A' does not match the expected form ^[a-z]+$")]),
    ({"title": "HI", "inner": 3}, [(("inner",), "expected a mapping (got an integer)")]),
    ({"title": "HI", "mixed": {}}, [(("mixed",), "expected a string, an integer or a list (got a mapping)")]),
    ({"title": "HI", "by_name": {"k": {}}}, [(("by_name", "k", "name"), "required field is missing")]),
    ({"title": "HI", "ratio": 0, "count": 1}, [((), "count must be 0 when ratio is 0")]),
])
def test_each_problem_is_reported_at_its_path(data: Any, expected: list) -> None:
    assert problems(data) == expected


def test_all_problems_are_collected_in_one_pass() -> None:
    found = problems({"title": "", "count": -1, "tags": [1], "extra": 0})
    assert sorted(path for path, _ in found) == [("count",), ("extra",), ("tags", 0), ("title",)]


def _json_ready(data: Any) -> Any:
    # YAML dates become the strings an editor's YAML server sees.
    return json.loads(json.dumps(data, default=str))


def test_committed_schema_accepts_both_registries() -> None:
    validator = Draft202012Validator(registry_schema())
    for path in (ROOT / "registry.yaml", EXAMPLE_SITE / "registry.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert validate(Registry, data)[1] == []
        assert list(validator.iter_errors(_json_ready(data))) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_registries())
def test_schema_never_rejects_what_the_model_accepts(data: dict[str, Any]) -> None:
    # The schema is the model's shape without its rules in code: it may accept more, never less.
    accepted = not validate(Registry, data)[1]
    if accepted:
        assert Draft202012Validator(registry_schema()).is_valid(_json_ready(data))


def test_unions_with_any_member_try_each_member() -> None:
    class Loose(Record):
        value: Union[int, Any]

    assert validate(Loose, {"value": [1]})[0] == Loose(value=[1])
    assert validate(Loose, {"value": 2})[0] == Loose(value=2)


def test_patterns_end_at_the_end_of_the_text() -> None:
    # Python's `$` also matches before a final newline; JSON Schema's does not.
    assert problems({"title": "HI", "inner": {"name": "ab\n"}}) == [
        (("inner", "name"), "'ab\\n' does not match the expected form ^[a-z]+$")
    ]


def test_records_take_fields_by_position_too() -> None:
    assert Inner("ab") == Inner(name="ab")
    with pytest.raises(TypeError, match="twice"):
        Inner("ab", name="cd")
    with pytest.raises(TypeError, match="at most 1"):
        Inner("ab", "cd")
    with pytest.raises(TypeError, match="needs the field 'name'"):
        Inner()
