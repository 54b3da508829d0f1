"""Property-based: any registry, valid or mangled, either builds or fails with located one-line problems.

The pipeline here is the one the hook runs (load, validate, render every page,
expand includes, LLM surfaces), plus Markdown rendering with the site's
extensions; it runs without MkDocs so hypothesis can try hundreds of inputs.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errdocs.render.includes import expand_includes
from errdocs.publish.contract import CONTRACT_FILES
from errdocs.publish.llms import NavSection
from errdocs.publish.publisher import Publisher
from errdocs.registry.load import RegistryError, load_registry
from errdocs.render.pages import generated_pages, render_page
from errdocs.publish.twins import PageDoc

from conftest import EXAMPLE_SITE

BASE: dict[str, Any] = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
OVERVIEW = (EXAMPLE_SITE / "docs" / "errors" / "overview.md").read_text(encoding="utf-8").split("---\n", 2)[2]
PROBLEM_LINE = re.compile(r"^registry\.yaml:\d+:\d+: \S+: \S.*$")
EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.superfences", "pymdownx.tabbed"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 1000), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["<script>alert(1)</script>", "a | b", "`x`", "{{ y }}", "--8<-- \"f\"", "404 Not Found", "never", "https://x.test/"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += paths(value, prefix + (index,))
    return out


ALL_PATHS = paths(BASE)[1:]


@st.composite
def mutated_registries(draw) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete", "rename"]))
            if action == "replace":
                parent[path[-1]] = draw(values)
            elif action == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=10))] = parent.pop(path[-1])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or reshaped this path
    return data


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
        markdown.markdown(page.markdown, extensions=EXTENSIONS)
    publisher = Publisher(registry, tmp / "site")
    for page in pages.values():
        publisher.add(page)
    publisher.seal([NavSection("Errors", list(pages))])
    for problem in publisher.problems(site_dir=None, sources=set(pages) | set(CONTRACT_FILES)):
        assert "characters; the budget" in problem, problem  # the size budget is the one allowed refusal


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated_registries())
def test_mutated_registries_build_or_fail_in_one_line_format(tmp_path: Path, data: dict[str, Any]) -> None:
    run_pipeline(tmp_path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, 5000), junk=st.text(max_size=6))
def test_mangled_yaml_text_fails_in_one_line_format(tmp_path: Path, cut: int, junk: str) -> None:
    text = (EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8")
    cut = cut % len(text)
    run_pipeline(tmp_path, text[:cut] + junk + text[cut + 1 :])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.text(min_size=1, max_size=60), when=st.text(min_size=1, max_size=200), detail=values)
def test_valid_registries_with_arbitrary_text_render(tmp_path: Path, summary: str, when: str, detail: Any) -> None:
    data = copy.deepcopy(BASE)
    data["codes"]["server_broke"].update(summary=summary, when=when)
    data["codes"]["server_broke"]["example"]["detail"] = detail
    run_pipeline(tmp_path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
