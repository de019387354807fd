"""Mentions: names found in article text, in both scripts, built from the list data."""

from __future__ import annotations

import hashlib

from riskscreen import Entity, EntityKind, Listing
from riskscreen.evidence.mentions import CorpusIndex
from riskscreen.models import Alias, Article


def article(text: str, ident: str = "a") -> Article:
    return Article(
        id=ident,
        title="t",
        language="en",
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def entity(
    ident: str, name: str, *aliases: str, kind: EntityKind = EntityKind.ORGANIZATION
) -> Entity:
    return Entity(
        id=ident,
        kind=kind,
        name=name,
        aliases=tuple(Alias(name=a) for a in aliases),
        listings=(Listing(list_id="l"),),
    )


def found(index: CorpusIndex, position: int) -> list[str]:
    return [
        index.articles[m.article].text[m.start : m.end] for m in index.entity_mentions[position]
    ]


def test_case_possessive_and_run_in() -> None:
    text = "IFLYTEK grew. iFlytek's AI listens. iFLYTEKis a software enterprise. Flytek is not."
    index = CorpusIndex([article(text)], [entity("i", "iFLYTEK Co., Ltd.")])
    assert found(index, 0) == ["IFLYTEK", "iFlytek", "iFLYTEK"]


def test_trimmed_names_and_generic_words() -> None:
    text = "Huawei Technologies and Hikvision Digital Technology were named. Hikvision leads."
    entities = [
        entity("hik", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        entity("hw", "Huawei Technologies Co., Ltd."),
    ]
    index = CorpusIndex([article(text)], entities)
    assert found(index, 0) == ["Hikvision", "Hikvision"]
    assert found(index, 1) == ["Huawei Technologies"]


def test_ambiguous_short_form_is_not_guessed() -> None:
    # "Yitu" could be either entity: neither claims it by a trimmed form.
    entities = [entity("a", "Yitu Technologies"), entity("b", "Shanghai Yitu Network Technology")]
    index = CorpusIndex([article("Yitu was tasked. Yitu Technologies too.")], entities)
    assert found(index, 0) == ["Yitu Technologies"]
    assert found(index, 1) == []


def test_group_member_not_found_by_a_padding_word() -> None:
    entities = [
        entity("hw", "Huawei", "Huawei Technologies"),
        entity("m", "Huawei Mobile Technology Ltd."),
    ]
    index = CorpusIndex([article("It runs on Huawei mobile phones.")], entities)
    assert found(index, 0) == ["Huawei"]
    assert found(index, 1) == []


def test_government_body_only_by_full_name() -> None:
    bureau = entity("b", "Hotan Prefecture Public Security Bureau", kind=EntityKind.GOVERNMENT_BODY)
    text = (
        "Hotan is a city. The Hotan Prefecture PSB and the Hotan Prefecture Public Security Bureau."
    )
    index = CorpusIndex([article(text)], [bureau])
    assert found(index, 0) == ["Hotan Prefecture PSB", "Hotan Prefecture Public Security Bureau"]


def test_chinese_without_spaces_and_traditional() -> None:
    entities = [
        entity("i", "IFLYTEK", "科大讯飞股份有限公司"),
        entity("h", "Huawei", "华为技术有限公司"),
    ]
    text = "现场，科大讯飞与華為合作。科大讯飞股份有限公司董事长说。"
    index = CorpusIndex([article(text)], entities)
    assert found(index, 0) == ["科大讯飞", "科大讯飞"]
    assert found(index, 1) == ["華為"]
    assert index.entities_in(0, 0) == {0, 1}


def test_urls_are_not_mentions() -> None:
    index = CorpusIndex([article("链接: http://baijiahao.baidu.com/s?id=1 and Baidu itself.")], [])
    mentions = index.name_mentions("Baidu")
    assert [index.articles[0].text[m.start : m.end] for m in mentions] == ["Baidu"]


def test_a_name_never_spans_two_sentences() -> None:
    index = CorpusIndex(
        [article("We met Zorvex.\nTechnology is good. Zorvex Technology grew.")], []
    )
    texts = [
        index.articles[0].text[m.start : m.end] for m in index.name_mentions("Zorvex Technology")
    ]
    assert texts == ["Zorvex", "Zorvex Technology"]


def test_bare_domains_are_not_mentions() -> None:
    index = CorpusIndex([article("See baijiahao.baidu.com/s?id=1 for more.")], [])
    assert index.name_mentions("Baidu") == []
