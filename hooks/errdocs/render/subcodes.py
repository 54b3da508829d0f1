"""A code's sub-codes: the values of the envelope's second-level field, one table row and anchor each.

A code with a few lists them on its page. With hundreds, that table alone would outgrow the
twin budget, so it moves onto pages of its own (several when one would not fit), linked from
the code's page, as ``groups.py`` does with codes tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry.model import EnvelopeRole, Registry
from . import markup
from .groups import PAGE_SHARE, TABLE_SHARE, parts
from .snippets import RETRY_NOTES, code_link

ANCHOR_PREFIX = "subcode-"
"""Start of a row's anchor (``#subcode-insufficient_funds``): no heading of a code page takes it."""


@dataclass(frozen=True)
class SubcodePage:
    """A page listing the sub-codes of one code, or one part of them."""

    src_uri: str
    title: str
    code: str
    values: tuple[str, ...]


def anchor(value: str) -> str:
    """The anchor of a sub-code's row, on whichever page lists it."""
    return ANCHOR_PREFIX + value


def _own_retry(registry: Registry, name: str) -> bool:
    return any(sub.retry is not None for sub in registry.codes[name].subcodes.values())


def _rows(registry: Registry, name: str, values: list[str]) -> list[list[str]]:
    code = registry.codes[name]
    with_retry = _own_retry(registry, name)
    rows = []
    for value in values:
        sub = code.subcodes[value]
        row = [markup.self_anchor(markup.code(value), anchor(value)), markup.text(sub.meaning), markup.text(sub.what_to_do)]
        if with_retry:  # every row says it, so a value without its own policy does not read as "no retry"
            row.append(RETRY_NOTES[sub.retry or code.retry.policy].capitalize())
        rows.append(row)
    return rows


def subcode_table(registry: Registry, name: str, values: list[str]) -> str:
    header = ["Value", "Meaning", "What to do", *(["Retry?"] if _own_retry(registry, name) else [])]
    return markup.table(header, _rows(registry, name, values))


def subcode_pages(registry: Registry, name: str) -> list[SubcodePage]:
    """The pages of a code's sub-codes: none while its table fits the code's page."""
    values = list(registry.codes[name].subcodes)
    if not values:
        return []
    budget = registry.budgets.twin
    lengths = [sum(len(cell) + 3 for cell in row) + 2 for row in _rows(registry, name, values)]
    if sum(lengths) <= budget * TABLE_SHARE:
        return []
    runs = parts(f"Sub-codes of {name}", values, lengths, int(budget * PAGE_SHARE))
    return [SubcodePage(registry.subcode_page_path(name, number), title, name, tuple(run))
            for number, (title, run) in enumerate(runs, 1)]


def _intro(registry: Registry, name: str) -> str:
    path = markup.code(".".join(registry.roles[EnvelopeRole.subcode]))
    if registry.role_field(EnvelopeRole.subcode).closed:
        return f"With this code, {path} says more precisely what happened. It takes no value but these."
    return (f"With this code, {path} says more precisely what happened. A value not listed here can still "
            f"arrive: handle it as {markup.code(name)} itself.")


def subcodes_section(registry: Registry, name: str) -> str:
    """The code page's sub-codes: their table, or links to the pages that hold it."""
    pages = subcode_pages(registry, name)
    intro = _intro(registry, name)
    if not pages:
        return intro + "\n\n" + subcode_table(registry, name, list(registry.codes[name].subcodes))
    links = "\n".join(f"- [{markup.text(page.title)}](/{page.src_uri}): {len(page.values):,} values" for page in pages)
    return f"{intro} The {len(registry.codes[name].subcodes):,} values are listed on pages of their own:\n\n{links}"


def subcode_page(registry: Registry, page: SubcodePage) -> str:
    """A sub-code page: one code's sub-codes (or a part of them), front matter included."""
    description = (f"Values of {'.'.join(registry.roles[EnvelopeRole.subcode])} that come with the "
                   f"{registry.site.name} error code {page.code}: what each means and what to do.")
    return "\n\n".join([
        markup.front_matter(page.title, description),
        f"# {markup.text(page.title)}",
        f"> {markup.text(description)}",
        f"These are the sub-codes of {code_link(registry, page.code)}. {_intro(registry, page.code)}",
        subcode_table(registry, page.code, list(page.values)),
    ]) + "\n"
