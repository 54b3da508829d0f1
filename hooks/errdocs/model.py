"""The registry model: one typed, validated view of ``registry.yaml``.

Each class is a frozen record (``records.py``): its annotations are the format,
its constraints the rules, and its attribute docstrings the descriptions of the
exported JSON Schema, so editors show them as hover help. Rules across one record
live in its ``_rule``; rules across entries (related codes exist, SDK ids are
declared, ...) in ``cross_reference_problems``, checked once the shape is valid.
"""

# No `from __future__ import annotations` here: the annotations are the registry's format,
# read at run time; objects made at import cost less than strings evaluated per build.
import re
from datetime import date as Date
from enum import Enum
from typing import Annotated, Any, Union

from .http_status import reason_matches, standard_reason
from .records import Bounds, Check, Invalid, MinLen, OneOrList, Pattern, Record, factory

CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
RESERVED_NAMES = frozenset({"changelog", "index"})
"""Names of generated pages that live beside the code pages under ``errors/``."""
_CODE_RE = re.compile(CODE_PATTERN)  # used with fullmatch: `$` alone accepts a trailing newline
_STATUS_RE = re.compile(r"^(\d{3}) (\S.*)$")
_HTTPS_RE = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s<>\"]*)?$")
# Links written inside registry Markdown: [text](target). Targets are checked so
# that no field can smuggle a `javascript:` (or any other active) URL into HTML.
_MD_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_ALLOWED_LINK = re.compile(r"^(https://|http://|mailto:|/|#|\.\.?/|[A-Za-z0-9_-][^:]*$)")


def _https_url(value: str) -> str:
    if not _HTTPS_RE.fullmatch(value):
        raise Invalid(f"must be an absolute https:// URL, got {value!r}")
    return value


def _safe_markdown(value: str) -> str:
    if "](" in value:  # most prose has no link: skip the regex
        for target in _MD_LINK_RE.findall(value):
            if target and not _ALLOWED_LINK.match(target):
                raise Invalid(
                    f"link target {target!r} is not allowed (use https://, mailto: or a /path.md page link)"
                )
    return value


def _one_line(value: str) -> str:
    stripped = value.strip()
    if "\n" in stripped:
        raise Invalid("must be a single line of text")
    return stripped


def _with_slash(value: str) -> str:
    # doc_url is built by appending "errors/<code>"; a missing slash would
    # silently produce ".../docserrors/x".
    return value if value.endswith("/") else value + "/"


HttpsUrl = Annotated[str, Check(_https_url)]
Text = Annotated[str, MinLen(1), Check(_one_line)]
"""Plain, single-line text: rendered escaped, never as Markdown."""
Markdown = Annotated[str, MinLen(1), Check(_safe_markdown)]
"""Markdown prose: rendered through Markdown with raw HTML neutralised."""
Identifier = Annotated[str, Pattern(r"^[A-Za-z_][A-Za-z0-9_]*$")]
HeaderName = Annotated[str, Pattern(r"^[A-Za-z0-9-]+$")]
Version = Annotated[str, Pattern(r"^\d+\.\d+\.\d+$")]


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


class Sdk(Record):
    """An SDK that surfaces codes as typed exceptions."""

    label: Text
    """Tab label, e.g. ``Python``."""
    package: Text
    """Package name as installed, e.g. ``agnes-security``."""
    url: HttpsUrl
    """Package page (PyPI, npm, ...)."""
    language: Annotated[str, Pattern(r"^[a-z0-9+#-]+$")]
    """Code-fence language used for this SDK's snippets, e.g. ``python``."""


class Site(Record):
    """Facts about the documented API and where its docs live."""

    name: Text
    """Product or API name, used in titles and ``llms.txt``."""
    summary: Text
    """One sentence describing the API: the ``llms.txt`` blockquote."""
    docs_url: Annotated[str, Check(_https_url), Check(_with_slash)]
    """Published base address of the docs; ``doc_url`` is ``<docs_url>errors/<code>``."""
    support_url: HttpsUrl
    """Where users file support tickets."""
    status_url: HttpsUrl
    """Public status page."""
    llms_size_budget: Annotated[int, Bounds(ge=1_000)] = 50_000
    """Most characters allowed in llms.txt and in each Markdown twin; past it the build fails."""
    example_request_id: Text = "5b3f6c7e-7d24-4d40-9b12-3a59c01c6e91"
    """``request_id`` shown in every example envelope."""
    sdks: dict[Annotated[str, Pattern(r"^[a-z][a-z0-9_]*$")], Sdk] = factory(dict)
    """SDKs by id (``python``, ``typescript``): one content tab each on code pages."""


class EnvelopeField(Record):
    """One field of the error envelope."""

    name: Identifier
    """JSON key."""
    type: Text
    """Type as a reader understands it, e.g. ``string (URL)``."""
    description: Markdown
    """What the field holds."""
    required: bool = True
    """Whether every error response carries it."""


class Header(Record):
    """A response header (or group of related headers) on error responses."""

    names: Annotated[list[HeaderName], MinLen(1)]
    """Header names shown together in one row."""
    when: Text
    """When the header is sent (``Always``, ``429, 503``...)."""
    meaning: Markdown
    """What it means for a client."""


class Backoff(Record):
    """Recommended retry timing for hand-written clients."""

    max_retries: Annotated[int, Bounds(ge=0, le=100)]
    """Retries after the first attempt before giving up."""
    base_seconds: Annotated[float, Bounds(gt=0)]
    """First backoff delay when no ``Retry-After`` is sent."""
    max_seconds: Annotated[float, Bounds(gt=0)]
    """Cap on a single delay."""
    jitter: Text
    """How to randomise each delay."""


class RetryGuidance(Record):
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


class Attribute(Record):
    """An attribute of an SDK exception beyond ``code`` and ``request_id``."""

    name: Identifier
    """Attribute name as spelled in that SDK."""
    type: Text
    """Type in that language."""
    description: Markdown
    """What it holds."""


class SdkException(Record):
    """What one SDK raises for a code."""

    exception: Annotated[str, Pattern(r"^[A-Za-z_][A-Za-z0-9_.]*$")]
    """Exception class, qualified as users write it (``agnes.ServerError``)."""
    attributes: list[Attribute] = factory(list)
    """Code-specific attributes."""
    note: Markdown | None = None
    """Language-specific behaviour."""


class Example(Record):
    """The example response of a code."""

    detail: Union[str, dict[str, Any], list[Any]]
    """``detail`` exactly as this code returns it: string, object or array."""
    status: int | None = None
    """Which of the code's statuses the example shows (default: the first)."""
    headers: dict[HeaderName, Union[str, int]] = factory(dict)
    """Response headers worth showing; with any, an ``http`` block precedes the JSON."""
    intro: Markdown | None = None
    """A sentence before the example."""


class Retry(Record):
    """Retry facts of one code."""

    policy: RetryPolicy
    """``never``, ``after_action``, ``backoff`` or ``once`` (``never`` rather than ``no``: YAML reads a bare ``no`` as false)."""
    label: Markdown
    """The facts table's ``Retry?`` cell (short)."""
    sdk_retries: bool = False
    """Whether the SDKs retry this code automatically."""


class Overview(Record):
    """The code's row in the overview's codes table."""

    when: Text
    """The ``When`` column."""
    retry: Text
    """The ``Retry?`` column."""


class Section(Record):
    """An extra section on a code page (Privacy, caps, ...)."""

    title: Text
    """Heading text (H2)."""
    body: Markdown
    """Section content."""


class Related(Record):
    """A related code or page."""

    code: str | None = None
    """Another code of this registry."""
    title: Text | None = None
    """Link text, for a page that is not a code."""
    url: str | None = None
    """Absolute https URL or a site page as ``/path/page.md``."""
    note: Text | None = None
    """Why it is related."""

    def _rule(self) -> str | None:
        if (self.code is None) == (self.url is None):
            return "give either `code` or `title` + `url`"
        if self.url is not None:
            if self.title is None:
                return "a `url` needs a `title`"
            if not (self.url.startswith("https://") or re.fullmatch(r"/[^\s:]*\.md(#[\w-]+)?", self.url)):
                return f"url must be absolute https:// or a site page like /guides/retries.md, got {self.url!r}"
        return None


class LifecycleState(str, Enum):
    """Where a code is in its life. Codes are never deleted: their doc_url must keep working."""

    active = "active"
    """Returned by the API."""
    deprecated = "deprecated"
    """Still returned, but on its way out: use ``replaced_by``."""
    removed = "removed"
    """No longer returned; its page stays as a pointer to the replacement."""


class Lifecycle(Record):
    """Deprecation and removal of a code. Renaming is a new code plus a deprecated old one."""

    state: LifecycleState = LifecycleState.active
    """``active``, ``deprecated`` or ``removed``."""
    since: Version | None = None
    """Contract version that deprecated or removed the code."""
    replaced_by: str | None = None
    """The code clients should handle instead."""
    removal_date: Date | None = None
    """When a deprecated code stops being returned (YYYY-MM-DD)."""

    def _rule(self) -> str | None:
        if self.state is LifecycleState.deprecated:
            missing = [f for f in ("since", "replaced_by", "removal_date") if getattr(self, f) is None]
            if missing:
                return f"a deprecated code needs {', '.join(missing)}"
        if self.state is LifecycleState.removed and self.since is None:
            return "a removed code needs `since` (the contract version that removed it)"
        if self.state is LifecycleState.active and (self.since or self.replaced_by or self.removal_date):
            return "an active code takes no since, replaced_by or removal_date"
        return None


ACTIVE = Lifecycle()
"""The lifecycle of every code that states none (records are immutable: one is shared)."""


class ChangeKind(str, Enum):
    """What a changelog change did to the contract."""

    added = "added"
    deprecated = "deprecated"
    removed = "removed"
    changed = "changed"
    docs = "docs"


class Change(Record):
    """One change in a changelog entry."""

    kind: ChangeKind
    """``added``, ``deprecated``, ``removed``, ``changed`` or ``docs``."""
    subject: Annotated[str, Pattern(r"^[A-Za-z0-9_.-]+$")]
    """What changed: a code, an envelope field or a header name."""
    note: Markdown | None = None
    """What a client has to know."""


class ChangelogEntry(Record):
    """One published version of the contract."""

    version: Version
    """Contract version (semver)."""
    date: Date
    """Release date (YYYY-MM-DD)."""
    summary: Text
    """One line on what this version brings."""
    changes: list[Change] = factory(list)
    """Changes listed for clients; breaking ones are what a major version records as intended."""


def _no_bare_number(value: Any) -> Any:
    # `http: 404` parses as an integer; say what is missing rather than "expected a string".
    if type(value) in (int, float):
        raise Invalid(f"expected a status line like '404 Not Found', got {value!r}")
    return value


def _status_line(value: str) -> str:
    if not _STATUS_RE.fullmatch(value):
        raise Invalid(f"expected a status line like '404 Not Found', got {value!r}")
    return value


def _statuses(value: list[str]) -> list[str]:
    classes = set()
    for line in value:
        status, reason = _STATUS_RE.fullmatch(line).groups()  # type: ignore[union-attr]
        number = int(status)
        if not 400 <= number <= 599:
            raise Invalid(f"HTTP status {number} is not an error status (400-599)")
        if not reason_matches(number, reason):
            raise Invalid(f"reason {reason!r} does not match HTTP {number} (expected {standard_reason(number)!r})")
        classes.add(number // 100)
    if len(classes) > 1:
        raise Invalid(f"statuses mix client (4xx) and server (5xx) errors: {value}")
    if len(set(value)) != len(value):
        raise Invalid("a status is listed twice")
    return value


StatusLine = Annotated[str, Pattern(r"^\d{3} \S.*$"), Check(_status_line)]


class Code(Record):
    """One canonical error code."""

    http: Annotated[list[StatusLine], Check(_no_bare_number, before=True), OneOrList(), MinLen(1), Check(_statuses)]
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
    steps: Annotated[list[Markdown], MinLen(1)]
    """``What to do``, in order."""
    sdk: dict[str, SdkException] = factory(dict)
    """Exception per SDK id declared under ``site.sdks``."""
    sdk_note: Markdown | None = None
    """SDK behaviour common to all SDKs (retries, attributes)."""
    sections: list[Section] = factory(list)
    """Extra sections after SDK behaviour."""
    related: list[Related] = factory(list)
    """Related codes and pages."""
    group: Text | None = None
    """Navigation group; default by status class (client or server errors)."""
    lifecycle: Lifecycle = ACTIVE
    """Deprecation or removal; omitted for an active code."""

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

    def _rule(self) -> str | None:
        if self.example.status is not None and self.example.status not in self.statuses:
            return f"example.status {self.example.status} is not one of this code's statuses {self.statuses}"
        return None


def _code_names(value: dict[str, Code]) -> dict[str, Code]:
    for name in value:
        if name in RESERVED_NAMES:
            raise Invalid(f"code {name!r} is reserved for a generated page; choose another name")
        if not _CODE_RE.fullmatch(name):
            raise Invalid(f"code {name!r} is not snake_case (expected e.g. rate_limit_exceeded)")
    return value


class Registry(Record):
    """The whole error contract: ``registry.yaml``."""

    version: Version
    """Version of the error contract (semver): a breaking change bumps the major."""
    site: Site
    """Facts about the API and its docs."""
    envelope: Annotated[list[EnvelopeField], MinLen(1)]
    """Fields of the error envelope, in order."""
    headers: list[Header] = factory(list)
    """Standard response headers on errors."""
    retry_guidance: RetryGuidance
    """The retry guidance snippet."""
    codes: Annotated[dict[str, Code], MinLen(1), Check(_code_names)]
    """Canonical codes by name (snake_case), in overview order."""
    changelog: list[ChangelogEntry] = factory(list)
    """Published versions of the contract, any order (the changelog page sorts them)."""

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
