"""The pages and files the registry adds to a site."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Callable

from .changelog import CHANGELOG_PATH, changelog_page
from .code_page import code_page, code_page_path
from .contract import contract_files
from .model import LifecycleState, Registry


@dataclass(frozen=True)
class GeneratedPage:
    """A page made from the registry, rendered when its Markdown is asked for.

    Nothing is rendered up front: a build reads each page once, and holding every
    page's Markdown from the start would cost about 30 MB at 10,000 codes.
    """

    src_uri: str
    render: Callable[[], str] = field(repr=False, compare=False)
    code: str | None = None
    """The code it documents (None for the changelog)."""
    in_nav: bool = True
    """Removed codes keep their page but leave the navigation."""

    @property
    def markdown(self) -> str:
        return self.render()


def generated_pages(registry: Registry) -> list[GeneratedPage]:
    """Every generated page: one per code, in registry order, then the changelog."""
    pages = [
        GeneratedPage(code_page_path(name), partial(code_page, registry, name), name, code.state is not LifecycleState.removed)
        for name, code in registry.codes.items()
    ]
    pages.append(GeneratedPage(CHANGELOG_PATH, partial(changelog_page, registry)))
    return pages


def generated_files(registry: Registry) -> dict[str, str]:
    """Non-page files published at the site root: the machine-readable contract."""
    return contract_files(registry)
