"""Flags and citations on the bundled lists, packs and corpus: the issue's must-hold cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import ArticleEvidence, Decision, ListingEvidence, Screener, ScreeningResult
from riskscreen.evidence.corpus import load_bundled_corpus
from riskscreen.lists import load_bundled
from riskscreen.rules.loader import load_bundled_packs
from riskscreen.rules.testing import run_rule_tests

MAY_2020 = "34b1e06c64847454"
BAIDU_HUAWEI = "04d5e1453c218ac7"
AI_STRATEGY = "08d8331213d631d0"
CHINESE = "933ef53ab809d555"


def flags_of(result: ScreeningResult, rule_id: str) -> list:
    return [f for f in result.flags if f.rule_id == rule_id]


def quotes(result: ScreeningResult, rule_id: str) -> list[ArticleEvidence]:
    return [
        c for f in flags_of(result, rule_id) for c in f.citations if isinstance(c, ArticleEvidence)
    ]


def test_iflytek(screener: Screener) -> None:
    result = screener.screen("iFlytek")
    assert result.decision is Decision.HIT
    (export,) = flags_of(result, "entity-list-or-meu")
    listing = [c for c in export.citations if isinstance(c, ListingEvidence)]
    assert listing
    assert listing[0].citation
    assert listing[0].citation.document == "FR Doc. 2019-22210"
    surveillance = quotes(result, "surveillance-link")
    assert any(q.article_id == MAY_2020 and "surveillance system" in q.quote for q in surveillance)
    mcf = quotes(result, "military-civil-fusion")
    assert any(
        "iFlytek is contributing to military-civil fusion quite actively" in q.quote for q in mcf
    )


def test_baidu_partner_of_listed_entity(screener: Screener) -> None:
    result = screener.screen("Baidu")
    assert result.matches == ()
    (flag,) = flags_of(result, "partner-of-listed-entity")
    assert flag.subject == "Baidu"
    sentence = "Baidu and Huawei announced strategic cooperation in artificial intelligence"
    assert any(
        q.article_id == BAIDU_HUAWEI and sentence in q.quote for q in quotes(result, flag.rule_id)
    )
    partners = {c.entity_id for c in flag.citations if isinstance(c, ListingEvidence)}
    assert any(
        "Huawei Technologies Co., Ltd." in e.all_names()
        for e in load_bundled().entities
        if e.id in partners
    )
    assert result.decision is Decision.REVIEW


def test_megvii(screener: Screener) -> None:
    result = screener.screen("Megvii")
    assert any(x.list_id == "us-bis-entity-list" for m in result.matches for x in m.entity.listings)
    assert any(
        q.article_id == AI_STRATEGY and q.quote.startswith("Facial recognition start-ups Megvii")
        for q in quotes(result, "surveillance-link")
    )


def test_chinese_name_same_entity_and_flags(screener: Screener) -> None:
    latin = screener.screen("iFlytek")
    chinese = screener.screen("科大讯飞")
    assert [m.entity.id for m in chinese.matches] == [m.entity.id for m in latin.matches]
    assert sorted(f.rule_id for f in chinese.flags) == sorted(f.rule_id for f in latin.flags)
    in_chinese = [m for m in chinese.mentions if m.article_id == CHINESE]
    assert len(in_chinese) >= 10
    assert all(m.text == "科大讯飞" for m in in_chinese)


def test_clean_name_no_flags(screener: Screener) -> None:
    result = screener.screen("Acme Trading GmbH")
    assert result.flags == ()
    assert result.matches == ()
    assert result.decision is Decision.CLEAR


def test_every_flag_cites_and_every_quote_slices_exactly(screener: Screener) -> None:
    """Every citation the bundled packs produce for every listed name on the bundled corpus."""
    corpus = {a.id: a for a in load_bundled_corpus()}
    names = {n for e in load_bundled().entities for n in e.all_names()}
    names |= {"Baidu", "Xiaomi", "CAICT", "360", "Yitu", "腾讯", "海尔智家"}
    seen = 0
    for name in sorted(names):
        for flag in screener.screen(name).flags:
            assert flag.citations
            for c in flag.citations:
                if isinstance(c, ArticleEvidence):
                    article = corpus[c.article_id]
                    assert article.text[c.start : c.end] == c.quote
                    assert c.text_sha256 == article.sha256
                    seen += 1
    assert seen >= 20


def test_citation_ids_are_deterministic() -> None:
    first = Screener.bundled().screen("iFlytek")
    again = Screener.bundled().screen("iFlytek")
    ids = [c.id for f in first.flags for c in f.citations]
    assert ids == [c.id for f in again.flags for c in f.citations]
    assert len(set(ids)) == len(ids)  # one claim per citation within a flag set


def test_bundled_rule_tests_pass(screener: Screener) -> None:
    base = Screener(screener.data, corpus=screener.corpus)
    results = run_rule_tests(
        load_bundled_packs(), lambda pack, name: base.with_packs((pack,)).screen(name)
    )
    failed = [f"{r.pack.pack.id}/{r.rule_id}: {r.counterparty}" for r in results if not r.passed]
    assert not failed
    assert len(results) >= 20


def test_switching_off_bundled_rules(screener: Screener) -> None:
    bare = Screener.bundled(bundled_rules=False)
    assert bare.screen("iFlytek").flags == ()
    assert bare.screen("iFlytek").matches


@pytest.mark.parametrize("name", ["Hikvision", "Huawei Technologies"])
def test_ai_champion(screener: Screener, name: str) -> None:
    assert any(
        q.article_id == AI_STRATEGY for q in quotes(screener.screen(name), "national-ai-champion")
    )


def test_strong_matches_are_all_judged(screener: Screener) -> None:
    # "Megvii" is an alias of the delisted Beijing Megvii (1.00) and close to Megvii
    # Technology Limited (0.98, on the Entity List): both are judged.
    result = screener.screen("Megvii")
    subjects = {f.subject for f in result.flags if f.rule_id == "entity-list-or-meu"}
    assert "megvii-technology" in subjects


def test_rules_run_without_a_corpus() -> None:
    bare = Screener.bundled(bundled_corpus=False)
    result = bare.screen("iFlytek")
    assert {f.rule_id for f in result.flags} >= {"entity-list-or-meu", "surveillance-link"}
    assert all(not isinstance(c, ArticleEvidence) for f in result.flags for c in f.citations)


def test_severity_makes_a_hit(screener: Screener) -> None:
    # A weaker match (below 0.95) with a high-severity flag is a hit, not a review.
    result = screener.screen("Hikvison Digital")
    assert result.matches
    assert result.matches[0].score < 0.95
    assert any(f.severity.value == "high" for f in result.flags)
    assert result.decision is Decision.HIT


def test_your_pack_cannot_shadow_a_bundled_one(tmp_path: Path) -> None:
    from riskscreen import RulePackError
    from riskscreen.rules.loader import bundled_rules_dir

    copy = tmp_path / "surveillance.yaml"
    copy.write_text((bundled_rules_dir() / "surveillance.yaml").read_text(encoding="utf-8"))
    with pytest.raises(RulePackError, match="loaded twice"):
        Screener.bundled(rules=[copy])


def test_typed_name_mentions_go_to_the_best_match_only(screener: Screener) -> None:
    result = screener.screen("Huawei")
    best = result.matches[0].entity.id
    champions = {f.subject for f in result.flags if f.rule_id == "national-ai-champion"}
    assert champions == {best}
