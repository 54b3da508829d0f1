"""The include syntax writers use on hand-written pages.

A marker is an HTML comment alone on its line::

    <!-- errdocs:codes-table -->
    <!-- errdocs:example rate_limit_exceeded -->

It is replaced by Markdown rendered from the registry *before* MkDocs converts the
page, so the expanded text reaches the HTML and the Markdown twins alike (unlike
``pymdownx.snippets``, which runs later, inside the Markdown conversion). Markers
inside fenced code blocks are left alone, so a page can document the syntax.
An unknown marker, a marker not alone on its line, or a foreign include tag
(``<Snippet .../>``, ``--8<--``) is an error: nothing unexpanded may be published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..registry.model import Registry
from .markup import map_text_lines
from .groups import codes_table_include, retry_guidance_include
from .snippets import envelope_fields_table, example_markdown, headers_table

_MARKER = re.compile(r"^(?P<indent>[ \t]*)<!--\s*errdocs:(?P<name>[A-Za-z0-9_-]*)(?P<args>[^>]*?)\s*-->\s*$")
_LOOSE_MARKER = re.compile(r"<!--\s*errdocs:")
_FOREIGN = re.compile(r"<Snippet\b|^\s*-{2,}8<-{2,}|^\s*;*-{2,}8<-{2,}", re.M)


@dataclass(frozen=True)
class Include:
    """One include: whether it takes a code, and how it renders."""

    takes_code: bool
    render: Callable[[Registry, str], str]


INCLUDES: dict[str, Include] = {
    "envelope-fields": Include(False, lambda r, _: envelope_fields_table(r)),  # the envelope fields table
    "headers": Include(False, lambda r, _: headers_table(r)),  # the standard response headers table
    "codes-table": Include(False, lambda r, _: codes_table_include(r)),  # every code, linked to its page (or its group's)
    "retry-guidance": Include(False, lambda r, _: retry_guidance_include(r)),  # the retry guidance (H3 sub-headings)
    "example": Include(True, example_markdown),  # CODE's example response: <!-- errdocs:example CODE -->
}


class IncludeError(ValueError):
    """A marker that cannot be expanded; ``line`` is 1-based in the page source."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def has_codes_table(markdown: str) -> bool:
    """Whether a page's source has the codes-table marker (outside fenced code)."""
    if "errdocs:codes-table" not in markdown:
        return False
    found = False

    def look(line: str, _: int) -> str:
        nonlocal found
        marker = _MARKER.match(line)
        found = found or (marker is not None and marker["name"] == "codes-table")
        return line

    map_text_lines(markdown, look)
    return found


def expand_includes(markdown: str, registry: Registry) -> str:
    """Replace every marker in ``markdown``; raise ``IncludeError`` for anything unexpandable."""
    return map_text_lines(markdown, lambda line, number: _expand_line(line, number, registry))


def _expand_line(line: str, number: int, registry: Registry) -> str:
    marker = _MARKER.match(line)
    if marker is None:
        if _LOOSE_MARKER.search(line):
            raise IncludeError(number, "an errdocs marker must stand alone on its own line")
        if _FOREIGN.search(line):
            raise IncludeError(number, "foreign include syntax (<Snippet>, --8<--) is not expanded here; use an <!-- errdocs:NAME --> marker")
        return line
    name, args = marker["name"], marker["args"].split()
    include = INCLUDES.get(name)
    if include is None:
        known = ", ".join(sorted(INCLUDES))
        raise IncludeError(number, f"unknown include {name!r} (known: {known})")
    if include.takes_code:
        if len(args) != 1:
            raise IncludeError(number, f"include {name!r} takes exactly one code: <!-- errdocs:{name} CODE -->")
        if args[0] not in registry.codes:
            raise IncludeError(number, f"include {name!r}: unknown code {args[0]!r}")
        rendered = include.render(registry, args[0])
    else:
        if args:
            raise IncludeError(number, f"include {name!r} takes no argument")
        rendered = include.render(registry, "")
    indent = marker["indent"]
    return "\n".join(indent + part if part.strip() else "" for part in rendered.split("\n"))
