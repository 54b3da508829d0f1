"""The fifth registry, ``tests/fixtures/stripe_site``: Stripe's payments API as it publishes its errors.

A real contract nobody shaped for this generator, built strict through the plugin. The generic
checks run over it in ``test_registries.py``; these check what it is there to prove: its
decline codes as sub-codes, its ``type`` as a category, its examples (those without a code
included) against its schema, and its open set of codes, which a registry can close.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import SITES, copy_project, documented_values, mkdocs_build

pytestmark = pytest.mark.build

SITE = SITES["stripe_site"]
CARD_DECLINED = "error-codes/card-declined"
"""Where ``card_declined`` lives: Stripe's doc_url names it by slug."""


@pytest.fixture(scope="module")
def stripe(built_sites):
    return built_sites("stripe_site")


def _json_blocks(markdown: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r"^```json\n(.*?)\n```$", markdown, re.M | re.S)]


def test_it_is_the_contract_the_issue_asks_for() -> None:
    """A nested error object with a category field, an optional code, a sub-code field with at least
    30 values, slug doc_urls and a reason phrase of the API's own, set up as a team would: the plugin."""
    from errdocs.registry.load import load_registry
    from errdocs.registry.model import EnvelopeRole

    registry = load_registry(SITE / "registry.yaml")
    roles = registry.roles
    assert [field.name for field in registry.envelope] == ["error"]
    assert roles[EnvelopeRole.category] == ("error", "type")
    assert roles[EnvelopeRole.subcode] == ("error", "decline_code")
    code = registry.role_field(EnvelopeRole.code)
    assert roles[EnvelopeRole.code] == ("error", "code") and not code.required and code.nullable and not code.closed
    assert max(len(entry.subcodes) for entry in registry.codes.values()) >= 30
    assert registry.doc_url("card_declined") == "https://docs.stripe.com/error-codes/card-declined"
    assert registry.codes["card_declined"].http == ["402 Request Failed"]
    assert len(registry.codes) >= 15 and len({entry.category for entry in registry.codes.values()}) >= 3
    config = yaml.safe_load((SITE / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "errdocs" in config["plugins"] and "hooks" not in config


def test_its_decline_codes_are_anchored_searchable_and_in_errors_json_twins_and_the_schema(stripe) -> None:
    registry, built = stripe
    values = list(registry.codes["card_declined"].subcodes)
    html = built.page(f"{CARD_DECLINED}/index.html")
    twin = built.page(f"{CARD_DECLINED}.md")
    search = json.loads(built.page("search/search_index.json"))["docs"]
    errors = json.loads(built.page("errors.json"))["codes"]["card_declined"]["subcodes"]
    schema = json.loads(built.page("envelope.schema.json"))["properties"]["error"]["properties"]["decline_code"]
    assert "\nsubcodes: 47\n" in twin
    for value in values:
        assert f'<a href="#subcode-{value}" id="subcode-{value}">' in html, value
        assert f"(https://docs.stripe.com/{CARD_DECLINED}.md#subcode-{value})" in twin, value
        assert any(doc["location"].startswith(f"{CARD_DECLINED}/") and value in doc["text"] for doc in search), value
        assert errors[value]["meaning"] == registry.codes["card_declined"].subcodes[value].meaning, value
    assert errors["try_again_later"]["retry"]["policy"] == "once" and errors["lost_card"]["retry"]["policy"] == "never"
    assert "retry" not in errors["insufficient_funds"]  # the code's own policy holds
    # Documented, but open: an issuer's reason Stripe adds next year still validates.
    assert documented_values(schema) == values
    assert Draft202012Validator(schema).is_valid("a_reason_added_later")


def test_its_type_is_a_column_of_the_overview_and_in_errors_json(stripe) -> None:
    registry, built = stripe
    overview = built.page("error-codes/index.html")
    assert overview.count("<th>Category</th>") == len(registry.code_groups())  # one table per group
    errors = json.loads(built.page("errors.json"))["codes"]
    assert {name: entry["category"] for name, entry in errors.items()} == {
        name: entry.category for name, entry in registry.codes.items()}
    assert {entry["category"] for entry in errors.values()} == {"card_error", "invalid_request_error", "idempotency_error"}
    # Stripe lists its types but not each code's: an inferred one says so, wherever it is stated.
    assert "category" in errors["rate_limit"]["unconfirmed"] and "unconfirmed" not in errors["card_declined"]
    assert re.search(r"<code>invalid_request_error</code> \(unconfirmed\)</td>", overview)


def test_every_example_validates_against_its_schema_those_without_a_code_included(stripe) -> None:
    registry, built = stripe
    validator = Draft202012Validator(json.loads(built.page("envelope.schema.json")))
    for name in registry.codes:
        body = _json_blocks(built.page(registry.code_page_path(name)))[-1]
        assert body["error"]["code"] == name and body["error"]["type"] == registry.codes[name].category
        assert list(validator.iter_errors(body)) == [], name
    # The overview shows the errors Stripe sends with a type and no code (nor doc_url).
    codeless = _json_blocks(built.page("error-codes.md"))[1:]  # after the example of card_declined
    assert [body["error"]["type"] for body in codeless] == ["idempotency_error", "api_error"]
    for body in codeless:
        assert "code" not in body["error"] and "doc_url" not in body["error"]
        assert list(validator.iter_errors(body)) == [], body
    llms = built.page("llms.txt")
    assert "stable codes (a few errors have none)." in llms
    assert "- Some errors come without `error.code`: handle such an error by `error.type` and its HTTP status." in llms


def test_an_undocumented_code_passes_its_schema_and_fails_one_whose_code_field_is_closed(stripe, tmp_path) -> None:
    registry, built = stripe
    body = _json_blocks(built.page(registry.code_page_path("card_declined")))[-1]
    body["error"]["code"] = "a_code_added_later"
    for schema in (json.loads(built.page("envelope.schema.json")),
                   {**json.loads(built.page("errors.openapi.json")), "$ref": "#/components/schemas/ErrorEnvelope"}):
        assert Draft202012Validator(schema).is_valid(body)
    project = copy_project(SITE, tmp_path / "project")
    text = (project / "registry.yaml").read_text(encoding="utf-8")
    closed = text.replace("        role: code\n", "        role: code\n        closed: true\n", 1)
    assert closed != text
    (project / "registry.yaml").write_text(closed, encoding="utf-8")
    strict = mkdocs_build(project, tmp_path / "site")
    assert strict.returncode == 0, strict.output
    for schema in (json.loads(strict.page("envelope.schema.json")),
                   {**json.loads(strict.page("errors.openapi.json")), "$ref": "#/components/schemas/ErrorEnvelope"}):
        assert not Draft202012Validator(schema).is_valid(body)
        body["error"]["code"] = "card_declined"
        assert Draft202012Validator(schema).is_valid(body)
        body["error"]["code"] = "a_code_added_later"
    assert "- The API sends no `error.code` but the ones listed here." in strict.page("llms.txt")
