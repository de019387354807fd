"""OFAC adapter: legacy CSV quirks, sibling joins, program → list, and no row goes missing."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from riskscreen import ListDataError
from riskscreen.lists.parsed import ParsedList
from riskscreen.lists.sources.detect import read_list_file
from riskscreen.lists.sources.ofac import (
    consolidated_list,
    read_ofac_consolidated,
    read_ofac_sdn,
)
from riskscreen.models import Entity, EntityKind, Identifier

FIXTURES = Path(__file__).parent / "data" / "sources"


def accounted(parsed: ParsedList) -> None:
    """Every primary row is an entity or a problem; sibling rows that attach nowhere are
    problems counted as rows of their own."""
    assert parsed.rows == len(parsed.entities) + len(parsed.problems)
    ids = [e.id for e in parsed.entities]
    assert len(ids) == len(set(ids))


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {e.id: e for e in parsed.entities}


@pytest.fixture(scope="module")
def sdn() -> ParsedList:
    return read_ofac_sdn(FIXTURES / "ofac_sdn")


@pytest.fixture(scope="module")
def cons() -> ParsedList:
    return read_ofac_consolidated(FIXTURES / "ofac_cons")


# --- SDN fixture -----------------------------------------------------------------------------


def test_sdn_rows_entities_and_problems(sdn: ParsedList) -> None:
    accounted(sdn)
    assert len(sdn.entities) == 8  # 9 primary rows, the 0x1A line is no row
    problems = [(Path(p.file).name, p.line, p.message) for p in sdn.problems]
    assert problems == [
        ("sdn.csv", 5, "row has 10 fields, expected 12"),
        ("sdn_comments.csv", 1, "remarks overflow for ent_num 22985, whose remarks are complete"),
        ("alt.csv", 8, "ent_num 56636 has no readable row in sdn.csv"),
        ("add.csv", 14, "ent_num 56682 has no readable row in sdn.csv"),
    ]
    assert sdn.rows == 9 + 3


def test_sdn_empty_markers_and_ids(sdn: ParsedList) -> None:
    airline = by_id(sdn)["ofac-36"]
    assert airline.kind is EntityKind.ORGANIZATION  # type -0-
    assert airline.notes is None  # every other column was -0-
    assert airline.identifiers == (Identifier(scheme="ofac-ent-num", value="36"),)
    listing = airline.listings[0]
    assert (listing.list_id, listing.program, listing.name_on_list) == (
        "us-ofac-sdn",
        "CUBA",
        "AEROCARIBBEAN AIRLINES",
    )
    assert listing.source == "sdn.csv line 1"


def test_sdn_cp1252_and_latin1_bytes(sdn: ParsedList) -> None:
    title = "title: Chief Ideological Figure of ISLAMIC GAMA’AT"
    assert title in (by_id(sdn)["ofac-2675"].notes or "")
    assert "Zweierstrasse 35, Zürich CH-8022, Switzerland" in by_id(sdn)["ofac-306"].addresses


def test_sdn_joins_aliases_addresses_and_remark_akas(sdn: ParsedList) -> None:
    bureau = by_id(sdn)["ofac-29159"]
    assert bureau.name == "XINJIANG PUBLIC SECURITY BUREAU"
    assert [a.name for a in bureau.aliases] == [
        "XINJIANG BUREAU OF PUBLIC SECURITY",
        "PUBLIC SECURITY DEPARTMENT OF XINJIANG UYGAR AUTONOMOUS REGION",
        "PUBLIC SECURITY DEPARTMENT OF XUAR",
        "PUBLIC SECURITY DEPARTMENT OF THE AUTONOMOUS REGION",
    ]
    assert {a.source for a in bureau.aliases} == {"alt.csv aka"}
    assert bureau.addresses == ("Xinjiang, China",)
    bank = by_id(sdn)["ofac-306"]
    assert [(a.name, a.source) for a in bank.aliases] == [
        ("NATIONAL BANK OF CUBA", "alt.csv aka"),
        ("BNC", "remarks"),
    ]


def test_sdn_remarks_overflow_is_joined_inside_a_word(sdn: ParsedList) -> None:
    lazarus = {a.name for a in by_id(sdn)["ofac-27307"].aliases}
    assert {"WHOIS HACKING TEAM", "RED DOT", "ZINC"} <= lazarus  # cut at "WHOIS HACKIN|G TEAM"
    # 22985's comments row belongs to a newer version of its remarks: not appended.
    assert "4X3191Z8" not in (by_id(sdn)["ofac-22985"].notes or "")


def test_sdn_vessel_and_aircraft(sdn: ParsedList) -> None:
    vessel = by_id(sdn)["ofac-4243"]
    assert vessel.kind is EntityKind.VESSEL
    assert Identifier(scheme="imo", value="7406784") in vessel.identifiers
    assert [a.name for a in vessel.aliases] == ["ANA I", "SAND SWAN"]  # f.k.a. in remarks
    assert "vessel flag: Panama" in (vessel.notes or "")
    aircraft = by_id(sdn)["ofac-15431"]
    assert aircraft.kind is EntityKind.VESSEL
    assert (aircraft.notes or "").startswith("type: aircraft")
    assert Identifier(scheme="aircraft-msn", value="1023409321") in aircraft.identifiers


def test_sdn_strict_raises_with_file_and_line() -> None:
    with pytest.raises(ListDataError) as caught:
        read_ofac_sdn(FIXTURES / "ofac_sdn" / "sdn.csv", strict=True)
    assert (Path(caught.value.file or "").name, caught.value.line) == ("sdn.csv", 5)


def test_sdn_sibling_files_can_be_elsewhere_or_missing(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ofac_sdn" / "sdn.csv", tmp_path / "sdn.csv")
    alone = read_ofac_sdn(tmp_path / "sdn.csv")
    accounted(alone)
    assert by_id(alone)["ofac-29159"].aliases == ()
    assert "not found: sdn_comments.csv, alt.csv, add.csv" in (alone.sources[0].notes or "")
    joined = read_ofac_sdn(tmp_path, alt=FIXTURES / "ofac_sdn" / "alt.csv")
    assert len(by_id(joined)["ofac-29159"].aliases) == 4


def test_sdn_detected_from_directory_and_file() -> None:
    for path in (FIXTURES / "ofac_sdn", FIXTURES / "ofac_sdn" / "sdn.csv"):
        assert [e.id for e in read_list_file(path).entities][:2] == ["ofac-36", "ofac-306"]


# --- consolidated (non-SDN) fixture ----------------------------------------------------------


def test_consolidated_lists_follow_programs(cons: ParsedList) -> None:
    accounted(cons)
    assert not cons.problems
    lists = {e.id: e.listings[0].list_id for e in cons.entities}
    assert lists == {
        "ofac-9673": "us-ofac-plc",
        "ofac-18300": "us-ofac-ssi",
        "ofac-15268": "us-ofac-capta",
        "ofac-31695": "us-ofac-nsmbs",
        "ofac-50476": "us-ofac-nsmbs",
        "ofac-30925": "us-ofac-cmic",
        "ofac-30930": "us-ofac-cmic",
        "ofac-30946": "us-ofac-cmic",
    }
    titles = {s.id: s.title for s in cons.sources}
    assert titles["us-ofac-cmic"].startswith("Non-SDN Chinese Military-Industrial Complex")


def test_consolidated_cmic_facts_from_remarks(cons: ParsedList) -> None:
    hikvision = by_id(cons)["ofac-30946"]
    assert {
        Identifier(scheme="uscc", value="91330000733796106P"),
        Identifier(scheme="isin", value="CNE100000PM8"),
        Identifier(scheme="equity-ticker", value="002415 CN"),
        Identifier(scheme="ofac-ent-num", value="30946"),
    } == set(hikvision.identifiers)
    listing = hikvision.listings[0]
    assert (listing.program, listing.listed_on, listing.effective_on) == (
        "CMIC-EO13959",
        dt.date(2021, 6, 3),
        dt.date(2021, 8, 2),
    )
    assert hikvision.addresses == ("555, Qianmo Road, Binjiang District, Hangzhou 310051, China",)
    assert "AVIC" in {a.name for a in by_id(cons)["ofac-30925"].aliases}


def test_consolidated_remarks_overflow(cons: ParsedList) -> None:
    cccc = by_id(cons)["ofac-30930"]  # the USCC's "(China)" and a.k.a. are in cons_comments.csv
    assert Identifier(scheme="uscc", value="91110000710934369E") in cccc.identifiers
    assert "CCCC" in {a.name for a in cccc.aliases}


def test_program_to_list_mapping() -> None:
    assert consolidated_list(["SDGT", "NS-PLC"]) == ("us-ofac-plc", None)
    assert consolidated_list(["UKRAINE-EO13662", "RUSSIA-EO14024"]) == ("us-ofac-ssi", None)
    assert consolidated_list(["FSE-SY"]) == ("us-ofac-fse", None)
    assert consolidated_list(["CAATSA - RUSSIA"]) == ("us-ofac-nsmbs", None)
    list_id, note = consolidated_list(["NEW-PROGRAM"])
    assert (list_id, note) == ("us-ofac-nonsdn", "program NEW-PROGRAM names no known sub-list")


def test_unknown_program_keeps_the_row_on_a_fallback_list(tmp_path: Path) -> None:
    for file in (FIXTURES / "ofac_cons").iterdir():
        shutil.copy(file, tmp_path / file.name)
    prim = tmp_path / "cons_prim.csv"
    prim.write_bytes(prim.read_bytes().replace(b'"561-Related"', b'"SOME-NEW-PROGRAM"'))
    parsed = read_ofac_consolidated(prim)
    accounted(parsed)
    bank = by_id(parsed)["ofac-15268"].listings[0]
    assert bank.list_id == "us-ofac-nonsdn"
    assert bank.notes == "program SOME-NEW-PROGRAM names no known sub-list"
    assert "us-ofac-nonsdn" in {s.id for s in parsed.sources}


def test_primary_row_problems(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'x1,"NAME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'37,-0- ,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'38,"BROKEN "QUOTE",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    parsed = read_ofac_sdn(tmp_path)
    accounted(parsed)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "ent_num 36 again (first at line 1)"),
        (3, "ent_num 'x1' is not a number"),
        (4, "empty name"),
        (5, "unreadable CSV record (',' expected after '\"')"),
    ]


# --- the real files --------------------------------------------------------------------------


def test_real_sdn_with_newer_alt_and_add(shared_data: Path) -> None:
    siblings = shared_data / "ofac_sdn_alt_add_2025-12"
    parsed = read_ofac_sdn(
        shared_data / "ofac_sdn_2024-05-03" / "sdn.csv",
        alt=siblings / "alt.csv",
        add=siblings / "add.csv",
        comments=siblings / "sdn_comments.csv",
    )
    accounted(parsed)
    assert len(parsed.entities) == 14965
    per_file = Counter(Path(p.file).name for p in parsed.problems)
    # alt/add are newer than sdn.csv: entries added since 2024-05 have no primary row here.
    assert per_file == {"add.csv": 4893, "alt.csv": 2460, "sdn_comments.csv": 11}
    bureau = by_id(parsed)["ofac-29159"]
    assert "PUBLIC SECURITY DEPARTMENT OF XUAR" in {a.name for a in bureau.aliases}
    programs = Counter(e.listings[0].program for e in parsed.entities)
    assert programs["IRAN; IRAN-EO13902"] > 0  # "IRAN] [IRAN-EO13902" split
    kinds = Counter(e.kind for e in parsed.entities)
    assert kinds[EntityKind.PERSON] == 6854
    assert kinds[EntityKind.VESSEL] == 851 + 376  # vessels and aircraft


def test_real_consolidated(shared_data: Path) -> None:
    parsed = read_list_file(shared_data / "ofac_consolidated_non_sdn_2025-12")
    accounted(parsed)
    assert parsed.rows == 442 == len(parsed.entities)
    counts = Counter(e.listings[0].list_id for e in parsed.entities)
    assert counts == {
        "us-ofac-ssi": 286,
        "us-ofac-plc": 78,
        "us-ofac-cmic": 68,
        "us-ofac-nsmbs": 9,
        "us-ofac-capta": 1,
    }
    cmic = [e for e in parsed.entities if e.listings[0].list_id == "us-ofac-cmic"]
    assert all(e.listings[0].listed_on and e.listings[0].effective_on for e in cmic)
    with_codes = [e for e in cmic if {"isin", "uscc"} & {i.scheme for i in e.identifiers}]
    assert len(with_codes) == 64  # CALT, Megvii, SenseTime and Yitu carry neither
    megvii = by_id(parsed)["ofac-33091"].listings[0]
    assert (megvii.listed_on, megvii.effective_on) == (dt.date(2021, 12, 16), dt.date(2022, 2, 14))
    hikvision = by_id(parsed)["ofac-30946"]
    assert Identifier(scheme="uscc", value="91330000733796106P") in hikvision.identifiers
