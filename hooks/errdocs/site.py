"""The pages and files the registry adds to a site."""

from __future__ import annotations

from dataclasses import dataclass

from .changelog import CHANGELOG_PATH, changelog_page
from .code_page import code_page, code_page_path
from .contract import contract_files
from .model import LifecycleState, Registry


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from the registry."""

    src_uri: str
    markdown: str
    code: str | None = None
    """The code it documents (None for the changelog)."""
    in_nav: bool = True
    """Removed codes keep their page but leave the navigation."""


def generated_pages(registry: Registry) -> list[GeneratedPage]:
    """Every generated page: one per code, in registry order, then the changelog."""
    pages = [
        GeneratedPage(code_page_path(name), code_page(registry, name), name, code.state is not LifecycleState.removed)
        for name, code in registry.codes.items()
    ]
    pages.append(GeneratedPage(CHANGELOG_PATH, changelog_page(registry)))
    return pages


def generated_files(registry: Registry) -> dict[str, str]:
    """Non-page files published at the site root: the machine-readable contract."""
    return contract_files(registry)
