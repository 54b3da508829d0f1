"""Per-phase timing of the hook's own work, for ``make bench`` (off unless asked for)."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TIMINGS_ENV = "ERRDOCS_TIMINGS"
"""If set, each build appends its phase times as one JSON line to this file."""


class PhaseTimer:
    """Accumulates wall time per named phase; negligible cost when unused."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def report(self) -> None:
        target = os.environ.get(TIMINGS_ENV)
        if target:
            with Path(target).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(dict(self.seconds), sort_keys=True) + "\n")
