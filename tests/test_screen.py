"""Screening against the bundled lists: the issue's must-hold cases, table-driven."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from riskscreen import DEFAULT_THRESHOLD, ConfigError, InputError, Screener

CASES: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "data" / "screen_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES["match"], ids=lambda c: c["query"])
def test_query_finds_entity(screener: Screener, case: dict[str, str]) -> None:
    result = screener.screen(case["query"])
    assert result.matches, f"no match for {case['query']!r}"
    top = result.matches[0]
    assert case["entity"] in top.entity.all_names()
    assert top.score >= DEFAULT_THRESHOLD
    assert top.explanation.features, "every match explains itself"


@pytest.mark.parametrize("query", CASES["none"])
def test_query_finds_nothing(screener: Screener, query: str) -> None:
    result = screener.screen(query)
    assert result.matches == (), [(m.entity.name, m.score) for m in result.matches]


def test_iflytek_shows_the_october_2019_listing(screener: Screener) -> None:
    entity = screener.screen("iFlytek").matches[0].entity
    listings = [x for x in entity.listings if x.list_id == "us-bis-entity-list"]
    assert len(listings) == 1
    listing = listings[0]
    assert listing.listed_on is not None
    assert listing.listed_on.isoformat() == "2019-10-09"
    assert listing.citation is not None
    assert "2019-22210" in (listing.citation.document or "")


def test_chinese_and_latin_queries_reach_the_same_entity(screener: Screener) -> None:
    latin = screener.screen("iFlytek").matches[0].entity.id
    chinese = screener.screen("科大讯飞").matches[0].entity.id
    assert latin == chinese


def test_homophone_in_han_is_not_huawei(screener: Screener) -> None:
    # 华伟 reads "huawei" like 华为; the characters decide when the entity has a Chinese name.
    assert screener.screen("华伟").matches == ()


def test_match_explains_forms_and_features(screener: Screener) -> None:
    match = screener.screen("iFly Tek").matches[0]
    explanation = match.explanation
    assert explanation.query_form == "ifly tek"
    assert explanation.list_form == "iflytek"
    names = {f.name for f in explanation.features}
    assert "core_compact" in names
    assert 0.9 <= match.score < 1.0


def test_result_records_lists_with_dates(screener: Screener) -> None:
    result = screener.screen("Hikvision")
    ids = {used.id for used in result.lists}
    assert "us-bis-entity-list" in ids
    assert all(used.content_hash and len(used.content_hash) == 64 for used in result.lists)
    assert all(used.entity_count > 0 for used in result.lists)


def test_one_entity_many_listings(screener: Screener) -> None:
    entity = screener.screen("Hikvision").matches[0].entity
    lists = {listing.list_id for listing in entity.listings}
    assert {"us-bis-entity-list", "us-ofac-cmic", "us-fcc-covered-list", "us-ndaa-889"} <= lists


def test_threshold_override(screener: Screener) -> None:
    loose = screener.screen("Huawei Cloud", threshold=0.5)
    strict = screener.screen("Huawei Cloud", threshold=0.99)
    assert len(strict.matches) <= len(loose.matches)
    assert all(m.score >= 0.99 for m in strict.matches)
    with pytest.raises(ConfigError):
        screener.screen("Huawei", threshold=1.5)


@pytest.mark.parametrize(
    "name",
    ["", "   ", "\t", "a" * 501, "Huawei\x00", "Huawei\x07", "bad \udcff utf8", "!!!", "Co., Ltd."],
)
def test_bad_names_raise_input_error(screener: Screener, name: str) -> None:
    with pytest.raises(InputError) as info:
        screener.screen(name)
    assert str(info.value)
    assert "\n" not in str(info.value)


def test_invalid_utf8_bytes(screener: Screener) -> None:
    with pytest.raises(InputError, match="UTF-8"):
        screener.screen(b"Hua\xffwei")
    assert screener.screen(b"Huawei").matches
