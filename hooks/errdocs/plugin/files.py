"""MkDocs' structures in the core's terms: a generated page as a file MkDocs reads (rendered
then), and MkDocs' navigation as the plain nav data the core reads."""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from ..build import Build


class RenderedOnRead(File):
    """A generated page rendered when MkDocs reads it, not held for the whole build (30 MB at 10,000 codes)."""

    _build: Build

    @classmethod
    def of(cls, config: MkDocsConfig, src_uri: str, build: Build, *, inclusion: InclusionLevel) -> File:
        # generated() wants content or a path; the empty content is never read.
        file = cls.generated(config, src_uri, content="", inclusion=inclusion)
        file._build = build
        return file

    @property
    def content_string(self) -> str:
        return self._build.source(self.src_uri)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")


def nav_data(items: list[Any]) -> list[Any]:
    """MkDocs' resolved navigation as plain nav data (works for explicit and automatic navs)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append({str(item.title): nav_data(item.children)})
        elif isinstance(item, Page):
            out.append(item.file.src_uri)
    return out
