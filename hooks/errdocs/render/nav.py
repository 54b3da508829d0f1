"""Placing code pages in a MkDocs-style ``nav`` (plain lists and dicts, no MkDocs import)."""

from __future__ import annotations

import copy
import html
from pathlib import Path
from typing import Any, Callable

from ..registry.model import Registry
from .includes import has_codes_table

MAX_SECTION_PAGES = 100
"""Largest nav section of code pages; bigger groups are split into sub-sections."""
MAX_SECTION_GROUPS = 10
"""Most group sections side by side; more groups are nested into sections "first … last".

Material's ``navigation.prune`` still renders every sibling section title along the open
page's path into each page, so a flat list of G groups costs every page O(G) (100 titles
at 10,000 codes: about 40 % of the page's template time and a 2x larger HTML file).
Nesting keeps each level at most this wide, so a page's sidebar stays about constant.
"""


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1][: -len(".md")]


def _path_of(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and len(item) == 1:
        value = next(iter(item.values()))
        return value if isinstance(value, str) else None
    return None


def _list_holding(nav: list[Any], wanted: Callable[[str], bool]) -> list[Any] | None:
    """The first nav list (depth first) with a page ``wanted`` accepts."""
    if any(wanted(_path_of(item) or "") for item in nav):
        return nav
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                if isinstance(value, list):
                    found = _list_holding(value, wanted)
                    if found is not None:
                        return found
    return None


def codes_table_page(nav: list[Any], docs_dir: Path) -> str | None:
    """The first page of ``nav`` whose source includes the codes table, if any."""
    for path in _pages_in(nav):
        try:
            source = (docs_dir / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # not a readable file (yet): the engine reports it, not the nav
        if has_codes_table(source):
            return path
    return None


def lists_code_pages(nav: list[Any], registry: Registry) -> bool:
    """Whether ``nav`` (after ``add_code_groups``) lists the code pages."""
    listed = set(_pages_in(nav))
    return registry.changelog_path in listed or any(registry.code_page_path(name) in listed for name in registry.codes)


def add_code_groups(nav: list[Any], registry: Registry, *, codes_page: str | None = None) -> list[Any]:
    """A copy of ``nav`` whose errors section ends with the page of every code (in the anchor form),
    one sub-section per group of codes, then the changelog.

    The errors section is the nav list that holds ``codes_page`` (the page with the codes
    table), else the one that holds a page under ``site.errors_path``. Sub-sections keep
    the sidebar readable; with Material's ``navigation.prune`` only the open group's
    pages are rendered into each page.
    """
    nav = copy.deepcopy(nav)
    target = _list_holding(nav, lambda path: path == codes_page) if codes_page else None
    if target is None:
        target = _list_holding(nav, lambda path: path.startswith(registry.errors_path))
    if target is None:
        return nav
    listed = {_path_of(item) for item in target}
    sections: list[tuple[str, list[Any]]] = []
    # Removed codes keep their page, outside the navigation.
    for title, names in registry.code_groups().items():
        pages = [registry.code_page_path(name) for name in names if registry.code_page_path(name) not in listed]
        if not pages:
            continue
        if len(pages) > MAX_SECTION_PAGES:
            # A huge group becomes sub-sections "first … last": with navigation.prune a
            # page then renders its own sub-section only, not thousands of siblings.
            chunks = [pages[i : i + MAX_SECTION_PAGES] for i in range(0, len(pages), MAX_SECTION_PAGES)]
            items: list[Any] = [{f"{_stem(c[0])} … {_stem(c[-1])}": c} for c in chunks]
        else:
            items = pages
        # Themes print nav titles into HTML as they are: escape the registry's text.
        sections.append((html.escape(title, quote=True), items))
    # The page every anchor form doc_url names leads the codes, as the codes table does.
    if registry.anchors_page_path is not None and registry.anchors_page_path not in listed:
        target.append(registry.anchors_page_path)
    target.extend({title: items} for title, items in _nest_sections(sections))
    # After the codes, not before: the first code's "Previous" is the page listing them.
    if registry.changelog_path not in listed:
        target.append(registry.changelog_path)
    return nav


def _nest_sections(sections: list[tuple[str, list[Any]]]) -> list[tuple[str, list[Any]]]:
    """``sections`` as at most MAX_SECTION_GROUPS entries, nesting runs of them as needed.

    Runs are of even size (23 groups: 8, 8, 7 rather than 10, 10, 3), keep the
    registry's order and are titled "first group … last group".
    """
    # (first group title, last group title, items); a lone group keeps its own title.
    spans = [(title, title, items) for title, items in sections]
    while len(spans) > MAX_SECTION_GROUPS:
        count = -(-len(spans) // MAX_SECTION_GROUPS)  # ceil: how many runs
        size, extra = divmod(len(spans), count)
        runs, start = [], 0
        for i in range(count):
            run = spans[start : start + size + (i < extra)]
            start += len(run)
            runs.append((run[0][0], run[-1][1], [{_span_title(s): s[2]} for s in run]))
        spans = runs
    return [(_span_title(s), s[2]) for s in spans]


def _span_title(span: tuple[str, str, list[Any]]) -> str:
    first, last, _ = span
    return first if first == last else f"{first} … {last}"


def nav_sections(nav: list[Any]) -> list[tuple[str, list[str]]]:
    """Top-level sections of a nav as ``(title, [page paths])``, nested sections flattened.

    Loose top-level pages are gathered under "Docs". External links are skipped.
    ``nav`` is plain nav data: strings, ``{title: path}`` and ``{title: [items]}``.
    """
    sections: list[tuple[str, list[str]]] = []
    for item in nav:
        children = _children(item)
        if children is not None:
            sections.append((children[0], _pages_in(children[1])))
            continue
        path = _path_of(item)
        if path is not None and _is_page(path):
            if not sections or sections[-1][0] != "Docs":
                sections.append(("Docs", []))
            sections[-1][1].append(path)
    return sections


def _children(item: Any) -> tuple[str, list[Any]] | None:
    if isinstance(item, dict) and len(item) == 1:
        title, value = next(iter(item.items()))
        if isinstance(value, list):
            return str(title), value
    return None


def _is_page(path: str) -> bool:
    return path.endswith(".md") and "://" not in path


def _pages_in(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        children = _children(item)
        if children is not None:
            out += _pages_in(children[1])
        else:
            path = _path_of(item)
            if path is not None and _is_page(path):
                out.append(path)
    return out
