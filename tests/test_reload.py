"""Reading the registry again after an edit (``errdocs.registry.reload``): parsing only the codes
an edit touched gives exactly what reading the whole file gives, or the same problems."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_DATA, dump_registry
from errdocs.registry.load import RegistryError, load_registry
from errdocs.registry.reload import ReadRegistry, read_registry

TEXT = dump_registry({**EXAMPLE_DATA, "codes": {
    **EXAMPLE_DATA["codes"],
    **{f"extra_{i}": {**copy.deepcopy(EXAMPLE_DATA["codes"]["thing_missing"]), "summary": f"Extra thing {i} is missing."} for i in range(3)},
}})
"""The example registry with three more codes, in ``dump_registry``'s layout (codes between other top-level keys)."""
LINES = TEXT.splitlines(keepends=True)


def _first_read(tmp_path: Path) -> tuple[Path, ReadRegistry]:
    path = tmp_path / "registry.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return path, read_registry(path)


def _same_as_whole_read(path: Path, previous: ReadRegistry) -> ReadRegistry | None:
    """Read ``path`` after ``previous``; assert it equals reading the whole file (the registry and the
    code blocks, or the same problems). The read, or None when the file has problems."""
    try:
        whole = read_registry(path)
    except RegistryError as err:
        with pytest.raises(RegistryError) as info:
            read_registry(path, previous=previous)
        assert str(info.value) == str(err)
        with pytest.raises(RegistryError) as loaded:
            load_registry(path)
        assert str(loaded.value) == str(err)
        return None
    again = read_registry(path, previous=previous)
    assert again.registry == whole.registry == load_registry(path)
    assert again.data == whole.data and again.blocks == whole.blocks
    return again


def _line(text: str) -> int:
    return next(i for i, line in enumerate(LINES) if line.startswith(text))


EDITS: dict[str, tuple[Callable[[list[str]], list[str]], bool]] = {
    "a code's summary": (lambda lines: [l.replace("Extra thing 1 is", "Extra thing one is") for l in lines], True),
    "a code added between two": (lambda lines: lines[:_line("  extra_1:")] + [
        "  extra_9:\n", *[l for l in lines[_line("  extra_1:"):_line("  extra_2:")][1:]]] + lines[_line("  extra_1:"):], True),
    "a code removed": (lambda lines: lines[:_line("  extra_1:")] + lines[_line("  extra_2:"):], True),
    "a code renamed": (lambda lines: [l.replace("  extra_1:", "  extra_one:") for l in lines], True),
    "a line more indented before a code's key": (lambda lines: lines[:_line("  extra_2:")] + ["    group: Extra\n"] + lines[_line("  extra_2:"):], True),
    "the first code's key": (lambda lines: [l.replace("  thing_missing:", "  thing_gone:", 1) for l in lines], False),
    "the site's name": (lambda lines: [l.replace("name: Example API", "name: Sample API") for l in lines], False),
    "a duplicate code name": (lambda lines: [l.replace("  extra_1:", "  extra_0:") for l in lines], True),
    "an unclosed quote": (lambda lines: [l.replace("summary: Extra thing 1", "summary: \"Extra thing 1") for l in lines], True),
    "a key at column 0 among the codes": (lambda lines: lines[:_line("  extra_1:")] + ["stray: 1\n"] + lines[_line("  extra_1:"):], True),
    "a second document among the codes": (lambda lines: lines[:_line("  extra_1:")] + ["---\n"] + lines[_line("  extra_1:"):], True),
    "Windows line ends": (lambda lines: [l.replace("\n", "\r\n") for l in lines], False),
    "nothing": (lambda lines: lines, True),
}
"""Edits of ``TEXT``, and whether the codes' blocks alone can be read again (when the result loads)."""


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_reads_as_the_whole_file_reads(tmp_path: Path, edit: str) -> None:
    path, first = _first_read(tmp_path)
    change, partial = EDITS[edit]
    path.write_text("".join(change(list(LINES))), encoding="utf-8")
    again = _same_as_whole_read(path, first)
    if again is not None:
        assert again.partial is partial


def test_reads_follow_one_another(tmp_path: Path) -> None:
    """Each read starts from the previous one: blocks shifted by an earlier edit stay right."""
    path, read = _first_read(tmp_path)
    lines = list(LINES)
    for step, change in enumerate([EDITS["a code added between two"][0], EDITS["a code's summary"][0], EDITS["a code removed"][0]]):
        lines = change(lines)
        path.write_text("".join(lines), encoding="utf-8")
        read = _same_as_whole_read(path, read)
        assert read is not None and read.partial, step


_SNIPPETS = ["", "    summary: Changed.\n", "  new_code:\n", "    - step\n", "# note\n", "x: 1\n", "    when: |\n", "      text\n",
             "  'quoted\n", "    http: [400 Bad Request\n", "\t\n", "  extra_0:\n", "    retry: {policy: never}\n", "..."]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(LINES)), st.sampled_from(["insert", "delete", "replace", "extend", "extend"]),
                          st.sampled_from(_SNIPPETS)), min_size=1, max_size=3))
def test_random_line_edits_read_as_the_whole_file_reads(tmp_path: Path, edits: list[tuple[int, str, str]]) -> None:
    """Lines inserted, deleted, replaced or extended (a word added at the end: mostly still valid)."""
    path, first = _first_read(tmp_path)
    lines = list(LINES)
    for at, action, snippet in edits:
        at = min(at, len(lines))
        if action == "insert":
            lines.insert(at, snippet)
        elif lines and at < len(lines):
            lines[at:at + 1] = [] if action == "delete" else [lines[at].rstrip("\n") + " more\n"] if action == "extend" else [snippet]
    path.write_text("".join(lines), encoding="utf-8")
    _same_as_whole_read(path, first)
