"""Guidance every code shares: the standard response headers and how to retry."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Annotated

from pydantic import Field

from .field_types import HeaderName, Markdown, Model, Text


RETRY_AFTER = "Retry-After"
"""The standard header that tells a client how long to wait; only mentioned where the registry declares it."""


def retry_after_delay(value: str, *, now: float | None = None) -> float | None:
    """A ``Retry-After`` value as seconds to wait (RFC 9110: delay-seconds, or an HTTP date,
    from ``now``); None when it is neither."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year past datetime's range
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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

    @property
    def delays(self) -> list[float]:
        """The wait before each retry, in seconds: ``base_seconds``, doubled on each further
        attempt, never over ``max_seconds``, ``max_retries`` of them (before any jitter)."""
        return [min(self.base_seconds * 2**attempt, self.max_seconds) for attempt in range(self.max_retries)]


class RetryGuidance(Model):
    """The retry guidance snippet, as data."""

    intro: Markdown
    """Opening paragraph."""
    retry_after: Markdown | None = None
    """How to treat the ``Retry-After`` header; only for an API that declares it under ``headers``."""
    backoff: Backoff
    """Timing when the server gives none."""
    budget: Markdown
    """How SDK retry budgets behave and what to do when they run out."""
    idempotency: Markdown
    """How to keep retried writes safe."""
