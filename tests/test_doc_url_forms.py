"""The forms a ``doc_url`` can take (``site.doc_url_form``): a page per code named as the code
(``path``) or by its slug (``slug``), or a section of one page of every code (``anchor``).

The slug form also builds strict as ``tests/fixtures/problem_site`` and ``stripe_site`` (the
generic tests of ``test_registries.py``); the anchor form is checked here through ``errdocs generate``, the
build's core without MkDocs, and the page it adds is rendered with Python-Markdown.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import markdown
import pytest

from conftest import EXAMPLE_SITE, MARKDOWN_EXTENSIONS, dump_registry
from errdocs.publish.parity import Expected, Published, check_published
from errdocs.registry.load import load_registry
from errdocs.registry.model import Registry
from errdocs.tools.generate import GenerateError, generate
from errdocs.tools.preview import site_address, twin_of

DOCS = "https://docs.example.test/"


def _registry(data: dict, form: str) -> Registry:
    data["site"]["doc_url_form"] = form
    return Registry.model_validate(data)


@pytest.mark.parametrize("form, doc_url, own_page", [
    ("path", f"{DOCS}errors/thing_missing", "errors/thing_missing.md"),
    ("slug", f"{DOCS}errors/thing-missing", "errors/thing-missing.md"),
    ("anchor", f"{DOCS}errors#thing_missing", "errors/thing_missing.md"),
])
def test_each_form_gives_its_doc_url_and_the_codes_own_page(example_data, form: str, doc_url: str, own_page: str) -> None:
    registry = _registry(example_data, form)
    assert registry.doc_url("thing_missing") == doc_url
    assert registry.code_page_path("thing_missing") == own_page
    assert registry.anchors_page_path == ("errors/index.md" if form == "anchor" else None)


def test_the_default_form_is_a_path_per_code(example_registry) -> None:
    assert example_registry.doc_url("thing_missing") == f"{DOCS}errors/thing_missing"


def _anchor_project(tmp_path: Path, example_data: dict) -> Path:
    """The example site in the anchor form, with a removed code (whose doc_url must keep answering)."""
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE_SITE, project, ignore=shutil.ignore_patterns("site"))
    example_data["site"]["doc_url_form"] = "anchor"
    gone = dict(copy.deepcopy(example_data["codes"]["thing_missing"]), lifecycle={"state": "removed", "since": "2.0.0", "replaced_by": "thing_missing"})
    example_data["codes"]["thing_gone"] = gone
    (project / "registry.yaml").write_text(dump_registry(example_data), encoding="utf-8")
    return project


def test_the_anchor_form_adds_one_page_with_a_section_per_code(tmp_path: Path, example_data: dict) -> None:
    """Every code, the removed one included, is a section of ``errors/`` whose HTML id is the
    code; each example carries ``errors#<code>``; llms.txt says where a doc_url leads."""
    project = _anchor_project(tmp_path, example_data)
    generate(project / "mkdocs.yml", tmp_path / "out")  # runs the parity gate: every doc_url reaches its section
    docs, extra = tmp_path / "out" / "docs", tmp_path / "out" / "extra"
    source = (docs / "errors" / "index.md").read_text(encoding="utf-8")
    html = markdown.markdown(source.split("---\n", 2)[2], extensions=MARKDOWN_EXTENSIONS)
    codes = list(load_registry(project / "registry.yaml").codes)  # a group's codes together, as everywhere
    assert re.findall(r'<h2 id="([^"]+)">', html) == codes
    for code in codes:
        assert f'href="/errors/{code}.md"' in html, code  # each section leads to the code's own page
    twin = (extra / "errors" / "thing_missing.md").read_text(encoding="utf-8")
    assert f'"doc_url": "{DOCS}errors#thing_missing"' in twin
    llms = (extra / "llms.txt").read_text(encoding="utf-8")
    assert f"the page of every code ({DOCS}errors, the code after `#`); that page's Markdown is {DOCS}errors.md" in llms
    assert f"- [Error codes]({DOCS}errors.md): Every Example API error code in one page" in llms  # listed with the pages, its twin linked
    assert (extra / "errors.md").is_file()


def test_a_hand_written_page_where_the_anchor_page_goes_stops_the_build(tmp_path: Path, example_data: dict) -> None:
    project = _anchor_project(tmp_path, example_data)
    (project / "docs" / "errors" / "index.md").write_text("# Errors\n", encoding="utf-8")
    with pytest.raises(GenerateError, match=r"docs/errors/index\.md is generated from registry\.yaml"):
        generate(project / "mkdocs.yml", tmp_path / "out")


def test_the_parity_gate_refuses_a_doc_url_whose_section_is_missing(example_data) -> None:
    registry = _registry(example_data, "anchor")
    shown = {"errors/thing_missing.md": {f"{DOCS}errors#thing_missing"}}
    sources = {"errors/index.md", "errors/thing_missing.md", "errors/server_broke.md"}

    def problems(anchors: frozenset[str]) -> list[str]:
        published = Published(codes=[], tables={}, indexes={}, doc_urls=shown, anchors={"errors": anchors})
        return [p for p in check_published(Expected.of(registry), published, site_dir=None, sources=sources) if "doc_url" in p]

    assert problems(frozenset({"thing_missing", "server_broke"})) == []
    assert problems(frozenset({"server_broke"})) == [
        f"parity: the registry (code thing_missing) shows doc_url {DOCS}errors#thing_missing, which is not a section of a page of this build",
        f"parity: errors/thing_missing.md shows doc_url {DOCS}errors#thing_missing, which is not a section of a page of this build",
    ]


def test_the_parity_gate_refuses_a_slug_doc_url_without_its_page(example_data) -> None:
    registry = _registry(example_data, "slug")
    sources = {"errors/thing-missing.md"}  # server_broke's page is not built
    published = Published(codes=[], tables={}, indexes={}, doc_urls={}, anchors={})
    found = [p for p in check_published(Expected.of(registry), published, site_dir=None, sources=sources) if "doc_url" in p]
    assert found == [f"parity: the registry (code server_broke) shows doc_url {DOCS}errors/server-broke, which is not a page of this build"]


@pytest.mark.parametrize("doc_url, twin", [
    ("/errors/card-declined", "/errors/card-declined.md"),  # slug: a page like any other
    ("/errors#card_declined", "/errors.md"),  # anchor: a browser never sends the fragment; a client that does gets the page
])
def test_the_preview_negotiates_at_every_form_of_doc_url(doc_url: str, twin: str) -> None:
    address, _ = site_address(doc_url)
    assert twin_of(address) == twin


def test_nginx_maps_every_form_of_doc_url_to_its_twin() -> None:
    """The shipped map from a requested address to its twin (Python's re reads this pattern as PCRE does)."""
    conf = (Path(__file__).resolve().parent.parent / "hosting" / "nginx.conf").read_text(encoding="utf-8")
    pattern = re.search(r'"~\^\(\?<page>(.*?)"\s+\$page\.md;', conf)
    assert pattern, "the twin map of hosting/nginx.conf changed: update this test"
    page = re.compile("^(?P<page>" + pattern[1])
    for address, twin in (("/errors/card-declined", "/errors/card-declined.md"), ("/errors", "/errors.md"),
                          ("/errors/", "/errors.md")):
        assert page.match(address)["page"] + ".md" == twin, address
