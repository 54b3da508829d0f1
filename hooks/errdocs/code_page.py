"""One page per code: the Markdown of ``errors/<code>.md``."""

from __future__ import annotations

import html
import json

from . import markup
from .envelope import example_markdown
from .model import Code, LifecycleState, Registry
from .tables import code_link, status_summary

def code_page_path(name: str) -> str:
    """Source path of a code's page inside the docs tree."""
    return f"errors/{name}.md"


def code_page(registry: Registry, name: str) -> str:
    """The full Markdown page of one code, front matter included."""
    code = registry.codes[name]
    if code.state is LifecycleState.removed:
        return _removed_page(registry, name)
    sections = [
        _front_matter(name, code),
        f"# {name}",
        f"> **HTTP {status_summary(code.statuses)}**: {markup.text(code.summary)}",
        *([_deprecation(code)] if code.state is LifecycleState.deprecated else []),
        _facts(name, code),
        "## When this happens",
        markup.prose(code.when),
        "## Example response",
        *([markup.prose(code.example.intro)] if code.example.intro else []),
        example_markdown(registry, name),
        "## What to do",
        _steps(code),
        "## SDK behaviour",
        _sdk(registry, code),
    ]
    for extra in code.sections:
        sections += [f"## {markup.text(extra.title)}", markup.prose(extra.body)]
    if code.related:
        sections += ["## Related", _related(code)]
    return "\n\n".join(sections) + "\n"


def _deprecation(code: Code) -> str:
    life = code.lifecycle
    body = (
        f"Handle {code_link(life.replaced_by or '')} instead. The API stops returning this code on "
        f"{life.removal_date.isoformat() if life.removal_date else 'a date to be announced'}; its page stays."
    )
    return f'!!! warning "Deprecated since version {markup.text(life.since or "")}"\n\n' + markup.indent(body)


def _removed_page(registry: Registry, name: str) -> str:
    """What an old doc_url shows once its code is gone: what it was and what replaced it."""
    code = registry.codes[name]
    life = code.lifecycle
    instead = f"Handle {code_link(life.replaced_by)} instead." if life.replaced_by else "No code replaces it."
    sections = [
        _front_matter(name, code),
        f"# {name}",
        f"> **Removed** (HTTP {status_summary(code.statuses)}): {markup.text(code.summary)}",
        f'!!! danger "Removed in version {markup.text(life.since or "")}"\n\n'
        + markup.indent(f"The API no longer returns `{name}`. {instead} This page stays so that every `doc_url` "
                        "ever sent keeps answering."),
        _facts(name, code),
    ]
    if code.related:
        sections += ["## Related", _related(code)]
    return "\n\n".join(sections) + "\n"


def _front_matter(name: str, code: Code) -> str:
    # JSON string quoting is valid YAML and keeps any character of a summary safe.
    # Themes print `description` unescaped into <meta content="...">, so it is
    # HTML-escaped here; the LLM files take the summary from the registry instead.
    description = html.escape(" ".join(code.summary.split()), quote=True)
    return f"---\ntitle: {json.dumps(name)}\ndescription: {json.dumps(description, ensure_ascii=False)}\n---"


def _facts(name: str, code: Code) -> str:
    statuses = " or ".join(markup.code(line) for line in code.http)
    rows = [
        ["**HTTP status**", statuses],
        ["**Code**", markup.code(name)],
        ["**Retry?**", markup.cell(code.retry.label)],
    ]
    return markup.table(["", ""], rows)


def _steps(code: Code) -> str:
    # Continuation lines of a step are indented so multi-line steps stay one item.
    return "\n".join(f"{i}. {markup.indent(markup.prose(step), 3).lstrip()}" for i, step in enumerate(code.steps, 1))


def _sdk(registry: Registry, code: Code) -> str:
    tabs: list[str] = []
    for sdk_id, sdk in registry.site.sdks.items():
        raised = code.sdk[sdk_id]
        body = [f"Raises {markup.code(raised.exception)} from [{markup.code(sdk.package)}]({sdk.url})."]
        if raised.attributes:
            body.append(
                markup.table(
                    ["Attribute", "Type", "Meaning"],
                    [[markup.code(a.name), markup.code(a.type), markup.cell(a.description)] for a in raised.attributes],
                )
            )
        if raised.note:
            body.append(markup.prose(raised.note))
        label = markup.text(sdk.label).replace('"', "&quot;")
        tabs.append(f'=== "{label}"\n\n' + markup.indent("\n\n".join(body)))
    parts = ["\n\n".join(tabs)] if tabs else []
    if code.sdk_note:
        parts.append(markup.prose(code.sdk_note))
    return "\n\n".join(parts) or "No SDK is declared for this API."


def _related(code: Code) -> str:
    items = []
    for rel in code.related:
        link = code_link(rel.code) if rel.code else f"[{markup.text(rel.title or '')}]({rel.url})"
        items.append(f"- {link}" + (f": {markup.text(rel.note)}" if rel.note else ""))
    return "\n".join(items)
