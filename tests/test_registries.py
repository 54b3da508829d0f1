"""The generator over more than one registry: Agnes', three made-up APIs unlike it, and a real one.

* ``example_site``: a flat envelope like Agnes', two SDKs;
* ``payments_site``: a nested, Stripe-style envelope (``error: {...}``), Python, Node.js and
  Go SDKs (raised, thrown, returned), ``{param, message, reason}`` detail items, a category
  field (``error.type``), sub-codes (``error.decline_code``), codes with two statuses;
* ``problem_site``: RFC 9457 problem details (``application/problem+json``), Java, C# and
  Rust SDKs, code pages under ``problems/`` named by slug (``doc_url_form: slug``:
  ``problems/account-frozen``), the codes table on ``reference/problems.md``, and a closed
  set of codes (the others' are open);
* ``stripe_site``: Stripe's payments API as it publishes its errors, through the plugin: an
  optional, nullable code beside a category (``error.type``), 47 decline codes
  (``error.decline_code``), slug doc_urls under ``error-codes/``, ``402 Request Failed``, a
  header of its own (``Stripe-Should-Retry``) and none called ``Retry-After``, unconfirmed
  statuses and categories, and errors with no code at all on its overview.

Each is built once with ``mkdocs build --strict``, and every check here is about the
generator, not about a registry's content: a team that swaps in its own registry only adds
its site to ``SITES`` (``conftest.py``).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from conftest import FIXTURES, ROOT, SITES, documented_values, dump_registry, mkdocs_build, read_yaml
from errdocs.publish.twins import twin_path
from errdocs.registry.model import EnvelopeRole, Fact

pytestmark = pytest.mark.build

_JSON_BLOCK = re.compile(r"^```json\n(.*?)\n```$", re.M | re.S)


@pytest.fixture(scope="module", params=sorted(SITES))
def site(request, built_sites):
    """(name, registry, built site) of each registry, built once per session."""
    return (request.param, *built_sites(request.param))


def _example(twin: str) -> dict:
    """The example envelope of a code page's twin: its last JSON block."""
    return json.loads(_JSON_BLOCK.findall(twin)[-1])


def _at(body: dict, path: tuple[str, ...]):
    for key in path:
        body = body[key]
    return body


def _html(registry, code: str) -> str:
    """Where a code's own page is in the built site."""
    return registry.code_page_path(code).removesuffix(".md") + "/index.html"


def _twin(registry, code: str) -> str:
    """Where a code's own page's Markdown twin is in the built site."""
    return registry.code_page_path(code)


def _codes_table_page(name: str) -> str:
    """The docs path of the page that holds site ``name``'s codes table (from its ``mkdocs.yml`` nav)."""
    import yaml

    from errdocs.render.nav import codes_table_page

    nav = yaml.safe_load((SITES[name] / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    holder = codes_table_page(nav, SITES[name] / "docs")
    assert holder is not None, name
    return holder


def test_every_code_has_its_page_at_its_doc_url(site) -> None:
    """A doc_url leads to a built page (a fragment: to a section of it with that id), and the code's own page exists."""
    name, registry, built = site
    for code in registry.codes:
        url = registry.doc_url(code)
        assert url.startswith(registry.site.docs_url), f"{name}: {url}"
        rel, _, fragment = url.removeprefix(registry.site.docs_url).partition("#")
        page = built.site / rel / "index.html"
        assert page.is_file(), f"{name}: no page for {code} at {rel}/"
        if fragment:
            assert f'id="{fragment}"' in page.read_text(encoding="utf-8"), f"{name}: no section {fragment} on {rel}/"
        assert (built.site / _html(registry, code)).is_file(), f"{name}: no page of its own for {code}"
    if name != "agnes":
        words = " ".join(p.read_text(encoding="utf-8").lower() for p in built.site.rglob("*.html"))
        assert "agnes" not in words and "lasscyber" not in words


def test_examples_follow_the_declared_envelope_and_pass_its_schema(site) -> None:
    name, registry, built = site
    schema = json.loads((built.site / "envelope.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    roles = {role.value: path for role, path in registry.roles.items()}
    for code, entry in registry.codes.items():
        if not entry.returned:
            continue
        twin = (built.site / _twin(registry, code)).read_text(encoding="utf-8")
        body = _example(twin)
        assert list(body) == [f.name for f in registry.envelope if f.required or f.name in body]
        errors = [e.message for e in validator.iter_errors(body)]
        assert errors == [], f"{name}/{code}: {errors}"
        assert _at(body, roles["doc_url"]) == registry.doc_url(code)
        assert _at(body, roles["code"]) == code
        assert _at(body, roles["message"]) == entry.example.detail
        if "status" in roles:
            assert _at(body, roles["status"]) == (entry.example.status or entry.statuses[0])


def _property(schema: dict, path: tuple[str, ...]) -> dict:
    for key in path:
        schema = schema["properties"][key]
    return schema


def test_an_undocumented_code_passes_both_schemas_unless_the_registry_closes_the_set(site) -> None:
    name, registry, built = site
    closed = registry.role_field(EnvelopeRole.code).closed
    path = registry.roles[EnvelopeRole.code]
    schema = json.loads((built.site / "envelope.schema.json").read_text(encoding="utf-8"))
    openapi = json.loads((built.site / "errors.openapi.json").read_text(encoding="utf-8"))
    returned = [code for code, entry in registry.codes.items() if entry.returned]
    for listed in (schema, openapi["components"]["schemas"]["ErrorEnvelope"]):
        assert documented_values(_property(listed, path)) == returned, name
    body = _example((built.site / _twin(registry, returned[0])).read_text(encoding="utf-8"))
    _at(body, path[:-1])[path[-1]] = "code_not_documented_yet"
    # OpenAPI 3.1 schema objects are JSON Schema 2020-12: the fragment's envelope is validated as published.
    for validator in (Draft202012Validator(schema), Draft202012Validator({**openapi, "$ref": "#/components/schemas/ErrorEnvelope"})):
        assert validator.is_valid(body) is not closed, f"{name}: closed={closed}"
    llms = (built.site / "llms.txt").read_text(encoding="utf-8")
    assert ("this index does not list can still arrive" in llms) is not closed, name


def test_categories_show_in_the_overview_errors_json_twins_llms_txt_and_examples(site) -> None:
    """Where the envelope has a category field, every code's category is in each place; elsewhere in none."""
    name, registry, built = site
    path = registry.roles.get(EnvelopeRole.category)
    overview = (built.site / twin_path(_codes_table_page(name))).read_text(encoding="utf-8")
    assert ("| Code | HTTP | Category | When | Retry? |" in overview) is bool(path), name
    errors = json.loads((built.site / "errors.json").read_text(encoding="utf-8"))
    llms = (built.site / "llms.txt").read_text(encoding="utf-8")
    for code, entry in registry.codes.items():
        twin = (built.site / _twin(registry, code)).read_text(encoding="utf-8")
        head = twin.split("\n---\n", 1)[0]
        line = next(line for line in llms.splitlines() if line.startswith(f"- [{code}]("))
        if path is None:
            assert entry.category is None and "category" not in errors["codes"][code] and "\ncategory: " not in head
            continue
        assert errors["codes"][code]["category"] == entry.category, f"{name}/{code}"
        assert f'\ncategory: "{entry.category}"' in head, f"{name}/{code}"
        marked = " (unconfirmed)" if Fact.category in entry.unconfirmed else ""  # an inferred category says so
        assert f"; {'.'.join(path)}: {entry.category}{marked};" in line, f"{name}/{code}"
        if entry.returned:
            cell = re.escape(f"`{entry.category}`{marked}")
            assert re.search(rf"^\| \[`{code}`\]\([^)]*\) \| [^|]+ \| {cell} \|", overview, re.M), f"{name}/{code}"
            expected = entry.example.fields.get(".".join(path), entry.category)
            assert _at(_example(twin), path) == expected, f"{name}/{code}"


def _listing_page(registry, code: str, value: str) -> str:
    """The docs path of the page whose sub-code table holds ``value``: the code's page, or one of its sub-code pages."""
    from errdocs.render.subcodes import subcode_pages

    pages = subcode_pages(registry, code)
    return next((page.src_uri for page in pages if value in page.values), registry.code_page_path(code))


def test_subcodes_are_anchored_searchable_and_published(site) -> None:
    """Every sub-code has a row with its own anchor on a built page, a hit in the site's search, and
    its place in errors.json, the schema, the twin and llms.txt; a registry without any shows none."""
    name, registry, built = site
    path = registry.roles.get(EnvelopeRole.subcode)
    errors = json.loads((built.site / "errors.json").read_text(encoding="utf-8"))
    search = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    llms = "\n".join(p.read_text(encoding="utf-8") for p in [built.site / "llms.txt", *built.site.glob("llms/*.txt")])
    returned = {code: entry for code, entry in registry.codes.items() if entry.returned}
    if path is None:
        assert not any(entry.subcodes for entry in registry.codes.values()), name
        assert not any('id="subcode-' in p.read_text(encoding="utf-8") for p in built.site.rglob("*.html")), name
        assert not any("subcodes" in entry for entry in errors["codes"].values()), name
        return
    schema = json.loads((built.site / "envelope.schema.json").read_text(encoding="utf-8"))
    assert documented_values(_property(schema, path)) == list(dict.fromkeys(v for e in returned.values() for v in e.subcodes))
    for code, entry in returned.items():
        twin = (built.site / _twin(registry, code)).read_text(encoding="utf-8")
        assert errors["codes"][code].get("subcodes", {}).keys() == entry.subcodes.keys(), f"{name}/{code}"
        if not entry.subcodes:
            continue
        assert f"\nsubcodes: {len(entry.subcodes)}\n" in twin.split("\n---\n", 1)[0] + "\n", f"{name}/{code}"
        assert f"; {len(entry.subcodes)} sub-codes in {'.'.join(path)};" in llms, f"{name}/{code}"
        for value in entry.subcodes:
            src = _listing_page(registry, code, value)
            html = (built.site / src.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
            assert f'<a href="#subcode-{value}" id="subcode-{value}">' in html, f"{name}/{code}/{value}"
            listing = (built.site / src).read_text(encoding="utf-8")  # its twin: the anchor's attribute list dropped
            assert f"#subcode-{value})" in listing and "{#" not in listing, f"{name}/{code}/{value}"
            page_url = src.removesuffix(".md") + "/"
            assert any(doc["location"].startswith(page_url) and value in doc["text"] for doc in search), f"{name}/{code}/{value}"


def test_the_media_type_reaches_pages_and_contract_files(site) -> None:
    name, registry, built = site
    media = registry.envelope_media_type
    openapi = json.loads((built.site / "errors.openapi.json").read_text(encoding="utf-8"))
    validate(openapi)
    for response in openapi["components"]["responses"].values():
        assert list(response["content"]) == [media]
    errors = json.loads((built.site / "errors.json").read_text(encoding="utf-8"))
    assert errors["media_type"] == media and list(errors["codes"]) == list(registry.codes)
    for code, entry in registry.codes.items():
        if entry.example.headers or entry.example.status is not None:
            twin = (built.site / _twin(registry, code)).read_text(encoding="utf-8")
            assert f"Content-Type: {media}\n" in twin


def test_code_pages_join_the_nav_beside_the_codes_table(site) -> None:
    name, registry, built = site
    holder = _codes_table_page(name)
    first = next(code for code, entry in registry.codes.items() if entry.returned)
    page = (built.site / _html(registry, first)).read_text(encoding="utf-8")
    # In the nav, the page is the active entry; beside the codes table, its section (expanded
    # on it, pruned elsewhere) also links the page that holds the table.
    assert "md-nav__link--active" in page, f"{name}: {first} is not in the nav"
    from urllib.parse import urljoin

    here = "/" + _html(registry, first).removesuffix("index.html")
    holder_url = "/" + twin_path(holder).removesuffix(".md") + "/"  # errors/overview.md or x/index.md: /x/
    hrefs = [urljoin(here, href) for href in re.findall(r'<a href="([^"]+)" class="md-nav__link', page)]
    assert holder_url in hrefs, f"{name}: {first} is not beside {holder} in the nav"


def test_llms_txt_lists_every_code_and_every_file_fits_the_budget(site) -> None:
    from llms_txt import parse_llms_file

    name, registry, built = site
    llms = (built.site / "llms.txt").read_text(encoding="utf-8")
    parsed = parse_llms_file(llms)
    assert parsed.title == registry.site.name
    listed = "\n".join(p.read_text(encoding="utf-8") for p in [built.site / "llms.txt", *built.site.glob("llms/*.txt")])
    for code in registry.codes:
        assert f"({registry.site.docs_url}{_twin(registry, code)})" in listed, f"{name}: {code} not in llms.txt"
    # Instructions for agents, in this API's own field names, before the first section.
    code_path, message_path = (".".join(registry.roles[role]) for role in (EnvelopeRole.code, EnvelopeRole.message))
    assert f"- Branch on `{code_path}`, never on the text of `{message_path}`" in llms.split("\n## ")[0]
    budgets = registry.budgets
    for path in built.site.rglob("*.md"):
        assert len(path.read_text(encoding="utf-8")) <= budgets.twin, f"{name}: {path.relative_to(built.site)} is over budget"
    for path in [built.site / "llms.txt", *built.site.glob("llms/*.txt")]:
        assert len(path.read_text(encoding="utf-8")) <= budgets.llms_txt, f"{name}: {path.relative_to(built.site)} is over budget"


def test_sdk_pages_say_raised_thrown_or_returned(site) -> None:
    name, registry, built = site
    words = {"raised": "Raises", "thrown": "Throws", "returned": "Returns"}
    for code, entry in registry.codes.items():
        if not entry.returned or not entry.sdk:
            continue
        twin = (built.site / _twin(registry, code)).read_text(encoding="utf-8")
        for sdk_id, sdk in registry.site.sdks.items():
            assert f"{words[sdk.error_style.value]} `{entry.sdk[sdk_id].exception}`" in twin, f"{name}/{code}/{sdk_id}"


def test_no_page_joins_sentences_with_a_stop_and_a_semicolon(site) -> None:
    name, _, built = site
    for path in [*built.site.rglob("*.html"), *built.site.rglob("*.md")]:
        assert ".;" not in path.read_text(encoding="utf-8"), f"{name}: {path.relative_to(built.site)}"


_HTTP_BLOCK = re.compile(r"^```http\nHTTP/1\.1 [^\n]*\n(.*?)\n```$", re.M | re.S)


def test_no_page_shows_a_header_the_registry_does_not_declare(site) -> None:
    """Every header of an example response is declared under ``headers`` (``Content-Type`` says what the
    body is); and ``Retry-After``, the header generators like to assume, appears on no page of a
    registry that neither declares nor mentions it."""
    name, registry, built = site
    own_text = SITES[name].joinpath("registry.yaml").read_text(encoding="utf-8")
    assumed_absent = not registry.declares_header("Retry-After") and "Retry-After" not in own_text
    for path in [*built.site.rglob("*.html"), *built.site.rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        for block in _HTTP_BLOCK.findall(text):
            names = [line.split(":", 1)[0] for line in block.splitlines()]
            assert names[-1] == "Content-Type", f"{name}: {path.relative_to(built.site)}"
            undeclared = [header for header in names[:-1] if not registry.declares_header(header)]
            assert undeclared == [], f"{name}: {path.relative_to(built.site)} shows {undeclared}"
        if assumed_absent:
            assert "Retry-After" not in text, f"{name}: {path.relative_to(built.site)} names Retry-After"


class _Sidebar(HTMLParser):
    """(section title, entry title) for every entry of every section of Material's primary nav."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []  # the open <li>s: their title and whether they are sections
        self.pairs: list[tuple[str, str]] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and "md-nav__item" in classes:
            self.items.append({"title": None, "section": "md-nav__item--nested" in classes})
        self._in_title = tag == "span" and "md-ellipsis" in classes and bool(self.items) and self.items[-1]["title"] is None

    def handle_data(self, data: str) -> None:
        if self._in_title and data.strip():
            self.items[-1]["title"] = data.strip()
            self._in_title = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.items:
            item = self.items.pop()
            if self.items and self.items[-1]["section"]:
                self.pairs.append((self.items[-1]["title"], item["title"]))


def test_no_sidebar_repeats_its_section_title(site) -> None:
    name, _, built = site
    for path in built.site.rglob("*.html"):
        sidebar = _Sidebar()
        sidebar.feed(path.read_text(encoding="utf-8"))
        doubled = [pair for pair in sidebar.pairs if pair[0] == pair[1]]
        assert not doubled, f"{name}: {path.relative_to(built.site)} shows {doubled[0][0]!r} › {doubled[0][1]!r}"


def test_the_code_pages_run_from_the_codes_table_to_the_changelog(site) -> None:
    """Previous and Next stay within the errors section: the first code's Previous is the
    page with the codes table, never the changelog, which comes after the last code."""
    name, registry, built = site
    nav = [code for names in registry.code_groups().items() for code in names[1]]
    def link(code: str, direction: str) -> str:  # the page's <link rel="prev|next">, footer or not
        page = (built.site / _html(registry, code)).read_text(encoding="utf-8")
        return re.search(rf'<link rel="{direction}" href="([^"]+)"', page)[1]

    assert "changelog" not in link(nav[0], "prev"), f"{name}: the first code's Previous is the changelog"
    assert link(nav[-1], "next").rstrip("/").endswith("changelog"), f"{name}: the last code's Next is not the changelog"


def test_the_codes_table_is_grouped_under_the_group_names(site) -> None:
    name, registry, built = site
    twin = (built.site / twin_path(_codes_table_page(name))).read_text(encoding="utf-8")
    for group, names in registry.code_groups().items():
        table = twin.split(f"### {group}\n", 1)[1].lstrip("\n").split("\n\n", 1)[0]
        assert [re.match(r"\| \[`([^`]+)`", row)[1] for row in table.splitlines()[2:]] == names, f"{name}: {group}"


def test_a_code_with_500_subcodes_builds_with_default_budgets(tmp_path: Path) -> None:
    """The sub-codes move off the code's page onto pages of their own, each within the twin budget,
    each value on one of them with its anchor; the code's page links them."""
    from conftest import copy_project
    from errdocs.registry.load import load_registry

    import yaml

    project = copy_project(FIXTURES / "payments_site", tmp_path / "project")
    data = yaml.safe_load((project / "registry.yaml").read_text(encoding="utf-8"))
    data["codes"]["card_declined"]["subcodes"] = {
        f"issuer_reason_{n:03}": {"meaning": f"The issuer's reason number {n} for declining the charge.",
                                  "what_to_do": "Ask the customer for another card, or to call their bank.",
                                  **({"retry": "once"} if n % 50 == 0 else {})}
        for n in range(500)
    }
    data["codes"]["card_declined"]["example"]["fields"] = {"error.decline_code": "issuer_reason_007"}
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    registry = load_registry(project / "registry.yaml")
    assert "budgets" not in registry.site.model_fields_set
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.output[-3000:]
    over = {p.relative_to(built.site).as_posix(): n for p in built.site.rglob("*.md")
            if (n := len(p.read_text(encoding="utf-8"))) > registry.budgets.twin}
    assert over == {}
    from errdocs.render.subcodes import subcode_pages

    pages = [built.site / page.src_uri for page in subcode_pages(registry, "card_declined")]  # in their order
    assert len(pages) > 1 and set(pages) == set(built.site.glob("errors/subcodes-card_declined*.md"))
    listed = [value for page in pages for value in re.findall(r"^\| \[`([a-z0-9_]+)`\]\(", page.read_text(encoding="utf-8"), re.M)]
    assert listed == list(data["codes"]["card_declined"]["subcodes"])
    html = "".join((built.site / p.relative_to(built.site).as_posix().removesuffix(".md") / "index.html").read_text(encoding="utf-8")
                   for p in pages)
    assert all(f'id="subcode-{value}"' in html for value in listed)
    code_twin = (built.site / "errors" / "card_declined.md").read_text(encoding="utf-8")
    assert all(f"{registry.site.docs_url}{p.relative_to(built.site).as_posix()})" in code_twin for p in pages)
    search = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any(doc["location"].startswith("errors/subcodes-card_declined") and "issuer_reason_499" in doc["text"] for doc in search)


@pytest.mark.parametrize("n, grouped, builder", [(400, True, "mkdocs"), (1000, False, "generate")])
def test_large_registries_build_with_default_budgets(tmp_path: Path, n: int, grouped: bool, builder: str) -> None:
    """Every Markdown file and llms.txt stays within the default 50,000 characters, and every
    code is still listed: the codes table moves onto group pages (parts of big groups).
    1,000 codes in the default groups (two of about 500, each split into parts) go through
    ``errdocs generate``: the build's core without MkDocs, with the same budgets and parity gate,
    in a tenth of the time; a strict MkDocs build shows the same at 400 codes here, 2,000 codes
    in their own groups are built by the next test, and ``make bench`` builds 1,000 and 10,000
    codes with MkDocs."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import mkdocs_yml, write_site

    from errdocs.registry.load import load_registry
    from errdocs.tools.generate import generate

    project = write_site(n, tmp_path / "project")
    if not grouped:  # every code in the default groups by status class: two groups of about half the codes
        data = read_yaml(project / "registry.yaml")
        for code in data["codes"].values():
            code.pop("group")
        (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    (project / "mkdocs.yml").write_text(mkdocs_yml("  - index.md\n  - Errors:\n    - errors/overview.md\n", hooks=True), encoding="utf-8")
    registry = load_registry(project / "registry.yaml")
    assert "budgets" not in registry.site.model_fields_set and registry.site.llms_size_budget is None
    if builder == "mkdocs":
        built = mkdocs_build(project, tmp_path / "site")
        assert built.returncode == 0, built.output[-3000:]
        site = built.site
    else:
        generate(project / "mkdocs.yml", tmp_path / "out")
        site = tmp_path / "out" / "extra"  # what a build publishes beside the HTML: twins and LLM files
    files = [*site.rglob("*.md"), *site.glob("llms*.txt"), *site.glob("llms/*.txt")]
    sizes = {p.relative_to(site).as_posix(): len(p.read_text(encoding="utf-8")) for p in files}
    over = {path: size for path, size in sizes.items() if size > 50_000 and path != "llms-full.txt"}
    assert over == {}
    table_pages = [path for path in sizes if path.startswith("errors/codes-")]
    if not grouped:  # each default group's table is split into parts
        assert len(table_pages) > len({code.nav_group for code in registry.codes.values()})
    tables = "".join((site / path).read_text(encoding="utf-8") for path in table_pages)
    listed = re.findall(r"^\| \[`([a-z0-9_]+)`\]\(", tables, re.M)
    assert sorted(listed) == sorted(registry.codes)
    indexes = "".join((site / path).read_text(encoding="utf-8") for path in sizes if path.startswith("llms") and path != "llms-full.txt")
    assert all(f"/errors/{code}.md)" in indexes for code in registry.codes)


def test_two_thousand_codes_a_tenth_retired_build_with_every_file_in_its_budget(tmp_path: Path) -> None:
    """2,000 codes, 100 deprecated and 100 removed, default settings. Built by ``errdocs generate``
    (the build's core without MkDocs, which runs the same budgets and parity gate in a few
    seconds; a strict MkDocs build of many codes is covered above): it succeeds, every
    file an agent reads fits its budget, the retired codes' lines are in shards linked under
    Optional, and the group pages are listed with the codes and list every code not removed."""
    import sys

    from llms_txt import parse_llms_file

    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import mkdocs_yml, registry, write_site

    from errdocs.registry.model import AGENT_BUDGET
    from errdocs.tools.generate import generate

    project = write_site(1, tmp_path / "project")  # the pages around the codes; its first code is the 2,000's first
    data = registry(2000)
    names = list(data["codes"])
    retired = {"deprecated": names[5::20], "removed": names[15::20]}
    for name in retired["deprecated"]:
        data["codes"][name]["lifecycle"] = {"state": "deprecated", "since": "2.0.0", "replaced_by": names[0], "removal_date": "2027-01-01"}
    for name in retired["removed"]:
        data["codes"][name]["lifecycle"] = {"state": "removed", "since": "2.0.0", "replaced_by": names[0]}
    (project / "registry.yaml").write_text(dump_registry(data), encoding="utf-8")
    (project / "mkdocs.yml").write_text(mkdocs_yml("  - index.md\n  - Errors:\n    - errors/overview.md\n", hooks=True), encoding="utf-8")

    generate(project / "mkdocs.yml", tmp_path / "out")

    extra = tmp_path / "out" / "extra"
    texts = {p.relative_to(extra).as_posix(): p.read_text(encoding="utf-8") for p in extra.rglob("*") if p.suffix in (".md", ".txt")}
    assert {path: len(text) for path, text in texts.items() if len(text) > AGENT_BUDGET and path != "llms-full.txt"} == {}
    index = parse_llms_file(texts["llms.txt"])
    optional = {entry.url.removeprefix("https://docs.example.test/") for entry in index.sections["Optional"]}
    for state, codes in retired.items():
        shards = sorted(path for path in optional if path.startswith(f"llms/lifecycle/{state}"))
        listed = [m for path in shards for m in re.findall(r"^- \[([a-z0-9_]+)\]", texts[path], re.M)]
        assert listed == codes, state
    lines = [m for path, text in texts.items() if path.startswith("llms") and path != "llms-full.txt"
             for m in re.findall(r"^- \[([a-z0-9_]+)\]\(", text, re.M)]
    assert sorted(lines) == sorted(names)
    errors = [entry.url.removeprefix("https://docs.example.test/") for entry in index.sections["Errors"]]
    assert [path for path in errors if path.startswith("errors/codes-")] == sorted(p for p in texts if p.startswith("errors/codes-"))
    tables = "".join(text for path, text in texts.items() if path.startswith("errors/codes-"))
    assert sorted(re.findall(r"^\| \[`([a-z0-9_]+)`\]\(", tables, re.M)) == sorted(set(names) - set(retired["removed"]))
    assert "Other pages" not in index.sections
