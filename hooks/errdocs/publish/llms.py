"""``llms.txt`` and its shards, and the start of ``llms-full.txt``: the indexes agents read first.

Each is made as ``{site path: text}``. The twins they link are made by ``publish.twins``,
and the rest of ``llms-full.txt`` (the twins' bodies) by ``publish.publisher``.
``llms.txt`` follows llmstxt.org: an H1, a one-line blockquote, a paragraph, then
H2 sections holding only link lists. Sections follow the site navigation; every
code gets a line whose notes carry its status, whether a retry can help and its
summary, so an agent can act without fetching the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol

from ..registry.model import RETRY_AFTER, EnvelopeRole, Fact, LifecycleState, Registry, field_at
from ..render import markup
from ..render.groups import parts
from ..render.snippets import RETRY_NOTES, if_unconfirmed
from .contract import CONTRACT_FILES, CONTRACT_NOTES, MCP_REQUIRES, MCP_TOOLS, mcp_command
from .twins import code_twin_url, index_notice, twin_path

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"
WELL_KNOWN_LLMS_TXT = ".well-known/llms.txt"
"""Where agents that look in ``/.well-known/`` find the index (the same bytes as ``llms.txt``)."""
WELL_KNOWN_AI_CATALOG = ".well-known/ai-catalog.json"
"""The Agentic Resource Discovery manifest (``publish.ai_catalog``): the MCP server and these documents."""
SHARD_DIR = "llms"
SHARD_SHARE = 0.9
"""Most of the llms.txt budget the code lines of one shard take; a bigger group is split into parts."""
RETIRED_DIR = "lifecycle"
"""Folder of the shards of deprecated and removed codes, inside ``SHARD_DIR``."""
OPTIONAL = "Optional"


@dataclass(frozen=True)
class NavSection:
    """A top-level part of the navigation, flattened: its title and its pages in order."""

    title: str
    pages: list[str]


class Listed(Protocol):
    """What llms.txt needs of a page: a ``PageDoc``, or the facts kept once its twin is written."""

    src_uri: str
    title: str
    description: str | None
    code: str | None


def _link_text(value: str) -> str:
    return " ".join(value.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def code_line(registry: Registry, name: str) -> str:
    """One code's ``llms.txt`` entry."""
    code = registry.codes[name]
    statuses = "/".join(str(status) for status in code.statuses)
    url = code_twin_url(registry, name)
    life = code.lifecycle
    if life.state is LifecycleState.deprecated:
        state = f"deprecated since {life.since}, use {life.replaced_by}, removed on {life.removal_date}; "
    elif life.state is LifecycleState.removed:
        state = f"removed in {life.since}" + (f", use {life.replaced_by}" if life.replaced_by else "") + "; "
    else:
        state = ""
    head = f"HTTP {statuses}{if_unconfirmed(code, Fact.http_status)}"
    category = registry.roles.get(EnvelopeRole.category)
    if category and code.category is not None:
        head += f"; {'.'.join(category)}: {markup.text(code.category)}{if_unconfirmed(code, Fact.category)}"
    if code.subcodes:
        head += f"; {len(code.subcodes)} sub-codes in {'.'.join(registry.roles[EnvelopeRole.subcode])}"
    notes = f"{head}; {state}{RETRY_NOTES[code.retry.policy]}{if_unconfirmed(code, Fact.retry_policy)}; {markup.text(code.summary)}"
    return f"- [{name}]({url}): {notes}"


def page_line(page: Listed, docs_url: str) -> str:
    notes = f": {markup.text(page.description)}" if page.description else ""
    return f"- [{_link_text(page.title)}]({docs_url}{twin_path(page.src_uri)}){notes}"


def llms_txt(
    registry: Registry,
    pages: Mapping[str, Listed],
    nav: list[NavSection],
    *,
    optional: list[str],
    shards: Shards | None = None,
) -> str:
    """The index. ``optional`` holds ready-made lines for the end of the ``## Optional`` section.

    With ``shards``, no code is listed here: each section links the shards of its groups'
    codes, and ``## Optional`` the shards of the deprecated and removed codes.
    """
    site = registry.site
    fields = ", ".join(f"`{field.name}`" for field in registry.envelope)
    lines = [
        f"# {markup.text(site.name)}",
        "",
        f"> {markup.text(site.summary)}",
        "",
        (
            f"{site.name} returns every error in one JSON envelope ({fields}), with one of "
            f"{len(registry.codes)} stable codes{' (a few errors have none)' if _may_be_absent(registry, EnvelopeRole.code) else ''}. "
            "Each code below links its page as Markdown; the notes give "
            "its HTTP status, whether retrying can succeed, and what it means."
        ),
        "",
        *agent_instructions(registry),
        *_sections(registry, pages, nav, shards),
    ]
    if shards is None:
        optional = [code_line(registry, pages[src].code) for src in _retired(registry, pages)] + optional  # type: ignore[arg-type]
    else:
        optional = [shard_line(registry, shard) for shard in shards.retired] + optional
    lines += ["", f"## {OPTIONAL}", "", *optional]
    return "\n".join(lines) + "\n"


def _retired(registry: Registry, pages: Mapping[str, Listed]) -> list[str]:
    """The pages of deprecated and removed codes: secondary material, listed under Optional."""
    return [src for src, page in pages.items() if page.code and registry.codes[page.code].state is not LifecycleState.active]


def _sections(registry: Registry, pages: Mapping[str, Listed], nav: list[NavSection], shards: Shards | None) -> list[str]:
    """One section per part of the navigation, then the pages outside it (``## Other pages``)."""
    docs_url = registry.site.docs_url
    # Group pages sit outside the navigation; they belong with the codes they list.
    grouped = [src for src in pages if src.startswith(registry.group_pages_prefix)]
    listed: set[str] = {*_retired(registry, pages), *grouped}
    shard_of = {name: shard for shard in shards.groups for name in shard.names} if shards else {}
    lines: list[str] = []
    for section in nav:
        entries = []
        linked: set[str] = set()  # the shards this section links already
        for src in section.pages:
            if src not in pages or src in listed:
                continue
            listed.add(src)
            page = pages[src]
            if page.code and grouped:  # the first code of the site: the group pages come before the codes
                entries += [page_line(pages[group], docs_url) for group in grouped]
                grouped = []
            if not page.code:
                entries.append(page_line(page, docs_url))
            elif shards is None:
                entries.append(code_line(registry, page.code))
            elif shard_of[page.code].path not in linked:
                linked.add(shard_of[page.code].path)
                entries.append(shard_line(registry, shard_of[page.code]))
        if entries:
            lines += ["", f"## {section.title}", "", *entries]
    # Pages outside the navigation are still pages: an index must not drop them silently.
    rest = grouped + [src for src in pages if src not in listed and not (shards is not None and pages[src].code)]
    if rest:
        lines += ["", "## Other pages", ""]
        lines += [code_line(registry, pages[s].code) if pages[s].code else page_line(pages[s], docs_url) for s in rest]  # type: ignore[arg-type]
    return lines


def agent_instructions(registry: Registry) -> list[str]:
    """How an agent should handle this API's errors, from the registry: the lines before the sections."""
    roles = {role: "`" + ".".join(path) + "`" for role, path in registry.roles.items()}
    docs = registry.site.docs_url
    lines = [
        "Instructions for agents handling its errors:",
        "",
        f"- Branch on {roles[EnvelopeRole.code]}, never on the text of {roles[EnvelopeRole.message]}: codes are "
        "stable across releases, messages are not.",
        unlisted_codes(registry, roles[EnvelopeRole.code]),
        *_codeless_errors(registry, roles),
        _doc_url_instruction(registry, roles[EnvelopeRole.doc_url]),
        "- Follow each code's retry policy: retry as sent only the codes marked retryable; for any other, "
        "change the request or fix the cause first, as its page says.",
    ]
    if registry.declares_header(RETRY_AFTER):
        lines.append(f"- When a response carries `{RETRY_AFTER}`, wait at least that many seconds before the next attempt.")
    if EnvelopeRole.request_id in roles:
        lines.append(f"- Quote {roles[EnvelopeRole.request_id]} when you report a problem: {registry.site.support_url}")
    # Named by address, not linked: the sections link documentation pages, each with a
    # Markdown twin, and an agent sorting links by "is this Markdown?" should meet only those.
    lines.append("- The contract as data, for code generation and validation:")
    lines += [f"  - `{docs}{name}`: {CONTRACT_NOTES[name]}" for name in CONTRACT_FILES]
    # Named, not linked, for the same reason; the ai-catalog lists the server with how to run it.
    lines.append(f"- To look an error up instead of reading pages, run the MCP server over this site's errors "
                 f"(`{mcp_command(registry)}`, with {MCP_REQUIRES}): "
                 + "; ".join(f"`{tool}`: {what}" for tool, what in MCP_TOOLS.items())
                 + f". Agent resources of this site: `{docs}{WELL_KNOWN_AI_CATALOG}`.")
    return lines


def unlisted_codes(registry: Registry, field: str) -> str:
    """What an agent should make of a code this index does not list: the registry says whether the set is closed."""
    if registry.role_field(EnvelopeRole.code).closed:
        return f"- The API sends no {field} but the ones listed here."
    return (f"- A value of {field} this index does not list can still arrive (new codes come without a breaking change): "
            "handle it by its HTTP status.")


def _may_be_absent(registry: Registry, role: EnvelopeRole) -> bool:
    """Whether an error can come without a value in the field of ``role``: it, or an object it is in,
    is optional or nullable."""
    path = registry.roles[role]
    fields = [field_at(registry.envelope, path[:depth]) for depth in range(1, len(path) + 1)]
    return any(not field.required or field.nullable for field in fields)


def _codeless_errors(registry: Registry, roles: Mapping[EnvelopeRole, str]) -> list[str]:
    """What to do with an error that has no code, for an API whose code field is optional."""
    if not _may_be_absent(registry, EnvelopeRole.code):
        return []
    by = f"{roles[EnvelopeRole.category]} and its HTTP status" if EnvelopeRole.category in roles else "its HTTP status"
    return [f"- Some errors come without {roles[EnvelopeRole.code]}: handle such an error by {by}."]


def _doc_url_instruction(registry: Registry, field: str) -> str:
    """Where an error's ``doc_url`` leads, in the registry's form."""
    which = "an error that has one" if _may_be_absent(registry, EnvelopeRole.doc_url) else "every error"
    if registry.site.anchors_url is None:
        return f"- {field} in {which} is the address of that code's page; its Markdown is the same address plus `.md`."
    return (
        f"- {field} in {which} is the address of the code's section on the page of every code "
        f"({registry.site.anchors_url}, the code after `#`); that page's Markdown is {registry.site.anchors_url}.md, "
        "and each code's own page is linked below."
    )


def index_files(registry: Registry, pages: Mapping[str, Listed], nav: list[NavSection]) -> dict[str, str]:
    """``llms.txt``, plus the shard files of its code lines when a single index would exceed the budget."""
    docs_url = registry.site.docs_url
    optional = [f"- [Full documentation]({docs_url}{LLMS_FULL_TXT}): every page above in one Markdown file"]
    out = {LLMS_TXT: llms_txt(registry, pages, nav, optional=optional)}
    if len(out[LLMS_TXT]) > registry.budgets.llms_txt:
        # Too many codes for one index: their lines move into shard files linked from
        # llms.txt, so every code keeps its line and every file its budget.
        shards = sharded(registry)
        out[LLMS_TXT] = llms_txt(registry, pages, nav, optional=optional, shards=shards)
        out.update((shard.path, shard_text(registry, shard)) for shard in [*shards.groups, *shards.retired])
    return out


def full_header(registry: Registry) -> str:
    """The start of ``llms-full.txt``; the twins' bodies follow, each after a blank line."""
    notice = index_notice(registry.site.docs_url + LLMS_TXT)
    return "\n\n".join([f"# {markup.text(registry.site.name)}", f"> {markup.text(registry.site.summary)}", notice])


@dataclass(frozen=True)
class Shard:
    """One file of code lines moved out of ``llms.txt``."""

    title: str
    path: str
    names: list[str]
    about: str
    """The sentence that opens it: which codes it holds."""


@dataclass(frozen=True)
class Shards:
    """Every code line of a sharded index, in its shard."""

    groups: list[Shard]
    """The active codes: one shard per group, or per part of a big group."""
    retired: list[Shard]
    """The deprecated and removed codes: one shard per state (or part of one), linked under Optional."""


_RETIRED = {
    LifecycleState.deprecated: ("Deprecated codes", "The {n} codes the API still returns but is phasing out, each with its replacement."),
    LifecycleState.removed: ("Removed codes", "The {n} codes the API no longer returns; their pages stay."),
}
"""The title of the shard of each state but active, and its opening sentence."""


def sharded(registry: Registry) -> Shards:
    """The shards of every code: active ones by group, the others by lifecycle state, each
    cut into parts where its lines would take more than ``SHARD_SHARE`` of the budget."""
    groups = registry.code_groups(states=frozenset({LifecycleState.active}))
    retired: list[Shard] = []
    for state, (title, about) in _RETIRED.items():
        names = [name for name, code in registry.codes.items() if code.state is state]
        # A folder of their own: no group's shard can take one of their names.
        retired += _shards(registry, {title: names} if names else {}, f"{SHARD_DIR}/{RETIRED_DIR}", about)
    return Shards(_shards(registry, groups, SHARD_DIR, "The {n} error codes of the {title} group."), retired)


def _shards(registry: Registry, groups: dict[str, list[str]], folder: str, about: str) -> list[Shard]:
    """A shard per group in ``folder``, a group too big for one split into "Group (1 of 3)"... parts;
    ``about`` is the opening sentence, with ``{n}`` and ``{title}`` to fill in."""
    size = int(registry.budgets.llms_txt * SHARD_SHARE)
    titled: dict[str, list[str]] = {}
    for group, names in groups.items():
        lengths = [len(code_line(registry, name)) + 1 for name in names]
        titled.update(parts(group, names, lengths, size))
    slugs = markup.slugs(titled)
    return [
        Shard(title, f"{folder}/{slugs[title]}.txt", names, about.format(n=len(names), title=markup.text(title)))
        for title, names in titled.items()
    ]


def shard_line(registry: Registry, shard: Shard) -> str:
    statuses = sorted({s for n in shard.names for s in registry.codes[n].statuses})
    return (
        f"- [{_link_text(shard.title)}]({registry.site.docs_url}{shard.path}): index of {len(shard.names)} codes "
        f"(HTTP {', '.join(map(str, statuses))}), one line each with status, retry and summary"
    )


def shard_text(registry: Registry, shard: Shard) -> str:
    return "\n".join(
        [f"# {markup.text(registry.site.name)}: {markup.text(shard.title)}", "",
         f"> {shard.about} The full index is {registry.site.docs_url}{LLMS_TXT}.",
         "", f"## {markup.text(shard.title)}", "", *(code_line(registry, n) for n in shard.names)]
    ) + "\n"


def nav_order(pages: Mapping[str, object], nav: list[NavSection]) -> list[str]:
    """Docs paths of ``pages`` in navigation order, pages outside the navigation last."""
    ordered: dict[str, None] = {}  # insertion-ordered set
    for section in nav:
        ordered.update((src, None) for src in section.pages if src in pages)
    ordered.update((src, None) for src in pages)
    return list(ordered)
