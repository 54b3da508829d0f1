"""The link policy and the HTML gate, property-based: generated hostile text in every field.

Each example puts one generated string into one registry field. The registry either
refuses it (a located problem) or renders pages whose HTML, made by the same Markdown
extensions the site uses, holds no script: no ``on*`` attribute, no active element, no
``href``/``src`` outside https, mailto and this site, and, for plain-text fields, not a
single element or attribute more than the same page with a harmless word in that field.
"""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_DATA, EXAMPLE_SITE, MARKDOWN_EXTENSIONS, validated

PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '" onmouseover="alert(2)', "' onfocus='x",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "javascript&#58;alert(1)", "java\tscript:x", "data:text/html,x",
    "vbscript:x", "//evil.test/x", "https://ok.test/a", "mailto:a@b.test", "/guides/x.md", ")", "(", "](", "[", "]",
    "{: onclick=\"x\"}", "{", "}", "<", ">", "`", "``", "|", "*", "_", "#", "!", "&", "&amp;", "\\", "'", '"', " ",
    "\n", "\n\n", "[x](javascript:alert(1))", "[x](https://ok.test 'y')", "[x]: javascript:y", "<https://ok.test>",
    "<javascript:alert(1)>", "![i](data:x)", "[x][y]\n\n[y]: vbscript:z", "word",
]
hostile = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)

# (path in the registry, kind): text fields are shown literally, prose is Markdown, url a link target.
FIELDS = [
    (("codes", "server_broke", "summary"), "text"),
    (("codes", "server_broke", "overview", "when"), "text"),
    (("codes", "server_broke", "group"), "text"),
    (("codes", "server_broke", "sections", 0, "title"), "text"),
    (("codes", "server_broke", "related", 0, "note"), "text"),
    (("codes", "server_broke", "sdk", "python", "attributes", 0, "type"), "text"),
    (("site", "sdks", "python", "label"), "text"),
    (("site", "sdks", "python", "package"), "text"),
    (("codes", "server_broke", "when"), "prose"),
    (("codes", "server_broke", "steps", 0), "prose"),
    (("codes", "server_broke", "retry", "label"), "prose"),
    (("codes", "server_broke", "sdk_note"), "prose"),
    (("codes", "server_broke", "sections", 0, "body"), "prose"),
    (("codes", "server_broke", "sdk", "python", "note"), "prose"),
    (("codes", "server_broke", "example", "detail"), "text"),
    (("site", "sdks", "python", "url"), "url"),
    (("codes", "thing_missing", "related", 1, "url"), "url"),
]
SAFE_TAGS = {"p", "em", "strong", "code", "a", "img", "ul", "ol", "li", "pre", "blockquote", "hr", "br", "table",
             "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "input", "label"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, tuple(sorted(name for name, _ in attrs))))


def _elements(page_html: str) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Elements()
    parser.feed(page_html)
    return sorted(parser.seen)


def _with(path: tuple[Any, ...], value: str) -> dict:
    data = copy.deepcopy(EXAMPLE_DATA)
    data["codes"]["thing_missing"]["related"].append({"title": "Guide", "url": "https://ok.test/"})
    data["codes"]["server_broke"]["related"] = [{"code": "thing_missing", "note": "Other."}]
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _pages_html(data: dict) -> str | None:
    """Every generated page's HTML, or None when the registry refuses the data."""
    from errdocs.registry.load import RegistryError
    from errdocs.render.includes import expand_includes
    from errdocs.render.pages import generated_pages, render_page

    try:
        registry = validated(data)
    except RegistryError:
        return None
    sources = [render_page(registry, page).split("---\n", 2)[-1] for page in generated_pages(registry)]
    sources.append(expand_includes((EXAMPLE_SITE / "docs" / "errors" / "overview.md").read_text(encoding="utf-8").split("---\n", 2)[-1], registry))
    return "\n".join(markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS) for source in sources)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), value=hostile)
def test_no_generated_html_runs_script_or_grows_elements(field, value: str) -> None:
    from errdocs.render.active import active_content

    path, kind = field
    page_html = _pages_html(_with(path, value))
    if page_html is None:
        return  # refused, with a located problem (tests/test_hostile.py checks the lines)
    assert active_content(page_html) == [], value
    elements = _elements(page_html)
    assert {tag for tag, _ in elements} <= SAFE_TAGS, value
    assert not any(name.startswith("on") for _, names in elements for name in names), value
    if kind == "text":
        # Plain text grows no element, except the <code> of a backtick code span (attribute-free).
        baseline = _elements(_pages_html(_with(path, "word")) or "")
        assert [e for e in elements if e != ("code", ())] == [e for e in baseline if e != ("code", ())], value


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "javascript&#58;alert(1)", "data:text/html,x",
                                 "vbscript:x", "//evil.test/x", "https://ok.test/x)[y](javascript:alert(1)", "https://ok.test/ x"])
def test_hostile_urls_are_refused_in_every_url_field(url: str) -> None:
    for path, kind in FIELDS:
        if kind == "url":
            assert _pages_html(_with(path, url)) is None, (path, url)


def test_the_html_gate_finds_what_could_run() -> None:
    from errdocs.render.active import active_content

    found = active_content('<p onclick="x">a</p><a href=" java&#x09;script:alert(1)">b</a><script>c</script><img src="data:x">')
    assert found == ["a <script> element", "a data: URL in src of <img>", "a javascript: URL in href of <a>", "an onclick attribute on <p>"]
    assert active_content("<p>a\x1bb</p>") == ["a raw control character U+001B"]
    assert active_content('<a href="https://ok.test/">x</a><a href="/errors/x/">y</a><a href="mailto:a@b.test">z</a>') == []
