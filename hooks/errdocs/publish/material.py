"""Material for MkDocs' own syntax made plain Markdown, for readers without its widgets.

A twin is read as plain Markdown (GFM, CommonMark), which knows neither Material's
content tabs nor its admonitions: their opening lines would show as stray text and their
indented bodies as code blocks. Each becomes what it stands for instead: a tab, a
sub-section headed by its label one level below the heading it sits under; an
admonition, a blockquote opening with its title in bold. Fenced code is left as it is.
"""

from __future__ import annotations

import re

from ..render import markup

_TAB = re.compile(r'^(?P<indent>[ \t]*)===\+?\s+"(?P<label>.*)"\s*$')
_ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+"(?P<title>.*)")?\s*$')
_HEADING = re.compile(r"^(#{1,6})\s")


def flatten_material(markdown: str) -> str:
    """Content tabs become labelled sub-sections; admonitions become titled blockquotes."""
    return "\n".join(_flatten(markdown.split("\n"), level=1))


def _flatten(lines: list[str], *, level: int) -> list[str]:
    out: list[str] = []
    i, fences = 0, markup.Fences()
    while i < len(lines):
        line = lines[i]
        if fences.feed(line) is not markup.TEXT:
            out.append(line)
            i += 1
            continue
        heading = _HEADING.match(line) if line.startswith("#") else None
        if heading:
            level = len(heading.group(1))
        block = _material_block(line)
        if block is None:
            out.append(line)
            i += 1
            continue
        indent = block["indent"]
        body, i = _indented_block(lines, i + 1, len(indent) + 4)
        inner = _flatten(body, level=min(level + 1, 6))
        if block.re is _TAB:
            out.append(f"{indent}{'#' * min(level + 1, 6)} {block['label']}")
            out.extend(indent + x if x.strip() else "" for x in inner)
        else:
            title = block["title"] if block["title"] is not None else block["kind"].capitalize()
            out.append(f"{indent}> **{title}**" if title else f"{indent}>")
            out.append(f"{indent}>")
            out.extend(f"{indent}> {x}".rstrip() for x in _trim(inner))
        # Blank lines that followed the block were consumed with it; put one back.
        out.append("")
        while i < len(lines) and not lines[i].strip():
            i += 1
    return out


def _material_block(line: str) -> re.Match[str] | None:
    """A content tab or admonition opening on ``line`` (substring tests skip the regexes on most lines)."""
    tab = _TAB.match(line) if "===" in line else None
    if tab is None and ("!!!" in line or "???" in line):
        return _ADMONITION.match(line)
    return tab


def _indented_block(lines: list[str], start: int, width: int) -> tuple[list[str], int]:
    body, i = [], start
    while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= width):
        body.append(lines[i][width:] if lines[i].strip() else "")
        i += 1
    while body and not body[-1].strip():
        body.pop()
        i -= 1
    return body, i


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines
