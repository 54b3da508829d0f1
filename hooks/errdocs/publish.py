"""Writing the LLM files of a build while holding little of them in memory.

A site of 10,000 codes has tens of megabytes of twins, and ``llms-full.txt`` repeats
them all. Holding every twin, then ``llms-full.txt``, until the end of a build is what
made its peak memory grow with the registry. So each page's Markdown is handed to the
writer (``filewriter``) as soon as it is final, and the writer makes and writes its twin;
only the few facts ``llms.txt`` and the parity gate need are kept, and ``llms-full.txt``
is streamed from the twin files at the end.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .filewriter import FileWriter, TwinFacts, write_bytes
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
from .parity import Expected, Published, check_published, codes_table_rows
from .twins import PageDoc, index_notice, twin_head, twin_path
from .twintext import doc_urls
from .records import Record


SPAWN_FROM_CODES = 200
"""Registries this large get their twins made and written by a writer process (``filewriter``).

Starting one costs about 35 ms of CPU on the other core (an interpreter and its imports).
On a small site that is more than the few milliseconds of twins it takes off the build."""


class PageFacts(Record):
    """What is kept of a page once its twin is asked for (``llms.Listed`` plus a gate fact)."""

    src_uri: str
    title: str
    description: str | None
    code: str | None
    twin: str
    """Site path of its twin."""
    table_rows: list[str] | None
    """Codes listed by its codes table, if it has one."""


class Publisher:
    """The LLM files of one build, written under ``out_dir`` (the site directory).

    ``add`` each page as its Markdown becomes final, ``seal`` once every page is added,
    and ``finish`` once the HTML is written (or ``publish`` to do both).
    """

    def __init__(self, registry: Registry, out_dir: Path) -> None:
        self.registry = registry
        self.out_dir = out_dir
        self.pages: dict[str, PageFacts] = {}
        """Docs path -> facts, in the order the pages were added."""
        self._notice = index_notice(registry.site.docs_url + LLMS_TXT)
        self._dirs: set[str] = set()
        # Set by seal(): everything finish() needs, so the registry can be let go.
        self.problems: list[str] = []
        """Problems found by seal() (an index over budget); finish() reports them."""
        self._indexes: dict[str, str] = {}
        self._order: list[str] = []
        self._header = ""
        self._expected: Expected | None = None
        self._budget = registry.site.llms_size_budget
        self._asked: list[str] = []
        """Twin paths, in the order the writer was asked to make them (and reports them)."""
        self._twins: dict[str, TwinFacts] = {}
        """Twin path -> its size and doc_url values, once the writer has made it."""
        self._writer = FileWriter(spawn=None if len(registry.codes) >= SPAWN_FROM_CODES else False)
        """Makes the twins and writes them and llms-full.txt, in the order asked: on a large site
        with a spare core, in a child process, so the build only hands each page's Markdown over."""

    def add(self, page: PageDoc) -> None:
        """Have the twin of a page whose Markdown is final made and written, and keep its facts."""
        path = twin_path(page.src_uri)
        self._asked.append(path)
        self._writer.twin(
            self._target(path), twin_head(self._notice, self.registry, page), title=page.title,
            description=page.description, markdown=page.markdown, src_uri=page.src_uri,
            docs_url=self.registry.site.docs_url,
        )
        self.pages[page.src_uri] = PageFacts(
            page.src_uri, page.title, page.description, page.code, path, codes_table_rows(page.markdown)
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
            self._indexes = index_files(self.registry, self.pages, nav)
        except SurfaceError as err:
            self.problems = str(err).splitlines()
        self._expected = Expected.of(self.registry)
        self.registry = None  # type: ignore[assignment]
        if not self.problems:
            self._write_full()
        # The last twins and llms-full.txt may still sit in the pipe's buffer: hand them
        # over now, so they are made while MkDocs renders the pages, not when finish() waits.
        self._writer.flush()

    def finish(self, *, site_dir: Path | None, sources: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
        """Check the sizes, run the parity gate against what was built, then write ``llms.txt`` (and its shards).

        Returns the problems instead when a file is over budget or the gate fails; the
        LLM files already written are then removed, so none is published.
        """
        problems = self.settle() or check_published(self._expected, self._gate_view(), site_dir=site_dir, sources=sources)  # type: ignore[arg-type]
        if problems:
            self.discard()
        else:
            self.write_indexes()
        self._writer.reap()  # the writer process has long exited by now
        return problems

    def write_indexes(self) -> list[str]:
        """Write ``llms.txt`` (+ shards) once the rest is on disk (after ``settle``);
        return every LLM file's path, twins first."""
        for path, text in self._indexes.items():
            write_bytes(self._target(path), text.encode("utf-8"))
        return [self.pages[src].twin for src in self._order] + [*self._indexes, LLMS_FULL_TXT]

    def close(self) -> None:
        """Let queued writes finish (a failed build); errors no longer matter then."""
        try:
            self._writer.wait()
        except OSError:
            pass
        self._writer.reap()

    def settle(self) -> list[str]:
        """Wait for the writer and keep the twins' facts; return the problems: a failed write,
        or a file over budget (``finish`` does this first)."""
        try:
            made = self._writer.wait()
        except OSError as err:
            return [f"the LLM files could not be written: {err}"]
        self._twins.update(zip(self._asked, made))
        self._asked.clear()
        if self.problems:
            return self.problems
        sizes = {self.pages[src].twin: self._twins[self.pages[src].twin][0] for src in self._order}
        sizes.update((path, len(text)) for path, text in self._indexes.items())
        try:
            check_sizes(sizes, budget=self._budget)
        except SurfaceError as err:
            return str(err).splitlines()
        return []

    def _gate_view(self) -> Published:
        """The parity gate's view of the files about to be published."""
        ordered = [self.pages[src] for src in self._order]
        urls: dict[str, set[str]] = {page.twin: set(self._twins[page.twin][1]) for page in ordered}
        urls.update((path, doc_urls(text)) for path, text in self._indexes.items())
        # llms-full.txt is its header followed by the twins' bodies: it shows what they show.
        urls[LLMS_FULL_TXT] = doc_urls(self._header).union(*(urls[page.twin] for page in ordered))
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
        problems = publisher.settle()
        publisher.close()
        if problems:
            raise SurfaceError("\n".join(problems))
        paths = publisher.write_indexes()
        return {path: _read(out / path) for path in paths}


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()
