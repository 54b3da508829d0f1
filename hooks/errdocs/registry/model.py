"""The registry model: one typed, validated view of ``registry.yaml``.

Each class is a frozen pydantic model: its annotations are the format, its constraints
the rules, and its attribute docstrings the descriptions of ``registry.schema.json``
(``model_json_schema``), so editors show them as hover help. A rule across one model's
fields is its ``model_validator``; rules across entries (related codes exist, SDK ids are
declared, ...) are ``cross_reference_problems``, checked once the shape is valid.

Validators raise ``ValueError`` with a message that continues a line like
``codes.x.http: ``; ``load.py`` turns pydantic's errors into such lines.
"""

from __future__ import annotations

import datetime
import re
from enum import Enum
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, Strict, TypeAdapter, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .http_status import reason_matches, standard_reason
from .links import link_problem, markdown_links

ERRORS_DIR = "errors/"
"""Where the code pages live by default (``site.errors_path``), in the docs tree and under ``docs_url``."""
CODE_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
RESERVED_NAMES = frozenset({"changelog", "index", "overview"})
MAX_CODE_LENGTH = 64
"""Longest code name: it is a file name and part of every ``doc_url``."""
GROUP_PAGE_PREFIX = "codes-"
"""Start of a group page's name (``codes-client-errors.md``): codes are snake_case, so no code takes it."""
"""Names of generated pages that live beside the code pages (under ``site.errors_path``)."""
_CODE_RE = re.compile(CODE_PATTERN)  # used with fullmatch: `$` alone accepts a trailing newline
_STATUS_RE = re.compile(r"^(\d{3}) (\S.*)$")


class Model(BaseModel):
    """Base of every registry model: immutable, no unknown keys, no silent coercion.

    Strict: YAML's ``yes`` is not an integer and ``42`` is not a string. Field
    docstrings become the JSON Schema's descriptions.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, use_attribute_docstrings=True)


def _https_url(value: str) -> str:
    problem = link_problem(value) if value.startswith("https://") else f"must be an absolute https:// URL, got {value!r}"
    if problem:
        raise ValueError(problem)
    return value


def _safe_markdown(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    if "](" in value or "]:" in value or "<" in value:  # most prose has no link: skip the parse
        for url in markdown_links(value):
            problem = link_problem(url, written=True)
            if problem:
                raise ValueError(f"link {problem}")
    return value


def _one_line(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be blank")
    if "\n" in stripped:
        raise ValueError("must be a single line of text")
    return stripped


TYPE_NAME_PATTERN = r"^[*&]?[A-Za-z_][A-Za-z0-9_]*((\.|::)[A-Za-z_][A-Za-z0-9_]*)*$"
_TYPE_NAME_RE = re.compile(TYPE_NAME_PATTERN)


def _type_name(value: str) -> str:
    # The pattern is for editors (JSON Schema); this says the same in words.
    if not _TYPE_NAME_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a type name: write it as code does, with dots (acme.ServerError, "
            "com.acme.CardException), double colons (acme::Error) or a Go pointer (*acme.CardError)"
        )
    return value


FOLDER_PATTERN = r"^([a-z0-9][a-z0-9_-]*/)+$"
_FOLDER_RE = re.compile(FOLDER_PATTERN)


def _folder_path(value: str) -> str:
    value = value if value.endswith("/") else value + "/"
    if not _FOLDER_RE.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a folder path: give lowercase folder names joined by '/', relative to "
            "the docs root, e.g. errors/ or reference/errors/"
        )
    return value


def _with_slash(value: str) -> str:
    # doc_url is built by appending "errors/<code>"; a missing slash would
    # silently produce ".../docserrors/x".
    return value if value.endswith("/") else value + "/"


def _iso_date(value: Any) -> Any:
    # A quoted date is still a date to its author; anything else is left for the type check.
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return value


KINDS: dict[type, str] = {
    str: "a string", int: "an integer", float: "a number", bool: "true or false", dict: "a mapping",
    list: "a list", type(None): "nothing (null)", datetime.date: "a date", datetime.datetime: "a date and time",
}
"""How a YAML value's type reads to its author, in problems: ``expected a list (got a string)``."""


def kind(value: Any) -> str:
    return KINDS.get(type(value), type(value).__name__)


def one_of(members: dict[type, Any]) -> Any:
    """A union whose member is picked by the YAML value's type, e.g. ``{str: str, list: list[Item]}``.

    pydantic would try every member and report each one's failure; picking by type
    reports either the chosen member's own problems or one line naming what is allowed.
    The value is checked against its member and kept as written: it is wire data (an
    example's ``detail``), shown exactly as the API sends it.
    """
    adapters = {yaml_type: TypeAdapter(member) for yaml_type, member in members.items()}
    expected = " or ".join(filter(None, [", ".join(KINDS[t] for t in list(members)[:-1]), KINDS[list(members)[-1]]]))

    def pick(value: Any) -> Any:
        adapter = adapters.get(type(value))  # exact: YAML's `true` is not an integer
        if adapter is None:
            raise PydanticCustomError("one_of", "expected {expected} (got {got})", {"expected": expected, "got": kind(value)})
        adapter.validate_python(value)
        return value

    return Annotated[Any, PlainValidator(pick, json_schema_input_type=Union[tuple(members.values())])]


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]
"""Plain, single-line text: rendered escaped, never as Markdown."""
Markdown = Annotated[str, Field(min_length=1), AfterValidator(_safe_markdown)]
"""Markdown prose: rendered through Markdown with raw HTML neutralised."""
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
HeaderName = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+$")]
Version = Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
Date = Annotated[datetime.date, BeforeValidator(_iso_date)]
"""A YAML date (``2026-01-31``), quoted or not."""


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


class ErrorStyle(str, Enum):
    """How an SDK hands an error to the caller; the pages word it accordingly."""

    raised = "raised"
    """Raised as an exception (Python, Ruby)."""
    thrown = "thrown"
    """Thrown (TypeScript, Java, C#, Kotlin)."""
    returned = "returned"
    """Returned as an error value (Go's ``error``, Rust's ``Result``)."""


class Sdk(Model):
    """An SDK that surfaces codes as typed errors."""

    label: Text
    """Tab label, e.g. ``Python``."""
    package: Text
    """Package name as installed, e.g. ``acme-sdk``."""
    url: HttpsUrl
    """Package page (PyPI, npm, pkg.go.dev, ...)."""
    language: Annotated[str, Field(pattern=r"^[a-z0-9+#-]+$")]
    """Code-fence language used for this SDK's snippets, e.g. ``python``."""
    errors: Annotated[ErrorStyle, Strict(False)] = ErrorStyle.raised
    """How errors reach the caller: ``raised``, ``thrown`` or ``returned``."""


AGENT_BUDGET = 50_000
"""Characters agents reliably read of one file: the default of every budget."""


class Budgets(Model):
    """Size budgets of the agent surfaces, in characters."""

    llms_txt: Annotated[int, Field(ge=1_000)] = AGENT_BUDGET
    """``llms.txt`` and each of its shard files (``llms/<group>.txt``)."""
    twin: Annotated[int, Field(ge=1_000)] = AGENT_BUDGET
    """Each page's Markdown twin; the codes table moves onto group pages to stay within it."""


class Site(Model):
    """Facts about the documented API and where its docs live."""

    name: Text
    """Product or API name, used in titles and ``llms.txt``."""
    summary: Text
    """One sentence describing the API: the ``llms.txt`` blockquote."""
    docs_url: Annotated[str, AfterValidator(_https_url), AfterValidator(_with_slash)]
    """Published base address of the docs; ``doc_url`` is ``<docs_url><errors_path><code>``."""
    errors_path: Annotated[str, AfterValidator(_folder_path), Field(json_schema_extra={"pattern": FOLDER_PATTERN})] = ERRORS_DIR
    """Folder of the code pages, in the docs tree and under ``docs_url``, e.g. ``reference/errors/``."""
    support_url: HttpsUrl
    """Where users file support tickets."""
    status_url: HttpsUrl
    """Public status page."""
    budgets: Budgets = Budgets()
    """Most characters an agent is handed in one file, per surface; past one the build fails."""
    llms_size_budget: Annotated[int, Field(ge=1_000)] | None = None
    """Older single budget for llms.txt and the twins; used for both unless ``budgets`` is given."""
    example_request_id: Text = "0f8e2d4c-6b1a-4e3f-9c7d-2a5b8e1f4c60"
    """``request_id`` shown in every example envelope."""
    sdks: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], Sdk] = {}
    """SDKs by id (``python``, ``typescript``): one content tab each on code pages."""


class EnvelopeRole(str, Enum):
    """What an envelope field carries, which the generator fills in for each code."""

    code = "code"
    """The canonical code (required)."""
    doc_url = "doc_url"
    """The address of the code's page (required; RFC 9457's ``type``)."""
    message = "message"
    """The human message: the code's ``example.detail`` (required)."""
    request_id = "request_id"
    """The request's id: ``site.example_request_id``."""
    status = "status"
    """The HTTP status of the example."""
    title = "title"
    """The code's ``title`` (RFC 9457's ``title``; default: its summary)."""


REQUIRED_ROLES = (EnvelopeRole.code, EnvelopeRole.doc_url, EnvelopeRole.message)
JSON_MEDIA_TYPE = "application/json"
PROBLEM_MEDIA_TYPE = "application/problem+json"
ROLE_NAMES = {
    JSON_MEDIA_TYPE: {"code": EnvelopeRole.code, "doc_url": EnvelopeRole.doc_url, "detail": EnvelopeRole.message,
                      "request_id": EnvelopeRole.request_id},
    PROBLEM_MEDIA_TYPE: {"type": EnvelopeRole.doc_url, "title": EnvelopeRole.title, "status": EnvelopeRole.status,
                         "detail": EnvelopeRole.message, "code": EnvelopeRole.code, "request_id": EnvelopeRole.request_id},
}
"""The role a top-level field's name gives it when no field declares that role, by media type."""

def _json_data(value: Any) -> Any:
    """``value`` if it is JSON data all the way down (YAML dates and timestamps are not)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, member in item.items():
                if not isinstance(key, str):
                    raise ValueError(f"keys of JSON data must be strings (got {kind(key)} {key!s}); quote it")
                stack.append(member)
        elif isinstance(item, list):
            stack.extend(item)
        elif not isinstance(item, (str, int, float, bool, type(None))):
            raise ValueError(f"{item!s} is {kind(item)}, not JSON data; quote it to make it a string")
    return value


JsonValue = Annotated[one_of({str: str, int: int, float: float, bool: bool, dict: dict[str, Any], list: list[Any]}),
                      AfterValidator(_json_data)]
"""Any JSON value: the API's own data, shown as written."""


class EnvelopeField(Model):
    """One field of the error envelope."""

    name: Identifier
    """JSON key."""
    type: Text
    """Type as a reader understands it, e.g. ``string (URL)``."""
    description: Markdown
    """What the field holds."""
    required: bool = True
    """Whether every error response carries it."""
    role: Annotated[EnvelopeRole, Strict(False)] | None = None
    """What it carries: ``code``, ``doc_url``, ``message``, ``request_id``, ``status`` or ``title``
    (default: the role its name implies, such as ``detail`` -> ``message``)."""
    example: JsonValue | None = None
    """Its value in the examples when no role fills it and the code gives none (``example.fields``)."""
    fields: list[EnvelopeField] = []
    """The members of an object field, e.g. ``error: {code, message, doc_url}``."""


JsonType = Literal["string", "integer", "number", "boolean", "array", "object", "null"]


class ItemField(Model):
    """One key of the items of an array ``detail``."""

    name: Annotated[str, Field(min_length=1)]
    """The key."""
    type: JsonType | Annotated[list[JsonType], Field(min_length=1)]
    """JSON type(s) of its value: ``string``, ``integer``, ``number``, ``boolean``, ``array``, ``object``, ``null``."""
    items: JsonType | Annotated[list[JsonType], Field(min_length=1)] | None = None
    """For an array: the JSON type(s) of its members."""
    required: bool = True
    """Whether every item has it."""
    description: Text | None = None
    """What it holds."""

    @property
    def types(self) -> list[str]:
        return [self.type] if isinstance(self.type, str) else list(self.type)

    @property
    def item_types(self) -> list[str]:
        return [] if self.items is None else [self.items] if isinstance(self.items, str) else list(self.items)


FASTAPI_ITEMS = (
    ItemField(name="loc", type="array", items=["string", "integer"], description="Where the problem is."),
    ItemField(name="msg", type="string", description="What is wrong there."),
    ItemField(name="type", type="string", description="The kind of problem."),
)
"""The default item shape of array details: FastAPI's ``{loc, msg, type}``."""


class Header(Model):
    """A response header (or group of related headers) on error responses."""

    names: Annotated[list[HeaderName], Field(min_length=1)]
    """Header names shown together in one row."""
    when: Text
    """When the header is sent (``Always``, ``429, 503``...)."""
    meaning: Markdown
    """What it means for a client."""


class Backoff(Model):
    """Recommended retry timing for hand-written clients."""

    max_retries: Annotated[int, Field(ge=0, le=100)]
    """Retries after the first attempt before giving up."""
    base_seconds: Annotated[float, Field(gt=0)]
    """First backoff delay when no ``Retry-After`` is sent."""
    max_seconds: Annotated[float, Field(gt=0)]
    """Cap on a single delay."""
    jitter: Text
    """How to randomise each delay."""


class RetryGuidance(Model):
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


class Attribute(Model):
    """An attribute of an SDK exception beyond ``code`` and ``request_id``."""

    name: Identifier
    """Attribute name as spelled in that SDK."""
    type: Text
    """Type in that language."""
    description: Markdown
    """What it holds."""


class SdkException(Model):
    """What one SDK raises, throws or returns for a code."""

    exception: Annotated[str, AfterValidator(_type_name), Field(json_schema_extra={"pattern": TYPE_NAME_PATTERN})]
    """Exception or error type, qualified as users write it: ``acme.ServerError``, ``*acme.CardError``, ``acme::Error``."""
    attributes: list[Attribute] = []
    """Code-specific attributes."""
    note: Markdown | None = None
    """Language-specific behaviour."""


class Example(Model):
    """The example response of a code."""

    detail: Annotated[one_of({str: str, dict: dict[str, Any], list: list[Any]}), AfterValidator(_json_data)]  # items: see `detail_items`
    """The message exactly as this code returns it: string, object or array (of ``detail_items``)."""
    fields: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")], JsonValue] = {}
    """Values of envelope fields no role fills, by dotted path: ``{error.decline_code: insufficient_funds}``."""
    status: int | None = None
    """Which of the code's statuses the example shows (default: the first)."""
    headers: dict[HeaderName, one_of({str: str, int: int})] = {}
    """Response headers worth showing; with any, an ``http`` block precedes the JSON."""
    intro: Markdown | None = None
    """A sentence before the example."""


class Retry(Model):
    """Retry facts of one code."""

    policy: Annotated[RetryPolicy, Strict(False)]  # lax: the YAML string is the enum's value
    """``never``, ``after_action``, ``backoff`` or ``once`` (``never`` rather than ``no``: YAML reads a bare ``no`` as false)."""
    label: Markdown
    """The facts table's ``Retry?`` cell (short)."""
    sdk_retries: bool = False
    """Whether the SDKs retry this code automatically."""


class Overview(Model):
    """The code's row in the overview's codes table."""

    when: Text
    """The ``When`` column."""
    retry: Text
    """The ``Retry?`` column."""


class Section(Model):
    """An extra section on a code page (Privacy, caps, ...)."""

    title: Text
    """Heading text (H2)."""
    body: Markdown
    """Section content."""


class Related(Model):
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
            raise ValueError("give either `code` or `title` + `url`")
        if self.url is not None:
            if self.title is None:
                raise ValueError("a `url` needs a `title`")
            problem = link_problem(self.url)
            if problem is None and not (self.url.startswith("https://") or re.fullmatch(r"/[^\s:]*\.md(#[\w-]+)?", self.url)):
                problem = f"url must be absolute https:// or a site page like /guides/retries.md, got {self.url!r}"
            if problem:
                raise ValueError(problem)
        return self


class LifecycleState(str, Enum):
    """Where a code is in its life. Codes are never deleted: their doc_url must keep working."""

    active = "active"
    """Returned by the API."""
    deprecated = "deprecated"
    """Still returned, but on its way out: use ``replaced_by``."""
    removed = "removed"
    """No longer returned; its page stays as a pointer to the replacement."""


RETURNED = frozenset({LifecycleState.active, LifecycleState.deprecated})
"""States of the codes the API can still send."""


class Lifecycle(Model):
    """Deprecation and removal of a code. Renaming is a new code plus a deprecated old one."""

    state: Annotated[LifecycleState, Strict(False)] = LifecycleState.active
    """``active``, ``deprecated`` or ``removed``."""
    since: Version | None = None
    """Contract version that deprecated or removed the code."""
    replaced_by: str | None = None
    """The code clients should handle instead."""
    removal_date: Date | None = None
    """When a deprecated code stops being returned (YYYY-MM-DD)."""

    @model_validator(mode="after")
    def _fields_of_state(self) -> Lifecycle:
        if self.state is LifecycleState.deprecated:
            missing = [f for f in ("since", "replaced_by", "removal_date") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"a deprecated code needs {', '.join(missing)}")
        if self.state is LifecycleState.removed and self.since is None:
            raise ValueError("a removed code needs `since` (the contract version that removed it)")
        if self.state is LifecycleState.active and (self.since or self.replaced_by or self.removal_date):
            raise ValueError("an active code takes no since, replaced_by or removal_date")
        return self




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


def _no_bare_number(value: Any) -> Any:
    # `http: 404` parses as an integer; say what is missing rather than "expected a string".
    if type(value) in (int, float):
        raise ValueError(f"expected a status line like '404 Not Found', got {value!r}")
    return value


def _status_line(value: str) -> str:
    if not _STATUS_RE.fullmatch(value):
        raise ValueError(f"expected a status line like '404 Not Found', got {value!r}")
    return value


def _statuses(value: list[str]) -> list[str]:
    classes = set()
    for line in value:
        status, reason = _STATUS_RE.fullmatch(line).groups()  # type: ignore[union-attr]
        number = int(status)
        if not 400 <= number <= 599:
            raise ValueError(f"HTTP status {number} is not an error status (400-599)")
        if not reason_matches(number, reason):
            raise ValueError(f"reason {reason!r} does not match HTTP {number} (expected {standard_reason(number)!r})")
        classes.add(number // 100)
    if len(classes) > 1:
        raise ValueError(f"statuses mix client (4xx) and server (5xx) errors: {value}")
    if len(set(value)) != len(value):
        raise ValueError("a status is listed twice")
    return value


def _one_or_list(value: Any) -> Any:
    # YAML lets a one-item list be written as the item alone: `http: 404 Not Found`.
    return value if isinstance(value, list) else [value]


StatusLine = Annotated[str, Field(pattern=r"^\d{3} \S.*$"), AfterValidator(_status_line)]
# Before-validators run last-listed first: a bare number is named before it is wrapped in a list.
StatusLines = Annotated[
    list[StatusLine],
    BeforeValidator(_one_or_list, json_schema_input_type=Union[StatusLine, list[StatusLine]]),
    BeforeValidator(_no_bare_number),
    Field(min_length=1),
    AfterValidator(_statuses),
]


class Fact(str, Enum):
    """A fact of a code that the registry can mark as unconfirmed (named as in the twins' front matter)."""

    http_status = "http_status"
    retry_policy = "retry_policy"
    sdk_exceptions = "sdk_exceptions"


FACT_LABELS = {Fact.http_status: "HTTP status", Fact.retry_policy: "Retry policy", Fact.sdk_exceptions: "SDK exceptions"}
"""How pages name each fact."""


class Code(Model):
    """One canonical error code."""

    http: StatusLines
    """HTTP status(es) with reason phrase, e.g. ``["400 Bad Request", "410 Gone"]``."""
    summary: Text
    """One-line summary: the page's lead and its ``llms.txt`` note."""
    title: Text | None = None
    """A short title of the problem, for an envelope field with the ``title`` role (default: the summary)."""
    overview: Overview
    """Wording of the overview table row."""
    retry: Retry
    """Retry policy."""
    when: Markdown
    """``When this happens``: the causes."""
    example: Example
    """Example response."""
    steps: Annotated[list[Markdown], Field(min_length=1)]
    """``What to do``, in order."""
    sdk: dict[str, SdkException] = {}
    """Exception per SDK id declared under ``site.sdks``."""
    sdk_note: Markdown | None = None
    """SDK behaviour common to all SDKs (retries, attributes)."""
    sections: list[Section] = []
    """Extra sections after SDK behaviour."""
    related: list[Related] = []
    """Related codes and pages."""
    group: Text | None = None
    """Navigation group; default by status class (client or server errors)."""
    lifecycle: Lifecycle = Lifecycle()
    """Deprecation or removal; omitted for an active code."""
    unconfirmed: dict[Annotated[Fact, Strict(False)], Text] = {}
    """Facts no published source confirms, each with why it is given anyway
    (``sdk_exceptions: "No published page names them; ..."``). Pages and twins say so."""

    @property
    def statuses(self) -> list[int]:
        return [int(line[:3]) for line in self.http]

    @property
    def unconfirmed_facts(self) -> dict[str, str]:
        """``unconfirmed`` as plain data (fact name -> why), for the twins and ``errors.json``."""
        return {fact.value: why for fact, why in self.unconfirmed.items()}

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

    @property
    def nav_group(self) -> str:
        """Its group in the navigation and the llms.txt shards: ``group``, else by status class."""
        if self.group is not None:
            return self.group
        return "Server errors" if self.statuses[0] >= 500 else "Client errors"

    @model_validator(mode="after")
    def _example_status_is_its_own(self) -> Code:
        if self.example.status is not None and self.example.status not in self.statuses:
            raise ValueError(f"example.status {self.example.status} is not one of this code's statuses {self.statuses}")
        return self


def _code_name_problem(name: str) -> str | None:
    if name in RESERVED_NAMES:
        return f"code {name!r} is reserved for a generated page; choose another name"
    if not _CODE_RE.fullmatch(name):
        return f"code {name[:40]!r} is not snake_case (expected e.g. rate_limit_exceeded)"
    if len(name) > MAX_CODE_LENGTH:
        return f"code {name[:20]!r}... is {len(name)} characters; the most is {MAX_CODE_LENGTH}"
    return None


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
    detail_items: Annotated[list[ItemField], Field(min_length=1)] = list(FASTAPI_ITEMS)
    """The keys of each item of an array message (default: FastAPI's ``loc``, ``msg``, ``type``)."""
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
        """Published address of a code's page (no trailing slash, as in envelopes)."""
        return f"{self.site.docs_url}{self.site.errors_path}{code}"

    def code_page_path(self, name: str) -> str:
        """Source path of a code's page inside the docs tree."""
        return f"{self.site.errors_path}{name}.md"

    def group_page_path(self, slug: str) -> str:
        """Source path of the group page ``slug``, beside the code pages."""
        return f"{self.site.errors_path}{GROUP_PAGE_PREFIX}{slug}.md"

    @property
    def changelog_path(self) -> str:
        """Source path of the changelog page, beside the code pages."""
        return f"{self.site.errors_path}changelog.md"

    @cached_property
    def roles(self) -> dict[EnvelopeRole, tuple[str, ...]]:
        """Each role -> the path of the field that plays it (``("error", "code")``); see ``envelope_roles``."""
        return {role: path for path, role in envelope_roles(self.envelope, self.envelope_media_type) if role}

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


def envelope_paths(fields: list[EnvelopeField], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], EnvelopeField]]:
    """Every field with its path of names, depth first: ``(("error", "code"), field)``."""
    out = []
    for field in fields:
        out.append(((*prefix, field.name), field))
        out += envelope_paths(field.fields, (*prefix, field.name))
    return out


def envelope_roles(fields: list[EnvelopeField], media_type: str) -> list[tuple[tuple[str, ...], EnvelopeRole | None]]:
    """Every field's path and role, depth first. A role is the field's ``role``, else the
    one its top-level name implies (``ROLE_NAMES``) unless another field declares it."""
    paths = envelope_paths(fields)
    declared = {field.role for _, field in paths if field.role is not None}
    by_name = ROLE_NAMES[media_type]
    out = []
    for path, field in paths:
        role = field.role
        if role is None and len(path) == 1 and by_name.get(field.name) not in declared:
            role = by_name.get(field.name)
        out.append((path, role))
    return out


Loc = tuple[Any, ...]
"""Where in the registry: ``("codes", "forbidden", "retry", "policy")``."""


def cross_reference_problems(registry: Registry) -> list[tuple[Loc, str]]:
    """Rules that span entries, checked once the shape is valid: (path, message) pairs."""
    problems: list[tuple[Loc, str]] = []
    declared = set(registry.site.sdks)
    problems += _envelope_problems(registry)
    free = {".".join(path) for path, role in envelope_roles(registry.envelope, registry.envelope_media_type)
            if role is None and not _field_at(registry.envelope, path).fields}
    for name, code in registry.codes.items():
        named = _code_name_problem(name)
        if named:
            problems.append((("codes", name), named))
        for key in code.example.fields:
            if key not in free:
                problems.append((("codes", name, "example", "fields", key),
                                 f"{key!r} is not an envelope field without a role (fields: {', '.join(sorted(free)) or 'none'})"))
        if isinstance(code.example.detail, list):
            problems += _detail_item_problems(registry.detail_items, code.example.detail, ("codes", name, "example", "detail"))
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
        if semver(entry.version) > semver(registry.version):
            problems.append(
                (("changelog", index, "version"), f"{entry.version} is newer than the registry version {registry.version}")
            )
    return problems


def _field_at(fields: list[EnvelopeField], path: tuple[str, ...]) -> EnvelopeField:
    field = next(f for f in fields if f.name == path[0])
    return field if len(path) == 1 else _field_at(field.fields, path[1:])


def _envelope_problems(registry: Registry) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    roles = envelope_roles(registry.envelope, registry.envelope_media_type)
    played: dict[EnvelopeRole, list[str]] = {}
    for path, role in roles:
        if role is not None:
            played.setdefault(role, []).append(".".join(path))
            if _field_at(registry.envelope, path).fields:
                problems.append((("envelope", *path), f"field {'.'.join(path)!r} has member fields, so it cannot carry the {role.value} role"))
    names = ROLE_NAMES[registry.envelope_media_type]
    for role in REQUIRED_ROLES:
        if role not in played:
            implied = next(name for name, r in names.items() if r is role)
            problems.append((("envelope",), f"no field carries the {role.value} role: name a top-level field {implied!r} or give one `role: {role.value}`"))
    for role, paths in played.items():
        if len(paths) > 1:
            problems.append((("envelope",), f"fields {', '.join(paths)} all carry the {role.value} role; one field per role"))
    for index, field in enumerate(registry.envelope):
        siblings = [f.name for f in registry.envelope]
        if siblings.index(field.name) != index:
            problems.append((("envelope", index, "name"), f"field {field.name!r} is declared twice"))
    return problems


def item_shape(items: list[ItemField]) -> str:
    """The item shape as a reader writes it: ``{loc: array, msg: string, type: string}``."""
    parts = [f"{f.name}: {' or '.join(f.types)}{'' if f.required else ' (optional)'}" for f in items]
    return "{" + ", ".join(parts) + "}"


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "array": (list,), "object": (dict,), "null": (type(None),),
}


def _json_type_of(value: Any, types: list[str]) -> bool:
    # bool is an int in Python, not in JSON.
    return any(isinstance(value, _JSON_TYPES[t]) and not (isinstance(value, bool) and t in ("integer", "number"))
               for t in types)


def _detail_item_problems(items: list[ItemField], detail: list[Any], where: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    shape = item_shape(items)
    for index, item in enumerate(detail):
        if not isinstance(item, dict):
            problems.append(((*where, index), f"expected an item {shape} (got {kind(item)})"))
            continue
        for field in items:
            if field.name not in item:
                if field.required:
                    problems.append(((*where, index, field.name), f"required key is missing; each item is {shape}"))
                continue
            value = item[field.name]
            if not _json_type_of(value, field.types):
                problems.append(((*where, index, field.name), f"expected {' or '.join(field.types)} (got {kind(value)}); each item is {shape}"))
            elif isinstance(value, list) and field.item_types:
                for member in value:
                    if not _json_type_of(member, field.item_types):
                        problems.append(((*where, index, field.name), f"members must be {' or '.join(field.item_types)} (got {kind(member)})"))
                        break
    return problems


def semver(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch
