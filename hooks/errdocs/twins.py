"""Markdown twins: each page's own Markdown, made self-contained for LLM readers.

A twin is produced from the *same* expanded Markdown MkDocs renders to HTML (never
from the HTML). This module holds what needs the registry: a page as the LLM files
see it, the notice every twin starts with, and a code twin's facts. Turning the
page's Markdown into the twin's text is ``twintext``'s job, done by the writer process.
"""

from __future__ import annotations

import html
from typing import Any

from . import markup
from .model import Registry
from .records import Record, factory
from .twintext import twin_path

__all__ = ["PageDoc", "code_facts", "index_notice", "page_doc", "twin_head", "twin_path"]

INDEX_HEADING = "> ## Documentation Index"


class PageDoc(Record):
    """One page as the LLM surfaces see it."""

    src_uri: str
    """Path inside the docs tree, e.g. ``errors/internal_error.md``."""
    title: str
    description: str | None
    markdown: str
    """Markdown after includes were expanded, front matter removed."""
    code: str | None = None
    """The registry code this page documents, if any."""
    extra: dict[str, str] = factory(dict)


def page_doc(
    registry: Registry,
    src_uri: str,
    markdown: str,
    meta: dict[str, Any],
    *,
    code: str | None = None,
    generated: bool = False,
    fallback_title: str = "",
) -> PageDoc:
    """A page as the LLM surfaces see it, from its expanded Markdown and front matter.

    Code pages take their description from the registry. Other generated pages
    HTML-escape their front-matter description for the theme's ``<meta>`` tag, so
    it is unescaped here: the LLM files want the text.
    """
    description = meta.get("description")
    if code is not None:
        description = registry.codes[code].summary
    elif description is not None:
        description = html.unescape(str(description)) if generated else str(description)
    title = meta.get("title") or first_heading(markdown) or fallback_title
    return PageDoc(src_uri, str(title), description, markdown, code=code)


def first_heading(markdown: str) -> str | None:
    for line in markdown.split("\n"):
        if line.startswith("# "):
            return line[2:].strip()
    return None


def index_notice(llms_url: str) -> str:
    return "\n".join(
        [
            INDEX_HEADING,
            f"> The complete index of this documentation is at: {llms_url}",
            "> Read it first to find every page that exists before you fetch others.",
        ]
    )


# --- assembling a twin ----------------------------------------------------------------------------


def code_facts(registry: Registry, name: str) -> str:
    """The structured block at the top of a code twin."""
    code = registry.codes[name]
    facts = {
        "code": name,
        "http_status": code.statuses,
        "retryable": code.retryable,
        "retry_policy": code.retry.policy.value,
        "sdk_retries": code.retry.sdk_retries,
        "sdk_exceptions": {sdk_id: raised.exception for sdk_id, raised in code.sdk.items()},
        "doc_url": registry.doc_url(name),
    }
    # JSON values are valid YAML flow scalars and collections; the JSON encoder is ~50x faster
    # than PyYAML's emitter, which matters with thousands of code twins per build.
    lines = [f"{key}: {markup.JSON.encode(value)}" for key, value in facts.items()]
    return "---\n" + "\n".join(lines) + "\n---"


def twin_head(notice: str, registry: Registry, page: PageDoc) -> str:
    """What a twin starts with, before the page's own text: the index notice, and a code's facts."""
    facts = f"{code_facts(registry, page.code)}\n\n" if page.code is not None else ""
    return f"{notice}\n\n{facts}"
