"""Generic adapter and format detection: a user's CSV via a column mapping; unknown formats fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskscreen import ListDataError
from riskscreen.lists.parsed import ParsedList
from riskscreen.lists.sources.detect import read_list_file
from riskscreen.lists.sources.generic import ColumnMapping, mapping_from_yaml, read_generic_csv
from riskscreen.models import EntityKind, Identifier

FIXTURES = Path(__file__).parent / "data" / "sources"


def accounted(parsed: ParsedList) -> None:
    assert parsed.rows == len(parsed.entities) + len(parsed.problems)
    ids = [e.id for e in parsed.entities]
    assert len(ids) == len(set(ids))


@pytest.fixture(scope="module")
def mapping() -> ColumnMapping:
    return mapping_from_yaml(FIXTURES / "watchlist_mapping.yaml")


def test_mapping_from_yaml(mapping: ColumnMapping) -> None:
    assert mapping.name == "Company"
    assert mapping.identifiers == {"uscc": "USCC"}
    assert (mapping.list_id, mapping.list_title) == ("acme-watchlist", "ACME procurement watchlist")
    assert mapping.default_kind is EntityKind.ORGANIZATION


def test_watchlist_rows_entities_and_problems(mapping: ColumnMapping) -> None:
    parsed = read_generic_csv(FIXTURES / "watchlist.csv", mapping)
    accounted(parsed)
    assert parsed.rows == 7
    problems = [(p.line, p.message) for p in parsed.problems]
    assert problems[0] == (4, "empty name (column 'Company')")
    assert problems[1][0] == 5
    assert problems[1][1].startswith("kind 'Department' is none of")
    assert problems[2] == (6, "country 'China' is not an ISO 3166-1 alpha-2 code")
    assert problems[3][0] == 7
    assert problems[3][1].startswith("unreadable CSV record")
    assert [e.id for e in parsed.entities] == [
        "acme-watchlist-hik-1",
        "acme-watchlist-ifl-1",
        "acme-watchlist-xpsb-1",  # the row after the broken one is read
    ]
    (source,) = parsed.sources
    assert (source.id, source.title, source.authority) == (
        "acme-watchlist",
        "ACME procurement watchlist",
        "ACME compliance team",
    )


def test_watchlist_columns_map_into_the_entity(mapping: ColumnMapping) -> None:
    hikvision, iflytek, bureau = read_generic_csv(FIXTURES / "watchlist.csv", mapping).entities
    assert [a.name for a in hikvision.aliases] == ["Hikvision", "杭州海康威视数字技术股份有限公司"]
    assert hikvision.identifiers == (Identifier(scheme="uscc", value="91330000733796106P"),)
    assert hikvision.notes == "Entity List 2019-10-09; NS-CMIC"
    assert hikvision.listings[0].list_id == "acme-watchlist"
    assert hikvision.listings[0].source == "watchlist.csv line 2"
    # "company" and "cn" in the file
    assert (iflytek.kind, iflytek.countries) == (EntityKind.ORGANIZATION, ("CN",))
    assert bureau.kind is EntityKind.GOVERNMENT_BODY  # "government body"


def test_watchlist_strict_raises_at_the_first_bad_row(mapping: ColumnMapping) -> None:
    with pytest.raises(ListDataError) as caught:
        read_generic_csv(FIXTURES / "watchlist.csv", mapping, strict=True)
    assert caught.value.line == 4
    assert "watchlist.csv:4" in str(caught.value)


def test_missing_column_names_file_and_column(mapping: ColumnMapping) -> None:
    wrong = mapping.model_copy(update={"name": "Entity name"})
    with pytest.raises(ListDataError) as caught:
        read_generic_csv(FIXTURES / "watchlist.csv", wrong)
    assert caught.value.field == "name"
    assert "watchlist.csv" in str(caught.value)
    assert "'Entity name'" in str(caught.value)


def test_bad_encoding_is_a_row_problem_or_read_with_the_right_codec() -> None:
    mapping = ColumnMapping(name="Company", aliases="Also known as")
    parsed = read_generic_csv(FIXTURES / "watchlist_cp1252.csv", mapping)
    accounted(parsed)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "byte 0xFC is not valid in the file's encoding")
    ]
    latin = mapping.model_copy(update={"encoding": "cp1252"})
    first = read_generic_csv(FIXTURES / "watchlist_cp1252.csv", latin).entities[0]
    assert [a.name for a in first.aliases] == ["Müller Markt LLC"]


def test_without_an_id_column_ids_hash_the_row_and_repeats_are_problems(tmp_path: Path) -> None:
    file = tmp_path / "list.csv"
    file.write_text("Name;Kind\nIFLYTEK;company\nIFLYTEK;company\nMegvii;\n", encoding="utf-8")
    mapping = ColumnMapping(name="Name", kind="Kind", delimiter=";", list_id="mine")
    parsed = read_generic_csv(file, mapping)
    accounted(parsed)
    assert [(p.line, p.message) for p in parsed.problems] == [(3, "same row content as line 2")]
    assert [e.name for e in parsed.entities] == ["IFLYTEK", "Megvii"]
    assert all(e.id.startswith("mine-") for e in parsed.entities)
    assert parsed.entities[0].id == read_generic_csv(file, mapping).entities[0].id


def test_mapping_yaml_errors(tmp_path: Path) -> None:
    file = tmp_path / "mapping.yaml"
    file.write_text("name: Company\nalias: Also known as\n", encoding="utf-8")
    with pytest.raises(ListDataError) as caught:
        mapping_from_yaml(file)
    assert caught.value.field == "alias"
    file.write_text("name: Company\nidentifiers: [oops\n", encoding="utf-8")
    with pytest.raises(ListDataError) as caught:
        mapping_from_yaml(file)
    assert caught.value.line == 3
    file.write_text("- name\n", encoding="utf-8")
    with pytest.raises(ListDataError, match="expected a mapping"):
        mapping_from_yaml(file)


# --- format detection ------------------------------------------------------------------------


def test_unrecognized_formats_are_refused(tmp_path: Path) -> None:
    cases = {
        "list.txt": "name,source\n",
        "watch.csv": "Company,Country\nIFLYTEK,CN\n",
        "ofac_like.csv": '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"' + ",-0- " * 8 + "\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(ListDataError, match="unrecognized list format"):
            read_list_file(tmp_path / name)
    with pytest.raises(ListDataError, match="unrecognized list format: a directory"):
        read_list_file(tmp_path)
    with pytest.raises(ListDataError, match="no such file"):
        read_list_file(tmp_path / "missing.csv")


def test_ofac_sibling_file_is_refused_by_name(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ofac_sdn" / "alt.csv", tmp_path / "alt.csv")
    with pytest.raises(ListDataError, match="OFAC sibling file"):
        read_list_file(tmp_path / "alt.csv")


def test_headerless_ofac_primary_is_read_by_its_official_name(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ofac_cons" / "cons_prim.csv", tmp_path / "cons_prim.csv")
    parsed = read_list_file(tmp_path / "cons_prim.csv")
    accounted(parsed)
    assert len(parsed.entities) == 8
