"""The two link finders agree, property-based: on every generated page, the links the twins
rewrite (``publish.twins``, by pattern, line by line) are the links the link policy finds
(``registry.links``, by parsing the page as CommonMark with markdown-it-py).

Generated prose full of links (inline, images, titles, code in the text, reference
definitions, autolinks) goes into the registry's prose fields; every page the registry
then adds is flattened and rewritten as its twin is, and CommonMark must find the same
links in the result as in the source, each made absolute, and nothing else changed.

Two inputs are left out, where the rewriter, reading line by line, still disagrees with
CommonMark: prose whose own leading spaces make an indented code block (its link-like
text is rewritten, though code), and a run of backticks left unmatched (```` ``[a](b)` ````:
Python-Markdown, which renders the page, reads a code span there, as the rewriter does;
CommonMark reads a link).
Backticks that pair up, in link texts and around link-like text, are generated.
"""

from __future__ import annotations

import copy
import functools
from collections import Counter
from typing import Any, Callable

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from errdocs.publish.material import flatten_material
from errdocs.publish.twins import absolute_url, absolutise_links
from errdocs.registry.links import commonmark_links
from errdocs.registry.load import RegistryError, validate_registry
from errdocs.render.includes import expand_includes
from errdocs.render.pages import generated_pages, render_page

from conftest import EXAMPLE_SITE

BASE = yaml.safe_load((EXAMPLE_SITE / "registry.yaml").read_text(encoding="utf-8"))
OVERVIEW = (EXAMPLE_SITE / "docs" / "errors" / "overview.md").read_text(encoding="utf-8").split("---\n", 2)[-1]
DOCS = "https://twins.invalid/"
_COMMONMARK = MarkdownIt("commonmark", {"html": False})
_COMMONMARK.validateLink = lambda url: True  # as registry.links reads: every link, as written
_COMMONMARK.normalizeLink = lambda url: url

TARGETS = st.sampled_from([
    "page.md", "../guides/x.md", "/errors/thing_missing.md", "#anchor", "x.md#part", "img/a.png", "./y.md",
    "https://ok.test/a", "https://ok.test/a_(b)", "mailto:a@b.test", "sub/index.md", "/",
])
TEXTS = st.sampled_from(["text", "`code`", "a [b] c", "*em*", "", "x_y"])


@st.composite
def links(draw) -> str:
    target, text = draw(TARGETS), draw(TEXTS)
    form = draw(st.sampled_from(["inline", "image", "title", "reference", "definition", "autolink", "in code"]))
    if form == "inline":
        return f"[{text}]({target})"
    if form == "image":
        return f"![{text}]({target})"
    if form == "title":
        return f'[{text}]({target} "A title")'
    if form == "reference":
        return f"[{text}][ref]\n\n[ref]: {target}\n"
    if form == "definition":
        return f"\n\n[{draw(st.sampled_from(['id', 'other']))}]: {target}\n\n"
    if form == "autolink":
        return f"<{target}>" if target.startswith("https:") else target
    return f"`[{text}]({target})`"  # a link-like text inside code is not a link


# No leading spaces (they can make an indented code block) and no backtick (one left unmatched): see the module docstring.
FILLER = st.sampled_from(["word ", "\n", "\n\n", "- ", "1. ", "> ", "[", "]", "(", ")", "*", "|", "!", ":"])
prose = st.lists(st.one_of(links(), FILLER), min_size=1, max_size=10).map("".join)
FIELDS = [
    ("when",), ("steps", 0), ("sdk_note",), ("sections", 0, "body"), ("sdk", "python", "note"),
]


def _with(values: dict[tuple, str]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for path, value in values.items():
        target: Any = data["codes"]["server_broke"]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return data


def _sources(data: dict[str, Any]) -> dict[str, str] | None:
    """Each page the registry adds, and the overview, as the Markdown its twin is made from."""
    try:
        registry = validate_registry(data, text=yaml.safe_dump(data), file="registry.yaml")
    except RegistryError:
        return None
    sources = {page.src_uri: render_page(registry, page).split("---\n", 2)[-1] for page in generated_pages(registry)}
    sources["errors/overview.md"] = expand_includes(OVERVIEW, registry)
    return sources


def _reading(text: str, fix: Callable[[str], str] = lambda url: url) -> list[tuple]:
    """How CommonMark reads ``text``: its tokens in order, with ``fix`` applied to every link
    destination, and its reference definitions. Two texts read alike differ at most in links."""
    env: dict = {}
    out: list[tuple] = []

    def walk(tokens: list) -> None:
        for token in tokens:
            attrs = {key: fix(str(value)) if key in ("href", "src") else value for key, value in (token.attrs or {}).items()}
            # An inline token's content is its source, links and all: its children are compared instead.
            out.append((token.type, "" if token.children is not None else token.content, sorted(attrs.items())))
            walk(token.children or [])

    walk(_COMMONMARK.parse(text, env))
    return out + sorted((label, fix(ref["href"])) for label, ref in env.get("references", {}).items())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.dictionaries(st.sampled_from(FIELDS), prose, min_size=1, max_size=3))
def test_the_twins_rewrite_exactly_the_links_commonmark_finds(values: dict[tuple, str]) -> None:
    sources = _sources(_with(values))
    if sources is None:
        return  # refused by the registry (tests/test_link_policy.py checks the refusals)
    for src_uri, markdown in sources.items():
        flat = flatten_material(markdown)
        rewritten = absolutise_links(flat, page_src=src_uri, docs_url=DOCS)
        absolute = functools.partial(absolute_url, page_src=src_uri, docs_url=DOCS)
        # The policy's scanner finds in the twin each link it finds in the page, made absolute...
        assert Counter(commonmark_links(rewritten)) == Counter(map(absolute, commonmark_links(flat))), (src_uri, flat)
        # ...and CommonMark reads the twin as the page, but for those links: nothing else was rewritten.
        assert _reading(rewritten) == _reading(flat, absolute), (src_uri, flat)
