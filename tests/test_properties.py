"""Property-based: any registry, valid or mangled, either builds or fails with located one-line problems.

The pipeline here is the one the hook runs (load, validate, render every page,
expand includes, LLM surfaces), plus Markdown rendering with the site's
extensions; it runs without MkDocs so hypothesis can try hundreds of inputs.
Valid registries are drawn by construction from the format's rules (the enums of
``registry.schema.json`` and the rules its descriptions state), so every one must
load and build.
"""

from __future__ import annotations

import datetime
import json
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errdocs import RegistryError, load_registry
from errdocs.publish.twins import twin_path
from errdocs.render.includes import expand_includes
from errdocs.publish.contract import CONTRACT_FILES
from errdocs.publish.llms import NavSection
from errdocs.publish.publisher import Publisher
from errdocs.render.pages import generated_pages, render_page
from errdocs.publish.twins import PageDoc
from errdocs.tools.generate import generate

from conftest import EXAMPLE_SITE, MARKDOWN_EXTENSIONS, ROOT, dump_registry, mutated_registries

OVERVIEW = (EXAMPLE_SITE / "docs" / "errors" / "overview.md").read_text(encoding="utf-8").split("---\n", 2)[2]
PROBLEM_LINE = re.compile(r"^registry\.yaml:\d+:\d+: \S+: \S.*$")
CONVERTER = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
"""One converter, reset per page: loading the extensions costs more than converting a page."""

def run_pipeline(tmp: Path, text: str) -> None:
    path = tmp / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        registry = load_registry(path)
    except RegistryError as err:
        lines = str(err).splitlines()
        assert lines, "an error with no problem line"
        for line in lines:
            assert PROBLEM_LINE.match(line), line
        return
    pages = {
        page.src_uri: PageDoc(page.src_uri, page.src_uri, None, render_page(registry, page).split("---\n", 2)[2], code=page.code)
        for page in generated_pages(registry)
    }
    pages["errors/overview.md"] = PageDoc("errors/overview.md", "Errors", "All.", expand_includes(OVERVIEW, registry))
    for page in pages.values():
        CONVERTER.reset().convert(page.markdown)
    publisher = Publisher(registry, tmp / "site")
    for page in pages.values():
        publisher.add(page)
    publisher.seal([NavSection("Errors", list(pages))])
    for problem in publisher.problems(site_dir=None, sources=set(pages) | set(CONTRACT_FILES)):
        assert "characters; the budget" in problem, problem  # the size budget is the one allowed refusal


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated_registries())
def test_mutated_registries_build_or_fail_in_one_line_format(tmp_path: Path, data: dict[str, Any]) -> None:
    run_pipeline(tmp_path, dump_registry(data))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 5000), junk=st.text(max_size=6))
def test_mangled_yaml_text_fails_in_one_line_format(tmp_path: Path, cut: int, junk: str) -> None:
    text = (EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8")
    cut = cut % len(text)
    run_pipeline(tmp_path, text[:cut] + junk + text[cut + 1 :])


_SCHEMA = json.loads((ROOT / "registry.schema.json").read_text(encoding="utf-8"))["$defs"]
ROLES, RETRY_POLICIES, FACTS, ERROR_STYLES, CHANGE_KINDS = (
    _SCHEMA[name]["enum"] for name in ("EnvelopeRole", "RetryPolicy", "Fact", "ErrorStyle", "ChangeKind"))
REQUIRED_ROLES = ["code", "doc_url", "message"]
JSON_MEDIA_TYPE, PROBLEM_MEDIA_TYPE = "application/json", "application/problem+json"
ROLE_NAMES = {
    JSON_MEDIA_TYPE: {"code": "code", "doc_url": "doc_url", "detail": "message", "request_id": "request_id"},
    PROBLEM_MEDIA_TYPE: {"type": "doc_url", "title": "title", "status": "status", "detail": "message", "code": "code",
                         "request_id": "request_id"},
}
"""The role a top-level field's name implies when no field declares it (``EnvelopeField.role``)."""
RESERVED_NAMES = {"changelog", "index", "overview"}
MAX_CODE_LENGTH = 64


def standard_reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


# --- valid registries, by construction ------------------------------------------------------------
# Each part is drawn within the format's rules (the registry model, registry.schema.json), so every drawn
# registry must load; what varies is everything the rules leave free.

_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp"))
"""Any printable character: the loader refuses control characters, and ``Text`` is one line."""
_PROSE_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Co", "Zl", "Zp"), blacklist_characters="<]")
"""Free prose without ``<`` or ``]``, so it forms no link the policy would judge; links come from ``_SAFE_PIECES``."""
_SAFE_PIECES = [
    "`x`", "**bold**", "a | b", "{{ y }}", "--8<-- \"f\"", "<script>alert(1)</script>", "<b>raw</b>",
    "[docs](https://docs.test/a)", "[home](/index.md)", "<mailto:a@b.test>", "<https://example.test/x>",
    "- item", "1. first", "# heading", "!!! note", "=== \"Tab\"", "&amp;", "\\*", "_emph_", "***",
]
"""Markdown a registry may hold (raw HTML is text, links are allowed ones): it must render as it is."""


def _not_blank(text: str) -> bool:
    return bool(text.strip())


texts = st.text(_TEXT_CHARS, min_size=1, max_size=30).filter(_not_blank)
"""``Text``: one line, not blank."""
proses = st.lists(st.one_of(st.text(_PROSE_CHARS, min_size=1, max_size=30), st.sampled_from(_SAFE_PIECES)), min_size=1, max_size=3).map(
    " ".join).filter(_not_blank) | st.lists(st.sampled_from(_SAFE_PIECES), min_size=2, max_size=3).map("\n\n".join)
"""``Markdown``: not blank, links only where the policy allows them; sometimes several paragraphs."""
_LOWER, _DIGITS = "abcdefghijklmnopqrstuvwxyz", "0123456789"
_WORD = _LOWER + _LOWER.upper() + "_"
identifiers = st.builds(str.__add__, st.sampled_from(_WORD), st.text(_WORD + _DIGITS, max_size=11))
"""``[A-Za-z_][A-Za-z0-9_]*`` (composed, not ``from_regex``: hypothesis draws it far faster)."""
subcode_values = st.builds(str.__add__, st.sampled_from(_LOWER + _DIGITS), st.text(_WORD + _DIGITS + ".-", max_size=10))
"""A sub-code as APIs spell them: ``insufficient_funds``, ``API_KEY_INVALID``, ``05``."""
header_names = st.text(_WORD.replace("_", "-") + _DIGITS, min_size=1, max_size=16)
versions = st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
https_urls = st.sampled_from(["https://example.test", "https://example.test/a/b", "https://x.test/?q=1", "https://docs.test/p#f"])
docs_urls = st.sampled_from(["https://docs.example.test/", "https://example.test/docs", "https://example.test/api/v2/"])
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1))
json_strings = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]), max_size=20)
"""Wire text: anything but the control characters the loader refuses (newlines and tabs are fine)."""
json_scalars = st.one_of(json_strings, st.integers(-(10**12), 10**12), st.booleans(),
                         st.floats(allow_nan=False, allow_infinity=False, width=32))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(json_strings, inner, max_size=3),
                           max_leaves=6)
json_objects = st.dictionaries(json_strings, json_values, max_size=3)
IMPLIED = {name for names in ROLE_NAMES.values() for name in names}
free_names = identifiers.filter(lambda name: name not in IMPLIED)
"""Names no media type gives a role: a field named so carries only the role it declares."""
code_names = st.builds(
    lambda first, rest, parts: "_".join([first + rest, *parts]),
    st.sampled_from(_LOWER), st.text(_LOWER + _DIGITS, max_size=10), st.lists(st.text(_LOWER + _DIGITS, min_size=1, max_size=8), max_size=6),
).filter(lambda name: len(name) <= MAX_CODE_LENGTH and name not in RESERVED_NAMES and not name.startswith("codes_"))
"""snake_case names (``[a-z][a-z0-9]*(_[a-z0-9]+)*``), up to the longest allowed, none of the reserved ones,
none whose slug would take a group page's name (``codes_x`` -> ``codes-x``)."""
type_names = st.builds(lambda pointer, first, rest: pointer + first + "".join(sep + part for sep, part in rest),
                       st.sampled_from(["", "", "*", "&"]), identifiers, st.lists(st.tuples(st.sampled_from([".", "::"]), identifiers), max_size=3))
"""Type names as code writes them : ``acme.Error``, ``acme::Error``, ``*acme.CardError``."""
_STATUSES = {klass: [s for s in range(klass * 100, klass * 100 + 100) if standard_reason(s)] for klass in (4, 5)}


@st.composite
def status_lines(draw, klass: int) -> list[str]:
    """1-3 distinct statuses of one class, each with an accepted reason (or any reason for an unregistered one)."""
    numbers = draw(st.lists(st.sampled_from([*_STATUSES[klass], klass * 100 + 99]), min_size=1, max_size=3, unique=True))
    lines = []
    for number in numbers:
        reason = standard_reason(number)
        lines.append(f"{number} {reason or draw(texts).strip()}")
    return lines


@st.composite
def envelopes(draw, media_type: str) -> tuple[list[dict[str, Any]], list[str]]:
    """An envelope in which each required role (and some optional ones) has exactly one field:
    named for it, declaring it at the top level, or declaring it inside an object field; plus
    free fields. Returns the fields and the dotted paths of the free leaf fields."""
    implied = {role: name for name, role in ROLE_NAMES[media_type].items()}
    optional = [role for role in ROLES if role not in REQUIRED_ROLES]
    roles = [*REQUIRED_ROLES, *draw(st.lists(st.sampled_from(optional), unique=True))]
    names = iter(draw(st.lists(free_names, min_size=12, max_size=12, unique=True)))
    container = next(names) if draw(st.booleans()) else None
    top: list[dict[str, Any]] = []
    inner: list[dict[str, Any]] = []

    def field(name: str, role: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"name": name, "type": draw(texts), "description": draw(proses)}
        if draw(st.booleans()):
            out["required"] = draw(st.booleans())
        if role is not None:
            out["role"] = role
        elif draw(st.booleans()):
            out["example"] = draw(json_values)
        return out

    for role in roles:
        ways = ["declared"] + (["implied", "named and declared"] if role in implied else []) + (["nested"] if container else [])
        way = draw(st.sampled_from(ways))
        if way == "implied":
            top.append(field(implied[role]))
        elif way == "named and declared":
            top.append(field(implied[role], role))
        elif way == "nested":
            inner.append(field(next(names), role))
        else:
            top.append(field(next(names), role))
    free: list[str] = []
    for _ in range(draw(st.integers(0, 2))):
        name = next(names)
        top.append(field(name))
        free.append(name)
    if container:
        for _ in range(draw(st.integers(0 if inner else 1, 2))):
            name = next(names)
            inner.append(field(name))
            free.append(f"{container}.{name}")
        top.append({"name": container, "type": "object", "description": draw(proses), "fields": draw(st.permutations(inner))})
    return draw(st.permutations(top)), free


JSON_TYPES = ["string", "integer", "number", "boolean", "array", "object", "null"]


def _value_of(json_type: str, members: list[str]) -> st.SearchStrategy[Any]:
    return {
        "string": json_strings, "integer": st.integers(-1000, 1000), "number": st.integers(-5, 5) | st.floats(-1e6, 1e6),
        "boolean": st.booleans(), "null": st.none(), "object": json_objects,
        "array": st.lists(st.one_of(*(_value_of(t, []) for t in members)), max_size=3) if members else st.lists(json_values, max_size=3),
    }[json_type]


@st.composite
def item_fields(draw) -> list[dict[str, Any]]:
    out = []
    for name in draw(st.lists(identifiers, min_size=1, max_size=3, unique=True)):
        types = draw(st.lists(st.sampled_from(JSON_TYPES), min_size=1, max_size=2, unique=True))
        item: dict[str, Any] = {"name": name, "type": types[0] if len(types) == 1 and draw(st.booleans()) else types}
        if "array" in types and draw(st.booleans()):
            item["items"] = draw(st.lists(st.sampled_from(["string", "integer", "boolean"]), min_size=1, max_size=2, unique=True))
        if draw(st.booleans()):
            item["required"] = draw(st.booleans())
        if draw(st.booleans()):
            item["description"] = draw(texts)
        out.append(item)
    return out


@st.composite
def details(draw, items: list[dict[str, Any]] | None) -> Any:
    """A code's message: a string, an object, or (when the registry declares ``detail_items``) an array of such items."""
    kind = draw(st.sampled_from(["string", "object", *(["array"] if items is not None else [])]))
    if kind == "string":
        return draw(json_strings)
    if kind == "object":
        return draw(json_objects)
    detail = []
    for _ in range(draw(st.integers(0, 3))):
        entry = {}
        for item in items:
            if item.get("required", True) or draw(st.booleans()):
                types = [item["type"]] if isinstance(item["type"], str) else item["type"]
                members = [] if "items" not in item else item["items"]
                entry[item["name"]] = draw(st.one_of(*(_value_of(t, members) for t in types)))
        detail.append(entry)
    return detail


def _declared_roles(fields: list[dict[str, Any]]) -> set[str]:
    """The roles the fields (and their members) declare with ``role:``."""
    return {role for field in fields for role in [field.get("role"), *_declared_roles(field.get("fields", []))] if role}


@st.composite
def valid_registries(draw) -> dict[str, Any]:
    """A registry the model accepts, varied in every part the model leaves free."""
    media_type = draw(st.sampled_from([JSON_MEDIA_TYPE, PROBLEM_MEDIA_TYPE]))
    envelope, free = draw(envelopes(media_type))
    major, minor, patch = draw(versions)
    site: dict[str, Any] = {
        "name": draw(texts), "summary": draw(texts), "docs_url": draw(docs_urls),
        "support_url": draw(https_urls), "status_url": draw(https_urls),
    }
    if draw(st.booleans()):
        site["errors_path"] = draw(st.sampled_from(["errors/", "reference/errors", "problems/", "api/v1_errors/"]))
    if draw(st.booleans()):
        site["doc_url_form"] = draw(st.sampled_from(["path", "slug", "anchor"]))
    if draw(st.booleans()):
        site["example_request_id"] = draw(texts)
    sdk_ids = draw(st.lists(st.builds(str.__add__, st.sampled_from(_LOWER), st.text(_LOWER + _DIGITS + "_", max_size=7)), max_size=3, unique=True))
    site["sdks"] = {
        sdk: {"label": draw(texts), "package": draw(texts), "url": draw(https_urls),
              "language": draw(st.text(_LOWER + _DIGITS + "+#-", min_size=1, max_size=10)),
              **({"errors": draw(st.sampled_from(ERROR_STYLES))} if draw(st.booleans()) else {})}
        for sdk in sdk_ids
    }
    data: dict[str, Any] = {"version": f"{major}.{minor}.{patch}", "site": site}
    if media_type != JSON_MEDIA_TYPE or draw(st.booleans()):
        data["envelope_media_type"] = media_type
    data["envelope"] = envelope
    items: list[dict[str, Any]] | None = None  # no array messages unless declared
    if draw(st.booleans()):
        data["detail_items"] = items = draw(item_fields() | st.just([]))
    data["headers"] = [{"names": draw(st.lists(header_names, min_size=1, max_size=2)), "when": draw(texts), "meaning": draw(proses)}
                       for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        data["headers"].append({"names": ["Retry-After"], "when": draw(texts), "meaning": draw(proses)})
    declared = [name for header in data["headers"] for name in header["names"]]
    data["retry_guidance"] = {
        "intro": draw(proses), "budget": draw(proses), "idempotency": draw(proses),
        **({"retry_after": draw(proses)} if "retry-after" in {name.lower() for name in declared} and draw(st.booleans()) else {}),
        "backoff": {"max_retries": draw(st.integers(0, 100)), "base_seconds": draw(st.integers(1, 60) | st.floats(0.01, 60)),
                    "max_seconds": draw(st.integers(1, 600) | st.floats(0.5, 600)), "jitter": draw(texts)},
    }
    roles = _declared_roles(envelope)
    count = draw(st.sampled_from(range(1, 7)))
    names = draw(st.lists(code_names, min_size=count, max_size=count, unique=True))
    states = ["active"] + [draw(st.sampled_from(["active", "active", "deprecated", "removed"])) for _ in names[1:]]
    active = [name for name, state in zip(names, states) if state == "active"]
    groups = draw(st.lists(texts, min_size=1, max_size=3, unique=True))
    codes: dict[str, Any] = {}
    for name, state in zip(names, states):
        http = draw(status_lines(draw(st.sampled_from([4, 5]))))
        code: dict[str, Any] = {
            "http": http[0] if len(http) == 1 and draw(st.booleans()) else http,
            "summary": draw(texts),
            "overview": {"when": draw(texts), "retry": draw(texts)},
            "retry": {"policy": draw(st.sampled_from(RETRY_POLICIES)), "label": draw(proses),
                      **({"sdk_retries": draw(st.booleans())} if draw(st.booleans()) else {})},
            "when": draw(proses),
            "example": {"detail": draw(details(items))},
            "steps": draw(st.lists(proses, min_size=1, max_size=3)),
            "sdk": {sdk: {"exception": draw(type_names),
                          **({"attributes": [{"name": draw(identifiers), "type": draw(texts), "description": draw(proses)}]}
                             if draw(st.booleans()) else {}),
                          **({"note": draw(proses)} if draw(st.booleans()) else {})} for sdk in sdk_ids},
        }
        example = code["example"]
        if draw(st.booleans()):
            example["status"] = int(draw(st.sampled_from(http))[:3])
        if free and draw(st.booleans()):
            example["fields"] = {path: draw(json_values) for path in draw(st.lists(st.sampled_from(free), max_size=2, unique=True))}
        if declared and draw(st.booleans()):
            example["headers"] = draw(st.dictionaries(st.sampled_from(declared), json_strings.filter(str.strip) | st.integers(0, 10**6), max_size=2))
        if draw(st.booleans()):
            example["intro"] = draw(proses)
        if draw(st.booleans()):
            code["title"] = draw(texts)
        if "category" in roles:  # then every code has one
            code["category"] = draw(texts)
        if "subcode" in roles and draw(st.booleans()):
            code["subcodes"] = {value: {"meaning": draw(texts), "what_to_do": draw(texts),
                                        **({"retry": draw(st.sampled_from(RETRY_POLICIES))} if draw(st.booleans()) else {})}
                                for value in draw(st.lists(subcode_values, min_size=1, max_size=4, unique=True))}
        if draw(st.booleans()):
            code["group"] = draw(st.sampled_from(groups))
        if sdk_ids and draw(st.booleans()):
            code["sdk_note"] = draw(proses)
        if draw(st.booleans()):
            code["sections"] = [{"title": draw(texts), "body": draw(proses)} for _ in range(draw(st.integers(1, 2)))]
        others = [other for other in names if other != name]
        related = []
        for _ in range(draw(st.integers(0, 2))):
            if others and draw(st.booleans()):
                related.append({"code": draw(st.sampled_from(others)), **({"note": draw(texts)} if draw(st.booleans()) else {})})
            else:
                related.append({"title": draw(texts), "url": draw(st.sampled_from(["https://example.test/guide", "/index.md", "/index.md#top"]))})
        if related:
            code["related"] = related
        replacements = [other for other in active if other != name]
        since = "{}.{}.{}".format(*draw(versions))
        if state == "deprecated" and replacements:
            code["lifecycle"] = {"state": "deprecated", "since": since, "replaced_by": draw(st.sampled_from(replacements)),
                                 "removal_date": draw(dates).isoformat()}
        elif state == "removed":
            code["lifecycle"] = {"state": "removed", "since": since,
                                 **({"replaced_by": draw(st.sampled_from(replacements))} if replacements and draw(st.booleans()) else {})}
        if draw(st.booleans()):
            facts = [fact for fact in FACTS if fact != "category" or "category" in code]  # only a fact the code states
            code["unconfirmed"] = {fact: draw(texts) for fact in draw(st.lists(st.sampled_from(facts), max_size=3, unique=True))}
        codes[name] = code
    data["codes"] = codes
    changelog = []
    for version in draw(st.lists(versions.filter(lambda v: v <= (major, minor, patch)), max_size=3, unique=True)):
        entry: dict[str, Any] = {"version": "{}.{}.{}".format(*version), "date": draw(dates).isoformat(), "summary": draw(texts)}
        if draw(st.booleans()):
            entry["changes"] = [{"kind": draw(st.sampled_from(CHANGE_KINDS)),
                                 "subject": draw(st.sampled_from(names)),
                                 **({"note": draw(proses)} if draw(st.booleans()) else {})} for _ in range(draw(st.integers(1, 2)))]
        changelog.append(entry)
    if changelog:
        data["changelog"] = changelog
    return data


def _site(project: Path, data: dict[str, Any]) -> Path:
    """A project around ``data``: its registry, a home page and an overview using every include."""
    errors = data["site"].get("errors_path", "errors/").rstrip("/") + "/"
    first = next(iter(data["codes"]))
    (project / "docs" / errors).mkdir(parents=True)
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Home\n\nSee [the errors](" + errors + "overview.md).\n", encoding="utf-8")
    (project / "docs" / errors / "overview.md").write_text(
        "---\ntitle: Errors\n---\n\n# Errors\n\n"
        + "\n\n".join(f"<!-- errdocs:{name} -->" for name in (f"example {first}", "envelope-fields", "headers", "codes-table", "retry-guidance"))
        + "\n", encoding="utf-8")
    config = {"site_name": "x", "nav": [{"Home": "index.md"}, {"Errors": [errors + "overview.md"]}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project / "mkdocs.yml"


def _body(text: str) -> str:
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


@settings(max_examples=50, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=valid_registries())
def test_every_valid_registry_loads_and_builds(tmp_path_factory, data: dict[str, Any]) -> None:
    # Drawn within the rules, so each one loads; then `generate` (the hook's pipeline without
    # MkDocs, parity gate included) writes every page and LLM file, and every page converts.
    project = tmp_path_factory.mktemp("valid")
    config = _site(project, data)
    registry = load_registry(project / "registry.yaml")
    assert list(registry.codes) != [] and set(registry.codes) == set(data["codes"])
    generate(config, project / "out")
    docs, extra = project / "out" / "docs", project / "out" / "extra"
    pages = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))
    for code in data["codes"]:
        assert registry.code_page_path(code) in pages, code
    for page in pages:
        html = CONVERTER.reset().convert(_body((docs / page).read_text(encoding="utf-8")))
        assert html.strip(), page
        twin = (extra / twin_path(page)).read_text(encoding="utf-8")
        assert twin.strip(), page
    for code in data["codes"]:
        assert registry.doc_url(code) in (extra / twin_path(registry.code_page_path(code))).read_text(encoding="utf-8"), code
    llms = (extra / "llms.txt").read_text(encoding="utf-8")
    full = (extra / "llms-full.txt").read_text(encoding="utf-8")
    assert llms.startswith("# ") and full.strip()
