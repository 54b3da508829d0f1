"""The contract's changelog: its published versions and what each changed (``changelog:``)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, Strict

from .field_types import Date, Markdown, Model, Text, Version


class ChangeKind(str, Enum):
    """What a changelog change did to the contract."""

    added = "added"
    deprecated = "deprecated"
    removed = "removed"
    changed = "changed"
    docs = "docs"


class Change(Model):
    """One change in a changelog entry."""

    kind: Annotated[ChangeKind, Strict(False)]
    """``added``, ``deprecated``, ``removed``, ``changed`` or ``docs``."""
    subject: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    """What changed: a code, an envelope field or a header name."""
    note: Markdown | None = None
    """What a client has to know."""


class ChangelogEntry(Model):
    """One published version of the contract."""

    version: Version
    """Contract version (semver)."""
    date: Date
    """Release date (YYYY-MM-DD)."""
    summary: Text
    """One line on what this version brings."""
    changes: list[Change] = []
    """Changes listed for clients; breaking ones are what a major version records as intended."""

