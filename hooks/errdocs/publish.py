"""Writing the LLM files of a build while holding little of them in memory.

A site of 10,000 codes has tens of megabytes of twins, and ``llms-full.txt`` repeats
them all. Holding every twin, then ``llms-full.txt``, until the end of a build is what
made its peak memory grow with the registry. So each twin is written as soon as its
page's Markdown is final, only the few facts ``llms.txt`` and the parity gate need are
kept, and ``llms-full.txt`` is streamed from the twin files at the end.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .filewriter import FileWriter, write_bytes
from .llms import (
    LLMS_FULL_TXT,
    LLMS_TXT,
    NavSection,
    SurfaceError,
    check_sizes,
    full_header,
    index_files,
    nav_order,
)
from .model import Registry
from .parity import Expected, Published, check_published, codes_table_rows, doc_urls
from .twins import PageDoc, index_notice, twin_body, twin_path
from .records import Record


SPAWN_FROM_CODES = 200
"""Registries this large get their LLM files written by a child process (see ``filewriter``)."""


class PageFacts(Record):
    """What is kept of a page once its twin is written (``llms.Listed`` plus the gate's facts)."""

    src_uri: str
    title: str
    description: str | None
    code: str | None
    twin: str
    """Site path of its twin."""
    size: int
    """Characters in its twin, for the size budget."""
    table_rows: list[str] | None
    """Codes listed by its codes table, if it has one."""
    doc_urls: tuple[str, ...]
    """``doc_url`` values its twin shows."""


class Publisher:
    """The LLM files of one build, written under ``out_dir`` (the site directory)."""

    def __init__(self, registry: Registry, out_dir: Path) -> None:
        self.registry = registry
        self.out_dir = out_dir
        self.pages: dict[str, PageFacts] = {}
        """Docs path -> facts, in the order the pages were added."""
        self._notice = index_notice(registry.site.docs_url + LLMS_TXT)
        self._dirs: set[str] = set()
        # Set by seal(): everything finish() needs, so the registry can be let go.
        self.problems: list[str] = []
        """Size-budget problems found by seal(); finish() reports them."""
        self._indexes: dict[str, str] = {}
        self._published: Published | None = None
        self._order: list[str] = []
        self._header = ""
        self._expected: Expected | None = None
        # A small site's twins are written inline in a few milliseconds: less than a
        # writer process costs to start and stop beside a half-second build.
        self._writer = FileWriter(spawn=None if len(registry.codes) >= SPAWN_FROM_CODES else False)
        """Twins and llms-full.txt are written in the order asked (by a child process on large sites)."""

    def add(self, page: PageDoc) -> None:
        """Write the twin of a page whose Markdown is final, and keep its facts."""
        text = f"{self._notice}\n\n{twin_body(page, self.registry)}"
        path = twin_path(page.src_uri)
        self._write(path, text)
        self.pages[page.src_uri] = PageFacts(
            page.src_uri, page.title, page.description, page.code, path, len(text),
            codes_table_rows(page.markdown), tuple(sorted(doc_urls(text))),
        )

    def publish(self, nav: list[NavSection], *, site_dir: Path | None, sources: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
        """``seal`` then ``finish``: check everything, then write the indexes and ``llms-full.txt``."""
        self.seal(nav)
        return self.finish(site_dir=site_dir, sources=sources)

    def seal(self, nav: list[NavSection]) -> None:
        """Once every page is added: make the indexes and take what the gate needs, then drop the registry.

        A build seals before MkDocs renders its templates, where its memory peaks; from
        here on nothing of the registry is needed (``finish`` works from these facts).
        ``llms-full.txt`` is queued now, behind the twins it is made of, so it is written
        while MkDocs renders the pages.
        """
        self._order = nav_order(self.pages, nav)  # once: the indexes, the gate and llms-full.txt share it
        self._header = full_header(self.registry)
        try:
            self._indexes = self._index_files(nav)
        except SurfaceError as err:
            self.problems = str(err).splitlines()
        else:
            self._published = self._gate_view()
        self._expected = Expected.of(self.registry)
        self.registry = None  # type: ignore[assignment]
        if not self.problems:
            self._write_full()
        # The last twins and llms-full.txt may still sit in the pipe's buffer: hand them
        # over now, so they are written while MkDocs renders the pages, not when finish() waits.
        self._writer.flush()

    def finish(self, *, site_dir: Path | None, sources: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
        """Run the parity gate against what was built, then write ``llms.txt`` (and its shards).

        Returns the problems instead when a file is over budget or the gate fails; the
        LLM files already written are then removed, so none is published.
        """
        try:
            self._writer.wait()
        except OSError as err:
            self.discard()
            return [f"the LLM files could not be written: {err}"]
        problems = self.problems or check_published(self._expected, self._published, site_dir=site_dir, sources=sources)  # type: ignore[arg-type]
        if problems:
            self.discard()
            return problems
        self.write_indexes()
        return []

    def write_indexes(self) -> list[str]:
        """Write ``llms.txt`` (+ shards) once the rest is on disk; return every LLM file's path, twins first."""
        self._writer.wait()
        for path, text in self._indexes.items():
            write_bytes(self._target(path), text.encode("utf-8"))
        return [self.pages[src].twin for src in self._order] + [*self._indexes, LLMS_FULL_TXT]

    def close(self) -> None:
        """Let queued writes finish (a failed build); errors no longer matter then."""
        try:
            self._writer.wait()
        except OSError:
            pass

    def _index_files(self, nav: list[NavSection]) -> dict[str, str]:
        """``llms.txt`` and its shards; SurfaceError if any twin or index is over budget."""
        indexes = index_files(self.registry, self.pages, nav)
        sizes = {self.pages[src].twin: self.pages[src].size for src in self._order}
        sizes.update((path, len(text)) for path, text in indexes.items())
        check_sizes(sizes, budget=self.registry.site.llms_size_budget)
        return indexes

    def _gate_view(self) -> Published:
        """The parity gate's view of the files about to be published."""
        ordered = [self.pages[src] for src in self._order]
        urls: dict[str, set[str]] = {page.twin: set(page.doc_urls) for page in ordered}
        urls.update((path, doc_urls(text)) for path, text in self._indexes.items())
        # llms-full.txt is its header followed by the twins' bodies: it shows what they show.
        urls[LLMS_FULL_TXT] = doc_urls(self._header).union(*(page.doc_urls for page in ordered))
        return Published(
            codes=[page.code for page in self.pages.values() if page.code],
            tables={page.src_uri: page.table_rows for page in self.pages.values() if page.table_rows is not None},
            indexes=self._indexes,
            doc_urls=urls,
        )

    def discard(self) -> None:
        for rel in [page.twin for page in self.pages.values()] + [LLMS_FULL_TXT]:
            (self.out_dir / rel).unlink(missing_ok=True)

    def _write_full(self) -> None:
        """``llms-full.txt``: the header, then each twin without its notice, in navigation order.

        Queued after the twins, so the writer makes it from the twin files. Copied as
        bytes: the twins are UTF-8 already, so nothing is decoded or re-encoded.
        """
        self._writer.join(
            self._target(LLMS_FULL_TXT),
            self._header.encode("utf-8"),
            [self._target(self.pages[src].twin) for src in self._order],
            skip=len(self._notice.encode("utf-8")) + 2,
            sep=b"\n\n",
            tail=b"\n",
        )

    def _write(self, rel: str, text: str) -> None:
        self._writer.write(self._target(rel), text.encode("utf-8"))

    def _target(self, rel: str) -> str:
        # Plain strings, not Paths: this runs once per page, 10,000 times on a large site.
        folder, _, _ = rel.rpartition("/")
        if folder not in self._dirs:  # one mkdir per folder, not per file
            os.makedirs(os.path.join(self.out_dir, folder), exist_ok=True)
            self._dirs.add(folder)
        return os.path.join(self.out_dir, rel)


def surfaces_in_memory(registry: Registry, pages: dict[str, PageDoc], nav: list[NavSection]) -> dict[str, str]:
    """The files a ``Publisher`` writes for ``pages``, as ``{site path: text}`` (no parity gate)."""
    with tempfile.TemporaryDirectory(prefix="errdocs-llms-") as tmp:
        out = Path(tmp)
        publisher = Publisher(registry, out)
        for page in pages.values():
            publisher.add(page)
        publisher.seal(nav)
        if publisher.problems:
            publisher.close()
            raise SurfaceError("\n".join(publisher.problems))
        paths = publisher.write_indexes()
        return {path: _read(out / path) for path in paths}


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()
