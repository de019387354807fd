"""List diff: every kind of change is reported, hash-id entries are paired, output is stable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from riskscreen.errors import ListDataError
from riskscreen.lists.assemble import read_input
from riskscreen.lists.diff import (
    EntityChange,
    ListDiff,
    diff_json,
    diff_lists,
    diff_text,
    entity_changes,
    load_side,
)
from riskscreen.lists.load import ListData
from riskscreen.lists.snapshots import SnapshotMeta, write_snapshot
from riskscreen.models import (
    Alias,
    Citation,
    Confidence,
    Entity,
    EntityKind,
    Identifier,
    Listing,
    ListSource,
    MergeRecord,
)

FIXTURES = Path(__file__).parent / "data" / "sources"
EL = "us-bis-entity-list"
SDN = "us-ofac-sdn"
DAY = dt.date(2019, 10, 9)


def listing(list_id: str = EL, **fields: Any) -> Listing:
    return Listing(list_id=list_id, **{"listed_on": DAY, "source": "a.csv line 2", **fields})


def entity(entity_id: str = "acme", name: str = "Acme Trading Co", **fields: Any) -> Entity:
    fields = {"kind": EntityKind.ORGANIZATION, "listings": (listing(),), **fields}
    return Entity(id=entity_id, name=name, **fields)


def data(*entities: Entity) -> ListData:
    lists = sorted({item.list_id for e in entities for item in e.listings})
    sources = tuple(ListSource(id=i, title=i, authority="test") for i in lists)
    return ListData(sources, entities)


def changes_of(old: Entity, new: Entity) -> tuple[str, ...]:
    diff = diff_lists(data(old), data(new))
    assert not diff.added
    assert not diff.removed
    assert len(diff.changed) == 1
    return diff.changed[0].changes


# --- hand-built pairs: one per kind of change ------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({}, {"name": "Acme Trade Co"}, ['name: "Acme Trading Co" → "Acme Trade Co"']),
        ({}, {"kind": EntityKind.PERSON}, ["kind: organization → person"]),
        ({}, {"aliases": (Alias(name="ATC"),)}, ['alias added: "ATC"']),
        ({"aliases": (Alias(name="ATC"), Alias(name="A.T.C."))}, {}, [
            'alias removed: "ATC"', 'alias removed: "A.T.C."'
        ]),
        ({"countries": ("CN",)}, {"countries": ("HK",)}, [
            "country removed: CN", "country added: HK"
        ]),
        ({}, {"addresses": ("1 Main St, Shenzhen",)}, ['address added: "1 Main St, Shenzhen"']),
        ({"identifiers": (Identifier(scheme="uscc", value="9133"),)}, {}, [
            "identifier removed: uscc 9133"
        ]),
        ({}, {"listings": (listing(), listing(SDN, listed_on=dt.date(2020, 1, 2)))}, [
            "listing added: us-ofac-sdn (listed 2020-01-02)"
        ]),
        ({"listings": (listing(), listing(SDN, listed_on=None))}, {}, [
            "listing removed: us-ofac-sdn"
        ]),
        ({}, {"listings": (listing(program="CMIC-EO13959"),)}, [
            f'program ({EL}): none → "CMIC-EO13959"'
        ]),
        ({}, {"listings": (listing(listed_on=dt.date(2019, 10, 7)),)}, [
            f"listed_on ({EL}): 2019-10-09 → 2019-10-07"
        ]),
        ({}, {"listings": (listing(delisted_on=dt.date(2024, 5, 1)),)}, [
            f"delisted_on ({EL}): none → 2024-05-01"
        ]),
        ({"listings": (listing(name_on_list="ACME"),)}, {}, [
            f'name_on_list ({EL}): "ACME" → none'
        ]),
        ({}, {"listings": (listing(citation=Citation(page="84 FR 54002")),)}, [
            f'citation ({EL}): none → "84 FR 54002"'
        ]),
        ({}, {"listings": (listing(reason="diversion", effective_on=DAY),)}, [
            f'reason ({EL}): none → "diversion"', f"effective_on ({EL}): none → 2019-10-09"
        ]),
        ({}, {"listings": (listing(confidence=Confidence.SECONDARY, notes="end_date: x"),)}, [
            f"confidence ({EL}): verified → secondary", f'notes ({EL}): none → "end_date: x"'
        ]),
        ({}, {"notes": "remarks: front company"}, ['notes: none → "remarks: front company"']),
        ({}, {"merged_from": (MergeRecord(entity_id="x", name="X", list_ids=(SDN,), reason="r"),)},
         ["merged entry added: x"]),
    ],
)  # fmt: skip
def test_each_kind_of_change_is_one_line(
    old: dict[str, Any], new: dict[str, Any], expected: list[str]
) -> None:
    assert list(changes_of(entity(**old), entity(**new))) == expected


def test_several_changes_of_one_entity_are_all_reported_in_a_stable_order() -> None:
    old = entity(listings=(listing(program="A"), listing(SDN)))
    new = entity(name="Acme Co", countries=("CN",), listings=(listing(program="B"),))
    assert changes_of(old, new) == (
        'name: "Acme Trading Co" → "Acme Co"',
        "country added: CN",
        f'program ({EL}): "A" → "B"',
        "listing removed: us-ofac-sdn (listed 2019-10-09)",
    )


def test_several_listings_on_one_list_are_matched_in_order() -> None:
    old = entity(listings=(listing(), listing(listed_on=dt.date(2021, 1, 1))))
    new = entity(listings=(listing(), listing(listed_on=dt.date(2021, 2, 2))))
    assert changes_of(old, new) == (f"listed_on ({EL} #2): 2021-01-01 → 2021-02-02",)


def test_long_values_are_cut_and_quoted() -> None:
    (line,) = changes_of(entity(), entity(notes="x" * 500))
    assert line == 'notes: none → "' + "x" * 99 + '…"'


def test_provenance_that_moves_with_the_file_is_not_a_change() -> None:
    old = entity(notes="same id as the row at line 4", listings=(listing(source="a.csv line 7"),))
    new = entity(notes="same id as the row at line 3", listings=(listing(source="b.csv line 6"),))
    assert entity_changes(old, new) == ()
    assert diff_lists(data(old), data(new)).empty


def test_added_removed_and_unchanged() -> None:
    kept, gone, come = entity("kept"), entity("gone", "Gone Ltd"), entity("come", "Come Ltd")
    diff = diff_lists(data(kept, gone), data(kept, come))
    assert diff == ListDiff(added=(come,), removed=(gone,))
    assert diff.changed_ids() == {"gone", "come"}
    assert not diff.empty


# --- pairing of content-hash ids ---------------------------------------------------------------


def test_removed_and_added_with_the_same_list_and_name_are_one_change() -> None:
    old = entity("csl-el-1111", listings=(listing(program="A"),))
    new = entity("csl-el-2222", name=" acme  TRADING co", listings=(listing(program="B"),))
    diff = diff_lists(data(old), data(new))
    assert not diff.added
    assert not diff.removed
    assert diff.changed == (
        EntityChange(
            old,
            new,
            (
                "id: csl-el-1111 → csl-el-2222",
                'name: "Acme Trading Co" → " acme  TRADING co"',
                f'program ({EL}): "A" → "B"',
            ),
        ),
    )
    assert diff.changed_ids() == {"csl-el-1111", "csl-el-2222"}
    assert diff.affected_entities() == (old, new)


@pytest.mark.parametrize(
    "new",
    [
        entity("csl-2222", listings=(listing(SDN),)),  # same name, another list
        entity("csl-2222", name="Acme Trading Company"),  # same list, another name
    ],
)
def test_no_pairing_across_lists_or_names(new: Entity) -> None:
    old = entity("csl-1111")
    assert diff_lists(data(old), data(new)) == ListDiff(added=(new,), removed=(old,))


def test_each_removed_entry_pairs_with_the_closest_added_one_at_most_once() -> None:
    old_a = entity("a-old", listings=(listing(program="A"),))
    old_b = entity("b-old", listings=(listing(program="B"),))
    new_b = entity("x-new", listings=(listing(program="B", url="https://b"),))
    diff = diff_lists(data(old_a, old_b), data(new_b))
    assert diff.removed == (old_a,)
    assert [(c.old.id, c.new.id) for c in diff.changed] == [("b-old", "x-new")]
    assert diff.changed[0].changes[1] == f'url ({EL}): none → "https://b"'


def test_duplicate_ids_on_one_side_are_an_error() -> None:
    with pytest.raises(ListDataError, match="'acme' appears twice in the new lists"):
        diff_lists(data(entity()), data(entity(), entity(notes="again")))


# --- determinism and rendering ------------------------------------------------------------


def sample() -> tuple[ListData, ListData]:
    old = [
        entity(f"e{i:02}", f"Company {i}", listings=(listing(program=str(i)),)) for i in range(20)
    ]
    new = [e.model_copy(update={"id": f"h{e.id}"}) if i % 5 == 0 else e for i, e in enumerate(old)]
    new[3] = entity("e03", "Company 3", listings=(listing(program="changed"),))
    del new[7]
    new.append(entity("z-added", "Added Corp"))
    return data(*old), data(*new)


def test_diff_is_deterministic_and_sorted_by_id() -> None:
    old, new = sample()
    diff = diff_lists(old, new)
    assert [e.id for e in diff.removed] == ["e07"]
    assert [e.id for e in diff.added] == ["z-added"]
    assert [(c.old.id, c.new.id) for c in diff.changed] == [
        ("e00", "he00"), ("e03", "e03"), ("e05", "he05"), ("e10", "he10"), ("e15", "he15")
    ]  # fmt: skip
    for seed in range(5):
        shuffled = [list(old.entities), list(new.entities)]
        for part in shuffled:
            random.Random(seed).shuffle(part)
        again = diff_lists(data(*shuffled[0]), data(*shuffled[1]))
        assert again == diff
        assert diff_text(again) == diff_text(diff)


def test_text_has_a_summary_then_sections() -> None:
    old, new = sample()
    text = diff_text(diff_lists(old, new))
    lines = text.splitlines()
    assert lines[0] == "1 added, 1 removed, 5 changed"
    assert "Added:" in lines
    assert "Removed:" in lines
    assert "Changed:" in lines
    assert f"  + z-added  Added Corp  [{EL}]" in lines
    assert f"  - e07  Company 7  [{EL}]" in lines
    assert f"  ~ e03  Company 3  [{EL}]" in lines
    assert f'      program ({EL}): "3" → "changed"' in lines
    assert diff_text(ListDiff()) == "0 added, 0 removed, 0 changed"


def test_json_has_ids_names_and_change_strings() -> None:
    old, new = sample()
    found = diff_json(diff_lists(old, new))
    assert json.loads(json.dumps(found)) == found
    assert found["summary"] == {"added": 1, "removed": 1, "changed": 5}
    assert found["added"] == [
        {"id": "z-added", "name": "Added Corp", "kind": "organization", "lists": [EL]}
    ]
    assert found["changed"][0] == {
        "id": "he00",
        "name": "Company 0",
        "kind": "organization",
        "lists": [EL],
        "old_id": "e00",
        "old_name": "Company 0",
        "changes": ["id: e00 → he00"],
    }


# --- load_side on list files -----------------------------------------------------------------


def edited_copy(source: Path, target: Path, edits: list[tuple[str, str]]) -> Path:
    text = source.read_bytes().decode("utf-8-sig")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target.write_bytes(b"\xef\xbb\xbf" + text.encode())
    return target


def csl_row(line: int) -> str:
    lines = (FIXTURES / "csl_current.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    return lines[line - 1] + "\r\n"


@pytest.fixture
def csl_new(tmp_path: Path) -> Path:
    plc = csl_row(6)
    added = plc.replace('"9673"', '"9999"').replace("Mohammed ABU JHEISHEH", "Added PERSON")
    return edited_copy(
        FIXTURES / "csl_current.csv",
        tmp_path / "csl_new.csv",
        [
            (csl_row(5), ""),  # I. ASH (DPL) deleted: every later row moves up one line
            ('"NPWMD","RIM, Ryong Nam"', '"NPWMD; IRGC","RIM, Ryong Nam"'),
            ('"ROSNEFT TRADE LIMITED"', '"ROSNEFT TRADING LIMITED"'),
            (plc, plc + added),
        ],
    )


def check_csl_diff(diff: ListDiff) -> None:
    assert [e.name for e in diff.removed] == ["I. ASH"]
    assert [e.name for e in diff.added] == ["Added PERSON"]
    assert {c.new.name: c.changes for c in diff.changed} == {
        "RIM, Ryong Nam": ('program (us-ofac-sdn): "NPWMD" → "NPWMD; IRGC"',),
        "ROSNEFT TRADING LIMITED": (
            'name: "ROSNEFT TRADE LIMITED" → "ROSNEFT TRADING LIMITED"',
            'name_on_list (us-ofac-ssi): "ROSNEFT TRADE LIMITED" → "ROSNEFT TRADING LIMITED"',
        ),
    }


def test_load_side_reads_csl_files(csl_new: Path) -> None:
    old = load_side(str(FIXTURES / "csl_current.csv"))
    new = load_side(str(csl_new))
    assert len(old.problems) == len(new.problems) == 2  # the fixture's broken rows, both sides
    check_csl_diff(diff_lists(old, new))
    assert diff_lists(new, new).empty


def test_changed_rows_without_ids_are_paired(tmp_path: Path) -> None:
    source = FIXTURES / "csl_projection.csv"
    rows = source.read_bytes().decode().split("\r\n")
    changed = edited_copy(
        source,
        tmp_path / "projection.csv",
        [
            (",,2019-10-09,", ",,2019-10-08,"),  # Hikvision EL: its content hash changes
            (rows[5] + "\r\n" + rows[6], rows[6]),  # one of two identical rows deleted
        ],
    )
    diff = diff_lists(load_side(str(source)), load_side(str(changed)))
    (removed,) = diff.removed
    assert removed.name == "Aero Systems Aviation Corp."
    assert removed.id.endswith("-2")
    assert not diff.added
    (change,) = diff.changed
    assert change.old.id != change.new.id
    assert change.changes[1:] == ("listed_on (us-bis-entity-list): 2019-10-09 → 2019-10-08",)


def test_load_side_missing_file() -> None:
    with pytest.raises(ListDataError, match="no such file"):
        load_side("/nonexistent/list.csv")


# --- load_side on snapshots ----------------------------------------------------------------


def snapshot(cache: Path, file: Path, day: int) -> None:
    body = file.read_bytes()
    at = dt.datetime(2026, 6, day, 12, tzinfo=dt.UTC)
    meta = SnapshotMeta(
        source_id="us-csl",
        url="https://example.test/csl.csv",
        format="csl-csv",
        filename="consolidated.csv",
        fetched_at=at,
        checked_at=at,
        sha256=hashlib.sha256(body).hexdigest(),
        size_bytes=len(body),
    )
    download = cache.parent / f"download-{day}"
    shutil.copyfile(file, download)
    write_snapshot(cache, meta, download)


def test_load_side_reads_current_and_previous_snapshots(csl_new: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(ListDataError, match=r"no snapshot of 'us-csl' \(downloaded: none\)"):
        load_side("snapshot:us-csl", cache=cache)
    snapshot(cache, FIXTURES / "csl_current.csv", 10)
    with pytest.raises(ListDataError, match="downloaded only once"):
        load_side("snapshot:us-csl@previous", cache=cache)
    snapshot(cache, csl_new, 11)
    old = load_side("snapshot:us-csl@previous", cache=cache)
    new = load_side("snapshot:us-csl", cache=cache)
    check_csl_diff(diff_lists(old, new))
    assert diff_lists(new, load_side("snapshot:us-csl@current", cache=cache)).empty
    origins = {o.name: (o.kind, o.as_of) for found in new.origins.values() for o in found}
    assert origins == {"us-csl": ("snapshot", dt.date(2026, 6, 11))}
    assert {s.as_of for s in old.sources} == {dt.date(2026, 6, 10)}
    with pytest.raises(ListDataError, match=r"no snapshot of 'us-ofac' \(downloaded: us-csl\)"):
        load_side("snapshot:us-ofac", cache=cache)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("snapshot:us-csl@oldest", "unknown snapshot version"), ("snapshot:../x", "not a valid")],
)
def test_load_side_rejects_bad_snapshot_specs(spec: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(ListDataError, match=message):
        load_side(spec, cache=tmp_path)


# --- real data ------------------------------------------------------------------------------


def test_excerpt_is_contained_in_the_full_projection(shared_data: Path, tmp_path: Path) -> None:
    excerpt = read_input(shared_data / "csl_excerpt_2026-06-11" / "expected_excerpt.csv")
    full_file = shared_data / "csl_2026-06-11" / "expected.csv"
    full = read_input(full_file)
    diff = diff_lists(excerpt, full)
    assert not diff.removed
    assert not diff.changed
    assert len(diff.added) == len(full.entities) - len(excerpt.entities)
    # One program edited in the 25k-row file: one paired change, nothing added or removed.
    text = full_file.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",CMIC-EO13959," in line)
    edited = tmp_path / "expected.csv"
    edited.write_text(text.replace(row, row.replace("CMIC-EO13959", "CMIC-EO14032")), "utf-8")
    diff = diff_lists(full, read_input(edited))
    assert not diff.added
    assert not diff.removed
    (change,) = diff.changed
    assert change.changes[1:] == ('program (us-ofac-cmic): "CMIC-EO13959" → "CMIC-EO14032"',)
