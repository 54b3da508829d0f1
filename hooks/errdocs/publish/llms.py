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

from ..registry.model import RETRY_AFTER, EnvelopeRole, Fact, LifecycleState, Registry
from ..render import markup
from ..render.groups import parts
from ..render.snippets import RETRY_NOTES, if_unconfirmed
from .contract import CONTRACT_FILES, CONTRACT_NOTES
from .twins import index_notice, twin_path

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"
WELL_KNOWN_LLMS_TXT = ".well-known/llms.txt"
"""Where agents that look in ``/.well-known/`` find the index (the same bytes as ``llms.txt``)."""
SHARD_DIR = "llms"
SHARD_SHARE = 0.9
"""Most of the llms.txt budget the code lines of one shard take; a bigger group is split into parts."""
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
    url = registry.site.docs_url + twin_path(registry.code_page_path(name))
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
        head += f"; {'.'.join(category)}: {markup.text(code.category)}"
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
    shards: dict[str, str] | None = None,
    members: dict[str, list[str]] | None = None,
) -> str:
    """The index. ``optional`` holds ready-made lines for the ``## Optional`` section.

    With ``shards`` (group title -> shard file), active codes are not listed here but
    in their group's shard file, and each section links its shards instead.
    """
    site = registry.site
    part_of = {name: title for title, names in (members or {}).items() for name in names}
    fields = ", ".join(f"`{field.name}`" for field in registry.envelope)
    lines = [
        f"# {markup.text(site.name)}",
        "",
        f"> {markup.text(site.summary)}",
        "",
        (
            f"{site.name} returns every error in one JSON envelope ({fields}), with one of "
            f"{len(registry.codes)} stable codes. Each code below links its page as Markdown; the notes give "
            "its HTTP status, whether retrying can succeed, and what it means."
        ),
        "",
        *agent_instructions(registry),
    ]
    # Deprecated and removed codes are secondary material: they go under Optional.
    secondary = [src for src, page in pages.items() if page.code and registry.codes[page.code].state is not LifecycleState.active]
    listed: set[str] = set(secondary)
    for section in nav:
        entries = []
        linked: set[str] = set()
        for src in section.pages:
            if src in pages and src not in listed:
                listed.add(src)
                page = pages[src]
                if page.code and shards is not None:
                    group = part_of[page.code]
                    if group not in linked:
                        linked.add(group)
                        entries.append(shard_line(registry, group, shards[group], (members or {})[group]))
                    continue
                entries.append(code_line(registry, page.code) if page.code else page_line(page, site.docs_url))
        if entries:
            lines += ["", f"## {section.title}", "", *entries]
    # Pages outside the navigation are still pages: an index must not drop them silently.
    rest = [src for src in pages if src not in listed and not (shards is not None and pages[src].code)]
    if rest:
        lines += ["", "## Other pages", ""]
        lines += [code_line(registry, pages[s].code) if pages[s].code else page_line(pages[s], site.docs_url) for s in rest]  # type: ignore[arg-type]
    optional = [code_line(registry, pages[src].code) for src in secondary] + optional  # type: ignore[arg-type]
    lines += ["", f"## {OPTIONAL}", "", *optional]
    return "\n".join(lines) + "\n"


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
        f"- {roles[EnvelopeRole.doc_url]} in every error is the address of that code's page; its Markdown is "
        "the same address plus `.md`.",
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
    return lines


def unlisted_codes(registry: Registry, field: str) -> str:
    """What an agent should make of a code this index does not list: the registry says whether the set is closed."""
    if registry.role_field(EnvelopeRole.code).closed:
        return f"- The API sends no {field} but the ones listed here."
    return (f"- A {field} this index does not list can still arrive (new codes come without a breaking change): "
            "handle it by its HTTP status.")


def index_files(registry: Registry, pages: Mapping[str, Listed], nav: list[NavSection]) -> dict[str, str]:
    """``llms.txt``, plus one shard file per group of codes when a single index would exceed the budget."""
    docs_url = registry.site.docs_url
    optional = [f"- [Full documentation]({docs_url}{LLMS_FULL_TXT}): every page above in one Markdown file"]
    out = {LLMS_TXT: llms_txt(registry, pages, nav, optional=optional)}
    if len(out[LLMS_TXT]) > registry.budgets.llms_txt:
        # Too many codes for one index: each group of codes gets its own llms file,
        # linked from llms.txt, so every code keeps its line and every file its budget.
        groups = registry.code_groups(states=frozenset({LifecycleState.active}))
        members = _parts(registry, groups, int(registry.budgets.llms_txt * SHARD_SHARE))
        shards = shard_paths(members)
        out[LLMS_TXT] = llms_txt(registry, pages, nav, optional=optional, shards=shards, members=members)
        for group, path in shards.items():
            out[path] = shard_text(registry, group, members[group])
    return out


def full_header(registry: Registry) -> str:
    """The start of ``llms-full.txt``; the twins' bodies follow, each after a blank line."""
    notice = index_notice(registry.site.docs_url + LLMS_TXT)
    return "\n\n".join([f"# {markup.text(registry.site.name)}", f"> {markup.text(registry.site.summary)}", notice])




def _parts(registry: Registry, groups: dict[str, list[str]], size: int) -> dict[str, list[str]]:
    """``groups`` with each group too big for one shard split into "Group (1 of 3)"... parts."""
    out: dict[str, list[str]] = {}
    for group, names in groups.items():
        lengths = [len(code_line(registry, name)) + 1 for name in names]
        out.update(parts(group, names, lengths, size))
    return out


def shard_paths(members: dict[str, list[str]]) -> dict[str, str]:
    """Group title -> ``llms/<slug>.txt``, slugs made unique."""
    return {group: f"{SHARD_DIR}/{slug}.txt" for group, slug in markup.slugs(members).items()}


def shard_line(registry: Registry, group: str, path: str, names: list[str]) -> str:
    statuses = sorted({s for n in names for s in registry.codes[n].statuses})
    return (
        f"- [{_link_text(group)}]({registry.site.docs_url}{path}): index of {len(names)} codes "
        f"(HTTP {', '.join(map(str, statuses))}), one line each with status, retry and summary"
    )


def shard_text(registry: Registry, group: str, names: list[str]) -> str:
    return "\n".join(
        [f"# {markup.text(registry.site.name)}: {markup.text(group)}", "",
         f"> The {len(names)} error codes of the {markup.text(group)} group. The full index is {registry.site.docs_url}{LLMS_TXT}.",
         "", f"## {markup.text(group)}", "", *(code_line(registry, n) for n in names)]
    ) + "\n"


def nav_order(pages: Mapping[str, object], nav: list[NavSection]) -> list[str]:
    """Docs paths of ``pages`` in navigation order, pages outside the navigation last."""
    ordered: dict[str, None] = {}  # insertion-ordered set
    for section in nav:
        ordered.update((src, None) for src in section.pages if src in pages)
    ordered.update((src, None) for src in pages)
    return list(ordered)
