"""CSL adapter: every CSL shape parses, quirks are handled, and no row goes missing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from riskscreen import ListDataError
from riskscreen.lists.parsed import ParsedList
from riskscreen.lists.sources.csl import read_csl_csv, read_csl_json
from riskscreen.lists.sources.detect import read_list_file
from riskscreen.models import Entity, EntityKind, Identifier

FIXTURES = Path(__file__).parent / "data" / "sources"

# Rows per sub-list of the full 2026-06-11 projection (shared/data/PROVENANCE.md).
FULL_CSL_COUNTS = {
    "us-ofac-sdn": 19066,
    "us-bis-entity-list": 3420,
    "us-bis-dpl": 1596,
    "us-state-dtc": 787,
    "us-ofac-ssi": 286,
    "us-bis-uvl": 222,
    "us-state-isn": 161,
    "us-ofac-plc": 78,
    "us-bis-meu": 70,
    "us-ofac-cmic": 68,
    "us-ofac-nsmbs": 12,
    "us-ofac-capta": 1,
}


def accounted(parsed: ParsedList) -> None:
    """Nothing silently dropped: every row read is an entity or a problem."""
    assert parsed.rows == len(parsed.entities) + len(parsed.problems)
    ids = [e.id for e in parsed.entities]
    assert len(ids) == len(set(ids))


def by_id(parsed: ParsedList) -> dict[str, Entity]:
    return {e.id: e for e in parsed.entities}


# --- current 29-column CSV -------------------------------------------------------------------


@pytest.fixture(scope="module")
def current() -> ParsedList:
    return read_csl_csv(FIXTURES / "csl_current.csv")


def test_current_csv_rows_entities_and_problems(current: ParsedList) -> None:
    accounted(current)
    assert current.rows == 10
    assert len(current.entities) == 8
    problems = [(Path(p.file).name, p.line, p.message) for p in current.problems]
    assert problems == [
        ("csl_current.csv", 10, "empty name"),
        ("csl_current.csv", 11, "row has 20 fields, expected 29"),
    ]


def test_current_csv_bom_gives_the_id_column(current: ParsedList) -> None:
    person = by_id(current)["csl-us-ofac-sdn-52291"]
    assert person.kind is EntityKind.PERSON
    assert person.name == "RIM, Ryong Nam"
    assert Identifier(scheme="ofac-ent-num", value="52291") in person.identifiers
    assert Identifier(scheme="passport", value="836238033") in person.identifiers
    assert not any(i.scheme.lower().startswith("gender") for i in person.identifiers)
    assert "Gender Male" in (person.notes or "")
    assert person.countries == ("CN", "KP")


def test_current_csv_lines_count_across_a_multiline_field(current: ParsedList) -> None:
    ssi = by_id(current)["csl-us-ofac-ssi-18300"]
    assert ssi.listings[0].source == "csl_current.csv line 7"
    assert "directives, please visit" in (ssi.notes or "")  # the line break became a space
    dtc = by_id(current)["csl-us-state-dtc-34d6611355974b0ba70eba9a096971f8"]
    assert dtc.listings[0].source == "csl_current.csv line 9"


def test_current_csv_odd_spacing_and_tabs(current: ParsedList) -> None:
    dtc = by_id(current)["csl-us-state-dtc-34d6611355974b0ba70eba9a096971f8"]
    assert dtc.name == "Cesareo Estanislao Benitez"
    assert dtc.listings[0].name_on_list == "  Cesareo  Estanislao\tBenitez "  # kept as listed


def test_current_csv_entity_list_row(current: ParsedList) -> None:
    el = next(e for e in current.entities if e.listings[0].list_id == "us-bis-entity-list")
    listing = el.listings[0]
    assert listing.citation is not None
    assert listing.citation.page == "83 FR 37423; 87 FR 77505"
    assert listing.listed_on == dt.date(2018, 8, 1)
    assert listing.url == (
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"
    )
    assert [a.name for a in el.aliases][-1] == "CETC Research Institute 13"  # "and …" dropped
    assert el.addresses[1].startswith("21 Changsheng Street")
    assert "license_policy: Policy of denial" in (listing.notes or "")


def test_current_csv_unknown_source_gets_a_derived_list(current: ParsedList) -> None:
    sources = {s.id: s for s in current.sources}
    derived = "us-csl-hypothetical-test-list-htl-test-department"
    assert sources[derived].title == "Hypothetical Test List (HTL) - Test Department"
    assert sources[derived].authority == "Test Department"
    assert f"csl-{derived}-26182" in by_id(current)


def test_current_csv_sources(current: ParsedList) -> None:
    digest = hashlib.sha256((FIXTURES / "csl_current.csv").read_bytes()).hexdigest()
    assert all(s.content_hash == digest and s.as_of is None for s in current.sources)
    isn = next(s for s in current.sources if s.id == "us-state-isn")
    assert isn.title == "Nonproliferation Sanctions"
    assert (isn.url or "").startswith("https://www.state.gov/")


def test_end_date_counts_only_once_passed() -> None:
    dpl_id = "csl-us-bis-dpl-b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"
    early = by_id(read_csl_csv(FIXTURES / "csl_current.csv", as_of=dt.date(2026, 6, 11)))
    assert early[dpl_id].listings[0].delisted_on is None
    assert "end_date: 2056-06-29" in (early[dpl_id].listings[0].notes or "")
    late = read_csl_csv(FIXTURES / "csl_current.csv", as_of=dt.date(2057, 1, 1))
    assert by_id(late)[dpl_id].listings[0].delisted_on == dt.date(2056, 6, 29)
    assert all(s.as_of == dt.date(2057, 1, 1) for s in late.sources)


def test_strict_raises_on_the_first_problem_with_file_and_line() -> None:
    with pytest.raises(ListDataError) as caught:
        read_csl_csv(FIXTURES / "csl_current.csv", strict=True)
    assert caught.value.line == 10
    assert str(caught.value).endswith("csl_current.csv:10: empty name")


def test_ids_are_deterministic() -> None:
    first = [e.id for e in read_csl_csv(FIXTURES / "csl_old.csv").entities]
    again = [e.id for e in read_csl_csv(FIXTURES / "csl_old.csv").entities]
    assert first == again


# --- old 28-column CSV and the 9-column projection ------------------------------------------


def test_old_csv_format() -> None:
    parsed = read_csl_csv(FIXTURES / "csl_old.csv", as_of=dt.date(2026, 6, 11))
    accounted(parsed)
    assert (parsed.rows, parsed.problems) == (5, ())
    names = {e.name: e for e in parsed.entities}
    huawei = names["Gui’an New District Huawei Investment Co., Ltd., Guiyang, Guizhou"]
    assert huawei.listings[0].citation is not None
    assert huawei.listings[0].citation.page == "84 FR 22961"
    assert huawei.listings[0].listed_on == dt.date(2019, 5, 21)
    tax_id = Identifier(scheme="tax-id", value="80-0890696")
    assert tax_id in names["200G PSA HOLDINGS LLC"].identifiers
    vessel = names["7-28"]
    assert vessel.kind is EntityKind.VESSEL
    assert Identifier(scheme="imo", value="8898831") in vessel.identifiers
    denied = names["ADRIAN MANUEL HERNANDEZ"]  # listed with a leading space
    assert denied.listings[0].delisted_on == dt.date(2020, 10, 13)
    assert names["A. Leib Ltd."].addresses == ("HA’Assif 19, Binyamina, IL",)


def test_projection_format() -> None:
    parsed = read_csl_csv(FIXTURES / "csl_projection.csv")
    accounted(parsed)
    assert (parsed.rows, parsed.problems) == (7, ())
    entities = parsed.entities
    assert [e.listings[0].list_id for e in entities[:2]] == ["us-ofac-cmic", "us-bis-entity-list"]
    assert [a.name for a in entities[0].aliases] == [
        "Hikvision",
        "Hangzhou Hikvision Digital Technology",
    ]
    assert entities[2].name == "Eric Fru Eric Fru"  # "…<TAB>a/k/a Ngi Nji"
    assert [a.name for a in entities[2].aliases] == ["Ngi Nji"]
    assert entities[3].aliases == ()  # "[]"
    twin, twin2 = entities[4], entities[5]
    assert twin2.id == f"{twin.id}-2"
    assert "same id as the row at line 6" in (twin2.notes or "")
    ended = entities[6].listings[0]
    assert (ended.listed_on, ended.delisted_on) == (dt.date(2015, 8, 11), dt.date(2025, 8, 11))


def test_name_with_nothing_to_match_on_is_a_problem(tmp_path: Path) -> None:
    file = tmp_path / "csl.csv"
    file.write_text(
        "name,source\nLtd.,Entity List (EL) - Bureau of Industry and Security\n"
        "IFLYTEK,Entity List (EL) - Bureau of Industry and Security\n",
        encoding="utf-8",
    )
    parsed = read_csl_csv(file)
    accounted(parsed)
    assert [(p.line, p.message[:13]) for p in parsed.problems] == [(2, "name 'Ltd.' h")]
    assert [e.name for e in parsed.entities] == ["IFLYTEK"]


def test_broken_quoting_and_bad_bytes_are_problems_with_lines(tmp_path: Path) -> None:
    file = tmp_path / "csl.csv"
    file.write_bytes(
        b"name,source\n"
        b'"IFLYTEK" Co.,Entity List (EL) - Bureau of Industry and Security\n'
        b"Caf\xe9 Ltd,Entity List (EL) - Bureau of Industry and Security\n"
        b"Megvii Technology,Entity List (EL) - Bureau of Industry and Security\n"
    )
    parsed = read_csl_csv(file)
    accounted(parsed)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "unreadable CSV record (',' expected after '\"')"),
        (3, "byte 0xE9 is not valid in the file's encoding"),
    ]
    assert [e.name for e in parsed.entities] == ["Megvii Technology"]


def test_a_file_without_csl_columns_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "other.csv"
    file.write_text("company,country\nX,CN\n", encoding="utf-8")
    with pytest.raises(ListDataError, match="no column name, source"):
        read_csl_csv(file)


# --- JSON ------------------------------------------------------------------------------------


def test_json_matches_the_csv_rows_it_was_made_from(current: ParsedList) -> None:
    parsed = read_csl_json(FIXTURES / "csl_results.json")
    accounted(parsed)
    assert (parsed.rows, parsed.problems) == (5, ())
    from_json, from_csv = by_id(parsed), by_id(current)
    for entity_id in ("csl-us-ofac-sdn-52291", "csl-us-ofac-plc-9673"):
        a, b = from_json[entity_id], from_csv[entity_id]
        assert (a.name, a.aliases, a.identifiers, a.countries) == (
            b.name,
            b.aliases,
            b.identifiers,
            b.countries,
        )
        assert a.addresses == b.addresses  # the address object reads "Shenyang, CN" again
    assert from_json["csl-us-ofac-sdn-52291"].listings[0].source == "csl_results.json result 1"
    bank = from_json["csl-us-ofac-ssi-18283"]
    assert Identifier(scheme="swift", value="RUDVRUMM") in bank.identifiers
    assert bank.listings[0].program == "UKRAINE-EO13662"


def test_json_problem_reports_the_line_of_the_result(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "csl_results.json").read_text(encoding="utf-8"))
    document["results"].insert(2, "not a row")
    document["results"][4]["name"] = "   "
    file = tmp_path / "csl.json"
    text = json.dumps(document, indent=2)
    file.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    parsed = read_csl_json(file)
    accounted(parsed)
    assert [p.message for p in parsed.problems] == ["result 3 is not an object", "empty name"]
    assert lines[parsed.problems[0].line - 1].strip() == '"not a row",'
    assert lines[parsed.problems[1].line - 1].strip() == "{"
    assert "Military End User (MEU) List" in lines[parsed.problems[1].line]
    with pytest.raises(ListDataError) as caught:
        read_csl_json(file, strict=True)
    assert caught.value.line == parsed.problems[0].line


def test_json_errors_name_the_line(tmp_path: Path) -> None:
    file = tmp_path / "csl.json"
    file.write_text('{"results": [\n  {"name": "X",}\n]}', encoding="utf-8")
    with pytest.raises(ListDataError, match="invalid JSON") as caught:
        read_csl_json(file)
    assert caught.value.line == 2
    file.write_text('{"total": 0}', encoding="utf-8")
    with pytest.raises(ListDataError, match="results"):
        read_csl_json(file)


def test_detect_picks_the_csl_adapter() -> None:
    assert len(read_list_file(FIXTURES / "csl_projection.csv").entities) == 7
    assert len(read_list_file(FIXTURES / "csl_current.csv").entities) == 8
    assert len(read_list_file(FIXTURES / "csl_results.json").entities) == 5


# --- the real files --------------------------------------------------------------------------


def test_full_csl_projection(shared_data: Path) -> None:
    file = shared_data / "csl_2026-06-11" / "expected.csv"
    started = time.perf_counter()
    parsed = read_csl_csv(file)
    elapsed = time.perf_counter() - started
    accounted(parsed)
    assert parsed.rows == 25767
    assert not parsed.problems
    counts = Counter(x.list_id for e in parsed.entities for x in e.listings)
    assert counts == FULL_CSL_COUNTS
    assert {s.id for s in parsed.sources} == set(FULL_CSL_COUNTS)
    assert elapsed < 10  # ~1 s on a laptop; this only catches an accidental quadratic
    ended = [x for e in parsed.entities for x in e.listings if x.delisted_on]
    assert len(ended) == 1111  # the projection's active = "no"
    names = {e.name for e in parsed.entities}
    xuar = "Xinjiang Uyghur Autonomous Region (XUAR) People's Government Public Security Bureau"
    assert xuar in names


def test_csl_samples(shared_data: Path) -> None:
    current = read_csl_csv(shared_data / "csl_samples" / "consolidated.csv")
    old = read_csl_csv(shared_data / "csl_samples" / "csl.csv")
    excerpt = read_list_file(shared_data / "csl_excerpt_2026-06-11" / "expected_excerpt.csv")
    for parsed, rows in ((current, 13), (old, 115), (excerpt, 58)):
        accounted(parsed)
        assert parsed.rows == rows == len(parsed.entities)
    assert len(current.sources) == 10  # FSE and ISN included
    xinjiang = [
        e
        for e in excerpt.entities
        if e.listings[0].listed_on == dt.date(2019, 10, 9) and "Public Security" in e.name
    ]
    assert len(xinjiang) >= 19
