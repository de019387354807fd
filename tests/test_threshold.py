"""The default threshold is the one the labelled-pair sweep chooses (benchmarks/threshold.py)."""

from __future__ import annotations

from benchmarks.threshold import THRESHOLDS, choose, hand_pairs, list_pairs, sweep
from riskscreen import DEFAULT_THRESHOLD


def test_default_threshold_is_the_measured_choice() -> None:
    rows = sweep(hand_pairs() + list_pairs(), THRESHOLDS)
    best, plateau = choose(rows)
    assert best[0] == DEFAULT_THRESHOLD
    assert best[1] >= 0.9  # precision floor held
    assert plateau[0][0] <= best[0] <= plateau[-1][0]
