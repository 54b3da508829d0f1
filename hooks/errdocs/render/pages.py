"""The pages the registry adds to a site: one per code, the changelog, and the group pages.

Each page's Markdown is a plain function of the registry. ``generated_pages`` lists
them without rendering anything: a build renders each page when MkDocs reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..registry.model import FACT_LABELS, ChangeKind, Code, EnvelopeRole, ErrorStyle, Fact, LifecycleState, Registry, once_per_registry, semver
from . import markup
from .groups import GroupPage, group_pages
from .subcodes import SubcodePage, subcode_page, subcode_pages, subcodes_section
from .snippets import code_link, code_table, example_markdown, if_unconfirmed, status_summary

CHANGELOG_TITLE = "What changed in the error contract"
ANCHORS_TITLE = "Error codes"
"""The title of the anchor form's page of every code (its description names the API)."""
_KIND_WORDS = {
    ChangeKind.added: "Added",
    ChangeKind.deprecated: "Deprecated",
    ChangeKind.removed: "Removed",
    ChangeKind.changed: "Changed",
    ChangeKind.docs: "Documentation",
}

_HANDS = {
    ErrorStyle.raised: "Raises {type}",
    ErrorStyle.thrown: "Throws {type}",
    ErrorStyle.returned: "Returns {type} as its error value",
}
"""How a code page says what an SDK gives the caller, by the SDK's ``errors`` style."""


# --- the list of generated pages ------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryPage:
    """A page the registry adds (not yet its Markdown: ``render_page`` makes that when it is read).

    Nothing is rendered up front and the page does not hold the registry: a build reads
    each page once, and holding every page's Markdown from the start would cost about
    30 MB at 10,000 codes.
    """

    src_uri: str
    code: str | None = None
    """The code it documents (None for the changelog and group pages)."""
    in_nav: bool = True
    """Removed codes keep their page but leave the navigation; group pages are reached from the overview."""
    group: GroupPage | None = None
    """The group of codes it lists, for a group page."""
    anchors: bool = False
    """Whether it is the page of every code, one section each: what the anchor form's ``doc_url`` names."""
    subcodes: SubcodePage | None = None
    """The sub-codes it lists, for a page of sub-codes too many for their code's page."""


@once_per_registry
def generated_pages(registry: Registry) -> tuple[RegistryPage, ...]:
    """Every page the registry adds: one per code, in registry order, then the changelog, the group pages
    and the pages of sub-codes too many for their code's page."""
    pages = [
        RegistryPage(registry.code_page_path(name), name, code.state is not LifecycleState.removed)
        for name, code in registry.codes.items()
    ]
    if registry.anchors_page_path is not None:
        pages.append(RegistryPage(registry.anchors_page_path, anchors=True))
    pages.append(RegistryPage(registry.changelog_path))
    pages += [RegistryPage(group.src_uri, in_nav=False, group=group) for group in group_pages(registry)]
    # Reached from their code's page, like the group pages from the overview.
    pages += [RegistryPage(page.src_uri, in_nav=False, subcodes=page)
              for name, code in registry.codes.items() if code.subcodes and code.returned for page in subcode_pages(registry, name)]
    return tuple(pages)


def render_page(registry: Registry, page: RegistryPage) -> str:
    """The Markdown source of a generated page."""
    if page.code is not None:
        return code_page(registry, page.code)
    if page.anchors:
        return anchors_page(registry)
    if page.subcodes is not None:
        return subcode_page(registry, page.subcodes)
    return changelog_page(registry) if page.group is None else group_page(registry, page.group)


def group_page(registry: Registry, group: GroupPage) -> str:
    """A group page: the codes table of one group (or part of one), front matter included."""
    description = (
        f"The {registry.site.name} error codes of the group {group.group}: their HTTP status, "
        "when each happens and whether to retry."
    )
    return "\n\n".join([
        markup.front_matter(group.title, description),
        f"# {markup.text(group.title)}",
        f"> {markup.text(description)}",
        code_table(registry, list(group.names)),
    ]) + "\n"


def anchors_page(registry: Registry) -> str:
    """The page the anchor form's ``doc_url`` names: every code, removed ones included, as a
    short section whose id is the code, linking the code's own page."""
    title = ANCHORS_TITLE
    description = f"Every {registry.site.name} error code in one page: its HTTP status, whether to retry, and a link to its page."
    sections = [markup.front_matter(title, description), f"# {markup.text(title)}", f"> {markup.text(description)}"]
    for name, code in registry.codes.items():
        # An explicit id (attr_list): a theme's heading slugs could turn the code's underscores into hyphens.
        sections.append(f"## {markup.code(name)} {{#{name}}}")
        facts = f"**HTTP {status_summary(code.statuses)}**{if_unconfirmed(code, Fact.http_status)}. {markup.text(code.summary)}"
        sections.append(f"{facts} {_life(registry, code)}Retry? {markup.cell(code.retry.label)} Its page: {code_link(registry, name)}.")
    return "\n\n".join(sections) + "\n"


def _life(registry: Registry, code: Code) -> str:
    """Where a code is in its life, as the start of a sentence for the page of every code."""
    life = code.lifecycle
    if life.state is LifecycleState.active:
        return ""
    instead = f" Use {code_link(registry, life.replaced_by)} instead." if life.replaced_by else ""
    return f"**{life.state.value.capitalize()}** in version {markup.text(life.since or '')}.{instead} "


# --- a code's page --------------------------------------------------------------------------------


def code_page(registry: Registry, name: str) -> str:
    """The full Markdown page of one code, front matter included."""
    code = registry.codes[name]
    if code.state is LifecycleState.removed:
        return _removed_page(registry, name)
    sections = [
        markup.front_matter(name, code.summary),
        f"# {name}",
        f"> **HTTP {status_summary(code.statuses)}**{if_unconfirmed(code, Fact.http_status)}: {markup.text(code.summary)}",
        *([_deprecation(registry, code)] if code.state is LifecycleState.deprecated else []),
        _facts(registry, name),
        "## When this happens",
        markup.prose(code.when),
        "## Example response",
        *([markup.prose(code.example.intro)] if code.example.intro else []),
        example_markdown(registry, name),
        "## What to do",
        _steps(code),
        *(["## Sub-codes", subcodes_section(registry, name)] if code.subcodes else []),
        "## SDK behaviour",
        _sdk(registry, code),
    ]
    for extra in code.sections:
        sections += [f"## {markup.text(extra.title)}", markup.prose(extra.body)]
    if code.related:
        sections += ["## Related", _related(registry, code)]
    return "\n\n".join(sections) + "\n"


def _deprecation(registry: Registry, code: Code) -> str:
    life = code.lifecycle
    body = (
        f"Handle {code_link(registry, life.replaced_by or '')} instead. The API stops returning this code on "
        f"{life.removal_date.isoformat() if life.removal_date else 'a date to be announced'}; its page stays."
    )
    return f'!!! warning "Deprecated since version {markup.text(life.since or "")}"\n\n' + markup.indent(body)


def _removed_page(registry: Registry, name: str) -> str:
    """What an old doc_url shows once its code is gone: what it was and what replaced it."""
    code = registry.codes[name]
    life = code.lifecycle
    instead = f"Handle {code_link(registry, life.replaced_by)} instead." if life.replaced_by else "No code replaces it."
    sections = [
        markup.front_matter(name, code.summary),
        f"# {name}",
        f"> **Removed** (HTTP {status_summary(code.statuses)}): {markup.text(code.summary)}",
        f'!!! danger "Removed in version {markup.text(life.since or "")}"\n\n'
        + markup.indent(f"The API no longer returns `{name}`. {instead} This page stays so that every `doc_url` "
                        "ever sent keeps answering."),
        _facts(registry, name),
    ]
    if code.related:
        sections += ["## Related", _related(registry, code)]
    return "\n\n".join(sections) + "\n"


def _facts(registry: Registry, name: str) -> str:
    code = registry.codes[name]
    category = registry.roles.get(EnvelopeRole.category)
    rows = [
        ["**HTTP status**", " or ".join(markup.code(line) for line in code.http) + if_unconfirmed(code, Fact.http_status)],
        ["**Code**", markup.code(name)],
        *([["**Category**", f"{markup.code(code.category or '')} (in {markup.code('.'.join(category))}){if_unconfirmed(code, Fact.category)}"]] if category else []),
        ["**Retry?**", markup.cell(code.retry.label) + if_unconfirmed(code, Fact.retry_policy)],
    ]
    if code.unconfirmed:
        rows.append(["**Unconfirmed**", markup.sentences(f"{FACT_LABELS[fact]}: {markup.text(why)}" for fact, why in code.unconfirmed.items())])
    return markup.table(["", ""], rows)


def _steps(code: Code) -> str:
    # Continuation lines of a step are indented so multi-line steps stay one item.
    return "\n".join(f"{i}. {markup.indent(markup.prose(step), 3).lstrip()}" for i, step in enumerate(code.steps, 1))


def _sdk(registry: Registry, code: Code) -> str:
    """Every SDK's error for this code in one table, visible without a click (as the
    published pages have it), then each SDK's note and the note common to all."""
    sdks = registry.site.sdks
    if not sdks:
        return "No SDK is declared for this API."
    with_attributes = any(code.sdk[sdk_id].attributes for sdk_id in sdks)
    rows, notes = [], []
    for sdk_id, sdk in sdks.items():
        raised = code.sdk[sdk_id]
        row = [f"{markup.text(sdk.label)} ([{markup.code(sdk.package)}]({sdk.url}))",
               _HANDS[sdk.error_style].format(type=markup.code(raised.exception))]
        if with_attributes:
            row.append(markup.sentences(
                f"{markup.code(a.name)} ({markup.code(a.type)}): {markup.cell(a.description)}" for a in raised.attributes
            ) or "None")
        rows.append(row)
        if raised.note:
            # Four spaces keep a note's later paragraphs in its item for Python-Markdown and CommonMark alike.
            notes.append(f"- **{markup.text(sdk.label)}**: " + markup.indent(markup.prose(raised.note), 4).lstrip())
    header = ["SDK", "Error", *(["Attributes"] if with_attributes else [])]
    parts = [markup.table(header, rows)]
    if Fact.sdk_exceptions in code.unconfirmed:
        parts.insert(0, f"**Unconfirmed**: {markup.text(code.unconfirmed[Fact.sdk_exceptions])}")
    if notes:
        parts.append("\n\n".join(notes))
    if code.sdk_note:
        parts.append(markup.prose(code.sdk_note))
    return "\n\n".join(parts)


def _related(registry: Registry, code: Code) -> str:
    items = []
    for rel in code.related:
        link = code_link(registry, rel.code) if rel.code else f"[{markup.text(rel.title or '')}]({rel.url})"
        items.append(f"- {link}" + (f": {markup.text(rel.note)}" if rel.note else ""))
    return "\n".join(items)


# --- the changelog page ---------------------------------------------------------------------------


def changelog_page(registry: Registry) -> str:
    description = f"Every published version of the {registry.site.name} error contract, newest first."
    parts = [
        markup.front_matter(CHANGELOG_TITLE, description),
        f"# {CHANGELOG_TITLE}",
        f"> {markup.text(description)}",
        (
            f"The current contract version is **{markup.text(registry.version)}**. Adding a code is a minor "
            "version; removing or renaming a code, changing its HTTP status, its retry behaviour or an SDK "
            "exception is a major version."
        ),
    ]
    entries = sorted(registry.changelog, key=lambda entry: semver(entry.version), reverse=True)
    if not entries:
        parts.append("No version has been recorded yet.")
    for entry in entries:
        parts.append(f"## {markup.text(entry.version)} ({entry.date.isoformat()})")
        parts.append(markup.text(entry.summary))
        items = []
        for change in entry.changes:
            subject = code_link(registry, change.subject) if change.subject in registry.codes else markup.code(change.subject)
            note = f": {markup.cell(change.note)}" if change.note else ""
            items.append(f"- **{_KIND_WORDS[change.kind]}** {subject}{note}")
        if items:
            parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"
