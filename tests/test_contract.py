"""The contract as data, the breaking-change gate and code lifecycle."""

from __future__ import annotations

import copy
import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from errdocs.tools.breaking import compare
from errdocs.render.snippets import example_envelope

from conftest import EXAMPLE_SITE, ROOT, SITES, Built, copy_project, documented_values, dump_registry, mkdocs_build, read_yaml, validated


def test_contract_files_are_published(agnes_site: Built, agnes_registry) -> None:
    errors = json.loads(agnes_site.page("errors.json"))
    assert errors["version"] == agnes_registry.version
    assert list(errors["codes"]) == list(agnes_registry.codes)
    ie = errors["codes"]["internal_error"]
    assert ie["http"] == [{"status": 500, "reason": "Internal Server Error"}]
    assert ie["doc_url"] == "https://docs.lasscyber.com/errors/internal_error"
    assert ie["sdk"]["python"]["exception"] == "agnes.ServerError"
    assert ie["lifecycle"]["state"] == "active"
    assert [f["name"] for f in errors["envelope"]] == ["detail", "code", "request_id", "doc_url"]

    schema = json.loads(agnes_site.page("envelope.schema.json"))
    Draft202012Validator.check_schema(schema)
    assert documented_values(schema["properties"]["code"]) == list(agnes_registry.codes)
    validator = Draft202012Validator(schema)
    for name in agnes_registry.codes:
        assert list(validator.iter_errors(example_envelope(agnes_registry, name))) == [], name
    body = {"detail": "x", "code": "made_up", "request_id": "r", "doc_url": "https://docs.lasscyber.com/errors/x"}
    assert validator.is_valid(body)  # the set of codes is open: a new code is still an error response
    assert not validator.is_valid({**body, "code": 42})

    openapi = json.loads(agnes_site.page("errors.openapi.json"))
    validate(openapi)  # raises on an invalid OpenAPI document
    assert "ErrorEnvelope" in openapi["components"]["schemas"]
    assert set(openapi["components"]["responses"]) >= {"Error400", "Error410", "Error422", "Error500", "Error503"}


def test_contract_files_are_linked_from_the_overview_and_llms(agnes_site: Built) -> None:
    overview = agnes_site.page("errors/overview/index.html")
    llms = agnes_site.page("llms.txt")
    for name in ("errors.json", "envelope.schema.json", "errors.openapi.json"):
        assert f'href="../../{name}"' in overview, name
        assert f"`https://docs.lasscyber.com/{name}`:" in llms, name  # named, not linked: links are pages
    assert "- [What changed in the error contract](https://docs.lasscyber.com/errors/changelog.md)" in llms


def test_array_messages_are_in_the_contract_only_when_declared(example_data) -> None:
    from errdocs.publish.contract import envelope_schema, errors_json, openapi_fragment

    def shapes(registry) -> tuple:
        message = envelope_schema(registry)["properties"]["detail"]["oneOf"]
        return ("detail_items" in errors_json(registry), [branch["type"] for branch in message],
                "$defs" in envelope_schema(registry), "ValidationItem" in openapi_fragment(registry)["components"]["schemas"])

    assert shapes(validated(example_data)) == (False, ["string", "object"], False, False)
    example_data["detail_items"] = [{"name": "param", "type": "string"}]
    assert shapes(validated(example_data)) == (True, ["string", "object", "array"], True, True)
    assert errors_json(validated(example_data))["detail_items"]["required"] == ["param"]


def test_nullable_fields_show_in_the_schema_the_fields_table_and_the_examples(example_data) -> None:
    from errdocs.publish.contract import envelope_schema, errors_json
    from errdocs.registry.load import RegistryError
    from errdocs.render.snippets import envelope_fields_table

    example_data["envelope"].append({"name": "hint", "type": "string", "required": False, "nullable": True, "description": "A hint."})
    example_data["envelope"][2]["nullable"] = True  # request_id, which its role fills
    registry = validated(example_data)
    assert "| `hint` | string or null (optional) | A hint. |" in envelope_fields_table(registry)
    assert example_envelope(registry, "thing_missing")["hint"] is None  # no value given: null, as the API may send
    schema = Draft202012Validator(envelope_schema(registry))
    body = example_envelope(registry, "thing_missing")
    assert schema.is_valid({**body, "request_id": None}) and not schema.is_valid({**body, "code": None})
    assert [f["name"] for f in errors_json(registry)["envelope"] if f.get("nullable")] == ["request_id", "hint"]
    example_data["envelope"][-1]["nullable"] = False
    example_data["codes"]["thing_missing"]["example"]["fields"] = {"hint": None}
    with pytest.raises(RegistryError, match=r"codes\.thing_missing\.example\.fields\.hint: 'hint' is not nullable"):
        validated(example_data)


def test_a_closed_code_set_refuses_an_undocumented_code_that_the_open_one_accepts(example_data) -> None:
    from errdocs.publish.contract import envelope_schema, errors_json, openapi_fragment

    def accepts_new_code(registry) -> list[bool]:
        body = {**example_envelope(registry, "thing_missing"), "code": "thing_not_documented_yet"}
        openapi = openapi_fragment(registry)
        # OpenAPI 3.1 schema objects are JSON Schema 2020-12: the fragment's envelope is read as is.
        return [Draft202012Validator(envelope_schema(registry)).is_valid(body),
                Draft202012Validator({**openapi, "$ref": "#/components/schemas/ErrorEnvelope"}).is_valid(body)]

    registry = validated(example_data)
    assert accepts_new_code(registry) == [True, True]
    assert documented_values(envelope_schema(registry)["properties"]["code"]) == list(registry.codes)
    code_field = next(f for f in example_data["envelope"] if f["name"] == "code")
    code_field["closed"] = True
    closed = validated(example_data)
    assert accepts_new_code(closed) == [False, False]
    assert envelope_schema(closed)["properties"]["code"]["enum"] == list(closed.codes)
    assert next(f for f in errors_json(closed)["envelope"] if f["name"] == "code")["closed"] is True


def test_a_nullable_code_field_is_one_flat_list_of_its_values_or_null(example_data) -> None:
    """Stripe's ``code`` is nullable: null joins the documented codes and (unless closed) any other
    string in one ``anyOf``, so editors and generators still find the codes in its first branch."""
    from errdocs.publish.contract import envelope_schema

    code_field = next(f for f in example_data["envelope"] if f["name"] == "code")
    code_field["nullable"] = True
    for closed in (False, True):
        code_field["closed"] = closed
        registry = validated(example_data)
        schema = envelope_schema(registry)["properties"]["code"]
        branches = schema["anyOf"]
        assert branches[0] == {"type": "string", "enum": list(registry.codes)}
        assert branches[-1] == {"type": "null"} and len(branches) == (2 if closed else 3)
        validator = Draft202012Validator(envelope_schema(registry))
        body = example_envelope(registry, "thing_missing")
        assert [validator.is_valid({**body, "code": value}) for value in ("thing_missing", None, "thing_not_documented_yet")] == [
            True, True, not closed]


def test_only_a_field_with_listed_values_can_be_closed(example_data) -> None:
    from errdocs.registry.load import RegistryError

    next(f for f in example_data["envelope"] if f["name"] == "detail")["closed"] = True
    with pytest.raises(RegistryError, match=r"envelope\.detail\.closed: only a field whose values the registry lists can be "
                                            r"closed \(the code, status, category or subcode role\); 'detail' has the message role"):
        validated(example_data)


def test_a_bad_example_fails_validation(tmp_path: Path) -> None:
    text = (EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8")
    text = text.replace('example: {detail: "Thing 42 not found."}', "example: {detail: [{loc: [body], type: missing}]}")
    text = text.replace("headers:\n", "detail_items: [{name: loc, type: array}, {name: msg, type: string}, {name: type, type: string}]\nheaders:\n", 1)
    (tmp_path / "registry.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "errdocs", "check", "registry.yaml"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    assert result.returncode == 1
    # The problem names the item, the missing key and the shape every item must have.
    assert result.stderr == (
        "registry.yaml:56:24: codes.thing_missing.example.detail[0].msg: required key is missing; "
        "each item is {loc: array, msg: string, type: string}\n"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5) | st.sampled_from(["body", "missing", "msg"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["loc", "msg", "type", "param", "message", "reason", "x"]), inner, max_size=4),
    max_leaves=8,
)


DETAIL_CASES = {
    # registry fixture: (code whose example is replaced, the path of its message field)
    "example_site": ("thing_missing", ("detail",)),
    "payments_site": ("parameter_invalid", ("error", "message")),
    "stripe_site": ("card_declined", ("error", "message")),  # no detail_items: a string, or an object
}


@pytest.mark.parametrize("site", sorted(DETAIL_CASES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(detail=json_values)
def test_the_registry_accepts_exactly_the_details_the_published_schema_does(site: str, detail) -> None:
    # A registry's example details are checked against its `detail_items`; clients validate
    # envelopes against envelope.schema.json. The two must agree on every detail.
    from errdocs.publish.contract import envelope_schema
    from errdocs.registry.load import RegistryError, validate_registry
    from errdocs.render.snippets import example_envelope

    name, message_path = DETAIL_CASES[site]
    data = copy.deepcopy(_registry_data(site))
    registry = validate_registry(data, text="", file="registry.yaml")
    envelope = example_envelope(registry, name)
    target = envelope
    for key in message_path[:-1]:
        target = target[key]
    target[message_path[-1]] = detail
    reference = Draft202012Validator(envelope_schema(registry)).is_valid(envelope)
    data["codes"][name]["example"]["detail"] = detail
    try:
        validated(data)
        accepted = True
    except RegistryError:
        accepted = False
    assert accepted == reference, detail


@functools.lru_cache(maxsize=None)
def _registry_data(site: str) -> dict:
    return read_yaml(SITES[site] / "registry.yaml")


# --- the gate -----------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@t"})


def _make_contract(repo: Path) -> subprocess.CompletedProcess[str]:
    venv = Path(sys.executable).parent.parent
    # -o: treat the environment stamp as up to date, so make never rebuilds the venv here.
    return subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "contract", "BASE=HEAD~1", f"VENV={venv}", f"PY={sys.executable}",
         "-o", f"{venv}/.installed"],
        cwd=repo, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(EXAMPLE_SITE / "registry.yaml", repo / "registry.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "registry.yaml")
    _git(repo, "commit", "-qm", "base")
    return repo


def _commit(repo: Path, data: dict) -> None:
    (repo / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    _git(repo, "commit", "-qam", "change")


def _data(repo: Path) -> dict:
    return yaml.safe_load((repo / "registry.yaml").read_text(encoding="utf-8"))


def test_removing_a_code_is_breaking(repo: Path) -> None:
    data = _data(repo)
    del data["codes"]["thing_missing"]
    data["codes"]["server_broke"].pop("related", None)
    _commit(repo, data)
    result = _make_contract(repo)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "breaking: thing_missing: code deleted from the registry" in result.stdout
    assert "not recorded as intended: thing_missing" in result.stderr


def test_adding_a_code_is_compatible(repo: Path) -> None:
    data = _data(repo)
    data["codes"]["thing_gone"] = dict(copy.deepcopy(data["codes"]["thing_missing"]), related=[])
    _commit(repo, data)
    result = _make_contract(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compatible: thing_gone: code added" in result.stdout


def test_prose_edits_are_docs_only(repo: Path) -> None:
    data = _data(repo)
    data["codes"]["thing_missing"]["when"] = "Reworded explanation."
    data["codes"]["thing_missing"]["steps"] = ["Check the id twice."]
    _commit(repo, data)
    result = _make_contract(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs-only: thing_missing: edited steps, when" in result.stdout
    assert "0 breaking, 0 compatible, 1 docs-only" in result.stdout


def test_a_recorded_major_version_lets_a_breaking_change_through(repo: Path) -> None:
    data = _data(repo)
    data["codes"]["server_broke"]["http"] = ["502 Bad Gateway"]
    data["version"] = "3.0.0"
    data["changelog"] = [{"version": "3.0.0", "date": "2026-12-01", "summary": "502 instead of 503.",
                          "changes": [{"kind": "changed", "subject": "server_broke"}]}]
    _commit(repo, data)
    result = _make_contract(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "breaking: server_broke: HTTP status [503] -> [502]" in result.stdout


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["codes"]["server_broke"]["retry"].update(policy="never"), "breaking: server_broke: retryable -> non-retryable"),
        (lambda d: d["codes"]["thing_missing"]["sdk"]["python"].update(exception="example.Gone"),
         "breaking: thing_missing: python SDK exception example.NotFound -> example.Gone"),
        (lambda d: d["envelope"].pop(), "breaking: doc_url: envelope field removed"),
        (lambda d: d["headers"].clear(), "breaking: X-Request-ID: header removed"),
        (lambda d: d["envelope"].append({"name": "hint", "type": "string", "description": "x", "required": False}),
         "compatible: hint: optional envelope field added"),
        (lambda d: d["codes"]["thing_missing"].update(lifecycle={"state": "removed", "since": "2.4.0"}),
         "breaking: thing_missing: code removed"),
        # An open set of codes (the default) changes nothing here: clients handle the documented ones.
        (lambda d: d["codes"].pop("thing_missing"), "breaking: thing_missing: code deleted from the registry"),
    ],
)
def test_classification(mutate, expected: str) -> None:
    old = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
    new = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
    mutate(new)
    assert any(str(change).startswith(expected) for change in compare(old, new)), compare(old, new)


def test_opening_a_closed_set_of_codes_is_breaking_and_closing_an_open_one_is_not() -> None:
    # Nested fields are compared by their dotted path, as errors.json names them.
    open_codes = copy.deepcopy(_registry_data("payments_site"))
    closed_codes = copy.deepcopy(open_codes)
    field = next(f for f in closed_codes["envelope"][0]["fields"] if f["name"] == "code")
    field["closed"] = True
    assert [str(c) for c in compare(open_codes, closed_codes)] == ["compatible: error.code: closed: the API sends only the documented values"]
    assert [str(c) for c in compare(closed_codes, open_codes)] == [
        "breaking: error.code: opened: values the registry does not document may arrive"]


def test_a_changed_category_is_breaking_and_a_first_one_compatible() -> None:
    old = copy.deepcopy(_registry_data("payments_site"))
    new = copy.deepcopy(old)
    new["codes"]["expired_card"]["category"] = "invalid_request_error"
    assert [str(c) for c in compare(old, new)] == ["breaking: expired_card: category card_error -> invalid_request_error"]
    del old["codes"]["expired_card"]["category"]
    assert [str(c) for c in compare(old, new)] == ["compatible: expired_card: category invalid_request_error given"]


def test_deleting_a_subcode_is_breaking_and_adding_one_compatible() -> None:
    old = copy.deepcopy(_registry_data("payments_site"))
    new = copy.deepcopy(old)
    del new["codes"]["card_declined"]["subcodes"]["lost_card"]
    new["codes"]["card_declined"]["subcodes"]["expired_card_number"] = {"meaning": "x", "what_to_do": "y"}
    new["codes"]["card_declined"]["subcodes"]["stolen_card"]["meaning"] = "Reported stolen by its holder."
    assert [str(c) for c in compare(old, new)] == [
        "breaking: card_declined: sub-code lost_card deleted",
        "compatible: card_declined: sub-codes added: expired_card_number",
        "docs-only: card_declined: sub-codes edited: stolen_card",
    ]


# --- lifecycle -----------------------------------------------------------------------------------


def test_deprecated_and_removed_codes(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    data = yaml.safe_load((project / "registry.yaml").read_text(encoding="utf-8"))
    data["version"] = "2.0.0"
    data["codes"]["email_not_verified"]["lifecycle"] = {
        "state": "deprecated", "since": "1.1.0", "replaced_by": "forbidden", "removal_date": "2027-06-01"}
    data["codes"]["method_not_allowed"]["lifecycle"] = {"state": "removed", "since": "2.0.0", "replaced_by": "bad_request"}
    for code in data["codes"].values():
        code["related"] = [r for r in code.get("related", []) if r.get("code") != "method_not_allowed"]
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output

    page = built.page("errors/email_not_verified/index.html")
    assert "Deprecated since version 1.1.0" in page and 'href="../forbidden/"' in page
    llms = built.page("llms.txt")
    optional = llms.split("## Optional", 1)[1]
    assert "- [email_not_verified](https://docs.lasscyber.com/errors/email_not_verified.md): HTTP 403; deprecated since 1.1.0, use forbidden" in optional
    assert "[email_not_verified]" not in llms.split("## Optional", 1)[0]
    errors = json.loads(built.page("errors.json"))
    assert errors["codes"]["email_not_verified"]["lifecycle"] == {
        "state": "deprecated", "since": "1.1.0", "replaced_by": "forbidden", "removal_date": "2027-06-01"}

    removed = built.page("errors/method_not_allowed/index.html")  # the old doc_url still answers
    assert "Removed in version 2.0.0" in removed and 'href="../bad_request/"' in removed
    assert (built.site / "errors" / "method_not_allowed.md").is_file()
    assert "method_not_allowed" not in documented_values(json.loads(built.page("envelope.schema.json"))["properties"]["code"])
    overview = built.page("errors/overview/index.html")
    assert 'href="../method_not_allowed/"' not in overview
    assert "[method_not_allowed]" in optional


def test_changelog_page_lists_versions_newest_first(tmp_path: Path) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    data = yaml.safe_load((project / "registry.yaml").read_text(encoding="utf-8"))
    data["version"] = "1.1.0"
    data["changelog"].append({"version": "1.1.0", "date": "2026-12-24", "summary": "A newer release.",
                              "changes": [{"kind": "docs", "subject": "internal_error", "note": "Clearer steps."}]})
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.output
    page = built.page("errors/changelog/index.html")
    assert page.index("1.1.0 (2026-12-24)") < page.index("1.0.0 (2026-11-23)")
    assert "What changed in the error contract" in page
