"""The registry model: one typed, validated view of ``registry.yaml``.

Every field carries an attribute docstring; pydantic turns them into the
descriptions of the exported JSON Schema, so editors show them as hover help.
Cross-entry rules (related codes exist, SDK ids are declared, ...) live in the
``Registry`` validator so that a single ``Registry.model_validate`` call checks
everything and reports each problem with its path.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Any, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .http_status import reason_matches, standard_reason

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
RESERVED_NAMES = frozenset({"changelog", "index"})
"""Names of generated pages that live beside the code pages under ``errors/``."""
_CODE_RE = re.compile(CODE_PATTERN)
_STATUS_RE = re.compile(r"^(\d{3}) (\S.*)$")
# Links written inside registry Markdown: [text](target). Targets are checked so
# that no field can smuggle a `javascript:` (or any other active) URL into HTML.
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_ALLOWED_LINK = re.compile(r"^(https://|http://|mailto:|/|#|\.\.?/|[A-Za-z0-9_-][^:]*$)")


def _problem(kind: str, message: str) -> PydanticCustomError:
    # The message goes in as context, never as the template: pydantic formats
    # templates with str.format-like rules, and a registry value may contain braces.
    return PydanticCustomError(kind, "{message}", {"message": message})


def _https_url(value: str) -> str:
    if not re.match(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s<>\"]*)?$", value):
        raise _problem("https_url", f"must be an absolute https:// URL, got {value!r}")
    return value


def _safe_markdown(value: str) -> str:
    for target in _MD_LINK_RE.findall(value):
        if target and not _ALLOWED_LINK.match(target):
            raise _problem(
                "link_scheme", f"link target {target!r} is not allowed (use https://, mailto: or a /path.md page link)"
            )
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise _problem("one_line", "must be a single line of text")
    return value.strip()


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_one_line)]
"""Plain, single-line text: rendered escaped, never as Markdown."""
Markdown = Annotated[str, StringConstraints(min_length=1), AfterValidator(_safe_markdown)]
"""Markdown prose: rendered through Markdown with raw HTML neutralised."""


class Strict(BaseModel):
    """Base: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class RetryPolicy(str, Enum):
    """How a client should treat a failed request with this code."""

    never = "never"
    """Do not retry: the request itself must change first."""
    after_action = "after_action"
    """Retry only after an action outside the request (new credentials, access, billing)."""
    backoff = "backoff"
    """Retryable: wait ``Retry-After`` (or back off exponentially) and retry."""
    once = "once"
    """A single retry may help; then report it."""


RETRYABLE_POLICIES = frozenset({RetryPolicy.backoff, RetryPolicy.once})


class Sdk(Strict):
    """An SDK that surfaces codes as typed exceptions."""

    label: Text
    """Tab label, e.g. ``Python``."""
    package: Text
    """Package name as installed, e.g. ``agnes-security``."""
    url: HttpsUrl
    """Package page (PyPI, npm, ...)."""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z0-9+#-]+$")]
    """Code-fence language used for this SDK's snippets, e.g. ``python``."""


class Site(Strict):
    """Facts about the documented API and where its docs live."""

    name: Text
    """Product or API name, used in titles and ``llms.txt``."""
    summary: Text
    """One sentence describing the API: the ``llms.txt`` blockquote."""
    docs_url: HttpsUrl
    """Published base address of the docs; ``doc_url`` is ``<docs_url>errors/<code>``."""
    support_url: HttpsUrl
    """Where users file support tickets."""
    status_url: HttpsUrl
    """Public status page."""
    llms_size_budget: int = Field(default=50_000, ge=1_000)
    """Most characters allowed in llms.txt and in each Markdown twin; past it the build fails."""
    example_request_id: Text = "5b3f6c7e-7d24-4d40-9b12-3a59c01c6e91"
    """``request_id`` shown in every example envelope."""
    sdks: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], Sdk] = Field(
        default_factory=dict
    )
    """SDKs by id (``python``, ``typescript``): one content tab each on code pages."""

    @field_validator("docs_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # doc_url is built by appending "errors/<code>"; a missing slash would
        # silently produce ".../docserrors/x".
        return value if value.endswith("/") else value + "/"


class EnvelopeField(Strict):
    """One field of the error envelope."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    """JSON key."""
    type: Text
    """Type as a reader understands it, e.g. ``string (URL)``."""
    description: Markdown
    """What the field holds."""
    required: bool = True
    """Whether every error response carries it."""


class Header(Strict):
    """A response header (or group of related headers) on error responses."""

    names: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]+$")]] = Field(min_length=1)
    """Header names shown together in one row."""
    when: Text
    """When the header is sent (``Always``, ``429, 503``...)."""
    meaning: Markdown
    """What it means for a client."""


class Backoff(Strict):
    """Recommended retry timing for hand-written clients."""

    max_retries: int = Field(ge=0, le=100)
    """Retries after the first attempt before giving up."""
    base_seconds: float = Field(gt=0)
    """First backoff delay when no ``Retry-After`` is sent."""
    max_seconds: float = Field(gt=0)
    """Cap on a single delay."""
    jitter: Text
    """How to randomise each delay."""


class RetryGuidance(Strict):
    """The retry guidance snippet, as data."""

    intro: Markdown
    """Opening paragraph."""
    retry_after: Markdown
    """How to treat the ``Retry-After`` header."""
    backoff: Backoff
    """Timing when the server gives none."""
    budget: Markdown
    """How SDK retry budgets behave and what to do when they run out."""
    idempotency: Markdown
    """How to keep retried writes safe."""


class Attribute(Strict):
    """An attribute of an SDK exception beyond ``code`` and ``request_id``."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
    """Attribute name as spelled in that SDK."""
    type: Text
    """Type in that language."""
    description: Markdown
    """What it holds."""


class SdkException(Strict):
    """What one SDK raises for a code."""

    exception: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.]*$")]
    """Exception class, qualified as users write it (``agnes.ServerError``)."""
    attributes: list[Attribute] = Field(default_factory=list)
    """Code-specific attributes."""
    note: Markdown | None = None
    """Language-specific behaviour."""


class Example(Strict):
    """The example response of a code."""

    detail: Union[str, dict[str, Any], list[Any]]
    """``detail`` exactly as this code returns it: string, object or array."""
    status: int | None = None
    """Which of the code's statuses the example shows (default: the first)."""
    headers: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]+$")], Union[str, int]] = Field(
        default_factory=dict
    )
    """Response headers worth showing; with any, an ``http`` block precedes the JSON."""
    intro: Markdown | None = None
    """A sentence before the example."""


class Retry(Strict):
    """Retry facts of one code."""

    policy: RetryPolicy
    """``never``, ``after_action``, ``backoff`` or ``once`` (``never`` rather than ``no``: YAML reads a bare ``no`` as false)."""
    label: Markdown
    """The facts table's ``Retry?`` cell (short)."""
    sdk_retries: bool = False
    """Whether the SDKs retry this code automatically."""


class Overview(Strict):
    """The code's row in the overview's codes table."""

    when: Text
    """The ``When`` column."""
    retry: Text
    """The ``Retry?`` column."""


class Section(Strict):
    """An extra section on a code page (Privacy, caps, ...)."""

    title: Text
    """Heading text (H2)."""
    body: Markdown
    """Section content."""


class Related(Strict):
    """A related code or page."""

    code: str | None = None
    """Another code of this registry."""
    title: Text | None = None
    """Link text, for a page that is not a code."""
    url: str | None = None
    """Absolute https URL or a site page as ``/path/page.md``."""
    note: Text | None = None
    """Why it is related."""

    @model_validator(mode="after")
    def _code_or_link(self) -> Related:
        if (self.code is None) == (self.url is None):
            raise _problem("related_target", "give either `code` or `title` + `url`")
        if self.url is not None:
            if self.title is None:
                raise _problem("related_title", "a `url` needs a `title`")
            if not (self.url.startswith("https://") or re.match(r"^/[^\s:]*\.md(#[\w-]+)?$", self.url)):
                raise _problem(
                    "related_url", f"url must be absolute https:// or a site page like /guides/retries.md, got {self.url!r}"
                )
        return self


Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]


class LifecycleState(str, Enum):
    """Where a code is in its life. Codes are never deleted: their doc_url must keep working."""

    active = "active"
    """Returned by the API."""
    deprecated = "deprecated"
    """Still returned, but on its way out: use ``replaced_by``."""
    removed = "removed"
    """No longer returned; its page stays as a pointer to the replacement."""


class Lifecycle(Strict):
    """Deprecation and removal of a code. Renaming is a new code plus a deprecated old one."""

    state: LifecycleState = LifecycleState.active
    """``active``, ``deprecated`` or ``removed``."""
    since: Version | None = None
    """Contract version that deprecated or removed the code."""
    replaced_by: str | None = None
    """The code clients should handle instead."""
    removal_date: date | None = None
    """When a deprecated code stops being returned (YYYY-MM-DD)."""

    @model_validator(mode="after")
    def _complete(self) -> Lifecycle:
        if self.state is LifecycleState.deprecated:
            missing = [f for f in ("since", "replaced_by", "removal_date") if getattr(self, f) is None]
            if missing:
                raise _problem("lifecycle", f"a deprecated code needs {', '.join(missing)}")
        if self.state is LifecycleState.removed and self.since is None:
            raise _problem("lifecycle", "a removed code needs `since` (the contract version that removed it)")
        if self.state is LifecycleState.active and (self.since or self.replaced_by or self.removal_date):
            raise _problem("lifecycle", "an active code takes no since, replaced_by or removal_date")
        return self


class ChangeKind(str, Enum):
    added = "added"
    deprecated = "deprecated"
    removed = "removed"
    changed = "changed"
    docs = "docs"


class Change(Strict):
    """One change in a changelog entry."""

    kind: ChangeKind
    """``added``, ``deprecated``, ``removed``, ``changed`` or ``docs``."""
    subject: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+$")]
    """What changed: a code, an envelope field or a header name."""
    note: Markdown | None = None
    """What a client has to know."""


class ChangelogEntry(Strict):
    """One published version of the contract."""

    version: Version
    """Contract version (semver)."""
    date: date
    """Release date (YYYY-MM-DD)."""
    summary: Text
    """One line on what this version brings."""
    changes: list[Change] = Field(default_factory=list)
    """Changes listed for clients; breaking ones are what a major version records as intended."""


StatusLine = Annotated[str, StringConstraints(pattern=r"^\d{3} \S.*$")]


class Code(Strict):
    """One canonical error code."""

    http: list[StatusLine] = Field(min_length=1)
    """HTTP status(es) with reason phrase, e.g. ``["400 Bad Request", "410 Gone"]``."""
    summary: Text
    """One-line summary: the page's lead and its ``llms.txt`` note."""
    overview: Overview
    """Wording of the overview table row."""
    retry: Retry
    """Retry policy."""
    when: Markdown
    """``When this happens``: the causes."""
    example: Example
    """Example response."""
    steps: list[Markdown] = Field(min_length=1)
    """``What to do``, in order."""
    sdk: dict[str, SdkException] = Field(default_factory=dict)
    """Exception per SDK id declared under ``site.sdks``."""
    sdk_note: Markdown | None = None
    """SDK behaviour common to all SDKs (retries, attributes)."""
    sections: list[Section] = Field(default_factory=list)
    """Extra sections after SDK behaviour."""
    related: list[Related] = Field(default_factory=list)
    """Related codes and pages."""
    group: Text | None = None
    """Navigation group; default by status class (client or server errors)."""
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    """Deprecation or removal; omitted for an active code."""

    @field_validator("http", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise _problem("status_line", f"expected a status line like '404 Not Found', got {value!r}")
        return [value] if isinstance(value, str) else value

    @field_validator("http")
    @classmethod
    def _statuses(cls, value: list[str]) -> list[str]:
        classes = set()
        for line in value:
            status, reason = _STATUS_RE.match(line).groups()  # type: ignore[union-attr]
            number = int(status)
            if not 400 <= number <= 599:
                raise _problem("status_range", f"HTTP status {number} is not an error status (400-599)")
            if not reason_matches(number, reason):
                raise _problem(
                    "status_reason",
                    f"reason {reason!r} does not match HTTP {number} (expected {standard_reason(number)!r})",
                )
            classes.add(number // 100)
        if len(classes) > 1:
            raise _problem("status_class", f"statuses mix client (4xx) and server (5xx) errors: {value}")
        if len(set(value)) != len(value):
            raise _problem("status_duplicate", "a status is listed twice")
        return value

    @property
    def statuses(self) -> list[int]:
        return [int(line[:3]) for line in self.http]

    @property
    def retryable(self) -> bool:
        return self.retry.policy in RETRYABLE_POLICIES

    @property
    def state(self) -> LifecycleState:
        return self.lifecycle.state

    @property
    def returned(self) -> bool:
        """Whether the API can still send this code (active or deprecated)."""
        return self.lifecycle.state is not LifecycleState.removed

    @model_validator(mode="after")
    def _coherent(self) -> Code:
        if self.example.status is not None and self.example.status not in self.statuses:
            raise _problem(
                "example_status",
                f"example.status {self.example.status} is not one of this code's statuses {self.statuses}",
            )
        return self


class Registry(Strict):
    """The whole error contract: ``registry.yaml``."""

    version: Version
    """Version of the error contract (semver): a breaking change bumps the major."""
    site: Site
    """Facts about the API and its docs."""
    envelope: list[EnvelopeField] = Field(min_length=1)
    """Fields of the error envelope, in order."""
    headers: list[Header] = Field(default_factory=list)
    """Standard response headers on errors."""
    retry_guidance: RetryGuidance
    """The retry guidance snippet."""
    codes: dict[str, Code] = Field(min_length=1)
    """Canonical codes by name (snake_case), in overview order."""
    changelog: list[ChangelogEntry] = Field(default_factory=list)
    """Published versions of the contract, any order (the changelog page sorts them)."""

    @field_validator("codes")
    @classmethod
    def _code_names(cls, value: dict[str, Code]) -> dict[str, Code]:
        for name in value:
            if name in RESERVED_NAMES:
                raise _problem("code_name", f"code {name!r} is reserved for a generated page; choose another name")
            if not _CODE_RE.match(name):
                raise _problem("code_name", f"code {name!r} is not snake_case (expected e.g. rate_limit_exceeded)")
        return value

    def doc_url(self, code: str) -> str:
        """Published address of a code's page (no trailing slash, as in envelopes)."""
        return f"{self.site.docs_url}errors/{code}"


Path = tuple[Any, ...]


def cross_reference_problems(registry: Registry) -> list[tuple[Path, str]]:
    """Rules that span entries, checked once the shape is valid: (path, message) pairs."""
    problems: list[tuple[Path, str]] = []
    declared = set(registry.site.sdks)
    envelope_names = [f.name for f in registry.envelope]
    for required in ("detail", "code", "request_id", "doc_url"):
        if required not in envelope_names:
            problems.append((("envelope",), f"the envelope must define the `{required}` field"))
    for name, code in registry.codes.items():
        for sdk_id in code.sdk:
            if sdk_id not in declared:
                problems.append((("codes", name, "sdk", sdk_id), f"unknown SDK {sdk_id!r} (declared in site.sdks: {', '.join(sorted(declared)) or 'none'})"))
        for sdk_id in sorted(declared - set(code.sdk)):
            problems.append((("codes", name, "sdk"), f"missing the exception for SDK {sdk_id!r}"))
        replacement = code.lifecycle.replaced_by
        if replacement is not None:
            where = ("codes", name, "lifecycle", "replaced_by")
            if replacement == name:
                problems.append((where, "a code cannot replace itself"))
            elif replacement not in registry.codes:
                problems.append((where, f"unknown code {replacement!r}"))
            elif not registry.codes[replacement].returned:
                problems.append((where, f"{replacement!r} is removed itself; point at a code clients still receive"))
        for index, rel in enumerate(code.related):
            if rel.code is None:
                continue
            if rel.code == name:
                problems.append((("codes", name, "related", index, "code"), "a code cannot relate to itself"))
            elif rel.code not in registry.codes:
                problems.append((("codes", name, "related", index, "code"), f"unknown code {rel.code!r}"))
    versions = [entry.version for entry in registry.changelog]
    for index, entry in enumerate(registry.changelog):
        if versions.index(entry.version) != index:
            problems.append((("changelog", index, "version"), f"version {entry.version} has two changelog entries"))
        if _semver(entry.version) > _semver(registry.version):
            problems.append(
                (("changelog", index, "version"), f"{entry.version} is newer than the registry version {registry.version}")
            )
    return problems


def _semver(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch
