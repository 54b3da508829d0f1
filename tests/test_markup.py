"""Escaping rules: registry strings stay literal text in Markdown and HTML."""

from __future__ import annotations

import json
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from errdocs.render import markup

_MD = dict(extensions=["tables", "attr_list", "pymdownx.superfences"])


def html(source: str) -> str:
    return markdown.markdown(source, **_MD)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("plain words", "plain words"),
        ("a <b> c", "a &lt;b&gt; c"),
        ("x | y", r"x \| y"),
        ("`tick`", "`tick`"),  # a code span stays a code span
        ("a ` b", r"a \` b"),  # a lone backtick is only a character
        ("` `", r"\` \`"),
        ("*bold* [link](x)", r"\*bold\* \[link\](x)"),
        ("{: onclick=alert(1)}", r"\{: onclick=alert(1)\}"),
        ("snake_case stays", "snake_case stays"),
        ("_edge_", r"\_edge\_"),
        ("&amp; and & alone", "&amp;amp; and & alone"),
        ("two\nlines", "two lines"),
    ],
)
def test_text_escapes(raw: str, expected: str) -> None:
    assert markup.text(raw) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "text{: onmouseover=alert(1) }",
        "<Snippet file=\"x.mdx\" />",
        "a | b | c",
        "`<script>alert(1)</script>`",
        "`a | b` | c",
    ],
)
def test_text_renders_inert_in_a_table(hostile: str) -> None:
    rendered = html(markup.table(["A", "B"], [[markup.text(hostile), "ok"]]))
    assert "<script" not in rendered and "<img" not in rendered
    assert not re.search(r"<[^>]*\bon\w+=", rendered)
    assert "<Snippet" not in rendered
    assert rendered.count("<td>") == 2  # the row kept exactly its two cells


def test_prose_keeps_markdown_but_not_html() -> None:
    source = "Use **bold**, `<code>` and [a link](https://x.test).\n\n<script>alert(1)</script>\n\nx{: onclick=\"a()\"}"
    rendered = html(markup.prose(source))
    assert "<strong>bold</strong>" in rendered
    assert "<code>&lt;code&gt;</code>" in rendered
    assert '<a href="https://x.test">a link</a>' in rendered
    assert "<script" not in rendered
    assert not re.search(r"<[^>]*\bon\w+=", rendered)  # no event-handler attribute on any tag


def test_prose_strips_fence_attributes_and_closes_fences() -> None:
    out = markup.prose('```python {onclick="x"}\nprint(1)')
    assert out.splitlines()[0] == "```python"
    assert out.splitlines()[-1] == "```"


def test_code_span_survives_backticks() -> None:
    rendered = html(markup.code("a`b"))
    assert "<code>a`b</code>" in rendered


def test_fence_is_longer_than_any_backtick_run_inside() -> None:
    block = markup.fence("```\nnot a fence end\n```", "text")
    assert block.startswith("````text\n") and block.endswith("\n````")


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
_JSON_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=12)


@given(_JSON_VALUES)
def test_indented_json_is_json_dumps_with_indent(value: object) -> None:
    assert markup.indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
def test_published_json_is_strict(number: float) -> None:
    # NaN and Infinity are not JSON: nothing published may carry them.
    with pytest.raises(ValueError, match="JSON compliant"):
        markup.indented_json({"detail": [number]})


def test_json_block_is_json_dumps() -> None:
    value = {"detail": "quote \" and ``` backticks", "n": 1}
    block = markup.json_block(value)
    body = block.split("\n", 1)[1].rsplit("\n", 1)[0]
    assert json.loads(body) == value


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1))
def test_front_matter_title_reads_back_exactly_in_mkdocs(title: str) -> None:
    # MkDocs reads the page's front matter with PyYAML: characters past U+FFFF, line
    # separators and those YAML refuses must come back as written, not as surrogates or breaks.
    from mkdocs.utils.meta import get_data

    _, meta = get_data(markup.front_matter(title, "A page.") + "\n\n# Body\n")
    assert meta["title"] == title
