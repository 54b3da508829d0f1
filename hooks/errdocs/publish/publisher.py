"""The files one build writes beside the engine's, written as it goes while holding little of them.

A site of 10,000 codes has tens of megabytes of twins, and ``llms-full.txt`` repeats
them all. So each page's twin is written as soon as its Markdown is final, and only
the few facts ``llms.txt`` and the parity gate need are kept; ``llms-full.txt`` is made
from the twin files at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..registry.model import Registry
from .ai_catalog import WELL_KNOWN_AI_CATALOG, agentmap_path, ai_catalog
from .budgets import size_problems
from .contract import html_safe_json
from .folders import FOLDER_PAGE, folder_page, folder_targets
from .headers import HEADERS_FILE, NGINX_HEADERS_FILE, InlineCode, headers_file, nginx_include, security_headers
from .llms import LLMS_FULL_TXT, LLMS_TXT, WELL_KNOWN_LLMS_TXT, NavSection, full_header, index_files, nav_order
from .parity import Expected, Published, check_published, codes_table_rows, section_ids
from .robots import ROBOTS_TXT, robots_txt
from .twins import PageDoc, doc_urls, index_notice, page_url, twin_head, twin_path, twin_text


@dataclass(frozen=True)
class PageFacts:
    """What is kept of a page once its twin is written (``llms.Listed`` plus the gate's facts)."""

    src_uri: str
    title: str
    description: str | None
    code: str | None
    twin: str
    """Site path of its twin."""
    size: int
    """Characters of its twin (for the size budget)."""
    doc_urls: frozenset[str]
    """The ``doc_url`` values its twin shows."""
    table_rows: list[str] | None
    """Codes listed by its codes table, if it has one."""
    url: str
    """The page's canonical address."""
    body_start: int
    """Where its twin's own text starts, after the front matter and the index notice."""
    anchors: frozenset[str]
    """The ids its Markdown gives its sections (``{#card_declined}``)."""


class Publisher:
    """The files of one build beside the engine's (twins, LLM files, ``robots.txt``, folder
    pages, header files), written under ``out_dir`` (the site directory).

    ``add`` each page as its Markdown becomes final, ``seal`` once every page is added
    (the registry is let go then), ``note_html`` each HTML document the engine writes,
    and ``write_indexes`` and ``write_headers`` once the HTML is written; or ``discard``
    what was written when the build fails.
    """

    def __init__(self, registry: Registry, out_dir: Path) -> None:
        self.registry: Registry | None = registry
        self.out_dir = out_dir
        self.pages: dict[str, PageFacts] = {}
        """Docs path -> facts, in the order the pages were added."""
        self._notice = index_notice(registry.site.docs_url + LLMS_TXT)
        self._budgets = registry.budgets
        self._docs_url = registry.site.docs_url
        self._doc_url_key = registry.doc_url_key
        self._codes_by_page = {registry.code_page_path(name).removesuffix(".md"): name for name in registry.codes}
        self._folders: set[Path] = set()
        self._written: dict[str, None] = {}
        """Every file this build wrote, as site paths in the order written: the one list
        ``discard`` removes (twins, contract files, indexes, robots.txt, folder pages, header files alike)."""
        self._contract: set[str] = set()
        """The contract files among them (``write_contract``)."""
        self._inline = InlineCode()
        """The inline code of every HTML document noted: what the Content-Security-Policy allows."""
        # Set by seal(): everything write_indexes() and the checks need, so the registry can be let go.
        self._indexes: dict[str, str] = {}
        self._order: list[str] = []
        self._header = ""
        self._ai_catalog = ""
        self._agentmap = agentmap_path(registry)
        self._expected: Expected | None = None

    def add(self, page: PageDoc) -> None:
        """Write the twin of a page whose Markdown is final, and keep its facts."""
        registry = self._registry()
        path = twin_path(page.src_uri)
        head = twin_head(self._notice, registry, page)
        text = twin_text(
            head, title=page.title, description=page.description,
            markdown=page.markdown, src_uri=page.src_uri, docs_url=registry.site.docs_url,
        )
        self._write(path, text)
        self.pages[page.src_uri] = PageFacts(
            page.src_uri, page.title, page.description, page.code, path, len(text), frozenset(doc_urls(text, self._doc_url_key)),
            codes_table_rows(page.markdown, self._codes_by_page), page_url(registry.site.docs_url, page.src_uri), len(head),
            section_ids(page.markdown),
        )

    def write_contract(self, files: dict[str, str]) -> dict[str, Path]:
        """Write the contract files (``{site path: text}``): ``{site path: file written}``."""
        for rel, text in files.items():
            self._write(rel, text)
            self._contract.add(rel)
        return {rel: self.out_dir / rel for rel in files}

    def revise(self, registry: Registry) -> Publisher:
        """The publisher of the next build into the same folder (``mkdocs serve`` after an edit
        that added, removed or moved no page): every page's facts and twin are kept until the
        page is ``add``-ed again, the contract files stay (the engine's file for each is pointed
        at them; the reviser writes a changed one again), the inline code noted stays allowed (a
        page's inline code comes from the templates, whose edits call for a whole build), and the
        files only the end of a build writes (indexes, ``robots.txt``, folder pages, header files)
        are removed now, to be written again as a whole build would write them."""
        publisher = Publisher(registry, self.out_dir)
        publisher.pages = dict(self.pages)
        publisher._inline = InlineCode(set(self._inline.scripts), set(self._inline.styles))
        publisher._contract = set(self._contract)
        kept = {facts.twin for facts in self.pages.values()} | self._contract
        for rel in self._written:
            if rel in kept:
                publisher._written[rel] = None
            else:
                (self.out_dir / rel).unlink(missing_ok=True)
        self._remove_empty_folders({(self.out_dir / rel).parent for rel in self._written if rel not in kept})
        return publisher

    def seal(self, nav: list[NavSection]) -> None:
        """Once every page is added: make the indexes and take what the gate needs, then let the registry go.

        A build seals before MkDocs renders its templates, where its memory peaks.
        """
        registry = self._registry()
        self._order = nav_order(self.pages, nav)  # once: the indexes, the gate and llms-full.txt share it
        self._header = full_header(registry)
        self._indexes = index_files(registry, self.pages, nav)
        self._ai_catalog = html_safe_json(ai_catalog(registry))
        self._expected = Expected.of(registry)
        self.registry = None

    def problems(self, *, site_dir: Path | None, sources: set[str]) -> list[str]:
        """Files over the size budget, else every mismatch the parity gate finds ([] when all agree)."""
        assert self._expected is not None, "seal() comes before the checks"
        sizes = {self.pages[src].twin: self.pages[src].size for src in self._order}
        sizes.update((path, len(text)) for path, text in self._indexes.items())
        return size_problems(sizes, budgets=self._budgets) or check_published(
            self._expected, self.gate_view(), site_dir=site_dir, sources=sources
        )

    def write_indexes(self) -> None:
        """Write ``llms.txt`` (+ shards, and its copy at ``/.well-known/``), ``llms-full.txt``, the
        ai-catalog manifest, and, unless the docs bring their own, ``robots.txt`` and the folder
        pages; once every twin and HTML page is written."""
        for path, text in self._indexes.items():
            self._write(path, text)
        self._write(WELL_KNOWN_LLMS_TXT, self._indexes[LLMS_TXT])
        self._write(WELL_KNOWN_AI_CATALOG, self._ai_catalog)
        if not (self.out_dir / ROBOTS_TXT).exists():
            self._write(ROBOTS_TXT, robots_txt(self._docs_url, agentmap=self._agentmap))
        self._write_full()
        self._write_folder_pages()

    def note_html(self, page_html: str) -> None:
        """Note an HTML document the engine writes (a page, the 404 page): its inline scripts
        and styles are allowed by hash in the Content-Security-Policy."""
        self._inline.add(page_html)

    def write_headers(self, own_rules: str = "") -> None:
        """Write ``_headers`` (its ``/*`` block, then ``own_rules``: the docs' own ``_headers``)
        and the nginx include, the same security headers in both; once every HTML document is noted."""
        headers = security_headers(self._inline)
        self._write(HEADERS_FILE, headers_file(headers, own_rules))
        self._write(NGINX_HEADERS_FILE, nginx_include(headers))

    def discard(self) -> None:
        """Remove every file this build wrote so far (a failed build publishes none of them)."""
        for rel in self._written:
            (self.out_dir / rel).unlink(missing_ok=True)
        self._written.clear()
        self._remove_empty_folders(self._folders)  # the folders made for them go too

    def _remove_empty_folders(self, folders: set[Path]) -> None:
        """Remove each of ``folders`` and its parents below ``out_dir``, deepest first, while nothing is in them."""
        for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
            while folder != self.out_dir and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent

    def gate_view(self) -> Published:
        """The parity gate's view of the files about to be published."""
        urls: dict[str, set[str]] = {self.pages[src].twin: set(self.pages[src].doc_urls) for src in self._order}
        urls.update((path, doc_urls(text, self._doc_url_key)) for path, text in self._indexes.items())
        # llms-full.txt is its header followed by the twins' bodies: it shows what they show.
        urls[LLMS_FULL_TXT] = doc_urls(self._header, self._doc_url_key).union(*(self.pages[src].doc_urls for src in self._order))
        return Published(
            codes=[page.code for page in self.pages.values() if page.code],
            tables={page.src_uri: page.table_rows for page in self.pages.values() if page.table_rows is not None},
            indexes=self._indexes,
            doc_urls=urls,
            anchors={page.url.removeprefix(self._docs_url).strip("/"): page.anchors for page in self.pages.values() if page.anchors},
        )

    def _write_full(self) -> None:
        """``llms-full.txt``: the header, then each page's own text, in navigation order, each
        opening with its source URL (the front matter and notice of each twin are left out)."""
        with open(self._new_file(LLMS_FULL_TXT), "w", encoding="utf-8", newline="") as out:
            out.write(self._header)
            for src in self._order:
                page = self.pages[src]
                with open(self.out_dir / page.twin, encoding="utf-8", newline="") as part:
                    twin = part.read()
                out.write(f"\n\nSource: {page.url}\n\n" + twin[page.body_start:].rstrip("\n"))
            out.write("\n")

    def _write_folder_pages(self) -> None:
        """A redirect page in every folder above a page that has no page of its own, once the
        engine has written the HTML it leads to (``generate`` writes no HTML, so none there)."""
        rels = [self.pages[src].url[len(self._docs_url):] for src in self._order]
        for folder, target in folder_targets(rels).items():
            rel = folder + FOLDER_PAGE
            built = self.out_dir / (target + FOLDER_PAGE if target.endswith("/") else target)
            if built.is_file() and not (self.out_dir / rel).exists():  # a hand-written or engine page wins
                self._write(rel, folder_page(folder, target, docs_url=self._docs_url))

    def _write(self, rel: str, text: str) -> None:
        self._new_file(rel).write_bytes(text.encode("utf-8"))

    def _new_file(self, rel: str) -> Path:
        """Where to write ``rel``, its folder made; noted as written before it is, so a write
        that fails halfway is discarded too."""
        self._written[rel] = None
        path = self.out_dir / rel
        if path.parent not in self._folders:  # one mkdir per folder, not per file
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def _registry(self) -> Registry:
        if self.registry is None:
            raise RuntimeError("the publisher is sealed: its registry was let go")
        return self.registry
