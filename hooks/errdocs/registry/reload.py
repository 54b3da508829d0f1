"""Reading the registry again after an edit: only the codes the edit touched are parsed.

Under ``mkdocs serve`` a writer saves ``registry.yaml`` again and again, most often to
change one code. Parsing the whole file costs 1-2 s at 2,000 codes, most of it PyYAML
turning every scalar into Python, so a read keeps what the next one needs: the text, the
parsed data, and the line where each code's block starts (from the marks of the strict
loader's own parse). The next read compares the new text with the old line by line. When
every changed line, with one line of margin on each side, lies inside the blocks of the
codes, only those blocks are parsed: by the same strict loader, as the document
``codes:`` followed by the blocks' lines exactly as written. In a block mapping an entry's
lines mean the same alone as in the file: the lines before and after are unchanged, and
the next block starts with an unchanged key at the codes' indentation, which closes
whatever the edited lines opened (an unclosed quote or bracket fails the partial parse).
The other codes are the previous read's, validated already, and the registry as a whole
(its rules across codes, its links into the docs folder) is validated again as
``load_registry`` does. Anything else (an edit outside the codes, a partial result that is
not a block mapping of codes, a duplicate name, any problem at all) reads the whole file
again, so every problem is reported as ``load_registry`` reports it, at its ``file:line:col``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .docs_tree import DocsTree
from .load import RegistryError, parse_registry_text, read_registry_text, validate_registry
from .model import Registry
from .strict_yaml import read_yaml_document

CODES = "codes"
_ODD_LINE_BREAK = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r(?!\n)")
"""Characters that Python's ``splitlines`` and YAML count as line breaks differently: a text
holding any is read whole, so that line numbers always mean the same to both."""


@dataclass(frozen=True)
class CodeBlocks:
    """Where each code's block of lines starts in a registry's text (a block mapping of codes)."""

    starts: tuple[int, ...]
    """The 0-based line of each code's key, in the registry's order."""
    end: int
    """The line after the codes' last block (the next top-level key's, or the end of the text)."""
    indent: int
    """The column of every code's key."""


@dataclass(frozen=True)
class ReadRegistry:
    """A validated registry and what reading it again after an edit needs (kept under ``mkdocs serve`` only)."""

    registry: Registry
    text: str
    data: dict[str, Any]
    """The parsed YAML the registry was validated from; never changed (a new read makes a new mapping)."""
    blocks: CodeBlocks | None
    """None when the codes are not a block mapping with one key per line: the next read is then a whole one."""
    partial: bool = False
    """Whether this read parsed only the changed codes' blocks."""


def read_registry(path: Path | str, *, display_name: str | None = None, docs: DocsTree | None = None,
                  previous: ReadRegistry | None = None) -> ReadRegistry:
    """``load_registry``, keeping what the next read needs; given the ``previous`` read, only the
    codes an edit touched are parsed when that is enough (see the module's docstring).
    Raises ``RegistryError`` exactly as ``load_registry`` does."""
    path = Path(path)
    name = display_name or path.name
    text = read_registry_text(path, name)
    if previous is not None:
        changed = _changed_codes_read(previous, text)
        if changed is not None:
            data, blocks, parsed = changed
            # The codes not parsed again are the previous registry's, validated already (pydantic
            # takes a model's own instances as they are): only the parsed ones are validated.
            codes = {name: code if name in parsed else previous.registry.codes[name] for name, code in data[CODES].items()}
            try:
                registry = validate_registry({**data, CODES: codes}, text=text, file=name, docs=docs)
                return ReadRegistry(registry, text, data, blocks, partial=True)
            except RegistryError:
                pass  # the whole read reports it, at its place
    data, root = parse_registry_text(text, name, read=read_yaml_document)
    registry = validate_registry(data, text=text, file=name, docs=docs)
    return ReadRegistry(registry, text, data, code_blocks(root))


def code_blocks(root: Any, *, first_line: int = 0) -> CodeBlocks | None:
    """The blocks of the codes in a composed registry (``root``), or None when its codes are not
    a non-empty block mapping whose keys each start a line at one indentation."""
    codes = next((value for key, value in root.value if key.value == CODES), None) if isinstance(root, yaml.MappingNode) else None
    if not isinstance(codes, yaml.MappingNode) or codes.flow_style or not codes.value:
        return None
    keys = [key.start_mark for key, _ in codes.value]
    indent = keys[0].column
    starts = tuple(first_line + mark.line for mark in keys)
    if indent == 0 or any(mark.column != indent for mark in keys) or any(b <= a for a, b in zip(starts, starts[1:])):
        return None
    end = codes.end_mark.line + (1 if codes.end_mark.column else 0)  # a text without a final line break ends mid-line
    return CodeBlocks(starts, first_line + end, indent)


def _changed_codes_read(previous: ReadRegistry, text: str) -> tuple[dict[str, Any], CodeBlocks | None, set[str]] | None:
    """The data and code blocks of ``text`` with only the changed codes parsed, and the names of
    those parsed; None when a whole read is needed."""
    blocks = previous.blocks
    if text == previous.text:
        return previous.data, blocks, set()  # validated again all the same: the docs folder may have changed
    if blocks is None or _ODD_LINE_BREAK.search(text) or _ODD_LINE_BREAK.search(previous.text):
        return None
    old, new = previous.text.splitlines(keepends=True), text.splitlines(keepends=True)
    same_start = _common_prefix(old, new)
    same_end = _common_prefix(old[same_start:][::-1], new[same_start:][::-1])
    first, last = same_start - 1, len(old) - same_end  # the changed old lines, one more on each side
    if first < blocks.starts[0] or last >= blocks.end:
        return None
    i = bisect.bisect_right(blocks.starts, first) - 1
    j = bisect.bisect_right(blocks.starts, last) - 1
    start = blocks.starts[i]
    shift = len(new) - len(old)
    stop = (blocks.starts[j + 1] if j + 1 < len(blocks.starts) else blocks.end) + shift
    try:
        data, root = read_yaml_document(f"{CODES}:\n" + "".join(new[start:stop]))
    except (yaml.YAMLError, RecursionError):
        return None
    if not isinstance(data, dict) or list(data) != [CODES]:
        return None
    part = data[CODES] if data[CODES] is not None else {}
    part_blocks = code_blocks(root, first_line=start - 1) if part else None
    if not isinstance(part, dict) or (part and (part_blocks is None or part_blocks.indent != blocks.indent)):
        return None
    names = list(previous.data[CODES])
    before, after = names[:i], names[j + 1:]
    if set(part) & {*before, *after}:
        return None  # a duplicate name: the whole read reports it at its line
    codes = previous.data[CODES]
    data = {**previous.data, CODES: {**{n: codes[n] for n in before}, **part, **{n: codes[n] for n in after}}}
    starts = blocks.starts[:i] + (part_blocks.starts if part_blocks else ()) + tuple(s + shift for s in blocks.starts[j + 1:])
    if not starts:
        return None
    return data, CodeBlocks(starts, blocks.end + shift, blocks.indent), set(part)


def _common_prefix(a: list[str], b: list[str]) -> int:
    """How many lines ``a`` and ``b`` share from the start."""
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count
