"""Per-phase timing of the hook's own work, for ``make bench`` (off unless asked for)."""

from __future__ import annotations

import gc
import json
import os
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TIMINGS_ENV = "ERRDOCS_TIMINGS"
"""If set, each build appends its phase times as one JSON line to this file."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block without Python's cyclic garbage collector.

    Reading a big registry or rendering thousands of twins allocates many
    containers but creates no reference cycles; during a large MkDocs build every
    collection also walks MkDocs' own hundreds of thousands of live objects, so
    pausing the collector for these blocks saves seconds and frees nothing less.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
