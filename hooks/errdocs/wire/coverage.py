"""Which documented codes, statuses and sub-codes a set of responses exercised.

As rustc's tidy asks every documented error code to be exercised by a test, coverage names
the codes an API's traffic or test suite never produced. Only codes the API can still send
count (active and deprecated); a removed code is never expected.
"""

from __future__ import annotations

from typing import Any

from ..registry.model import Registry
from .check import Verdict


class Coverage:
    """Counts verdicts; reads as the codes, statuses and sub-codes never seen."""

    def __init__(self, registry: Registry) -> None:
        self._codes = {name: code for name, code in registry.codes.items() if code.returned}
        self.seen: dict[str, int] = {}
        """Documented code -> how many responses carried it."""
        self._statuses: dict[str, set[int]] = {}
        self._subcodes: dict[str, set[str]] = {}

    def add(self, verdict: Verdict) -> None:
        name = verdict.code
        if name is None or name not in self._codes:
            return
        self.seen[name] = self.seen.get(name, 0) + 1
        if verdict.status in self._codes[name].statuses:
            self._statuses.setdefault(name, set()).add(verdict.status)
        if verdict.subcode is not None:
            self._subcodes.setdefault(name, set()).add(verdict.subcode)

    def merge(self, other: Coverage) -> None:
        """Count what ``other`` (over the same registry) saw as well: one file's coverage into a run's."""
        for name, count in other.seen.items():
            self.seen[name] = self.seen.get(name, 0) + count
        for mine, theirs in ((self._statuses, other._statuses), (self._subcodes, other._subcodes)):
            for name, values in theirs.items():
                mine.setdefault(name, set()).update(values)

    @property
    def documented(self) -> int:
        return len(self._codes)

    @property
    def percent(self) -> float:
        """Share of the documented codes seen at least once (100 for a registry that sends none)."""
        return 100.0 if not self._codes else 100.0 * len(self.seen) / len(self._codes)

    @property
    def never_seen(self) -> list[str]:
        """Documented codes no response carried, in registry order."""
        return [name for name in self._codes if name not in self.seen]

    @property
    def statuses_never_seen(self) -> dict[str, list[int]]:
        """For each code seen: its documented statuses that never occurred with it."""
        out = {}
        for name in self.seen:
            missing = [s for s in self._codes[name].statuses if s not in self._statuses.get(name, set())]
            if missing:
                out[name] = missing
        return dict(sorted(out.items(), key=lambda item: list(self._codes).index(item[0])))

    @property
    def subcodes_never_seen(self) -> dict[str, list[str]]:
        """For each code with sub-codes: those no response carried (a code never seen lists them all)."""
        return {name: missing for name, code in self._codes.items()
                if (missing := [v for v in code.subcodes if v not in self._subcodes.get(name, set())])}

    def as_data(self) -> dict[str, Any]:
        return {
            "documented_codes": self.documented,
            "codes_seen": len(self.seen),
            "percent": round(self.percent, 1),
            "never_seen": self.never_seen,
            "statuses_never_seen": self.statuses_never_seen,
            "subcodes_never_seen": self.subcodes_never_seen,
        }

    def lines(self) -> list[str]:
        """The coverage as a report's lines."""
        out = [f"coverage: {len(self.seen)} of {self.documented} documented codes seen ({self.percent:.1f}%)"]
        if self.never_seen:
            out.append("  codes never seen: " + ", ".join(self.never_seen))
        if self.statuses_never_seen:
            out.append("  statuses never seen: " + "; ".join(f"{name} {', '.join(map(str, statuses))}"
                                                         for name, statuses in self.statuses_never_seen.items()))
        if self.subcodes_never_seen:
            out.append("  sub-codes never seen: " + "; ".join(f"{name}: {', '.join(values)}"
                                                          for name, values in self.subcodes_never_seen.items()))
        return out
