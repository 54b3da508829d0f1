"""The parity gate: the published surfaces must list exactly what the registry holds.

Run on every build, over what was actually produced (pages rendered, the Markdown
they were rendered from, the LLM files, the files in the output directory), so a
generation bug or a tampered step shows up as a named mismatch, not a quiet gap.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from ..registry.model import Registry
from ..render import markup
from .llms import LLMS_TXT
from .twins import twin_path

_CODES_TABLE_HEADER = re.compile(r"^\| Code \| HTTP \|(?: Category \|)? When \| Retry\? \|$")
_CODES_TABLE_START = "| Code | HTTP |"
"""A cheap test first: most pages have no codes table, and need not be split into lines (another
table may start the same way: the header itself says)."""
_CODES_TABLE_ROW = re.compile(r"^\s*\| \[`(?P<code>[^`]+)`\]\(/(?P<target>[^)]+)\.md\) \|")
_SECTION_ID = re.compile(r"^#{1,6} .*\{#([A-Za-z][\w-]*)\}[ \t]*$")
_LLMS_LINK = re.compile(r"^- \[[^\]]*\]\((?P<url>[^)\s]+)\)", re.M)
_LLMS_CODE_LINE = re.compile(r"^- \[(?P<name>[^\]]+)\]\((?P<url>[^)\s]+)\): HTTP \d", re.M)


def codes_table_rows(markdown: str, codes_by_page: Mapping[str, str]) -> list[str] | None:
    """Codes listed by the codes tables in a page's Markdown (one per group), or None if it has none.

    A row is named by the page it links: ``codes_by_page`` maps a code page's docs path
    without ``.md`` (``errors/card-declined``) to its code; a link elsewhere keeps its
    whole path, which names no code."""
    if _CODES_TABLE_START not in markdown:
        return None
    lines = markdown.split("\n")
    rows: list[str] | None = None
    for index, line in enumerate(lines):
        if _CODES_TABLE_HEADER.match(line.strip()):
            rows = rows or []
            for row in lines[index + 2 :]:
                match = _CODES_TABLE_ROW.match(row)
                if not match:
                    break
                rows.append(codes_by_page.get(match["target"], match["target"]))
    return rows


def section_ids(markdown: str) -> frozenset[str]:
    """The ids a page's Markdown gives its headings explicitly (``## Title {#the-id}``)."""
    if "{#" not in markdown:  # most pages: no need to scan them
        return frozenset()
    ids: set[str] = set()

    def note(line: str, _: int) -> str:
        ids.update(_SECTION_ID.findall(line))
        return line

    markup.map_text_lines(markdown, note)  # a heading in a code block is an example, not a section
    return frozenset(ids)


def _missing(expected: Iterable[str], found: Iterable[str], where: str) -> list[str]:
    # Counters and sets, not list scans: this runs on registries of thousands of codes.
    counts = Counter(found)
    expected = list(expected)
    problems = []
    gone = [code for code in expected if code not in counts]
    extra = sorted(set(counts) - set(expected))
    dupes = sorted(code for code, n in counts.items() if n > 1)
    if gone:
        problems.append(f"parity: {where} is missing {', '.join(gone)}")
    if extra:
        problems.append(f"parity: {where} lists codes not in the registry: {', '.join(extra)}")
    if dupes:
        problems.append(f"parity: {where} lists more than once: {', '.join(dupes)}")
    return problems


def _exists(site_dir: Path | None, rel: str, planned: set[str]) -> bool:
    return rel in planned or (site_dir is not None and os.path.isfile(os.path.join(site_dir, rel)))


def _page_exists(site_dir: Path | None, rel: str, planned: set[str]) -> bool:
    """Whether ``rel`` (an address path) is a page: its HTML when built, else its source."""
    rel = rel.strip("/")
    if site_dir is None:
        return any(c in planned for c in (f"{rel}.md", f"{rel}/index.md", "index.md" if not rel else ""))
    return any(_exists(site_dir, c, planned) for c in (f"{rel}/index.html", f"{rel}.html", rel or "index.html"))


@dataclass(frozen=True)
class Published:
    """What the gate needs to know of a build's LLM files, without holding their full text."""

    codes: list[str]
    """The code of each built code page, one entry per page."""
    tables: dict[str, list[str]]
    """Docs path of each page with a codes table -> the codes its rows list."""
    indexes: dict[str, str]
    """``llms.txt`` and its shards, in full (they are small: each fits the size budget)."""
    doc_urls: dict[str, set[str]]
    """Every LLM file -> the ``doc_url`` values it shows."""
    anchors: dict[str, frozenset[str]]
    """Address of each page with explicit section ids (``errors``, no slashes) -> those ids."""


@dataclass(frozen=True)
class Expected:
    """What the registry promises a build holds: all the gate needs of it.

    Taken before the pages are rendered into HTML, so a build can let the registry
    go while MkDocs renders the templates (its peak memory).
    """

    codes: list[str]
    """Every code, in registry order."""
    returned: list[str]
    """Codes the API can still send: the ones the codes table lists."""
    docs_url: str
    errors_path: str
    """Folder of the code pages (``site.errors_path``)."""
    group_pages: str
    """How the source path of every group page starts."""
    code_pages: dict[str, str]
    """Each code -> the docs path of its own page."""
    doc_urls: dict[str, str]
    """Each code -> the ``doc_url`` its errors carry."""

    @classmethod
    def of(cls, registry: Registry) -> Expected:
        returned = [name for name, code in registry.codes.items() if code.returned]
        return cls(
            list(registry.codes), returned, registry.site.docs_url, registry.errors_path, registry.group_pages_prefix,
            {name: registry.code_page_path(name) for name in registry.codes}, {name: registry.doc_url(name) for name in registry.codes},
        )


def check_published(
    expected: Expected,
    published: Published,
    *,
    site_dir: Path | None,
    sources: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Every mismatch between the registry and the build, one message each ([] when all agree).

    Without ``site_dir`` (``python -m errdocs generate``: no HTML yet) a page counts as
    built when its Markdown source is among ``sources``.
    """
    codes = expected.codes
    docs_url, errors_path = expected.docs_url, expected.errors_path
    planned = set(published.doc_urls) | set(sources)
    problems: list[str] = []

    # Every code page is asked about twice (its HTML, then each doc_url that names it):
    # one look at the disk each.
    @lru_cache(maxsize=None)
    def page_exists(rel: str) -> bool:
        return _page_exists(site_dir, rel, planned)

    problems += _missing(codes, published.codes, "the built code pages")
    problems += _missing(
        codes,
        [c for c in codes if page_exists(expected.code_pages[c].removesuffix(".md"))],
        f"the HTML output ({errors_path}<code>/)" if site_dir is not None else f"the generated sources ({errors_path}<code>.md)",
    )

    # A codes table too long for one page lives on group pages: together they list every code.
    groups = expected.group_pages
    grouped = [row for src, rows in published.tables.items() if src.startswith(groups) for row in rows]
    whole = {src: rows for src, rows in published.tables.items() if not src.startswith(groups)}
    if not published.tables:
        problems.append("parity: no page includes the codes table (<!-- errdocs:codes-table -->)")
    for src, rows in whole.items():
        problems += _missing(expected.returned, rows, f"the codes table of docs/{src}")
    if grouped:
        problems += _missing(expected.returned, grouped, f"the codes tables of the group pages (docs/{groups}*.md)")

    llms = published.indexes.get(LLMS_TXT, "")
    links = [m["url"] for m in _LLMS_LINK.finditer(llms)]
    # Large registries list their codes in llms/<group>.txt shards linked from llms.txt.
    llms_codes = [
        m["name"]
        for text in published.indexes.values()
        for m in _LLMS_CODE_LINE.finditer(text)
        if m["name"] in expected.code_pages and m["url"] == docs_url + twin_path(expected.code_pages[m["name"]])
    ]
    problems += _missing(codes, llms_codes, "llms.txt")
    twins = [c for c in codes if twin_path(expected.code_pages[c]) in planned]
    problems += _missing(codes, twins, "the Markdown twins")

    for url in links:
        if not url.startswith(docs_url) or not _exists(site_dir, url[len(docs_url) :], planned):
            problems.append(f"parity: llms.txt links {url}, which is not a file of this build")

    shown = [(f"the registry (code {code})", url) for code, url in expected.doc_urls.items()]
    shown += [(path, url) for path, urls in published.doc_urls.items() for url in sorted(urls)]
    for where, url in shown:
        missing = _unreached(url, docs_url, page_exists, published.anchors)
        if missing:
            problems.append(f"parity: {where} shows doc_url {url}, which is not {missing} of this build")
    return problems


def _unreached(url: str, docs_url: str, page_exists: Callable[[str], bool], anchors: dict[str, frozenset[str]]) -> str | None:
    """What ``url`` should name and does not ("a page", "a section of a page"), or None when it reaches it.

    A fragment never reaches the server: the page is the address before it, and the
    fragment must be the id of one of that page's sections."""
    rel, _, fragment = url.removeprefix(docs_url).partition("#")
    if not url.startswith(docs_url) or not page_exists(rel):
        return "a page"
    if fragment and fragment not in anchors.get(rel.strip("/"), ()):
        return "a section of a page"
    return None
