"""Pairwise scoring with ``score_names``: table-driven cases and feature explanations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from riskscreen import DEFAULT_THRESHOLD, score_names
from riskscreen.scoring import FEATURES, WEIGHTS

PAIRS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "match_cases.yaml").read_text(encoding="utf-8")
)["pairs"]


@pytest.mark.parametrize("case", PAIRS, ids=lambda c: f"{c['query']}~{c['candidate']}")
def test_pair(case: dict[str, Any]) -> None:
    scored = score_names(case["query"], case["candidate"])
    assert 0.0 <= scored.score <= 1.0
    if case["match"]:
        assert scored.score >= DEFAULT_THRESHOLD, scored.explanation
    else:
        assert scored.score < DEFAULT_THRESHOLD, scored.explanation


def test_exact_scores_one_and_says_so() -> None:
    scored = score_names("IFLYTEK CO., LTD.", "iFLYTEK")
    assert scored.score == 1.0
    assert scored.explanation is not None
    assert [f.name for f in scored.explanation.features] == ["exact_form"]


def test_inexact_never_scores_one() -> None:
    assert score_names("iFly Tek", "IFLYTEK").score == WEIGHTS["inexact_cap"]


def test_generic_words_alone_never_match() -> None:
    scored = score_names("Beijing Technology Co., Ltd.", "Beijing Sensetime Technology")
    assert scored.score <= WEIGHTS["generic_only_cap"]
    assert scored.explanation is not None
    assert scored.explanation.features[0].name == "generic_only"


def test_cross_script_is_discounted_and_explained() -> None:
    scored = score_names("和田地区公安局", "Hetian Prefecture Public Security Bureau")
    assert scored.explanation is not None
    assert scored.explanation.script == "pinyin"
    assert "cross_script" in {f.name for f in scored.explanation.features}
    assert scored.score == pytest.approx(WEIGHTS["cross_script_factor"])


def test_every_feature_used_is_documented() -> None:
    seen = set()
    for case in PAIRS:
        explanation = score_names(case["query"], case["candidate"]).explanation
        if explanation:
            seen.update(f.name for f in explanation.features)
    assert seen <= set(FEATURES)
    assert len(seen) >= 6
