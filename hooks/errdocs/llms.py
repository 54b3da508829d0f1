"""``llms.txt``, ``llms-full.txt`` and the twins, as ``{site path: text}``.

``llms.txt`` follows llmstxt.org: an H1, a one-line blockquote, a paragraph, then
H2 sections holding only link lists. Sections follow the site navigation; every
code gets a line whose notes carry its status, whether a retry can help and its
summary, so an agent can act without fetching the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import markup
from .contract import CONTRACT_FILES, contract_file_notes
from .model import LifecycleState, Registry, RetryPolicy
from .twins import PageDoc, index_notice, render_twin, twin_path

SIZE_BUDGET = 50_000
"""Characters allowed in ``llms.txt`` and in each twin; beyond it the build fails."""

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"
OPTIONAL = "Optional"


@dataclass(frozen=True)
class NavSection:
    """A top-level part of the navigation, flattened: its title and its pages in order."""

    title: str
    pages: list[str]


class SurfaceError(ValueError):
    """The LLM surfaces cannot be published as they are; one problem per line."""


_RETRY_NOTES = {
    RetryPolicy.never: "not retryable",
    RetryPolicy.after_action: "retry only after fixing the cause",
    RetryPolicy.backoff: "retryable with backoff",
    RetryPolicy.once: "retryable once",
}


def _link_text(value: str) -> str:
    return " ".join(value.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def code_line(registry: Registry, name: str) -> str:
    """One code's ``llms.txt`` entry."""
    code = registry.codes[name]
    statuses = "/".join(str(status) for status in code.statuses)
    url = registry.site.docs_url + twin_path(f"errors/{name}.md")
    life = code.lifecycle
    if life.state is LifecycleState.deprecated:
        state = f"deprecated since {life.since}, use {life.replaced_by}, removed on {life.removal_date}; "
    elif life.state is LifecycleState.removed:
        state = f"removed in {life.since}" + (f", use {life.replaced_by}" if life.replaced_by else "") + "; "
    else:
        state = ""
    notes = f"HTTP {statuses}; {state}{_RETRY_NOTES[code.retry.policy]}; {markup.text(code.summary)}"
    return f"- [{name}]({url}): {notes}"


def page_line(page: PageDoc, docs_url: str) -> str:
    notes = f": {markup.text(page.description)}" if page.description else ""
    return f"- [{_link_text(page.title)}]({docs_url}{twin_path(page.src_uri)}){notes}"


def llms_txt(registry: Registry, pages: dict[str, PageDoc], nav: list[NavSection], *, optional: list[str]) -> str:
    """The index. ``optional`` holds ready-made lines for the ``## Optional`` section."""
    site = registry.site
    fields = ", ".join(f"`{field.name}`" for field in registry.envelope)
    lines = [
        f"# {markup.text(site.name)}",
        "",
        f"> {markup.text(site.summary)}",
        "",
        (
            f"Every error response of the {site.name} carries one JSON envelope ({fields}) and one of "
            f"{len(registry.codes)} stable codes. Each code below links its page as Markdown; the notes give "
            "its HTTP status, whether retrying can succeed, and what it means."
        ),
    ]
    # Deprecated and removed codes are secondary material: they go under Optional.
    secondary = [src for src, page in pages.items() if page.code and registry.codes[page.code].state is not LifecycleState.active]
    listed: set[str] = set(secondary)
    for section in nav:
        entries = []
        for src in section.pages:
            if src in pages and src not in listed:
                listed.add(src)
                page = pages[src]
                entries.append(code_line(registry, page.code) if page.code else page_line(page, site.docs_url))
        if entries:
            lines += ["", f"## {section.title}", "", *entries]
    # Pages outside the navigation are still pages: an index must not drop them silently.
    rest = [src for src in pages if src not in listed]
    if rest:
        lines += ["", "## Other pages", ""]
        lines += [code_line(registry, pages[s].code) if pages[s].code else page_line(pages[s], site.docs_url) for s in rest]  # type: ignore[arg-type]
    notes = contract_file_notes()
    lines += ["", "## Contract files", ""]
    lines += [f"- [{name}]({site.docs_url}{name}): {notes[name]}" for name in CONTRACT_FILES]
    optional = [code_line(registry, pages[src].code) for src in secondary] + optional  # type: ignore[arg-type]
    lines += ["", f"## {OPTIONAL}", "", *optional]
    return "\n".join(lines) + "\n"


def llms_surfaces(registry: Registry, pages: dict[str, PageDoc], nav: list[NavSection]) -> dict[str, str]:
    """Every LLM file of the site: twins, ``llms.txt`` and ``llms-full.txt``."""
    docs_url = registry.site.docs_url
    llms_url = docs_url + LLMS_TXT
    ordered = _nav_order(pages, nav)
    out: dict[str, str] = {}
    for src in ordered:
        out[twin_path(src)] = render_twin(pages[src], registry, llms_url=llms_url)
    optional = [f"- [Full documentation]({docs_url}{LLMS_FULL_TXT}): every page above in one Markdown file"]
    out[LLMS_TXT] = llms_txt(registry, pages, nav, optional=optional)
    full = [f"# {markup.text(registry.site.name)}", f"> {markup.text(registry.site.summary)}", index_notice(llms_url)]
    full += [render_twin(pages[src], registry, llms_url=None).rstrip("\n") for src in ordered]
    out[LLMS_FULL_TXT] = "\n\n".join(full) + "\n"
    check_size(out)
    return out


def _nav_order(pages: dict[str, PageDoc], nav: list[NavSection]) -> list[str]:
    ordered: dict[str, None] = {}  # insertion-ordered set
    for section in nav:
        ordered.update((src, None) for src in section.pages if src in pages)
    ordered.update((src, None) for src in pages)
    return list(ordered)


def check_size(files: dict[str, str]) -> None:
    problems = [
        f"{path} is {len(text):,} characters; the budget for llms.txt and each Markdown twin is "
        f"{SIZE_BUDGET:,} (shorten or split the page; nothing is truncated)"
        for path, text in files.items()
        if path != LLMS_FULL_TXT and len(text) > SIZE_BUDGET
    ]
    if problems:
        raise SurfaceError("\n".join(problems))
