"""List files: the bundled ones validate; malformed ones fail naming file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import ListDataError, Screener
from riskscreen.lists import bundled_lists_dir, load_bundled, load_lists

SOURCES = """\
sources:
  - id: test-list
    title: Test list
    authority: Tests
"""

GOOD_ENTITY = """\
entities:
  - id: acme
    kind: organization
    name: Acme Widgets Co., Ltd.
    listings:
      - list_id: test-list
        listed_on: 2020-01-02
"""


def _write(tmp_path: Path, entities: str, sources: str = SOURCES) -> Path:
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    (tmp_path / "entities.yaml").write_text(entities, encoding="utf-8")
    return tmp_path


def test_bundled_lists_load_and_count() -> None:
    data = load_bundled()
    used = {u.id: u for u in data.lists_used()}
    assert {"us-bis-entity-list", "us-ofac-cmic", "us-ofac-sdn"} <= set(used)
    ids = [e.id for e in data.entities]
    assert len(ids) == len(set(ids))
    assert bundled_lists_dir().is_dir()


def test_bundled_october_2019_rule_has_28_entities() -> None:
    data = load_bundled()
    rule = [
        e
        for e in data.entities
        for x in e.listings
        if x.citation and x.citation.document and "2019-22210" in x.citation.document
    ]
    assert len(rule) == 28
    assert all(
        x.listed_on and x.listed_on.isoformat() == "2019-10-09"
        for e in rule
        for x in e.listings
        if x.citation and x.citation.document and "2019-22210" in x.citation.document
    )


def test_bundled_cmic_has_68_listings() -> None:
    data = load_bundled()
    cmic = [x for e in data.entities for x in e.listings if x.list_id == "us-ofac-cmic"]
    assert len(cmic) == 68
    assert all(x.listed_on for x in cmic)


def test_good_file_loads(tmp_path: Path) -> None:
    data = load_lists([_write(tmp_path, GOOD_ENTITY)])
    assert [e.id for e in data.entities] == ["acme"]
    assert Screener(data).screen("ACME WIDGETS").matches


@pytest.mark.parametrize(
    ("entities", "message", "field"),
    [
        (
            GOOD_ENTITY.replace("listed_on: 2020-01-02", "listed_on: someday"),
            "date",
            "listings.0.listed_on",
        ),
        (GOOD_ENTITY.replace("kind: organization", "kind: company"), "organization", "kind"),
        (GOOD_ENTITY + "    colour: red\n", "Extra inputs", "colour"),
        (
            GOOD_ENTITY.replace("list_id: test-list", "list_id: nowhere"),
            "nowhere",
            "listings.0.list_id",
        ),
        (
            GOOD_ENTITY.replace("name: Acme Widgets Co., Ltd.", "name: Co., Ltd."),
            "nothing left",
            "name",
        ),
        (
            GOOD_ENTITY.replace(
                "    listings:\n      - list_id: test-list\n        listed_on: 2020-01-02\n",
                "    listings: []\n",
            ),
            "at least 1",
            "listings",
        ),
    ],
)
def test_malformed_entity_names_file_entry_field(
    tmp_path: Path, entities: str, message: str, field: str
) -> None:
    with pytest.raises(ListDataError) as info:
        load_lists([_write(tmp_path, entities)])
    error = info.value
    assert error.file
    assert error.file.endswith("entities.yaml")
    assert error.entry == "entity 'acme'"
    assert error.field == field
    assert message in str(error)
    assert error.line == 2


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    with pytest.raises(ListDataError, match="invalid YAML") as info:
        load_lists([_write(tmp_path, GOOD_ENTITY + "  - id: [unclosed\n")])
    assert info.value.line is not None
    assert info.value.line >= 9


def test_duplicate_entity_id(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_ENTITY)
    (tmp_path / "more.yaml").write_text(GOOD_ENTITY, encoding="utf-8")
    with pytest.raises(ListDataError, match="duplicate entity id"):
        load_lists([tmp_path])


def test_yaml_cannot_execute_code(tmp_path: Path) -> None:
    evil = "entities: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(ListDataError, match="invalid YAML"):
        load_lists([_write(tmp_path, evil)])


def test_missing_path() -> None:
    with pytest.raises(ListDataError, match="no such file"):
        load_lists([Path("/nonexistent/lists")])


def test_wrong_top_level(tmp_path: Path) -> None:
    with pytest.raises(ListDataError, match="single key 'entities'"):
        load_lists([_write(tmp_path, "- just a list\n")])


def test_impossible_date_is_an_error_naming_the_file(tmp_path: Path) -> None:
    bad = GOOD_ENTITY.replace("listed_on: 2020-01-02", "listed_on: 2026-02-30")
    with pytest.raises(ListDataError, match="day is out of range") as info:
        load_lists([_write(tmp_path, bad)])
    assert info.value.file is not None
    assert info.value.file.endswith("entities.yaml")
