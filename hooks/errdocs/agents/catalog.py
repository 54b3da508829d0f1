"""A site's errors as the MCP server reads them: its published ``errors.json`` (a URL or a file),
or a local ``registry.yaml`` turned into the same data by the function that publishes it.

The model reads only what the lookups use and ignores any other key, so an ``errors.json``
from a newer errdocs still loads; what an older one lacks (steps, examples, the backoff) is
left empty rather than refused. Anything that is not an errdocs ``errors.json`` at all is
refused with one line naming the source and the first field that is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..publish.contract import ERRORS_JSON, errors_json
from ..registry.load import RegistryError, load_registry
from .fetch import Fetcher, FetchError

Policy = Literal["never", "after_action", "backoff", "once"]


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Status(_Read):
    status: int
    reason: str = ""


class CodeRetry(_Read):
    policy: Policy
    retryable: bool
    sdk_retries: bool = False
    label: str = ""


class SubcodeRetry(_Read):
    policy: Policy
    retryable: bool


class Subcode(_Read):
    meaning: str
    what_to_do: str
    retry: SubcodeRetry | None = None


class SdkError(_Read):
    exception: str
    attributes: list[str] = []


class Lifecycle(_Read):
    state: Literal["active", "deprecated", "removed"] = "active"
    since: str | None = None
    replaced_by: str | None = None
    removal_date: str | None = None


class Example(_Read):
    status: int
    headers: dict[str, Union[str, int]] = {}
    body: dict[str, Any]


class CodeEntry(_Read):
    http: list[Status] = Field(min_length=1)
    summary: str
    title: str | None = None
    category: str | None = None
    group: str | None = None
    when: str = ""
    steps: list[str] = []
    retry: CodeRetry
    example: Example | None = None
    sdk: dict[str, SdkError] = {}
    doc_url: str
    twin_url: str | None = None
    lifecycle: Lifecycle = Lifecycle()
    subcodes: dict[str, Subcode] = {}

    @property
    def statuses(self) -> list[int]:
        return [line.status for line in self.http]


class EnvelopeEntry(_Read):
    name: str
    """The field's dotted path (``error.code``)."""
    role: str | None = None


class Backoff(_Read):
    max_retries: int
    base_seconds: float
    max_seconds: float
    jitter: str = ""
    delays_seconds: list[float] = []


class RetryGuidance(_Read):
    retry_after_header: str | None = None
    backoff: Backoff | None = None


class Catalog(_Read):
    """One API's errors: an ``errors.json``."""

    name: str
    version: str
    docs_url: str
    media_type: str = "application/json"
    envelope: list[EnvelopeEntry] = Field(min_length=1)
    retry_guidance: RetryGuidance = RetryGuidance()
    codes: dict[str, CodeEntry] = Field(min_length=1)

    def role_path(self, role: str) -> tuple[str, ...] | None:
        """The path of the envelope field that plays ``role`` (``("error", "code")``), if one does."""
        entry = next((entry for entry in self.envelope if entry.role == role), None)
        return tuple(entry.name.split(".")) if entry else None


class CatalogError(Exception):
    """A source that is not a readable errdocs catalog; the message is one line naming it."""


def catalog_of(data: Any, source: str) -> Catalog:
    """``data`` (parsed ``errors.json``) as a catalog, or ``CatalogError`` naming the first wrong field."""
    if not isinstance(data, dict) or "codes" not in data or "envelope" not in data:
        raise CatalogError(f"{source}: not an errdocs {ERRORS_JSON} (no `codes` and `envelope`)")
    try:
        return Catalog.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise CatalogError(f"{source}: not an errdocs {ERRORS_JSON}: {where}: {first['msg']}") from None


def parse_catalog(body: bytes, source: str, *, content_type: str = "") -> Catalog:
    """The catalog in the bytes of an ``errors.json``."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise CatalogError(f"{source}: not UTF-8 text, so not an {ERRORS_JSON}") from None
    except ValueError:
        if "html" in content_type.lower() or body.lstrip()[:1] == b"<":
            raise CatalogError(f"{source}: answered HTML, not the JSON of an {ERRORS_JSON}") from None
        raise CatalogError(f"{source}: not JSON, so not an {ERRORS_JSON}") from None
    return catalog_of(data, source)


def is_url(source: str) -> bool:
    return source.startswith(("https://", "http://"))


def load_catalog(source: str, *, fetcher: Fetcher | None = None) -> Catalog:
    """The catalog of ``source``: an ``errors.json`` URL, an ``errors.json`` file or a built site's
    folder holding one, or a ``registry.yaml`` (``.yaml``/``.yml``), validated as a build would."""
    if is_url(source):
        try:
            fetched = (fetcher or Fetcher()).get(source)
        except FetchError as err:
            raise CatalogError(str(err)) from None
        return parse_catalog(fetched.body, source, content_type=fetched.content_type)
    path = Path(source)
    if path.is_dir():
        path = path / ERRORS_JSON
    if path.suffix in (".yaml", ".yml"):
        try:
            registry = load_registry(path, display_name=str(path))
        except RegistryError as err:
            raise CatalogError(str(err)) from None
        return catalog_of(errors_json(registry), str(path))
    try:
        body = path.read_bytes()
    except OSError as err:
        raise CatalogError(f"{path}: cannot be read ({err.strerror or err})") from None
    return parse_catalog(body, str(path))
