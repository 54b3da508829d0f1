"""Markdown twins: each page's own Markdown, made self-contained for LLM readers.

A twin is made from the *same* expanded Markdown MkDocs renders to HTML (never from
the HTML): the "Documentation Index" notice, a code page's facts, then the page's
title, summary and body with links made absolute (page links point at the pages'
twins) and Material-only syntax (content tabs, admonitions) flattened into plain
Markdown, so nothing hides behind a widget.
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from ..registry.model import Registry
from ..render import markup
from .material import flatten_material

INDEX_HEADING = "> ## Documentation Index"
_FACT_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
"""One encoder for every twin's facts: ``json.dumps(ensure_ascii=False)`` builds a new one per call."""


@dataclass(frozen=True)
class PageDoc:
    """One page as the LLM surfaces see it."""

    src_uri: str
    """Path inside the docs tree, e.g. ``errors/internal_error.md``."""
    title: str
    description: str | None
    markdown: str
    """Markdown after includes were expanded, front matter removed."""
    code: str | None = None
    """The registry code this page documents, if any."""


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


def page_url(docs_url: str, src_uri: str) -> str:
    """The canonical address of the page at ``src_uri`` (directory URLs: ``errors/x/``)."""
    if src_uri == "index.md":
        return docs_url
    stem = src_uri[: -len("/index.md")] if src_uri.endswith("/index.md") else src_uri.removesuffix(".md")
    return f"{docs_url}{stem}/"


def front_matter(registry: Registry, page: PageDoc) -> str:
    """A twin's YAML front matter: title, description and canonical URL; a code's facts too.

    Values are JSON, which is valid YAML (flow scalars and collections) and reads the same
    in every parser."""
    facts: dict[str, Any] = {"title": page.title}
    if page.description:
        facts["description"] = markup.plain(page.description)
    facts["url"] = page_url(registry.site.docs_url, page.src_uri)
    if page.code is not None:
        facts.update(code_facts(registry, page.code))
    # Markdown renderers that do not know front matter show it as text: keep it inert.
    lines = [f"{key}: {markup.html_safe(_FACT_JSON.encode(value))}" for key, value in facts.items()]
    return "---\n" + "\n".join(lines) + "\n---"


def code_facts(registry: Registry, name: str) -> dict[str, Any]:
    """The facts of a code an agent acts on, for its twin's front matter."""
    code = registry.codes[name]
    return {
        "code": name,
        "http_status": code.statuses,
        **({"category": code.category} if code.category is not None else {}),
        "retryable": code.retryable,
        "retry_policy": code.retry.policy.value,
        "sdk_retries": code.retry.sdk_retries,
        "sdk_exceptions": {sdk_id: raised.exception for sdk_id, raised in code.sdk.items()},
        "doc_url": registry.doc_url(name),
        **({"unconfirmed": code.unconfirmed_facts} if code.unconfirmed else {}),
        # How many, not which: the page's table (or the pages it links) holds them with their meaning.
        **({"subcodes": len(code.subcodes)} if code.subcodes else {}),
    }


def twin_head(notice: str, registry: Registry, page: PageDoc) -> str:
    """What a twin starts with, before the page's own text: its front matter, then the index notice."""
    return f"{front_matter(registry, page)}\n\n{notice}\n\n"


# --- the page's text ------------------------------------------------------------------------------


def code_twin_url(registry: Registry, name: str) -> str:
    """The published address of a code's own page as Markdown (``.../errors/card_declined.md``)."""
    return registry.site.docs_url + twin_path(registry.code_page_path(name))


def twin_path(src_uri: str) -> str:
    """Where a page's twin lives, relative to the site root: the page address + ``.md``.

    ``errors/internal_error.md`` (served at ``/errors/internal_error/``) has its twin at
    ``errors/internal_error.md``; ``guide/index.md`` (at ``/guide/``) at ``guide.md``; the
    home page (``index.md``, at ``/``) at ``index.md``.
    """
    if src_uri == "index.md":
        return "index.md"
    if src_uri.endswith("/index.md"):
        return src_uri[: -len("/index.md")] + ".md"
    if src_uri.endswith("/README.md"):
        return src_uri[: -len("/README.md")] + ".md"
    return src_uri


def twin_text(head: str, *, title: str, description: str | None, markdown: str, src_uri: str, docs_url: str) -> str:
    """A whole twin: ``head`` (its notice and facts), then the page's title, summary and body
    as self-contained Markdown. ``markdown`` is the page after includes, front matter removed."""
    lines = markdown.strip("\n").split("\n")
    # The H1 is re-emitted from the page title so every twin starts the same way.
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    body = "\n".join(lines).strip("\n")
    parts = [f"# {markup.text(title)}"]
    if not body.startswith(">") and description:
        parts.append(f"> {markup.text(description)}")
    parts.append(gfm_table_pipes(absolutise_links(markup.plain_self_anchors(flatten_material(body)), page_src=src_uri, docs_url=docs_url)))
    return head + "\n\n".join(parts).rstrip() + "\n"


def doc_urls(text: str, key: str) -> set[str]:
    """The documentation URLs a text shows in its example envelopes: URL values of the
    JSON key ``key``, the field with the ``doc_url`` role (``"doc_url"``, RFC 9457's ``"type"``)."""
    return set(_doc_url_pattern(key).findall(text))


@functools.lru_cache(maxsize=8)
def _doc_url_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r'"' + re.escape(key) + r'":\s*"(https?://[^"]+)"')


# --- links ------------------------------------------------------------------------------------

_INLINE_LINK = re.compile(r"(?P<text>!?\[(?:[^\[\]]|\[[^\[\]]*\])*\])\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
"""An inline link or image; its text may hold bracket pairs one deep (an image in a link), no deeper."""
_REF_DEF = re.compile(r"^(?P<lead>(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?\[[^\]]+\]:\s*)(?P<target>\S+)(?P<rest>.*)$")
"""A reference definition, also inside a list item or a blockquote (a flattened admonition), where CommonMark reads one too."""
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def absolute_url(target: str, *, page_src: str, docs_url: str) -> str:
    """A link target of the page at ``page_src``, as an absolute URL (``.md`` twins for pages)."""
    if _SCHEME.match(target):
        return target
    path, _, fragment = target.partition("#")
    fragment = f"#{fragment}" if fragment else ""
    if not path:
        return docs_url + twin_path(page_src) + fragment
    if path.startswith("/"):
        resolved = posixpath.normpath(path.lstrip("/"))
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), path))
    if resolved.endswith(".md"):
        return docs_url + twin_path(resolved) + fragment
    return docs_url + resolved.lstrip("./") + fragment


def absolutise_links(markdown: str, *, page_src: str, docs_url: str) -> str:
    def fix(match: re.Match[str]) -> str:
        target = absolute_url(match["target"], page_src=page_src, docs_url=docs_url)
        return f"{match['text']}({target}{match['title'] or ''})"

    def fix_line(line: str) -> str:
        # Most lines hold no link: both link forms need "](" or "]:" (a cheap test, thousands of pages).
        if "](" not in line and "]:" not in line:
            return line
        ref = _REF_DEF.match(line)
        if ref:
            return ref["lead"] + absolute_url(ref["target"], page_src=page_src, docs_url=docs_url) + ref["rest"]
        if "`" not in line:
            return _INLINE_LINK.sub(fix, line)
        # A link may contain code (`[`x`](y)`), but a link-like text inside code is not a link.
        spans = [span.span() for span in markup.CODE_SPAN.finditer(line)]
        starts = [start for start, _ in spans]

        def in_code(position: int) -> bool:
            # The code spans are ordered and disjoint: only the last one starting at or before it can hold it.
            index = bisect.bisect_right(starts, position) - 1
            return index >= 0 and position < spans[index][1]

        def fix_outside_code(match: re.Match[str]) -> str:
            # Code binds tighter than a link: no link starts inside code, and none whose "](" is code.
            if in_code(match.start()) or in_code(match.end("text") - 1):
                return match.group(0)
            return fix(match)

        return _INLINE_LINK.sub(fix_outside_code, line)

    return markup.map_text_lines(markdown, lambda line, _: fix_line(line))


# --- GFM tables -------------------------------------------------------------------------------


def _escape_span_pipes(match: re.Match[str]) -> str:
    return match.group(0).replace("|", "\\|")


def gfm_table_pipes(markdown: str) -> str:
    """Pipes inside code spans of table rows, escaped as GFM requires (``str \\| None``).

    Python-Markdown keeps a code span whole inside a table cell, so the page's own
    Markdown leaves the pipe alone; GFM splits the cell at it unless escaped, and turns
    ``\\|`` back into ``|`` inside the code.
    """

    def fix(line: str, _: int) -> str:
        if not line.lstrip().startswith("|") or "`" not in line:
            return line
        return markup.CODE_SPAN.sub(_escape_span_pipes, line)

    return markup.map_text_lines(markdown, fix)
