"""The pages and files the registry adds to a site."""

from __future__ import annotations


from .changelog import CHANGELOG_PATH, changelog_page
from .code_page import code_page, code_page_path
from .contract import contract_files
from .model import LifecycleState, Registry
from .records import Record


class GeneratedPage(Record):
    """A page made from the registry; ``render_page`` makes its Markdown when it is read.

    Nothing is rendered up front and the page does not hold the registry: a build reads
    each page once, and holding every page's Markdown from the start would cost about
    30 MB at 10,000 codes.
    """

    src_uri: str
    code: str | None = None
    """The code it documents (None for the changelog)."""
    in_nav: bool = True
    """Removed codes keep their page but leave the navigation."""


def generated_pages(registry: Registry) -> list[GeneratedPage]:
    """Every generated page: one per code, in registry order, then the changelog."""
    pages = [
        GeneratedPage(code_page_path(name), name, code.state is not LifecycleState.removed)
        for name, code in registry.codes.items()
    ]
    pages.append(GeneratedPage(CHANGELOG_PATH))
    return pages


def render_page(registry: Registry, page: GeneratedPage) -> str:
    """The Markdown source of a generated page."""
    return changelog_page(registry) if page.code is None else code_page(registry, page.code)


def generated_files(registry: Registry) -> dict[str, str]:
    """Non-page files published at the site root: the machine-readable contract."""
    return contract_files(registry)
