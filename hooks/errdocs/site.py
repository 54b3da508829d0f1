"""The set of pages the registry adds to a site."""

from __future__ import annotations

from .code_page import code_page, code_page_path
from .model import Registry


def generated_pages(registry: Registry) -> dict[str, str]:
    """``{docs-relative path: Markdown}`` for every generated page, in registry order."""
    return {code_page_path(name): code_page(registry, name) for name in registry.codes}
