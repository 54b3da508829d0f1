"""The registry model: frozen pydantic models, each problem in the registry's words, and the exported schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from errdocs.registry.load import RegistryError, validate_registry
from errdocs.registry.model import Registry
from errdocs.registry.schema import registry_schema

from conftest import EXAMPLE_DATA, EXAMPLE_SITE, ROOT, mutated_registries, validated



def problems(edit) -> list[str]:  # type: ignore[no-untyped-def]
    """The problems of the example registry after ``edit(data)``, as ``path: message`` (no line numbers)."""
    data = copy.deepcopy(EXAMPLE_DATA)
    edit(data)
    try:
        validated(data)
    except RegistryError as err:
        return [f"{p.path}: {p.message}" for p in err.problems]
    return []


def _set(path: str, value: Any):  # type: ignore[no-untyped-def]
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value
    return edit


def test_valid_data_becomes_frozen_typed_models(example_registry) -> None:
    code = example_registry.codes["server_broke"]
    assert code.statuses == [503] and isinstance(example_registry.retry_guidance.backoff.base_seconds, float)
    with pytest.raises(ValidationError, match="frozen"):
        code.summary = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("edit, expected", [
    (_set("site", "text"), "site: expected a mapping (got a string)"),
    (lambda d: d["site"].pop("name"), "site.name: required field is missing"),
    (_set("site.nmae", "x"), "site.nmae: unknown key 'nmae'; did you mean 'name'?"),
    (_set("site.name", ""), "site.name: must not be empty"),
    (_set("site.name", "two\nlines"), "site.name: must be a single line of text"),
    (_set("site.name", 42), "site.name: expected a string (got an integer)"),
    (_set("retry_guidance.backoff.max_retries", True),
     "retry_guidance.backoff.max_retries: expected an integer (got true or false)"),
    (_set("retry_guidance.backoff.max_retries", 101), "retry_guidance.backoff.max_retries: must be at most 100"),
    (_set("retry_guidance.backoff.max_retries", -1), "retry_guidance.backoff.max_retries: must be at least 0"),
    (_set("retry_guidance.backoff.base_seconds", 0), "retry_guidance.backoff.base_seconds: must be greater than 0"),
    (_set("retry_guidance.backoff.base_seconds", "1"),
     "retry_guidance.backoff.base_seconds: expected a number (got a string)"),
    (_set("codes.thing_missing.steps", []), "codes.thing_missing.steps: must have at least one entry"),
    (_set("codes.thing_missing.steps", ["ok", 2]), "codes.thing_missing.steps[1]: expected a string (got an integer)"),
    (_set("envelope.0.name", "bad name"),
     "envelope[0].name: 'bad name' does not match the expected form ^[A-Za-z_][A-Za-z0-9_]*$"),
    # JSON Schema's `$` is the end of the text; Python's would also match before a final newline.
    (_set("envelope.0.name", "detail\n"),
     "envelope[0].name: 'detail\\n' does not match the expected form ^[A-Za-z_][A-Za-z0-9_]*$"),
    (_set("codes.thing_missing.example.detail", 3),
     "codes.thing_missing.example.detail: expected a string, a mapping or a list (got an integer)"),
    (_set("codes.thing_missing.example.headers", {"Retry-After": True}),
     "codes.thing_missing.example.headers.Retry-After: expected a string or an integer (got true or false)"),
    (_set("codes.thing_missing.lifecycle", {"state": "deprecated"}),
     "codes.thing_missing.lifecycle: a deprecated code needs since, replaced_by, removal_date"),
    (_set("codes.thing_missing.lifecycle", {"state": "removed", "since": "2.3.0", "removal_date": "soon"}),
     "codes.thing_missing.lifecycle.removal_date: expected a date like 2026-01-31 (got a string)"),
    (_set("codes.thing_missing.related", [{"title": "X"}]),
     "codes.thing_missing.related[0]: give either `code` or `title` + `url`"),
    (_set("codes.thing_missing.sdk.rust", {"exception": "X"}),
     "codes.thing_missing.sdk.rust: unknown SDK 'rust' (declared in site.sdks: python, typescript)"),
])
def test_each_problem_is_reported_at_its_path(edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert problems(edit) == [expected]


def test_all_problems_are_collected_in_one_pass() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["site"]["name"] = ""
        data["retry_guidance"]["backoff"]["max_retries"] = -1
        data["codes"]["thing_missing"]["steps"] = [1]
        data["extra"] = 0

    assert sorted(p.split(":")[0] for p in problems(edit)) == [
        "codes.thing_missing.steps[0]", "extra", "retry_guidance.backoff.max_retries", "site.name"
    ]


def _json_ready(data: Any) -> Any:
    # YAML dates become the strings an editor's YAML server sees.
    return json.loads(json.dumps(data, default=str))


def test_committed_schema_accepts_both_registries() -> None:
    validator = Draft202012Validator(registry_schema())
    for path in (ROOT / "registry.yaml", EXAMPLE_SITE / "registry.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        Registry.model_validate(data)
        assert list(validator.iter_errors(_json_ready(data))) == []


def test_schema_has_the_editor_help() -> None:
    schema = registry_schema()
    policy = schema["$defs"]["RetryPolicy"]
    assert policy["enum"] == ["never", "after_action", "backoff", "once"] and policy["description"]
    http = schema["$defs"]["Code"]["properties"]["http"]
    assert http["title"] == "Http" and http["description"].startswith("HTTP status(es)")
    assert schema["$defs"]["Site"]["additionalProperties"] is False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_registries())
def test_schema_never_rejects_what_the_model_accepts(data: dict[str, Any]) -> None:
    # The schema is the model's shape without its rules in code: it may accept more, never less.
    try:
        Registry.model_validate(data)
    except ValidationError:
        return
    assert Draft202012Validator(registry_schema()).is_valid(_json_ready(data))


@pytest.mark.parametrize("name", [
    "example.ServerError", "ServerError",  # Python, TypeScript
    "*pay.CardError", "pay.ErrCardDeclined",  # Go: a pointer type, a sentinel error
    "pay::Error", "pay::error::CardError",  # Rust paths
    "com.pay.CardException", "Pay.Errors.CardException",  # Java, Kotlin, C#
])
def test_sdk_exceptions_take_every_languages_usual_form(name: str) -> None:
    assert problems(_set("codes.server_broke.sdk.python.exception", name)) == []


@pytest.mark.parametrize("name", ["pay.", "pay::", "**pay.Error", "pay Error", "pay->Error", "9Error"])
def test_a_bad_exception_name_is_told_in_words(name: str) -> None:
    [line] = problems(_set("codes.server_broke.sdk.python.exception", name))
    assert line.startswith(f"codes.server_broke.sdk.python.exception: {name!r} is not a type name: write it as code does")
    assert "(acme::Error)" in line and "(*acme.CardError)" in line and "^" not in line


def test_an_sdk_says_how_its_errors_reach_the_caller() -> None:
    assert problems(_set("site.sdks.python.errors", "returned")) == []
    [line] = problems(_set("site.sdks.python.errors", "panicked"))
    assert line.startswith("site.sdks.python.errors: ") and "'raised', 'thrown' or 'returned'" in line


@pytest.mark.parametrize("language, declared, style", [
    ("python", None, "raised"), ("ruby", None, "raised"),
    *((language, None, "thrown") for language in ("javascript", "typescript", "java", "csharp", "kotlin", "swift")),
    ("go", None, "returned"), ("rust", None, "returned"),
    ("go", "raised", "raised"), ("typescript", "returned", "returned"),  # a declared value wins
])
def test_sdk_wording_defaults_by_language_unless_declared(example_data, language: str, declared: str | None, style: str) -> None:
    sdk = example_data["site"]["sdks"]["python"]
    sdk["language"] = language
    if declared:
        sdk["errors"] = declared
    assert validated(example_data).site.sdks["python"].error_style.value == style


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["envelope"].pop(1),  # `code`
     "envelope: no field carries the code role: name a top-level field 'code' or give one `role: code`"),
    (lambda d: d["envelope"][0].update(role="code"),  # then `code` plays no role, and nothing is the message
     "envelope: no field carries the message role: name a top-level field 'detail' or give one `role: message`"),
    (lambda d: [d["envelope"][i].update(role="doc_url") for i in (2, 3)],
     "envelope: fields request_id, doc_url all carry the doc_url role; one field per role"),
    (lambda d: d["envelope"][1].update(fields=[{"name": "x", "type": "string", "description": "X."}]),
     "envelope.code: field 'code' has member fields, so it cannot carry the code role"),
    (_set("codes.thing_missing.example.fields", {"nope": 1}),
     "codes.thing_missing.example.fields.nope: 'nope' is not an envelope field an example sets (fields: none)"),
    (_set("envelope_media_type", "text/json"),
     "envelope_media_type: 'text/json' is not allowed; expected 'application/json' or 'application/problem+json'"),
])
def test_envelope_roles_are_checked(edit, expected: str) -> None:
    assert problems(edit) == [expected]


def test_a_field_declared_twice_is_named() -> None:
    assert problems(lambda d: d["envelope"].append({"name": "code", "type": "string", "description": "Again."})) == [
        "envelope: fields code, code all carry the code role; one field per role",
        "envelope[4].name: field 'code' is declared twice",
    ]


def test_extra_fields_take_values_per_code() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["envelope"].append({"name": "hint", "type": "string", "description": "A hint.", "example": "none"})
        data["codes"]["thing_missing"]["example"]["fields"] = {"hint": "check the id"}

    assert problems(edit) == []
    data = copy.deepcopy(EXAMPLE_DATA)
    edit(data)
    from errdocs.render.snippets import example_envelope

    registry = validate_registry(data, text="", file="registry.yaml")
    assert example_envelope(registry, "thing_missing")["hint"] == "check the id"
    assert example_envelope(registry, "server_broke")["hint"] == "none"


def _with_category_field(data: dict[str, Any], **field: Any) -> None:
    data["envelope"].append({"name": "kind", "type": "string", "role": "category", "description": "The class.", **field})
    for code in data["codes"].values():
        code["category"] = "lookup_error" if code["http"][0].startswith("4") else "server_error"


@pytest.mark.parametrize("edit, expected", [
    (_set("codes.thing_missing.category", "lookup_error"),
     "codes.thing_missing.category: no envelope field carries the category role; give the field that sends it `role: category`"),
    (lambda d: (_with_category_field(d), d["codes"]["server_broke"].pop("category")),
     "codes.server_broke: missing `category`: the envelope sends one in 'kind' with every code"),
    (lambda d: (_with_category_field(d, closed=True), d["codes"]["thing_missing"]["example"].update(fields={"kind": "made_up"})),
     "codes.thing_missing.example.fields.kind: 'made_up' is not a category the registry lists, and 'kind' is closed"),
])
def test_a_category_needs_its_envelope_field_and_every_code_gives_one(edit, expected: str) -> None:
    assert problems(edit) == [expected]


def _with_subcode_field(data: dict[str, Any]) -> None:
    data["envelope"].append({"name": "reason", "type": "string", "role": "subcode", "required": False, "description": "Why."})
    data["codes"]["thing_missing"]["subcodes"] = {
        "id_unknown": {"meaning": "No thing has this id.", "what_to_do": "Check the id."},
        "id_deleted": {"meaning": "The thing was deleted.", "what_to_do": "Create it again.", "retry": "after_action"},
    }


@pytest.mark.parametrize("edit, expected", [
    (lambda d: (_with_subcode_field(d), d["envelope"].pop()),
     "codes.thing_missing.subcodes: no envelope field carries the subcode role; give the field that sends them `role: subcode`"),
    (lambda d: (_with_subcode_field(d), d["codes"]["thing_missing"]["example"].update(fields={"reason": "id_stolen"})),
     "codes.thing_missing.example.fields.reason: 'id_stolen' is not one of this code's subcodes (id_unknown, id_deleted)"),
    (lambda d: (_with_subcode_field(d), d["codes"]["thing_missing"]["subcodes"].update({"-bad value": {"meaning": "x", "what_to_do": "y"}})),
     'codes.thing_missing.subcodes["-bad\\u0020value"]["[key]"]: \'-bad value\' is not a sub-code: a letter or digit, '
     "then up to 63 letters, digits, '_', '.' or '-' (it is also the anchor of its row)"),
])
def test_subcodes_need_their_envelope_field_and_examples_show_one_of_their_own(edit, expected: str) -> None:
    assert problems(edit) == [expected]


def test_examples_show_the_first_subcode_unless_their_fields_say_otherwise() -> None:
    from errdocs.render.snippets import example_envelope

    data = copy.deepcopy(EXAMPLE_DATA)
    _with_subcode_field(data)
    registry = validated(data)
    assert example_envelope(registry, "thing_missing")["reason"] == "id_unknown"
    assert "reason" not in example_envelope(registry, "server_broke")  # optional, and no sub-code of its own
    data["codes"]["thing_missing"]["example"]["fields"] = {"reason": "id_deleted"}
    assert example_envelope(validated(data), "thing_missing")["reason"] == "id_deleted"


def test_examples_take_the_category_from_the_code_unless_their_fields_say_otherwise() -> None:
    from errdocs.render.snippets import example_envelope

    data = copy.deepcopy(EXAMPLE_DATA)
    _with_category_field(data)
    data["codes"]["server_broke"]["example"]["fields"] = {"kind": "upstream_error"}  # open set: any value
    registry = validated(data)
    assert example_envelope(registry, "thing_missing")["kind"] == "lookup_error"
    assert example_envelope(registry, "server_broke")["kind"] == "upstream_error"


_FASTAPI_ITEMS = [{"name": "loc", "type": "array", "items": ["string", "integer"]}, {"name": "msg", "type": "string"},
                  {"name": "type", "type": "string"}]


@pytest.mark.parametrize("items, detail, expected", [
    (None, [{"loc": ["body"], "msg": "x", "type": "t"}],
     "codes.thing_missing.example.detail: an array message needs `detail_items` at the top level: the keys of each item "
     "(`[]` if they vary)"),
    ([], [{"anything": 1}, "text"], "codes.thing_missing.example.detail[1]: expected an item {any keys} (got a string)"),
    (_FASTAPI_ITEMS, [{"loc": ["body"], "msg": "x"}],
     "codes.thing_missing.example.detail[0].type: required key is missing; each item is {loc: array, msg: string, type: string}"),
    (_FASTAPI_ITEMS, [{"loc": "body", "msg": "x", "type": "t"}],
     "codes.thing_missing.example.detail[0].loc: expected array (got a string); each item is {loc: array, msg: string, type: string}"),
    (_FASTAPI_ITEMS, [{"loc": [1.5], "msg": "x", "type": "t"}],
     "codes.thing_missing.example.detail[0].loc: members must be string or integer (got a number)"),
    ([{"name": "param", "type": "string"}, {"name": "reason", "type": "string", "required": False}],
     [{"param": "amount"}, "text"],
     "codes.thing_missing.example.detail[1]: expected an item {param: string, reason: string (optional)} (got a string)"),
])
def test_detail_items_are_checked_against_the_declared_shape(items, detail, expected: str) -> None:
    def edit(data: dict[str, Any]) -> None:
        if items is not None:
            data["detail_items"] = items
        data["codes"]["thing_missing"]["example"]["detail"] = detail

    assert problems(edit) == [expected]
