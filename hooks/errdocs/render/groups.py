"""Codes tables too long for one page, moved onto group pages.

A registry of a few dozen codes lists them all in one codes table. With hundreds, that
table alone would outgrow the twin budget (what an agent reads of one file), so the codes
table include renders a table of groups instead, and each group (or each part of a big
group) gets a generated page with its own codes table. The retry guidance then links
those pages rather than listing every code.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry.model import Registry, once_per_registry
from . import markup
from .snippets import code_rows, codes_table, retry_guidance, status_summary

TABLE_SHARE = 0.4
"""Past this share of the twin budget, one codes table would crowd its page: groups take over."""
PAGE_SHARE = 0.6
"""Most of the twin budget one group page's table takes (links grow in the twin)."""


@dataclass(frozen=True)
class GroupPage:
    """A page listing the codes of one group, or of one part of a big group."""

    src_uri: str
    title: str
    group: str
    names: tuple[str, ...]


@once_per_registry
def group_pages(registry: Registry) -> tuple[GroupPage, ...]:
    """The group pages of this registry: none while one codes table fits its page."""
    budget = registry.budgets.twin
    if len(codes_table(registry)) <= budget * TABLE_SHARE:
        return ()
    pages = []
    for group, names in registry.code_groups().items():
        lengths = [sum(len(cell) + 3 for cell in row) + 2 for row in code_rows(registry, names)]
        pages += [GroupPage("", title, group, tuple(part)) for title, part in parts(group, names, lengths, int(budget * PAGE_SHARE))]
    slugs = markup.slugs(page.title for page in pages)
    return tuple(GroupPage(registry.group_page_path(slugs[page.title]), page.title, page.group, page.names) for page in pages)


def parts(title: str, names: list[str], lengths: list[int], size: int) -> list[tuple[str, list[str]]]:
    """``names`` cut into runs whose ``lengths`` add up to at most ``size`` (a run holds at
    least one name), titled ``title``, or ``title (2 of 3)`` when there are several."""
    runs: list[list[str]] = [[]]
    used = 0
    for name, length in zip(names, lengths):
        if runs[-1] and used + length > size:
            runs.append([])
            used = 0
        runs[-1].append(name)
        used += length
    if len(runs) == 1:
        return [(title, runs[0])]
    return [(f"{title} ({number} of {len(runs)})", run) for number, run in enumerate(runs, 1)]


def _link(page: GroupPage) -> str:
    return f"[{markup.text(page.title)}](/{page.src_uri})"


def codes_table_include(registry: Registry) -> str:
    """The codes table, or, when it would not fit its page, the table of group pages."""
    pages = group_pages(registry)
    if not pages:
        return codes_table(registry)
    rows = [
        [_link(page), f"{len(page.names):,}", status_summary(sorted({s for n in page.names for s in registry.codes[n].statuses}))]
        for page in pages
    ]
    total = sum(len(page.names) for page in pages)
    return f"The {total:,} codes are listed by group, one page each:\n\n" + markup.table(["Group", "Codes", "HTTP"], rows)


def retry_guidance_include(registry: Registry) -> str:
    return retry_guidance(registry, group_links=[_link(page) for page in group_pages(registry)])
