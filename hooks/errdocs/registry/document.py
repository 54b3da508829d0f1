"""The registry as a whole: ``registry.yaml`` as one ``Registry``, and what it derives (addresses, roles, groups)."""

from __future__ import annotations

import functools
import weakref
from functools import cached_property
from typing import Annotated, Any, Callable, Literal, TypeVar

from pydantic import Field, field_validator

from .changelog import ChangelogEntry
from .codes import RETURNED, Code, LifecycleState
from .envelope import EnvelopeField, ItemField, envelope_roles, field_at
from .envelope_roles import JSON_MEDIA_TYPE, EnvelopeRole
from .field_types import Model, Version
from .guidance import Header, RetryGuidance
from .site import Budgets, Site

SUBCODE_PAGE_PREFIX = "subcodes-"
"""Start of a sub-code page's name, for a code whose sub-codes would not fit its page."""
GROUP_PAGE_PREFIX = "codes-"
"""Start of a group page's name (``codes-client-errors.md``): codes are snake_case, so no code takes it."""


class Registry(Model):
    """The whole error contract: ``registry.yaml``."""

    version: Version
    """Version of the error contract (semver): a breaking change bumps the major."""
    site: Site
    """Facts about the API and its docs."""
    envelope_media_type: Literal["application/json", "application/problem+json"] = JSON_MEDIA_TYPE
    """Media type of error bodies; ``application/problem+json`` for RFC 9457 problem details."""
    envelope: Annotated[list[EnvelopeField], Field(min_length=1)]
    """Fields of the error envelope, in order."""
    detail_items: list[ItemField] | None = None
    """The keys of each item of an array message. Without it the API sends no array messages;
    ``[]`` declares them with items whose keys are not listed (FastAPI's are ``loc``, ``msg``, ``type``)."""
    headers: list[Header] = []
    """Standard response headers on errors."""
    retry_guidance: RetryGuidance
    """The retry guidance snippet."""
    codes: Annotated[dict[str, Code], Field(min_length=1)]
    """Canonical codes by name (snake_case). One order everywhere: the overview table, the
    navigation, prev/next, the LLM files and the contract files list a group's codes
    together, groups in order of first appearance, codes in registry order within each."""
    changelog: list[ChangelogEntry] = []
    """Published versions of the contract, any order (the changelog page sorts them)."""

    @field_validator("codes")
    @classmethod
    def _grouped(cls, codes: dict[str, Code]) -> dict[str, Code]:
        # The navigation must show a group's codes together; every other surface follows it,
        # so a reader's "Next" is always the next row of the overview.
        groups: dict[str, list[str]] = {}
        for name, code in codes.items():
            groups.setdefault(code.nav_group, []).append(name)
        return {name: codes[name] for names in groups.values() for name in names}

    def declares_header(self, name: str) -> bool:
        """Whether ``headers`` lists ``name`` (header names are case-insensitive)."""
        return any(declared.lower() == name.lower() for header in self.headers for declared in header.names)

    @property
    def budgets(self) -> Budgets:
        """The size budgets in force: ``site.budgets``, else the older ``llms_size_budget`` for both."""
        site = self.site
        if "budgets" in site.model_fields_set or site.llms_size_budget is None:
            return site.budgets
        return Budgets(llms_txt=site.llms_size_budget, twin=site.llms_size_budget)

    @property
    def errors_path(self) -> str:
        """Folder of the code pages in the docs tree, e.g. ``errors/``."""
        return self.site.errors_path

    def doc_url(self, code: str) -> str:
        """Published address of a code's page (no trailing slash, as in envelopes): ``site.doc_url``."""
        return self.site.doc_url(code)

    def code_page_path(self, name: str) -> str:
        """Source path of a code's own page inside the docs tree (``site.page_name``)."""
        return f"{self.site.errors_path}{self.site.page_name(name)}.md"

    @property
    def anchors_page_path(self) -> str | None:
        """In the anchor form, the source path of the page of every code (``errors/index.md``), else None."""
        return f"{self.site.errors_path}index.md" if self.site.anchors_url is not None else None

    def group_page_path(self, slug: str) -> str:
        """Source path of the group page ``slug``, beside the code pages."""
        return f"{self.group_pages_prefix}{slug}.md"

    @property
    def group_pages_prefix(self) -> str:
        """How the source path of every group page starts (``errors/codes-``)."""
        return f"{self.site.errors_path}{GROUP_PAGE_PREFIX}"

    @property
    def subcode_pages_prefix(self) -> str:
        """How the source path of every sub-code page starts (``errors/subcodes-``)."""
        return f"{self.site.errors_path}{SUBCODE_PAGE_PREFIX}"

    def subcode_page_path(self, code: str, number: int) -> str:
        """Source path of the ``number``-th page of a code's sub-codes, beside the code pages
        (``subcodes-card_declined.md``, then ``subcodes-card_declined-2.md``...): no code name
        holds a hyphen, and no slug starts with the prefix (a rule across entries)."""
        return f"{self.subcode_pages_prefix}{code}{'' if number == 1 else f'-{number}'}.md"

    @property
    def changelog_path(self) -> str:
        """Source path of the changelog page, beside the code pages."""
        return f"{self.site.errors_path}changelog.md"

    @cached_property
    def roles(self) -> dict[EnvelopeRole, tuple[str, ...]]:
        """Each role -> the path of the field that plays it (``("error", "code")``); see ``envelope_roles``."""
        return {role: path for path, role in envelope_roles(self.envelope, self.envelope_media_type) if role}

    def role_field(self, role: EnvelopeRole) -> EnvelopeField:
        """The envelope field that plays ``role`` (which must be played)."""
        return field_at(self.envelope, self.roles[role])

    @property
    def doc_url_key(self) -> str:
        """The JSON key of the field that carries the documentation URL (``doc_url``, ``type``...)."""
        return self.roles[EnvelopeRole.doc_url][-1]

    def code_groups(self, *, states: frozenset[LifecycleState] = RETURNED) -> dict[str, list[str]]:
        """Group title -> names of the codes in one of ``states``, groups in order of first appearance."""
        groups: dict[str, list[str]] = {}
        for name, code in self.codes.items():
            if code.state in states:
                groups.setdefault(code.nav_group, []).append(name)
        return groups


Result = TypeVar("Result")


def once_per_registry(function: Callable[[Registry], Result]) -> Callable[[Registry], Result]:
    """A function of a registry alone, computed once per ``Registry`` object (they are immutable)
    and kept while that object lives: a build asks for its page list and group pages several
    times, and each time costs a pass over every code. Callers must not change the result."""
    results: dict[int, tuple[weakref.ref[Registry], Any]] = {}

    @functools.wraps(function)
    def once(registry: Registry) -> Result:
        key = id(registry)
        known = results.get(key)
        if known is not None and known[0]() is registry:
            return known[1]
        value = function(registry)
        # Dropped when the registry goes, before its id can be another object's.
        results[key] = (weakref.ref(registry, lambda _, key=key: results.pop(key, None)), value)
        return value

    return once
