"""Renderers are plain functions of the registry: checked without MkDocs."""

from __future__ import annotations

import json
import re

import pytest

from errdocs.render.pages import code_page
from errdocs.render.snippets import example_envelope, example_markdown
from errdocs.render.includes import IncludeError, expand_includes
from errdocs.render.snippets import retry_guidance
from errdocs.render.pages import generated_pages
from errdocs.render.snippets import codes_table



def test_envelope_has_the_pages_address(example_registry) -> None:
    body = example_envelope(example_registry, "server_broke")
    assert body == {
        "detail": {"message": "Down", "component": "db"},
        "code": "server_broke",
        "request_id": "req-0001",
        "doc_url": "https://docs.example.test/errors/server_broke",
    }


def test_example_shows_status_line_and_headers_only_when_given(example_registry) -> None:
    with_headers = example_markdown(example_registry, "server_broke")
    assert with_headers.startswith("```http\nHTTP/1.1 503 Service Unavailable\nRetry-After: 5\n")
    assert example_markdown(example_registry, "thing_missing").startswith("```json\n")


def test_code_page_sections(example_registry) -> None:
    page = code_page(example_registry, "server_broke")
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings == ["When this happens", "Example response", "What to do", "SDK behaviour", "Privacy"]
    assert "# server_broke" in page and "`503 Service Unavailable`" in page
    # Every SDK in one table, no tabs: nothing hides behind a click.
    sdk = page[page.index("## SDK behaviour"):]
    assert "=== " not in sdk and "| SDK | Error |" in sdk
    assert "| Raises `example.ServerError` | `retry_after` (`int`): Seconds. |" in sdk
    assert "| Throws `ServerError` | None |" in sdk  # no attributes, beside one with; TypeScript throws
    assert "1. Wait.\n2. Retry." in page


def test_related_links_other_codes(example_registry) -> None:
    assert "- [`server_broke`](/errors/server_broke.md): The other one." in code_page(example_registry, "thing_missing")


def test_codes_table_has_one_row_per_code_under_its_group(example_registry) -> None:
    table = codes_table(example_registry)
    assert re.findall(r"^### (.+)$", table, re.M) == list(example_registry.code_groups())
    rows = re.findall(r"^\| \[`(\w+)`\]", table, re.M)
    assert rows == list(example_registry.codes)


def test_generated_pages_follow_registry(example_registry) -> None:
    pages = generated_pages(example_registry)
    assert [page.src_uri for page in pages] == ["errors/thing_missing.md", "errors/server_broke.md", "errors/changelog.md"]
    assert [page.code for page in pages] == ["thing_missing", "server_broke", None]


def test_retry_guidance_lists_retryable_codes(example_registry) -> None:
    text = retry_guidance(example_registry)
    assert "| [`server_broke`](/errors/server_broke.md) | 503 |" in text
    assert "stop after 3 retries" in text
    assert not re.search(r"^## ", text, re.M)  # sits under the including page's H2


def test_includes_expand_and_leave_fences_alone(example_registry) -> None:
    page = "# T\n\n<!-- errdocs:codes-table -->\n\n```md\n<!-- errdocs:codes-table -->\n```\n\n  <!-- errdocs:example thing_missing -->\n"
    out = expand_includes(page, example_registry)
    assert out.count("<!-- errdocs:") == 1  # only the fenced one
    assert "| [`thing_missing`](/errors/thing_missing.md) |" in out
    assert '  {\n    "detail": "Thing 42 not found.",' in out  # indented like its marker
    json.loads(out.split("  ```json\n", 1)[1].split("\n  ```", 1)[0].replace("\n  ", "\n"))


@pytest.mark.parametrize(
    "page, message",
    [
        ("<!-- errdocs:nope -->", "line 1: unknown include 'nope'"),
        ("x\n<!-- errdocs:example -->", "line 2: include 'example' takes exactly one code"),
        ("<!-- errdocs:example ghost -->", "unknown code 'ghost'"),
        ("<!-- errdocs:headers extra -->", "takes no argument"),
        ("see <!-- errdocs:headers --> here", "must stand alone"),
        ('<Snippet file="retry-guidance.mdx" />', "foreign include syntax"),
        ("--8<-- \"retry.md\"", "foreign include syntax"),
    ],
)
def test_bad_includes_are_errors(example_registry, page: str, message: str) -> None:
    with pytest.raises(IncludeError, match=re.escape(message)):
        expand_includes(page, example_registry)


def _registry_of_groups(groups: int, per_group: int):
    """The example registry with ``per_group`` copies of one code in each of ``groups`` groups."""
    import copy

    import yaml

    from conftest import EXAMPLE_SITE
    from errdocs.registry.model import Registry

    data = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
    base = dict(data["codes"]["thing_missing"], related=[])
    data["codes"] = {f"c{g:03d}_{i:02d}": dict(copy.deepcopy(base), group=f"G{g:03d}")
                     for g in range(groups) for i in range(per_group)}
    return Registry.model_validate(data)


def _section_widths(items: list) -> list[int]:
    """How many sections sit side by side in each nav list, recursively."""
    sections = [value for item in items if isinstance(item, dict) for value in item.values() if isinstance(value, list)]
    widths = [len(sections)]
    for children in sections:
        widths += _section_widths(children)
    return widths


@pytest.mark.parametrize("groups", [4, 10, 11, 23, 100, 150])
def test_many_groups_are_nested_so_no_level_is_wide(groups: int) -> None:
    # With navigation.prune every page still renders the titles of all sibling sections
    # on its path: a flat list of 100 groups made each page's sidebar (and build) O(groups).
    from errdocs.render.nav import MAX_SECTION_GROUPS, add_code_groups, nav_sections

    registry = _registry_of_groups(groups, 3)
    nav = add_code_groups([{"Errors": ["errors/overview.md"]}], registry)
    errors = nav[0]["Errors"]
    assert max(_section_widths(errors)) <= MAX_SECTION_GROUPS
    top = [next(iter(item)) for item in errors if isinstance(item, dict)]
    if groups <= MAX_SECTION_GROUPS:
        assert top == [f"G{g:03d}" for g in range(groups)]  # small catalogues: unchanged
    else:
        assert top[0].startswith("G000 … ") and top[-1].endswith(f" … G{groups - 1:03d}")
    # Every code page once, in registry order.
    pages = nav_sections(nav)[0][1]
    assert pages == ["errors/overview.md", *(f"errors/{name}.md" for name in registry.codes), "errors/changelog.md"]


def _registry(data):  # type: ignore[no-untyped-def]
    from conftest import validated

    return validated(data)


def test_pages_say_how_each_sdk_hands_over_its_error(example_data) -> None:
    example_data["site"]["sdks"]["python"]["errors"] = "thrown"
    example_data["site"]["sdks"]["typescript"]["errors"] = "returned"
    page = code_page(_registry(example_data), "server_broke")
    assert "| Python ([`example-sdk`](https://pypi.org/project/example-sdk/)) | Throws `example.ServerError` |" in page
    assert "| Returns `ServerError` as its error value |" in page
    assert "Raises" not in page


def test_a_pipe_in_a_code_cell_is_a_pipe_on_the_page_and_in_the_twin(example_data) -> None:
    import markdown
    from markdown_it import MarkdownIt

    from errdocs.publish.twins import gfm_table_pipes

    example_data["codes"]["server_broke"]["sdk"]["python"]["attributes"][0]["type"] = "str | None"
    page = code_page(_registry(example_data), "server_broke")
    row = next(line for line in page.split("\n") if "`retry_after`" in line)
    assert "`str | None`" in row  # Python-Markdown keeps a code span whole in a cell
    html = markdown.markdown("| A | B | C |\n| --- | --- | --- |\n" + row.strip(), extensions=["tables"])
    assert "(<code>str | None</code>)" in html and html.count("<td>") == 3
    twin_row = gfm_table_pipes(row)
    assert "`str \\| None`" in twin_row
    gfm = MarkdownIt("commonmark").enable("table").render("| A | B | C |\n| --- | --- | --- |\n" + twin_row.strip())
    assert "(<code>str | None</code>)" in gfm and gfm.count("<td>") == 3


def test_example_status_is_shown_with_the_example(example_data) -> None:
    code = example_data["codes"]["thing_missing"]
    code["http"] = ["404 Not Found", "410 Gone"]
    code["example"]["status"] = 410
    registry = _registry(example_data)
    assert example_markdown(registry, "thing_missing").startswith("```http\nHTTP/1.1 410 Gone\nContent-Type: application/json\n```")

    from errdocs.publish.contract import openapi_fragment

    responses = openapi_fragment(registry)["components"]["responses"]
    assert "thing_missing" in responses["Error410"]["content"]["application/json"]["examples"]
    assert "thing_missing" in responses["Error404"]["description"]
    assert "thing_missing" not in responses["Error404"]["content"]["application/json"].get("examples", {})


def test_permalinks_are_marked_as_chrome_for_parity_checkers() -> None:
    from errdocs.render.html_passes import mark_chrome

    html = '<h2 id="x">X<a class="headerlink" href="#x" title="Permanent link">&para;</a></h2>'
    assert mark_chrome(html) == '<h2 id="x">X<a class="headerlink" data-markdown-ignore href="#x" title="Permanent link">&para;</a></h2>'


def test_unconfirmed_facts_say_so_on_the_page_in_the_twin_and_in_errors_json(example_data) -> None:
    from errdocs.publish.contract import errors_json
    from errdocs.publish.twins import code_facts

    why = "No published page names them."
    example_data["codes"]["server_broke"]["unconfirmed"] = {"sdk_exceptions": why, "retry_policy": "Inferred from the 503."}
    registry = _registry(example_data)
    page = code_page(registry, "server_broke")
    facts = page[page.index("|  |  |"):page.index("## When this happens")]
    assert re.search(r"^\| \*\*Retry\?\*\* \| .* \(unconfirmed\) \|$", facts, re.M)
    assert "| **HTTP status** | `503 Service Unavailable` |" in facts  # confirmed facts are not marked
    assert "> **HTTP 503**: " in page
    # Joined as sentences, in the order the registry gives them.
    assert f"| **Unconfirmed** | SDK exceptions: {why} Retry policy: Inferred from the 503. |" in facts
    sdk = page[page.index("## SDK behaviour"):]
    assert sdk.split("\n\n")[1] == f"**Unconfirmed**: {why}"  # said before the table it qualifies
    assert code_facts(registry, "server_broke")["unconfirmed"] == {"sdk_exceptions": why, "retry_policy": "Inferred from the 503."}
    assert errors_json(registry)["codes"]["server_broke"]["unconfirmed"]["sdk_exceptions"] == why
    assert "unconfirmed" not in code_facts(registry, "thing_missing")  # nothing to say, nothing said


def test_an_unknown_fact_cannot_be_unconfirmed(example_data) -> None:
    from errdocs.registry.load import RegistryError

    example_data["codes"]["server_broke"]["unconfirmed"] = {"colour": "x"}
    with pytest.raises(RegistryError, match="unconfirmed"):
        _registry(example_data)


def test_an_unconfirmed_status_is_marked_wherever_it_is_stated(example_data, tmp_path) -> None:
    from errdocs.publish.llms import code_line

    example_data["codes"]["server_broke"]["unconfirmed"] = {"http_status": "Seen once.", "retry_policy": "Guessed."}
    registry = _registry(example_data)
    assert "> **HTTP 503** (unconfirmed): " in code_page(registry, "server_broke")
    row = next(line for line in codes_table(registry).splitlines() if "server_broke" in line)
    assert "| 503 (unconfirmed) |" in row and row.endswith(" (unconfirmed) |")
    assert code_line(registry, "server_broke").startswith(
        "- [server_broke](https://docs.example.test/errors/server_broke.md): HTTP 503 (unconfirmed); retryable with backoff (unconfirmed); ")


def test_an_unconfirmed_category_is_marked_wherever_it_is_stated(example_data) -> None:
    """An API may list its classes without saying which class each code is in: an inferred category
    says so on the page, in the codes table, in llms.txt, the twin and errors.json."""
    from errdocs.publish.contract import errors_json
    from errdocs.publish.llms import code_line
    from errdocs.publish.twins import code_facts

    example_data["envelope"].append({"name": "type", "type": "string", "role": "category", "description": "The class."})
    for code in example_data["codes"].values():
        code["category"] = "api_error"
    example_data["codes"]["server_broke"]["unconfirmed"] = {"category": "Inferred from its 503."}
    registry = _registry(example_data)
    page = code_page(registry, "server_broke")
    assert "| **Category** | `api_error` (in `type`) (unconfirmed) |" in page
    assert "| **Unconfirmed** | Category: Inferred from its 503. |" in page
    row = next(line for line in codes_table(registry).splitlines() if "server_broke" in line)
    assert "| `api_error` (unconfirmed) |" in row
    assert "; type: api_error (unconfirmed); " in code_line(registry, "server_broke")
    assert code_facts(registry, "server_broke")["unconfirmed"] == {"category": "Inferred from its 503."}
    assert errors_json(registry)["codes"]["server_broke"]["unconfirmed"] == {"category": "Inferred from its 503."}
    other = next(line for line in codes_table(registry).splitlines() if "thing_missing" in line)
    assert "| `api_error` |" in other  # confirmed categories are not marked


def test_only_a_stated_category_can_be_unconfirmed(example_data) -> None:
    from errdocs.registry.load import RegistryError

    example_data["codes"]["server_broke"]["unconfirmed"] = {"category": "Inferred."}
    with pytest.raises(RegistryError) as caught:
        _registry(example_data)
    assert str(caught.value).endswith("codes.server_broke.unconfirmed.category: the code has no category to mark as unconfirmed")


def test_a_note_of_several_paragraphs_stays_in_its_sdk_item(example_data) -> None:
    import markdown
    from markdown_it import MarkdownIt

    example_data["codes"]["server_broke"]["sdk"]["python"]["note"] = "First paragraph.\n\nSecond paragraph."
    page = code_page(_registry(example_data), "server_broke")
    sdk = page[page.index("## SDK behaviour"):page.index("## Privacy")]
    for html in (markdown.markdown(sdk, extensions=["tables"]), MarkdownIt("commonmark").enable("table").render(sdk)):
        items = re.findall(r"<li>(.*?)</li>", html, re.S)
        assert len(items) == 2, html  # Python, TypeScript
        assert "First paragraph." in items[0] and "Second paragraph." in items[0] and "TypeScript" in items[1], html


def test_reason_phrases_are_the_apis_own_and_a_bare_number_gets_the_standard_one(example_data) -> None:
    from errdocs.publish.contract import errors_json

    example_data["codes"]["thing_missing"]["http"] = ["402 Request Failed"]
    example_data["codes"]["server_broke"]["http"] = 503
    registry = _registry(example_data)
    assert "`402 Request Failed`" in code_page(registry, "thing_missing")
    assert example_markdown(registry, "server_broke").startswith("```http\nHTTP/1.1 503 Service Unavailable\n")
    statuses = {name: code["http"] for name, code in errors_json(registry)["codes"].items()}
    assert statuses == {"thing_missing": [{"status": 402, "reason": "Request Failed"}],
                        "server_broke": [{"status": 503, "reason": "Service Unavailable"}]}


def test_retry_guidance_and_examples_name_only_declared_headers(example_data) -> None:
    from errdocs.publish.llms import agent_instructions
    from errdocs.registry.load import RegistryError

    example_data["headers"] = [h for h in example_data["headers"] if h["names"] != ["Retry-After"]]
    with pytest.raises(RegistryError) as refused:
        _registry(example_data)
    assert [f"{p.path}: {p.message}" for p in refused.value.problems] == [
        "retry_guidance.retry_after: the API declares no Retry-After header under `headers`; declare it, or leave this text out",
        "codes.server_broke.example.headers.Retry-After: header 'Retry-After' is not declared under `headers`; "
        "declare it, so pages say when it comes",
    ]
    del example_data["retry_guidance"]["retry_after"]
    del example_data["codes"]["server_broke"]["example"]["headers"]
    registry = _registry(example_data)
    generated = [retry_guidance(registry), *agent_instructions(registry), *(code_page(registry, name) for name in registry.codes)]
    assert not any("Retry-After" in text.replace(example_data["codes"]["server_broke"]["retry"]["label"], "") for text in generated)
