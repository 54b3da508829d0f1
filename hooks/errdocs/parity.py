"""The parity gate: the published surfaces must list exactly what the registry holds.

Run on every build, over what was actually produced (pages rendered, the Markdown
they were rendered from, the LLM files, the files in the output directory), so a
generation bug or a tampered step shows up as a named mismatch, not a quiet gap.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from .llms import LLMS_TXT, SHARD_DIR
from .model import Registry
from .twins import PageDoc, twin_path

_CODES_TABLE_HEADER = "| Code | HTTP | When | Retry? |"
_CODES_TABLE_ROW = re.compile(r"^\s*\| \[`(?P<code>[^`]+)`\]\(/errors/(?P<target>[^)]+)\.md\) \|")
_DOC_URL = re.compile(r'"doc_url":\s*"([^"]+)"')
_LLMS_LINK = re.compile(r"^- \[[^\]]*\]\((?P<url>[^)\s]+)\)", re.M)
_LLMS_CODE_LINE = re.compile(r"^- \[(?P<name>[^\]]+)\]\((?P<url>[^)\s]+)\): HTTP \d", re.M)


def codes_table_rows(markdown: str) -> list[str] | None:
    """Codes listed by the codes table in a page's Markdown, or None if it has none."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == _CODES_TABLE_HEADER:
            rows = []
            for row in lines[index + 2 :]:
                match = _CODES_TABLE_ROW.match(row)
                if not match:
                    break
                rows.append(match["target"])
            return rows
    return None


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
    return rel in planned or (site_dir is not None and (site_dir / rel).is_file())


def _page_exists(site_dir: Path | None, rel: str, planned: set[str]) -> bool:
    """Whether ``rel`` (an address path) is a page: its HTML when built, else its source."""
    rel = rel.strip("/")
    if site_dir is None:
        return any(c in planned for c in (f"{rel}.md", f"{rel}/index.md", "index.md" if not rel else ""))
    return any(_exists(site_dir, c, planned) for c in (f"{rel}/index.html", f"{rel}.html", rel or "index.html"))


def check_parity(
    registry: Registry,
    *,
    pages: dict[str, PageDoc],
    surfaces: dict[str, str],
    site_dir: Path | None,
    sources: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Every mismatch between the registry and the build, one message each ([] when all agree).

    Without ``site_dir`` (``python -m errdocs generate``: no HTML yet) a page counts as
    built when its Markdown source is among ``sources``.
    """
    codes = list(registry.codes)
    docs_url = registry.site.docs_url
    planned = set(surfaces) | set(sources)
    problems: list[str] = []

    rendered = [page.code for page in pages.values() if page.code]
    problems += _missing(codes, rendered, "the built code pages")
    problems += _missing(
        codes,
        [c for c in codes if _page_exists(site_dir, f"errors/{c}", planned)],
        "the HTML output (errors/<code>/)" if site_dir is not None else "the generated sources (errors/<code>.md)",
    )

    tables = {src: rows for src, page in pages.items() if (rows := codes_table_rows(page.markdown)) is not None}
    if not tables:
        problems.append("parity: no page includes the codes table (<!-- errdocs:codes-table -->)")
    returned = [name for name, code in registry.codes.items() if code.returned]
    for src, rows in tables.items():
        problems += _missing(returned, rows, f"the codes table of docs/{src}")

    llms = surfaces.get(LLMS_TXT, "")
    links = [m["url"] for m in _LLMS_LINK.finditer(llms)]
    # Large registries list their codes in llms/<group>.txt shards linked from llms.txt.
    indexes = [llms] + [text for path, text in surfaces.items() if path.startswith(SHARD_DIR + "/")]
    llms_codes = [
        m["name"]
        for text in indexes
        for m in _LLMS_CODE_LINE.finditer(text)
        if m["url"] == docs_url + twin_path(f"errors/{m['name']}.md")
    ]
    problems += _missing(codes, llms_codes, "llms.txt")
    twins = [c for c in codes if twin_path(f"errors/{c}.md") in planned]
    problems += _missing(codes, twins, "the Markdown twins")

    for url in links:
        if not url.startswith(docs_url) or not _exists(site_dir, url[len(docs_url) :], planned):
            problems.append(f"parity: llms.txt links {url}, which is not a file of this build")

    for path, text in surfaces.items():
        for url in sorted(set(_DOC_URL.findall(text))):
            if not url.startswith(docs_url) or not _page_exists(site_dir, url[len(docs_url) :], planned):
                problems.append(f"parity: {path} shows doc_url {url}, which is not a page of this build")
    return problems
