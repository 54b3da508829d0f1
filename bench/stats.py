"""How far a benchmark figure can be trusted within one run: bootstrap intervals.

A/B at N = 16 is a ratio of two medians of about half a second, and the hooks' share is a
few percent of it, about what one build's noise moves; A - B is the same share in
milliseconds. A single figure then says little on its own; the interval says which of its
digits the run supports.
"""

from __future__ import annotations

import random
import statistics
from typing import Callable, Sequence


def ratio_interval(
    a: Sequence[float], b: Sequence[float], *, level: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """A ``level`` percentile-bootstrap interval of ``median(a) / median(b)``.

    ``a[i]`` and ``b[i]`` ran in the same round, one after the other, so rounds are
    resampled as pairs: whatever slowed the machine during a round stays with both of
    its builds. Seeded, so the same samples always give the same interval.
    """
    return _interval(a, b, lambda x, y: x / y, level=level, resamples=resamples, seed=seed)


def difference_interval(
    a: Sequence[float], b: Sequence[float], *, level: float = 0.95, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """A ``level`` percentile-bootstrap interval of ``median(a) - median(b)``, resampled as ``ratio_interval``."""
    return _interval(a, b, lambda x, y: x - y, level=level, resamples=resamples, seed=seed)


def _interval(
    a: Sequence[float], b: Sequence[float], statistic: Callable[[float, float], float], *,
    level: float, resamples: int, seed: int,
) -> tuple[float, float]:
    if len(a) != len(b) or not a:
        raise ValueError("a bootstrap interval needs two equally long, non-empty sample lists")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    rng = random.Random(seed)
    rounds = range(len(a))
    values = []
    for _ in range(resamples):
        picked = rng.choices(rounds, k=len(a))
        values.append(statistic(statistics.median(a[i] for i in picked), statistics.median(b[i] for i in picked)))
    values.sort()
    tail = (1 - level) / 2
    return values[int(tail * resamples)], values[min(resamples - 1, int((1 - tail) * resamples))]
