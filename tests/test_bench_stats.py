"""The benchmark's bootstrap interval (bench/stats.py): a statistic, so checked on made-up samples."""

from __future__ import annotations

import random
import statistics
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from stats import ratio_interval  # noqa: E402


def _samples(seed: int, rounds: int = 61) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    b = [0.48 + rng.gauss(0, 0.02) for _ in range(rounds)]
    a = [x * 1.04 + rng.gauss(0, 0.01) for x in b]
    return a, b


def test_an_exact_ratio_has_no_width() -> None:
    b = [0.5, 0.47, 0.52, 0.49, 0.51]
    low, high = ratio_interval([x * 1.1 for x in b], b)
    assert low == pytest.approx(1.1)
    assert high == pytest.approx(1.1)


def test_the_interval_holds_the_ratio_of_medians_and_is_reproducible() -> None:
    a, b = _samples(3)
    point = statistics.median(a) / statistics.median(b)
    low, high = ratio_interval(a, b)
    assert low < point < high
    assert (low, high) == ratio_interval(a, b)


def test_more_rounds_give_a_narrower_interval() -> None:
    few = ratio_interval(*_samples(5, rounds=21))
    many = ratio_interval(*_samples(5, rounds=241))
    assert many[1] - many[0] < few[1] - few[0]


def test_a_lower_level_gives_a_narrower_interval_inside_the_wider_one() -> None:
    a, b = _samples(7)
    wide, narrow = ratio_interval(a, b, level=0.95), ratio_interval(a, b, level=0.5)
    assert wide[0] <= narrow[0] <= narrow[1] <= wide[1]


@pytest.mark.parametrize(("a", "b", "level"), [([1.0], [1.0, 2.0], 0.95), ([], [], 0.95), ([1.0], [1.0], 1.0)])
def test_bad_arguments_are_refused(a: list[float], b: list[float], level: float) -> None:
    with pytest.raises(ValueError):
        ratio_interval(a, b, level=level)
