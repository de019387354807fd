"""Property-based tests of the matcher: the invariants a screening tool must keep."""

from __future__ import annotations

import random

import strategies as rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskscreen import InputError, ListData, Screener, normalize, score_names
from riskscreen.lists import load_bundled
from riskscreen.models import Entity, ListSource, ScreeningResult

SYNTHETIC = ListSource(id="synthetic-list", title="Synthetic", authority="tests")
BUNDLED = load_bundled()
BUNDLED_NAMES = sorted({(e.id, n) for e in BUNDLED.entities for n in e.all_names()})
_BUNDLED_SCREENER = Screener(BUNDLED)
fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _summary(result: ScreeningResult) -> list[tuple[str, float]]:
    return [(m.entity.id, m.score) for m in result.matches]


@fast
@given(rs.any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@fast
@given(st.sampled_from(BUNDLED_NAMES))
def test_normalize_is_idempotent_on_list_names(item: tuple[str, str]) -> None:
    once = normalize(item[1])
    assert normalize(once) == once


@fast
@given(st.sampled_from(BUNDLED_NAMES))
def test_exact_list_name_scores_one_and_ranks_first(item: tuple[str, str]) -> None:
    entity_id, name = item
    result = _BUNDLED_SCREENER.screen(name)
    assert result.matches[0].score == 1.0
    assert entity_id in {m.entity.id for m in result.matches if m.score == 1.0}


@fast
@given(st.sampled_from(BUNDLED_NAMES), st.data())
def test_invariant_under_case_space_punctuation(item: tuple[str, str], data: st.DataObject) -> None:
    name = item[1]
    base = _summary(_BUNDLED_SCREENER.screen(name))
    variant = data.draw(
        st.sampled_from([name.upper(), name.lower(), name.casefold()]) | rs.punctuated(name)
    )
    assert _summary(_BUNDLED_SCREENER.screen(variant)) == base


@fast
@given(rs.company_names(), rs.legal_forms, rs.legal_forms)
def test_invariant_under_legal_form_spelling(name: str, form_a: str, form_b: str) -> None:
    screener = _BUNDLED_SCREENER
    a = screener.screen(f"{name} {form_a}", threshold=0.3)
    b = screener.screen(f"{name} {form_b}", threshold=0.3)
    assert _summary(a) == _summary(b)


@fast
@given(st.text(max_size=40), st.text(max_size=40))
def test_scores_lie_in_unit_interval(left: str, right: str) -> None:
    try:
        scored = score_names(left, right)
    except InputError:
        return
    assert 0.0 <= scored.score <= 1.0


@fast
@given(
    st.sampled_from(BUNDLED_NAMES).map(lambda item: item[1]) | rs.company_names(),
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
)
def test_raising_threshold_never_adds_a_match(query: str, low: float, high: float) -> None:
    low, high = sorted((low, high))
    loose = {m.entity.id for m in _BUNDLED_SCREENER.screen(query, threshold=low).matches}
    strict = {m.entity.id for m in _BUNDLED_SCREENER.screen(query, threshold=high).matches}
    assert strict <= loose


@fast
@given(
    st.sampled_from(BUNDLED_NAMES).map(lambda item: item[1]) | rs.company_names(),
    st.lists(rs.entities(prefix="unrelated"), min_size=1, max_size=5, unique_by=lambda e: e.id),
)
def test_adding_an_unrelated_entry_never_removes_a_match(query: str, extra: list[Entity]) -> None:
    base = {m.entity.id: m.score for m in _BUNDLED_SCREENER.screen(query, threshold=0.5).matches}
    bigger = Screener(ListData((*BUNDLED.sources, SYNTHETIC), BUNDLED.entities + tuple(extra)))
    after = {m.entity.id: m.score for m in bigger.screen(query, threshold=0.5).matches}
    for entity_id, score in base.items():
        assert after.get(entity_id) == score


@fast
@given(
    st.sampled_from(BUNDLED_NAMES).map(lambda item: item[1]) | rs.company_names(),
    st.randoms(use_true_random=False),
)
def test_order_of_list_entries_never_changes_results(query: str, rnd: random.Random) -> None:
    entities = list(BUNDLED.entities)
    rnd.shuffle(entities)
    shuffled = Screener(ListData(BUNDLED.sources, tuple(entities), origins=BUNDLED.origins))
    expected = _BUNDLED_SCREENER.screen(query, threshold=0.5)
    got = shuffled.screen(query, threshold=0.5)
    assert got.model_copy(update={"screened_at": None}) == expected.model_copy(
        update={"screened_at": None}
    )


@settings(max_examples=300, deadline=None)
@given(rs.any_text)
def test_arbitrary_unicode_raises_only_input_error(text: str) -> None:
    try:
        result = _BUNDLED_SCREENER.screen(text)
    except InputError as exc:
        message = str(exc)
    else:
        assert all(0.0 <= m.score <= 1.0 for m in result.matches)
        return
    assert message
    assert "\n" not in message
