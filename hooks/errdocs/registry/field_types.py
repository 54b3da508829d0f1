"""The field types of the registry model: its strict base class and the validated values its fields hold.

Each class of the model is a frozen pydantic ``Model``: its annotations are the format, its
constraints the rules, and its attribute docstrings the descriptions of
``registry.schema.json`` (``model_json_schema``), so editors show them as hover help.

Validators raise ``ValueError`` with a message that continues a line like
``codes.x.http: ``; ``load.py`` turns pydantic's errors into such lines.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Iterable, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, TypeAdapter
from pydantic_core import PydanticCustomError

from .links import link_problem, markdown_links
from .semver import VERSION_PATTERN


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


def holds_markdown(metadata: Iterable[Any]) -> bool:
    """Whether a field's annotation metadata makes it ``Markdown`` (for walkers of registry prose)."""
    return any(getattr(item, "func", None) is _safe_markdown for item in metadata)


def _one_line(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be blank")
    if "\n" in stripped:
        raise ValueError("must be a single line of text")
    return stripped


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
Version = Annotated[str, Field(pattern=VERSION_PATTERN)]
Date = Annotated[datetime.date, BeforeValidator(_iso_date)]
"""A YAML date (``2026-01-31``), quoted or not."""


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


def json_data(members: dict[type, Any]) -> Any:
    """A value of one of ``members`` (``one_of``) that is JSON data all the way down."""
    return Annotated[one_of(members), AfterValidator(_json_data)]


JsonValue = json_data({str: str, int: int, float: float, bool: bool, dict: dict[str, Any], list: list[Any]})
"""Any JSON value: the API's own data, shown as written."""
