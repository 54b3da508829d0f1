"""One build of the error docs, engine-neutral: what the MkDocs plugin and ``generate`` drive.

A build loads nothing itself: it is given a validated registry, lists the pages the
registry adds, renders each when the engine reads it, expands the include markers
of hand-written pages, hands every page's final Markdown (and, under an engine that
renders HTML, every HTML document) to the publisher, and at the end runs the parity
gate and writes the LLM files and the security headers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

from .publish.contract import CONTRACT_FILES, contract_files
from .publish.llms import NavSection
from .publish.publisher import Publisher
from .publish.twins import page_doc
from .registry.docs_tree import DocsTree
from .registry.load import DEFAULT_REGISTRY
from .registry.model import Registry
from .render.includes import expand_includes
from .render.nav import nav_sections
from .render.pages import RegistryPage, generated_pages, render_page


class Build:
    """Everything one build knows. Make a new one per build: ``mkdocs serve`` rebuilds in one process."""

    def __init__(self, registry: Registry, *, out_dir: Path, registry_file: str = DEFAULT_REGISTRY,
                 pages: Iterable[RegistryPage] | None = None) -> None:
        self.registry: Registry | None = registry
        """Let go by ``seal``, once every page is read: the engine's peak memory comes after."""
        self.registry_file = registry_file
        """The registry's name as problems give it."""
        self.pages: dict[str, RegistryPage] = {page.src_uri: page for page in (generated_pages(registry) if pages is None else pages)}
        """The generated pages by docs path (their Markdown is rendered when read)."""
        self.publisher = Publisher(registry, out_dir)
        self.nav: list[Any] = []
        """The engine's resolved navigation as plain nav data (strings, ``{title: path}``, ``{title: [...]}``)."""
        self.problems: list[str] = []
        """Problems of the sources shown on every page while the build goes on (``mkdocs serve``)."""
        self.own_headers = ""
        """The rules of the docs' own ``_headers``, if any: the build's ``_headers`` keeps them after its block."""
        self.digests: dict[str, bytes] = {}
        """A digest of each generated page's Markdown as last read: what ``changed_pages`` compares."""
        self.expanded: set[str] = set()
        """The hand-written pages whose include markers were expanded: they show the registry."""

    def source(self, src_uri: str) -> str:
        """The Markdown of a generated page, rendered now (read once per build)."""
        if self.registry is None:
            raise RuntimeError(f"docs/{src_uri} was read after the pages were built; its source is generated then only")
        markdown = render_page(self.registry, self.pages[src_uri])
        self.digests[src_uri] = _digest(markdown)
        return markdown

    def page_markdown(self, src_uri: str, markdown: str, meta: dict[str, Any], *, fallback_title: str) -> str:
        """A page's final Markdown: include markers expanded (``IncludeError`` if one cannot be).

        Its twin is made from exactly this Markdown, which the engine is about to render.
        """
        registry = self.registry
        if registry is None:
            raise RuntimeError(f"docs/{src_uri} was read after the build was sealed")
        page = self.pages.get(src_uri)
        try:
            if page is None:
                expanded = expand_includes(markdown, registry)
                if expanded != markdown:
                    self.expanded.add(src_uri)
                markdown = expanded
        finally:
            # Even when an include fails the page gets its twin: `mkdocs serve` goes on showing it as written.
            self.publisher.add(
                page_doc(registry, src_uri, markdown, meta, code=page and page.code, generated=page is not None,
                         fallback_title=fallback_title)
            )
        return markdown

    def clash(self, hand_written: Iterable[str]) -> str | None:
        """Why the build cannot go on when hand-written docs take a generated path, else None."""
        taken = sorted(set(hand_written) & {*self.pages, *CONTRACT_FILES})
        if not taken:
            return None
        return f"docs/{taken[0]} is generated from {self.registry_file}; delete the hand-written file and edit the registry"

    def contract_files(self) -> dict[str, str]:
        """The machine-readable contract files, ``{site path: JSON text}``."""
        return contract_files(self._unsealed())

    def write_contract_files(self) -> dict[str, Path]:
        """Write the contract files into the output folder now: ``{site path: file written}``. An
        engine that copies static files is pointed at them where they lie, so the build does not
        hold their text to its end (22 MB at 10,000 codes); a failed build ``discard``s them."""
        return self.publisher.write_contract(self.contract_files())

    def _unsealed(self) -> Registry:
        if self.registry is None:
            raise RuntimeError("the build is sealed: its registry was let go once every page was read")
        return self.registry

    def revise(self, registry: Registry, *, edited: bool = True) -> Build:
        """The build after this one under `mkdocs serve`, for an edit that added, removed or moved
        no page (``revision_problem`` found none): it keeps this build's navigation, the docs'
        ``_headers`` and every page's published facts (their twins are written), so that only
        the pages that changed (``changed_pages``, and edited hand-written ones) are read again.
        ``edited``: whether ``registry`` changed since this build (if not, its page list is kept too)."""
        build = Build(registry, out_dir=self.publisher.out_dir, registry_file=self.registry_file,
                      pages=None if edited else self.pages.values())
        build.nav, build.own_headers = self.nav, self.own_headers
        build.digests, build.expanded = dict(self.digests), set(self.expanded)
        build.publisher = self.publisher.revise(registry)
        return build

    def changed_pages(self, before: Registry) -> list[str]:
        """After an edit of the registry (``before`` its last build's), the pages that show it
        differently: every generated page is rendered again and its Markdown compared, a code's
        page also counts when the code's facts changed (its twin shows them), and the
        hand-written pages with include markers always count."""
        registry = self._unsealed()
        changed = list(self.expanded)
        for src, page in self.pages.items():
            digest = _digest(render_page(registry, page))
            code, code_before = (registry.codes[page.code], before.codes[page.code]) if page.code is not None else (None, None)
            # A code read again is a new object; one that was not is the same (the cheap test first).
            if digest != self.digests.get(src) or (code is not code_before and code != code_before):
                changed.append(src)
        return changed

    def seal(self) -> None:
        """Once every page is read: make the LLM indexes in ``nav`` order, let the registry go."""
        self.publisher.seal([NavSection(title, pages) for title, pages in nav_sections(self.nav)])
        self.registry = None

    def check(self, sources: Iterable[str]) -> list[str]:
        """Once sealed, before the engine writes a file: the size budgets and the parity gate
        over ``sources`` (every file the build will publish); [] when all agree. A build
        that stops on a problem calls ``discard``."""
        return self.publisher.problems(site_dir=None, sources=set(sources))

    def publish(self) -> None:
        """Write ``llms.txt`` (and its shards), ``llms-full.txt``, ``robots.txt`` and the folder
        pages, once the engine's files are written (the twins were written as pages were read)."""
        self.publisher.write_indexes()

    def page_html(self, page_html: str) -> None:
        """Note an HTML document the engine is about to write (every page and the 404 page, as
        written): the Content-Security-Policy allows its inline scripts and styles by hash."""
        self.publisher.note_html(page_html)

    def publish_headers(self) -> None:
        """Write ``_headers`` and ``_headers.nginx.conf``, the site's security headers, once every
        HTML document is noted. Only an engine that shows the build its HTML does: a policy
        made without it would block that HTML's inline scripts (``generate`` writes none)."""
        self.publisher.write_headers(self.own_headers)

    def discard(self) -> None:
        """Remove every file the build wrote so far (twins, LLM files, robots.txt, folder pages, header files):
        a failed build publishes none of them."""
        self.publisher.discard()


def site_url_problem(site_url: str | None, registry: Registry, *, registry_file: str = DEFAULT_REGISTRY) -> str | None:
    """Why a configured site address cannot publish this registry, or None when it can (or none is set)."""
    if not site_url or site_url.rstrip("/") + "/" == registry.site.docs_url:
        return None
    return (
        f"site_url {site_url!r} differs from {registry_file} site.docs_url {registry.site.docs_url!r}; "
        "doc_url values would not be this site's addresses"
    )


def revision_problem(before: Registry, after: Registry, *, pages_before: Iterable[RegistryPage],
                     pages_after: Iterable[RegistryPage]) -> str | None:
    """Why an edit from ``before`` to ``after`` (whose builds list ``pages_before`` and ``pages_after``)
    needs a whole build: it added, removed, renamed or moved a page (a code, its group or
    lifecycle, a generated page) or changed the site's addresses, which every twin shows. None
    when the pages can be revised where they are."""
    if after.site != before.site:
        return "the site settings changed"
    if list(after.codes) != list(before.codes):
        return "codes were added, removed, renamed or reordered"
    for name, code in after.codes.items():
        if (code.nav_group, code.state) != (before.codes[name].nav_group, before.codes[name].state):
            return f"code {name!r} changed its group or lifecycle"
    if list(pages_after) != list(pages_before):
        return "the generated pages changed"
    return None


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def generated_files(registry: Registry) -> list[str]:
    """Every docs path a build of ``registry`` adds: its pages and the contract files."""
    return [page.src_uri for page in generated_pages(registry)] + list(CONTRACT_FILES)


def docs_tree(folder: Path) -> DocsTree:
    """A site's docs folder with what builds add to it, to check a registry against (``load_registry``)."""
    return DocsTree(folder, generated_files)
