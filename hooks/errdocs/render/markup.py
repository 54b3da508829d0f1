"""Turning registry strings into Markdown that can never become markup or script.

Two kinds of registry string reach a page:

* **text** (summaries, table cells, titles): shown literally. Every character
  Markdown or HTML would interpret is escaped, so ``<script>`` stays visible text
  and ``|`` cannot split a table cell.
* **prose** (``when``, steps, notes, sections): real Markdown, so emphasis, code,
  lists, tables and links work. Raw HTML and attribute lists are neutralised
  outside code, and fenced code keeps only a plain language word. Link targets
  were already restricted by the model (no ``javascript:``).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Callable, Iterable

# Characters Markdown (with attr_list, tables, emphasis) would interpret in plain text.
_TEXT_SPECIALS = re.compile(r"([\\`*\[\]{}|#!])")
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Underscores only make emphasis at word edges; escaping them inside words would
# turn every `snake_case` into `snake\_case` in the Markdown twins.
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
"""An inline code span within one line (the same run of backticks opens and closes it)."""
# Prose without any of these has no fence, no code span and nothing to neutralise:
# it passes through unchanged (most registry prose, on a 10,000-code build).
_PROSE_SPECIALS = re.compile(r"[`~&<{}]")


def text(value: str) -> str:
    """Plain text, escaped for Markdown and HTML; newlines become spaces. A backtick code span
    (``Retry-After`` in backticks) stays a code span: Markdown shows its content literally and
    HTML-escaped, so it is as inert as the rest."""
    value = " ".join(value.split())
    if "`" not in value:
        return _escaped(value)
    parts: list[str] = []
    last = 0
    for match in CODE_SPAN.finditer(value):
        content = match.group(2)
        parts += [_escaped(value[last : match.start()]), code(content) if content.strip() else _escaped(match.group(0))]
        last = match.end()
    parts.append(_escaped(value[last:]))
    return "".join(parts)


def plain(value: str) -> str:
    """Registry text for places that show no Markdown (``<meta>`` descriptions, YAML): code
    spans lose their backticks, and newlines become spaces."""
    return " ".join(CODE_SPAN.sub(lambda match: match.group(2), value).split())


def _escaped(value: str) -> str:
    value = _ENTITY_LIKE.sub("&amp;", value)
    value = value.replace("<", "&lt;").replace(">", "&gt;")
    value = _TEXT_SPECIALS.sub(r"\\\1", value)
    return _EDGE_UNDERSCORE.sub(r"\\_", value)


def code(value: str) -> str:
    """An inline code span holding ``value`` literally (longer fence if it contains backticks)."""
    # A pipe stays as it is: Python-Markdown's tables keep code spans whole, and the
    # twins escape it for GFM tables (``twins.gfm_table_pipes``).
    value = " ".join(str(value).split())
    longest = max((len(m) for m in re.findall(r"`+", value)), default=0) if "`" in value else 0
    ticks = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or longest else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


TEXT, OPEN, CODE = "text", "open", "code"
"""What ``Fences.feed`` says of a line: outside code, opening a fence, or inside (or closing) one."""


class Fences:
    """Which lines of a Markdown text are fenced code, fed line by line: the one fence scanner.

    A fence closes on a line of the same character, at least as long, with nothing
    else on it (CommonMark), so a ```` ```python ```` line inside a fence stays code.
    """

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open: re.Match[str] | None = None
        """The opening line of the fence being read, if any (``indent``, ``fence``, ``info``)."""

    def feed(self, line: str) -> str:
        if self.open is None:
            # The substring test skips the regex on the many lines that cannot open a fence.
            if "```" in line or "~~~" in line:
                self.open = _FENCE_OPEN.match(line)
                if self.open is not None:
                    return OPEN
            return TEXT
        fence = self.open["fence"]
        stripped = line.strip()
        if stripped.startswith(fence[0]) and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            self.open = None
        return CODE


def map_text_lines(markdown: str, func: Callable[[str, int], str]) -> str:
    """``markdown`` with ``func(line, number)`` applied to every line outside fenced code."""
    fences = Fences()
    return "\n".join(
        func(line, number) if fences.feed(line) is TEXT else line
        for number, line in enumerate(markdown.split("\n"), 1)
    )


def prose(value: str) -> str:
    """Registry Markdown made inert: raw HTML and ``{: attr}`` lists neutralised outside code."""
    if not _PROSE_SPECIALS.search(value):
        return value.strip("\n")
    out: list[str] = []
    fences = Fences()
    for line in value.strip("\n").split("\n"):
        state = fences.feed(line)
        if state is TEXT:
            out.append(_inline_prose(line))
        elif state is OPEN:
            opened = fences.open
            assert opened is not None
            # Keep only a language word: superfences/attr_list would otherwise accept
            # `{ onclick=... }` style attributes in the info string.
            language = re.match(r"\s*([A-Za-z0-9_+-]*)", opened["info"] or "")
            out.append(f"{opened['indent']}{opened['fence']}{language[1] if language else ''}")
        else:
            out.append(line)
    if fences.open is not None:
        out.append(fences.open["fence"])  # an unclosed fence would swallow the rest of the page
    return "\n".join(out)


def _inline_prose(line: str) -> str:
    if "`" not in line:
        return _neutralise(line)
    parts: list[str] = []
    last = 0
    for match in CODE_SPAN.finditer(line):
        parts.append(_neutralise(line[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_neutralise(line[last:]))
    return "".join(parts)


def _neutralise(fragment: str) -> str:
    fragment = _ENTITY_LIKE.sub("&amp;", fragment)
    fragment = fragment.replace("<", "&lt;")
    return fragment.replace("{", "\\{").replace("}", "\\}")


def cell(value: str) -> str:
    """Prose squeezed into one table cell: one line, pipes escaped."""
    return prose(" ".join(value.split())).replace("|", "\\|")


_SENTENCE_ENDS = (".", "!", "?")


def sentences(parts: Iterable[str]) -> str:
    """``parts`` joined as sentences: each ends with its own stop (a full stop is added where
    one has none), then a space. Joining with ``;`` would read ``Seen once.; Guessed.``"""
    return " ".join(part if part.endswith(_SENTENCE_ENDS) else part + "." for part in parts)


def fence(content: str, language: str) -> str:
    """A fenced code block whose fence no line of ``content`` can close."""
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", content, re.M)), default=0) if "```" in content else 0
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{content}\n{ticks}"


def json_block(value: Any) -> str:
    """A JSON value as a fenced block, laid out as ``json.dumps(value, indent=2)`` does."""
    return fence(indented_json(value), "json")


def indented_json(value: Any) -> str:
    """A JSON value as the example blocks and contract files show it: two-space indent, UTF-8 text."""
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)  # strict JSON: no NaN, ever


_SELF_ANCHOR = re.compile(r"\]\(#(?P<id>[A-Za-z0-9_.-]+)\)\{#(?P=id)\}")


def self_anchor(text: str, anchor: str) -> str:
    """``text`` as a link to its own anchor, ``[text](#a){#a}``: attr_list gives the link the id, so a
    table row (which Markdown cannot give an id) can be linked to, and its address copied from it."""
    return f"[{text}](#{anchor}){{#{anchor}}}"


def plain_self_anchors(markdown: str) -> str:
    """``markdown`` with the attribute lists of ``self_anchor`` links dropped: plain Markdown readers
    (the twins') know no attribute lists and would show them as text."""
    def plain(line: str, _: int) -> str:
        return _SELF_ANCHOR.sub(lambda match: f"](#{match['id']})", line) if "){#" in line else line

    return map_text_lines(markdown, plain)


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table from cells that are already escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def html_safe(json_text: str) -> str:
    """JSON text that can never open a tag: ``<``, ``>`` and ``&`` only occur inside strings,
    where ``\\u003c``-style escapes decode to the very same values (in JSON and in YAML)."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter(title: str, description: str) -> str:
    """A page's YAML front matter. JSON string quoting is valid YAML and keeps any character
    safe; themes print ``description`` unescaped into ``<meta content="...">``, so it is
    HTML-escaped (the LLM files take their descriptions from the registry instead)."""
    description = html.escape(plain(description), quote=True)
    return f"---\ntitle: {_yaml_string(title)}\ndescription: {_yaml_string(description)}\n---"


_YAML_UNSAFE = re.compile("[^\x09\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
"""What a YAML reader refuses or reads as a line break, left literal by ``json.dumps``."""


def _yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar that reads back exactly: JSON's quoting with
    every character literal except those YAML refuses or folds, which get a ``\\u`` escape.
    (ASCII-only JSON would write a character beyond U+FFFF as two surrogate escapes, which
    YAML reads as two lone surrogates.)"""
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def slugs(titles: Iterable[str]) -> dict[str, str]:
    """Title -> a file-name slug (``Client errors`` -> ``client-errors``), unique among ``titles``."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for title in titles:
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "codes"
        candidate, n = slug, 2
        while candidate in used:
            candidate, n = f"{slug}-{n}", n + 1
        used.add(candidate)
        out[title] = candidate
    return out


def indent(block: str, spaces: int = 4) -> str:
    pad = " " * spaces
    if "\n" not in block:  # most steps and notes are one line
        return pad + block if block.strip() else ""
    return "\n".join(pad + line if line.strip() else "" for line in block.split("\n"))
