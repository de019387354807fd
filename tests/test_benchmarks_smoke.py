"""The benchmark dev set is labelled by construction: check the constructions do what their
labels claim, on the bundled lists (fast; the full suite is ``python -m benchmarks``)."""

from __future__ import annotations

from collections import Counter

import pytest
from pypinyin import Style, pinyin

from benchmarks import devset, hanzi, synth
from benchmarks.cases import CATEGORIES
from benchmarks.negatives import GENERIC_WORDS
from riskscreen.lists import load_bundled


@pytest.fixture(scope="module")
def dev() -> devset.DevSet:
    entities = load_bundled().entities
    return devset.build(entities, 40, {e.id for e in entities})


def test_every_category_has_cases(dev: devset.DevSet) -> None:
    counts = Counter(c.category for c in dev.cases)
    assert set(counts) == set(CATEGORIES)


def test_the_dev_set_is_deterministic(dev: devset.DevSet) -> None:
    entities = load_bundled().entities
    again = devset.build(entities, 40, {e.id for e in entities})
    assert again.cases == dev.cases


def test_held_out_aliases_are_off_the_indexed_lists(dev: devset.DevSet) -> None:
    main = {e.id: e for e in dev.main}
    for case in dev.cases:
        if case.category in ("alias", "transliteration"):
            names = main[case.target].all_names()
            assert case.query not in names
            assert synth.simple_key(case.query) not in {synth.simple_key(n) for n in names}


def test_chinese_cases_run_without_chinese_names(dev: devset.DevSet) -> None:
    latin = {e.id: e for e in dev.latin}
    for case in dev.cases:
        if case.category == "chinese":
            assert not any(hanzi.has_han(n) for n in latin[case.target].all_names())


def test_homophones_read_the_same_and_are_written_differently(dev: devset.DevSet) -> None:
    for case in dev.cases:
        if case.category == "homophone":
            assert hanzi.simplified(case.query) != hanzi.simplified(case.source)
            diff = [(a, b) for a, b in zip(case.query, case.source, strict=True) if a != b]
            assert len(diff) == 1
            new, old = diff[0]
            assert _readings(new) == _readings(old)
            assert len(_readings(new)) == 1


def _readings(ch: str) -> set[str]:
    return set(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


def test_generic_negatives_keep_no_distinctive_word(dev: devset.DevSet) -> None:
    for case in dev.cases:
        if case.category == "generic-words":
            distinctive = set(synth.words(case.source)) - GENERIC_WORDS
            assert distinctive
            assert not distinctive & set(synth.words(case.query))


def test_variants_differ_from_their_source(dev: devset.DevSet) -> None:
    for case in dev.cases:
        if case.category in ("legal-form", "typo", "word-order"):
            assert case.query != case.source


def test_typos_are_small_edits() -> None:
    rng = synth.rng_for("test")
    for name in ("Hangzhou Hikvision Digital Technology", "Megvii", "Kashgar Prefecture"):
        for _ in range(20):
            variant = synth.typo(name, rng)
            if variant is not None:
                assert variant != name
                assert abs(len(variant) - len(name)) <= 2
