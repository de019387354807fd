"""Merging entries across lists: by strong identifier, or by name on different lists."""

from __future__ import annotations

from riskscreen import Entity, EntityKind, Identifier, Listing
from riskscreen.lists.merge import merge_entities, name_key


def entry(
    ident: str,
    name: str,
    list_id: str,
    *ids: tuple[str, str],
    kind: EntityKind = EntityKind.ORGANIZATION,
    countries: tuple[str, ...] = (),
) -> Entity:
    return Entity(
        id=ident,
        kind=kind,
        name=name,
        countries=countries,
        identifiers=tuple(Identifier(scheme=s, value=v) for s, v in ids),
        listings=(Listing(list_id=list_id, name_on_list=name),),
    )


def test_same_name_on_different_lists_is_one_entity() -> None:
    merged = merge_entities(
        [
            entry("el-1", "Hangzhou Hikvision Digital Technology Co., Ltd.", "us-bis-entity-list"),
            entry(
                "ofac-30946",
                "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
                "us-ofac-cmic",
                ("uscc", "91330000733796106P"),
            ),
            entry("other", "Zorvex Trading", "us-bis-entity-list"),
        ]
    )
    assert [e.id for e in merged] == ["el-1", "other"]
    hik = merged[0]
    assert [x.list_id for x in hik.listings] == ["us-bis-entity-list", "us-ofac-cmic"]
    assert hik.identifiers[0].value == "91330000733796106P"
    (record,) = hik.merged_from
    assert record.entity_id == "ofac-30946"
    assert record.reason == "same name 'hangzhou hikvision digital technology'"
    assert "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." in hik.all_names()


def test_strong_identifier_joins_even_on_one_list() -> None:
    merged = merge_entities(
        [
            entry(
                "a", "Huawei Technologies Co., Ltd.", "us-ofac-cmic", ("uscc", "914403001922038216")
            ),
            entry("b", "华为技术有限公司", "us-ofac-cmic", ("USCC", " 914403001922038216 ")),
        ]
    )
    assert len(merged) == 1
    assert merged[0].merged_from[0].reason == "identifier uscc 914403001922038216"


def test_same_list_same_name_stays_apart() -> None:
    merged = merge_entities(
        [
            entry("hk", "Huawei Tech. Investment Co., Limited", "us-bis-entity-list"),
            entry("id", "Huawei Tech Investment, PT", "us-bis-entity-list"),
        ]
    )
    assert len(merged) == 2


def test_same_list_from_two_inputs_joins() -> None:
    bundled = entry("hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "el")
    downloaded = entry("csl-1", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", "el")
    merged = merge_entities([bundled, downloaded], origin=lambda e: 0 if e is bundled else 1)
    assert len(merged) == 1


def test_no_abbreviation_folding_and_no_people_by_name() -> None:
    assert name_key("China Telecom Corporation Limited") != name_key(
        "China Telecommunications Corporation"
    )
    merged = merge_entities(
        [
            entry("p1", "WANG, Wei", "us-ofac-sdn", kind=EntityKind.PERSON),
            entry("p2", "WANG, Wei", "us-bis-dpl", kind=EntityKind.PERSON),
        ]
    )
    assert len(merged) == 2


def test_conflicting_countries_stay_apart() -> None:
    merged = merge_entities(
        [
            entry("a", "Acme Holdings", "l1", countries=("CN",)),
            entry("b", "Acme Holdings", "l2", countries=("RU",)),
        ]
    )
    assert len(merged) == 2


def test_transitive_groups_keep_order_and_dedupe_listings() -> None:
    merged = merge_entities(
        [
            entry("a", "Zorvex Ltd", "l1"),
            entry("b", "ZORVEX LIMITED", "l2", ("isin", "CN0001")),
            entry("c", "Zorvex Group", "l3", ("isin", "cn0001")),
        ]
    )
    assert len(merged) == 1
    assert [r.entity_id for r in merged[0].merged_from] == ["b", "c"]
    assert [x.list_id for x in merged[0].listings] == ["l1", "l2", "l3"]
