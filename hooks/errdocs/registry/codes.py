"""One error code and its parts (``codes.<name>:``): statuses, retry, example, SDK exceptions, lifecycle."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BeforeValidator, Field, Strict, model_validator

from .field_types import Date, HeaderName, Identifier, JsonValue, Markdown, Model, Text, Version, json_data, one_of
from .http_status import standard_reason
from .links import link_problem

_STATUS_RE = re.compile(r"^(\d{3})(?: (\S.*))?$")


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


def _number_as_text(value: Any) -> Any:
    # `http: 402` parses as an integer: the number alone is a status line without its phrase.
    return str(value) if type(value) is int else value


def _status_form(value: str) -> str:
    if not _STATUS_RE.fullmatch(value):
        raise ValueError(f"expected a status line like '404 Not Found' or a status number like 404, got {value!r}")
    return value


def _complete(line: str) -> str:
    """``"402 Request Failed"`` as written (only the number is checked: the API's own phrase
    is its contract), or ``"402"`` completed with the standard phrase."""
    status, reason = _STATUS_RE.fullmatch(line).groups()  # type: ignore[union-attr]
    number = int(status)
    if not 400 <= number <= 599:
        raise ValueError(f"HTTP status {number} is not an error status (400-599)")
    if reason is None:
        reason = standard_reason(number)
        if not reason:
            raise ValueError(f"HTTP {number} has no standard reason phrase; write the one the API sends after it, as in '{number} <phrase>'")
    return f"{number} {reason}"


def _statuses(value: list[str]) -> list[str]:
    lines = [_complete(line) for line in value]
    numbers = [int(line[:3]) for line in lines]
    if len({number // 100 for number in numbers}) > 1:
        raise ValueError(f"statuses mix client (4xx) and server (5xx) errors: {lines}")
    if len(set(numbers)) != len(numbers):
        raise ValueError("a status is listed twice")
    return lines


def _one_or_list(value: Any) -> Any:
    # YAML lets a one-item list be written as the item alone: `http: 404 Not Found`.
    return value if isinstance(value, list) else [value]


STATUS_LINE_PATTERN = r"^\d{3}( \S.*)?$"
StatusLine = Annotated[
    str,
    BeforeValidator(_number_as_text, json_schema_input_type=Union[Annotated[int, Field(ge=400, le=599)], Annotated[str, Field(pattern=STATUS_LINE_PATTERN)]]),
    AfterValidator(_status_form),
]
"""``"404 Not Found"``, the API's own phrase (``"402 Request Failed"``), or the number alone (``404``)."""
StatusLines = Annotated[
    list[StatusLine],
    BeforeValidator(_one_or_list, json_schema_input_type=Union[StatusLine, list[StatusLine]]),
    Field(min_length=1),
    AfterValidator(_statuses),
]


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

    detail: json_data({str: str, dict: dict[str, Any], list: list[Any]})  # items: see `detail_items`
    """The message exactly as this code returns it: string, object or array (of ``detail_items``)."""
    fields: dict[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")], JsonValue | None] = {}
    """Values of envelope fields no role fills, by dotted path: ``{error.decline_code: insufficient_funds}``
    (``null`` for a ``nullable`` field)."""
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


SUBCODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_SUBCODE_RE = re.compile(SUBCODE_PATTERN)


def _subcode_form(value: str) -> str:
    # The pattern is for editors (JSON Schema); this says the same in words.
    if not _SUBCODE_RE.fullmatch(value):
        raise ValueError(f"{value[:70]!r} is not a sub-code: a letter or digit, then up to 63 letters, digits, '_', '.' "
                         "or '-' (it is also the anchor of its row)")
    return value


SubcodeValue = Annotated[str, AfterValidator(_subcode_form), Field(json_schema_extra={"pattern": SUBCODE_PATTERN})]
"""A sub-code as APIs spell them (``insufficient_funds``, ``API_KEY_INVALID``, ``"05"``)."""


class Subcode(Model):
    """One value of a code's second-level field (a decline code, a reason): what it means and what to do."""

    meaning: Text
    """What this value says happened."""
    what_to_do: Text
    """What the client or its user should do about it."""
    retry: Annotated[RetryPolicy, Strict(False)] | None = None
    """Its own retry policy, where it differs from the code's."""


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


class Fact(str, Enum):
    """A fact of a code that the registry can mark as unconfirmed (named as in the twins' front matter)."""

    http_status = "http_status"
    retry_policy = "retry_policy"
    sdk_exceptions = "sdk_exceptions"
    category = "category"
    """An API may publish its classes without saying which class each code is in (Stripe lists its
    ``type`` values, not each code's): the category is then inferred from how the API behaves."""


FACT_LABELS = {Fact.http_status: "HTTP status", Fact.retry_policy: "Retry policy", Fact.sdk_exceptions: "SDK exceptions",
               Fact.category: "Category"}
"""How pages name each fact."""


class Code(Model):
    """One canonical error code."""

    http: StatusLines
    """HTTP status(es), each with the reason phrase the API sends (``["402 Request Failed", "410 Gone"]``),
    or the number alone for the standard phrase (``[400, 410]``)."""
    summary: Text
    """One-line summary: the page's lead and its ``llms.txt`` note."""
    title: Text | None = None
    """A short title of the problem, for an envelope field with the ``title`` role (default: the summary)."""
    subcodes: dict[SubcodeValue, Subcode] = {}
    """The values the envelope field with the ``subcode`` role takes with this code, each with its
    meaning and what to do (``insufficient_funds: {meaning, what_to_do, retry}``)."""
    category: Text | None = None
    """The class of errors it belongs to (``card_error``), sent in the envelope field with the
    ``category`` role: required for every code when the envelope has one, refused otherwise."""
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
    def example_status(self) -> int:
        """The status the example shows: ``example.status``, else the code's first."""
        return self.example.status or self.statuses[0]

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
