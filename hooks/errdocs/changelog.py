"""The "What changed in the error contract" page, from the registry's changelog."""

from __future__ import annotations

import html
import json

from . import markup
from .model import ChangeKind, Registry, _semver
from .tables import code_link

CHANGELOG_PATH = "errors/changelog.md"
TITLE = "What changed in the error contract"

_KIND_WORDS = {
    ChangeKind.added: "Added",
    ChangeKind.deprecated: "Deprecated",
    ChangeKind.removed: "Removed",
    ChangeKind.changed: "Changed",
    ChangeKind.docs: "Documentation",
}


def changelog_page(registry: Registry) -> str:
    description = f"Every published version of the {registry.site.name} error contract, newest first."
    parts = [
        # Front matter is printed unescaped into <meta> by themes: HTML-escape it.
        f"---\ntitle: {json.dumps(TITLE)}\ndescription: {json.dumps(html.escape(description), ensure_ascii=False)}\n---",
        f"# {TITLE}",
        f"> {markup.text(description)}",
        (
            f"The current contract version is **{markup.text(registry.version)}**. Adding a code is a minor "
            "version; removing or renaming a code, changing its HTTP status, its retry behaviour or an SDK "
            "exception is a major version."
        ),
    ]
    entries = sorted(registry.changelog, key=lambda entry: _semver(entry.version), reverse=True)
    if not entries:
        parts.append("No version has been recorded yet.")
    for entry in entries:
        parts.append(f"## {markup.text(entry.version)} ({entry.date.isoformat()})")
        parts.append(markup.text(entry.summary))
        items = []
        for change in entry.changes:
            subject = code_link(change.subject) if change.subject in registry.codes else markup.code(change.subject)
            note = f": {markup.cell(change.note)}" if change.note else ""
            items.append(f"- **{_KIND_WORDS[change.kind]}** {subject}{note}")
        if items:
            parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"
