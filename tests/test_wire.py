"""errdocs.wire: one response against the registry (no HAR, no MkDocs), over several APIs' registries.

Each registry's own examples, sent as the API would (media type, declared headers), are clean;
each drift planted in one gives exactly one problem, named by its rule and field.
"""

from __future__ import annotations

import copy
import gzip
import json
from typing import Any

import pytest

from conftest import ROOT, SITES, read_yaml, validated
from errdocs.registry.load import load_registry
from errdocs.render.snippets import example_envelope
from errdocs.registry.model import Header
from errdocs.wire import Coverage, Severity, WireContract
from errdocs.wire.promises import header_promise, request_id_header

PAYMENTS = ROOT / "tests" / "fixtures" / "payments_site" / "registry.yaml"
PROBLEMS = ROOT / "tests" / "fixtures" / "problem_site" / "registry.yaml"
REGISTRIES = {name: site / "registry.yaml" for name, site in SITES.items()}


@pytest.fixture(scope="module", params=sorted(REGISTRIES))
def registry(request):
    return load_registry(REGISTRIES[request.param])


def sent_as_documented(registry, name: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    """The response the registry documents for ``name``: status, headers a correct API sends, envelope."""
    code = registry.codes[name]
    contract = WireContract(registry)
    headers = {"Content-Type": f"{registry.envelope_media_type}; charset=utf-8",
               **{key: str(value) for key, value in code.example.headers.items()}}
    for promise in contract.promises:
        if promise.covers(code.example_status) and not any(n in headers for n in promise.names):
            headers[promise.names[0]] = "5" if promise.names[0] == "Retry-After" else "x"
    if contract.request_id_header:
        headers[contract.request_id_header] = registry.site.example_request_id
    return code.example_status, headers, example_envelope(registry, name)


def check(registry, status: int, headers: dict[str, str], envelope: Any):
    return WireContract(registry).check(status, headers, json.dumps(envelope).encode())


def set_path(envelope: dict, path: tuple[str, ...], value: Any) -> dict:
    envelope = copy.deepcopy(envelope)
    target = envelope
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    return envelope


def test_every_documented_example_is_clean(registry) -> None:
    for name, code in registry.codes.items():
        if not code.returned:
            continue
        verdict = check(registry, *sent_as_documented(registry, name))
        assert verdict.problems == (), (name, [str(p) for p in verdict.problems])
        assert verdict.code == name


def test_a_success_response_is_not_an_error_response(registry) -> None:
    verdict = WireContract(registry).check(200, {"Content-Type": "text/html"}, b"<html>")
    assert verdict.problems == () and verdict.code is None


def _one(verdict):
    assert len(verdict.problems) == 1, [str(p) for p in verdict.problems]
    return verdict.problems[0]


def test_wrong_status_names_the_codes_statuses(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    wrong = 418 if 418 not in registry.codes[name].statuses else 419
    if "status" in {role.value for role in registry.roles}:  # problem details repeat the status in the body
        envelope = set_path(envelope, registry.roles[next(r for r in registry.roles if r.value == "status")], wrong)
    problem = _one(check(registry, wrong, headers, envelope))
    assert (problem.rule, problem.field, problem.sent) == ("status", "status", str(wrong))
    assert str(registry.codes[name].statuses[0]) in problem.expected and name in problem.expected


def test_stale_doc_url_shows_the_registrys_address(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    path = registry.roles[next(r for r in registry.roles if r.value == "doc_url")]
    stale = registry.site.docs_url + "old/" + name
    problem = _one(check(registry, status, headers, set_path(envelope, path, stale)))
    assert (problem.rule, problem.field) == ("doc_url", ".".join(path))
    assert problem.expected == registry.doc_url(name) and problem.sent == json.dumps(stale)


def test_undocumented_code_is_one_problem(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    path = registry.roles[next(r for r in registry.roles if r.value == "code")]
    verdict = check(registry, status, headers, set_path(envelope, path, "never_documented"))
    problem = _one(verdict)
    assert (problem.rule, problem.field, problem.sent) == ("code", ".".join(path), '"never_documented"')
    assert verdict.code is None


def test_wrong_media_type(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    problem = _one(check(registry, status, {**headers, "Content-Type": "text/plain"}, envelope))
    assert (problem.rule, problem.field, problem.expected, problem.sent) == (
        "media-type", "headers.Content-Type", registry.envelope_media_type, '"text/plain"')


def test_missing_request_id_header_and_differing_request_id() -> None:
    registry = load_registry(PAYMENTS)
    status, headers, envelope = sent_as_documented(registry, "card_declined")
    assert request_id_header(registry) == "Request-Id"
    problem = _one(check(registry, status, {**headers, "Request-Id": "req_other"}, envelope))
    assert (problem.rule, problem.field, problem.sent) == ("request-id", "error.request_id", json.dumps(registry.site.example_request_id))
    assert '"req_other"' in problem.expected
    missing = {k: v for k, v in headers.items() if k != "Request-Id"}
    problem = _one(check(registry, status, missing, envelope))
    assert (problem.rule, problem.field, problem.sent) == ("header", "headers.Request-Id", "nothing")


def test_missing_retry_after_names_the_retry_policy() -> None:
    registry = load_registry(PAYMENTS)
    status, headers, envelope = sent_as_documented(registry, "rate_limited")
    problem = _one(check(registry, status, {k: v for k, v in headers.items() if k != "Retry-After"}, envelope))
    assert (problem.rule, problem.field, problem.sent) == ("retry-after", "headers.Retry-After", "nothing")
    assert "backoff" in problem.expected
    # A 503 of api_unavailable: the registry sends Retry-After on 429 only, so it is not required there.
    status, headers, envelope = sent_as_documented(registry, "api_unavailable")
    assert check(registry, 503, {k: v for k, v in headers.items() if k != "Retry-After"}, envelope).problems == ()


@pytest.mark.parametrize("value, valid", [("30", True), ("Wed, 21 Oct 2026 07:28:00 GMT", True), ("soon", False), ("-1", False)])
def test_retry_after_value(value: str, valid: bool) -> None:
    registry = load_registry(PAYMENTS)
    status, headers, envelope = sent_as_documented(registry, "rate_limited")
    verdict = check(registry, status, {**headers, "Retry-After": value}, envelope)
    assert [p.rule for p in verdict.problems] == ([] if valid else ["retry-after"])


def test_nested_envelope_subcodes_and_categories() -> None:
    registry = load_registry(PAYMENTS)
    status, headers, envelope = sent_as_documented(registry, "card_declined")
    verdict = check(registry, status, headers, set_path(envelope, ("error", "decline_code"), "stolen_card"))
    assert verdict.problems == () and verdict.subcode == "stolen_card"
    # The decline_code field is open: an unlisted value is a warning, not a violation.
    problem = _one(check(registry, status, headers, set_path(envelope, ("error", "decline_code"), "new_reason")))
    assert (problem.rule, problem.field, problem.severity) == ("subcode", "error.decline_code", Severity.warning)
    problem = _one(check(registry, status, headers, set_path(envelope, ("error", "type"), "api_error")))
    assert (problem.rule, problem.field, problem.sent) == ("category", "error.type", '"api_error"')
    assert '"card_error"' in problem.expected


def test_closed_subcode_field_refuses_unlisted_values() -> None:
    data = read_yaml(PAYMENTS)
    next(f for f in data["envelope"][0]["fields"] if f["name"] == "decline_code")["closed"] = True
    registry = validated(data)
    status, headers, envelope = sent_as_documented(registry, "card_declined")
    problem = _one(check(registry, status, headers, set_path(envelope, ("error", "decline_code"), "new_reason")))
    assert (problem.rule, problem.severity) == ("subcode", Severity.error)


def test_problem_details_status_field_must_repeat_the_status() -> None:
    registry = load_registry(PROBLEMS)
    status, headers, envelope = sent_as_documented(registry, "account_frozen")
    problem = _one(check(registry, status, headers, {**envelope, "status": 500}))
    assert (problem.rule, problem.field, problem.sent) == ("status", "status", "500")


def test_schema_problems_name_the_field_never_the_body(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    message = registry.roles[next(r for r in registry.roles if r.value == "message")]
    secret = "card 4242 4242 4242 4242 of jane@example.com"
    problem = _one(check(registry, status, headers, set_path(envelope, message, 12345)))
    assert (problem.rule, problem.field, problem.sent) == ("schema", ".".join(message), "an integer")
    body = json.dumps(set_path(envelope, message, secret)).encode()
    not_json = WireContract(registry).check(status, headers, b"<html>" + body)
    assert [p.rule for p in not_json.problems] == ["body"]
    assert secret not in str(not_json.problems[0]) and "bytes that are not JSON" in not_json.problems[0].sent


def test_missing_required_field(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, envelope = sent_as_documented(registry, name)
    # The doc_url field if it is always sent, else another field every error carries (Stripe's is optional).
    required = [role for role in registry.roles if registry.role_field(role).required]
    path = registry.roles[next((r for r in required if r.value == "doc_url"), required[0])]
    trimmed = copy.deepcopy(envelope)
    parent = trimmed
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    problem = _one(check(registry, status, headers, trimmed))
    assert (problem.rule, problem.field, problem.sent) == ("schema", ".".join(path), "nothing")


def test_lifecycle(example_data) -> None:
    data = copy.deepcopy(example_data)
    first, second = list(data["codes"])[:2]
    data["codes"][first]["lifecycle"] = {"state": "deprecated", "since": "2.3.0", "replaced_by": second, "removal_date": "2027-01-01"}
    registry = validated(data)
    status, headers, envelope = sent_as_documented(registry, first)
    problem = _one(check(registry, status, headers, envelope))
    assert (problem.rule, problem.severity) == ("lifecycle", Severity.warning) and second in problem.expected
    data["codes"][first]["lifecycle"] = {"state": "removed", "since": "2.3.0", "replaced_by": second}
    registry = validated(data)
    problem = _one(check(registry, status, headers, envelope))
    assert (problem.rule, problem.severity) == ("lifecycle", Severity.error) and "removed" in problem.expected


def test_unrecorded_body_checks_status_and_headers_only(registry) -> None:
    name = next(iter(registry.codes))
    status, headers, _ = sent_as_documented(registry, name)
    verdict = WireContract(registry).check(status, headers, None)
    assert [(p.rule, p.severity) for p in verdict.problems] == [("body", Severity.warning)]


@pytest.mark.parametrize("when, always, statuses", [
    ("Always", True, set()),
    ("429, 503", False, {429, 503}),
    ("402, sometimes 200", False, {402}),
    ("On `429` and `503` responses", False, {429, 503}),
    ("Every 5xx", False, set(range(500, 600))),
    ("On billing errors", None, None),
])
def test_header_when_is_read_as_a_promise(when: str, always, statuses) -> None:
    promise = header_promise(Header(names=["X-Thing"], when=when, meaning="m"))
    if always is None:
        assert promise is None
    else:
        assert (promise.always, set(promise.statuses)) == (always, statuses)


def test_group_of_headers_needs_one_of_them(agnes_registry) -> None:
    status, headers, envelope = sent_as_documented(agnes_registry, "billing_required")
    assert "X-Billing-Status" in headers
    without = {k: v for k, v in headers.items() if not k.startswith("X-Billing")}
    problem = _one(check(agnes_registry, status, without, envelope))
    assert problem.rule == "header" and problem.field.startswith("headers.X-Billing-Status|")


def test_coverage_counts_codes_statuses_and_subcodes() -> None:
    registry = load_registry(PAYMENTS)
    contract, coverage = WireContract(registry), Coverage(registry)
    for name, subcode in (("card_declined", "insufficient_funds"), ("card_declined", "05"), ("parameter_invalid", None)):
        status, headers, envelope = sent_as_documented(registry, name)
        if subcode:
            envelope = set_path(envelope, ("error", "decline_code"), subcode)
        coverage.add(contract.check(status, headers, json.dumps(envelope).encode()))
    assert coverage.never_seen == ["expired_card", "idempotency_key_reused", "rate_limited", "api_unavailable"]
    assert coverage.percent == pytest.approx(100 * 2 / 6)
    invalid = registry.codes["parameter_invalid"]
    assert coverage.statuses_never_seen == {"parameter_invalid": [s for s in invalid.statuses if s != invalid.example_status]}
    assert coverage.subcodes_never_seen["card_declined"] == [
        v for v in registry.codes["card_declined"].subcodes if v not in ("insufficient_funds", "05")]
    assert coverage.lines()[0] == "coverage: 2 of 6 documented codes seen (33.3%)"


def test_gzip_is_not_the_checks_business(agnes_registry) -> None:
    # The library takes decoded bodies: a compressed one is not JSON (HAR reading decompresses).
    status, headers, envelope = sent_as_documented(agnes_registry, "not_found")
    verdict = WireContract(agnes_registry).check(status, headers, gzip.compress(json.dumps(envelope).encode()))
    assert [p.rule for p in verdict.problems] == ["body"]
