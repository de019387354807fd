"""CSL adapter: the trade.gov Consolidated Screening List (CSV or API JSON) → ``ParsedList``.

One row → one entity with one listing on the sub-list its ``source`` names. Reads the current
29-column CSV, the old 28-column one (no ``_id``), the 9-column projection and the JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import CSL_SUBLISTS, ParsedList, ProblemLog
from riskscreen.lists.sources import (
    ISO2,
    clean,
    content_id,
    csv_records,
    decode,
    gc_paused,
    identifier,
    json_item_lines,
    parse_date,
    read_bytes,
    read_json,
    row_problem,
    sha256,
    slug,
    split_id,
)
from riskscreen.models import Alias, Citation, Entity, EntityKind, Identifier, Listing, ListSource
from riskscreen.normalize import name_forms

Row = dict[str, object]  # field → str (CSV) or str | list | dict | None (JSON)

# Column names of the other CSL shapes → the names of the current CSV. The projection's own
# derived columns: `active` decides whether its end_date has passed, `strong_alias` is unused.
_RENAMES = {
    "id": "_id",
    "primary_name": "name",
    "aliases": "alt_names",
    "entity_type": "type",
    "source_sublist": "source",
}
# Aircraft are craft, not legal persons: riskscreen has no aircraft kind, and "vessel" keeps
# them out of rules and name-merging meant for organisations. The notes say "aircraft".
_KINDS = {
    "": EntityKind.ORGANIZATION,  # BIS and State lists leave `type` blank
    "entity": EntityKind.ORGANIZATION,
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.VESSEL,
}
_ENTITY_NOTES = (
    "title", "remarks", "dates_of_birth", "places_of_birth", "nationalities", "citizenships",
    "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag",
    "vessel_owner",
)  # fmt: skip
_LISTING_NOTES = ("standard_order", "license_requirement", "license_policy")
# "Eric Fru Eric Fru<TAB>a/k/a Ngi Nji", "Cho Yan Nathan; a.k.a Nathan Man Man" (DTC, EL names).
_AKA = re.compile(r"[\s;,(]+\b[af][./]k[./]a\b\.?\s*", re.IGNORECASE)


def read_csl_csv(
    path: str | Path, *, strict: bool = False, as_of: dt.date | None = None
) -> ParsedList:
    """Read a CSL CSV: current (29 columns), old (28, no ``_id``) or the 9-column projection.

    ``end_date`` becomes ``delisted_on`` only once it has passed on ``as_of`` (default today),
    or, in the projection, when its ``active`` column says "no".
    """
    file = Path(path)
    data = read_bytes(file)
    text, undecoded = decode(data)
    log = ProblemLog(str(file), strict=strict)
    records = csv_records(text, log)
    first = next(records, None)
    if first is None or first[1] is None:
        raise ListDataError("no CSL header line", file=str(file))
    header = [_RENAMES.get(name.strip().lower(), name.strip().lower()) for name in first[1]]
    missing = sorted({"name", "source"} - set(header))
    if missing:
        raise ListDataError(f"not a CSL file: no column {', '.join(missing)}", file=str(file))
    rows = _Rows(file, as_of, type_first_ids="_id" in header, columns=set(header))
    count = 0
    with gc_paused():
        for line, fields in records:
            count += 1
            if fields is None:
                continue  # broken quoting, already logged
            problem = row_problem(fields, len(header), undecoded) or rows.add(
                dict(zip(header, fields, strict=True)), line, fields
            )
            if problem:
                log.add(line, problem)
    return rows.result(data, count, log)


def read_csl_json(
    path: str | Path, *, strict: bool = False, as_of: dt.date | None = None
) -> ParsedList:
    """Read CSL JSON as the trade.gov API publishes it: ``{"results": [row, ...], ...}``.

    A bare list of rows is accepted too. Lists of strings or objects are read for
    ``alt_names``, ``addresses``, ``programs`` and ``ids`` (``{"type", "number", ...}``).
    """
    file = Path(path)
    data, text, document = read_json(file)
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise ListDataError('expected {"results": [...]} or a list of rows', file=str(file))
    log = ProblemLog(str(file), strict=strict)
    rows = _Rows(file, as_of, type_first_ids=True, json=True)
    lines: list[int] = []  # where each result starts; found only once a problem needs it
    with gc_paused():
        for index, item in enumerate(results):
            if isinstance(item, dict):
                row = {_RENAMES.get(key.lower(), key.lower()): value for key, value in item.items()}
                problem = rows.add(row, index + 1)
            else:
                problem = f"result {index + 1} is not an object"
            if problem:
                lines = lines or json_item_lines(text, "results")
                log.add(lines[index], problem)
    return rows.result(data, len(results), log)


@dataclass
class _Rows:
    """Rows → entities, remembering the sub-lists seen and the ids handed out."""

    file: Path
    as_of: dt.date | None
    type_first_ids: bool  # current CSV/JSON: "Passport, 123, KP"; old CSV: "US, 123, Tax ID No."
    json: bool = False  # rows are located by result number instead of line
    columns: set[str] | None = None  # a CSV's columns; notes skip fields it does not have
    present: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    lists: dict[str, list[str | None]] = field(default_factory=dict)  # id → [title, auth, url]
    seen: dict[str, int] = field(default_factory=dict)  # entity id → line or result number
    repeats: dict[str, int] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)

    def add(self, row: Row, where: int, fields: list[str] | None = None) -> str | None:
        """Append the row's entity; return a problem message instead when there is none."""
        raw_name = _text(row.get("name"))
        name, aka = _split_aka(clean(raw_name))
        source = clean(_text(row.get("source")))
        if not name:
            return "empty name"
        if not name_forms(name):
            return f"name {name!r} has nothing left to match on after normalization"
        if not source:
            return f"no source (sub-list) given for {name!r}"
        list_id = self._list_id(source, clean(_text(row.get("source_list_url"))))
        entity_notes: list[str] = []
        type_name = clean(_text(row.get("type")))
        if type_name.lower() not in ("", "entity", "individual", "vessel"):
            entity_notes.append(f"type: {type_name}")  # aircraft, or a type we do not know
        identifiers, id_notes = _identifiers(row, self.type_first_ids)
        entity_notes += _notes(row, self._present(_ENTITY_NOTES)) + id_notes
        entity_id = self._entity_id(row, list_id, fields, entity_notes)
        self.seen[entity_id] = where
        addresses = _items(row.get("addresses"))
        self.entities.append(
            Entity(
                id=entity_id,
                kind=_KINDS.get(type_name.lower(), EntityKind.ORGANIZATION),
                name=name,
                aliases=tuple(Alias(name=a) for a in _aliases(row, name, aka)),
                countries=_countries(row, addresses),
                addresses=tuple(dict.fromkeys(addresses)),
                identifiers=identifiers,
                listings=(self._listing(row, list_id, raw_name, where),),
                notes="; ".join(entity_notes) or None,
            )
        )
        return None

    def _entity_id(self, row: Row, list_id: str, fields: list[str] | None, notes: list[str]) -> str:
        """From ``_id``/``entity_number``, else a hash of the row; repeats get "-2", "-3" …"""
        key = clean(_text(row.get("_id") or row.get("entity_number")))
        if not key:
            content = fields if fields is not None else [json.dumps(row, sort_keys=True)]
            key = content_id(*content)
        entity_id = f"csl-{list_id}-{slug(key)}"
        if entity_id in self.seen:  # the same row twice: the projection has 94 such repeats
            notes.append(f"same id as the row at {self._where(self.seen[entity_id])}")
            self.repeats[entity_id] = self.repeats.get(entity_id, 1) + 1
            entity_id = f"{entity_id}-{self.repeats[entity_id]}"
        return entity_id

    def _listing(self, row: Row, list_id: str, raw_name: str, where: int) -> Listing:
        notes = _notes(row, self._present(_LISTING_NOTES))
        listed_on = _date(row, "start_date", notes)
        ended = _date(row, "end_date", notes)
        if ended and not self._has_ended(row, ended):
            notes.append(f"end_date: {ended} (not passed when read)")
            ended = None
        notice = clean(_text(row.get("federal_register_notice")))
        return Listing(
            list_id=list_id,
            name_on_list=raw_name,
            program=clean(_text(row.get("programs"))) or None,
            listed_on=listed_on,
            delisted_on=ended,
            citation=Citation(page=notice) if notice else None,
            url=clean(_text(row.get("source_list_url"))) or None,
            source=f"{self.file.name} {self._where(where)}",
            notes="; ".join(notes) or None,
        )

    def _present(self, fields: tuple[str, ...]) -> tuple[str, ...]:
        if self.columns is None:
            return fields
        if fields not in self.present:
            self.present[fields] = tuple(f for f in fields if f in self.columns)
        return self.present[fields]

    def _has_ended(self, row: Row, end: dt.date) -> bool:
        if "active" in row:  # the projection's own verdict, made on its snapshot date
            return _text(row["active"]).strip().lower() == "no"
        return end <= (self.as_of or dt.date.today())

    def _list_id(self, source: str, url: str) -> str:
        # An unknown sub-list keeps its rows under a derived id rather than losing them.
        list_id, title, authority = CSL_SUBLISTS.get(source) or (
            "us-csl-" + (slug(source) or "unknown"),
            source,
            source.rpartition(" - ")[2],
        )
        known = self.lists.setdefault(list_id, [title, authority, None])
        known[2] = known[2] or url or None
        return list_id

    def _where(self, where: int) -> str:
        return f"result {where}" if self.json else f"line {where}"

    def result(self, data: bytes, rows: int, log: ProblemLog) -> ParsedList:
        digest = sha256(data)
        sources = tuple(
            ListSource(
                id=list_id,
                title=str(title),
                authority=str(authority),
                url=url,
                as_of=self.as_of,
                content_hash=digest,
                notes=f"read from the Consolidated Screening List file {self.file.name}",
            )
            for list_id, (title, authority, url) in self.lists.items()
        )
        return ParsedList(sources, tuple(self.entities), tuple(log.problems), rows)


def _text(value: object) -> str:
    """A field as text: JSON lists are ``; ``-joined and objects (addresses) ``, ``-joined."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(t for t in map(_text, value) if t)
    if isinstance(value, dict):
        return ", ".join(t for t in map(_text, value.values()) if t)
    return str(value)


def _items(value: object) -> list[str]:
    """A ``;``-separated field (or JSON list) as cleaned items; the EL writes "A; B; and C"."""
    if not value or value == "[]":  # "[]": the projection's rendering of an empty list
        return []
    parts = [_text(v) for v in value] if isinstance(value, list) else _text(value).split(";")
    items = (clean(part) for part in parts)
    return [item[4:] if item.startswith("and ") else item for item in items if item]


def _split_aka(name: str) -> tuple[str, list[str]]:
    """A name with "a/k/a" inside → (the first name, the others as aliases)."""
    if not _AKA.search(name):
        return name, []
    parts = [part for p in _AKA.split(name) if (part := _balance(p.strip(" ;,")))]
    if len(parts) < 2 or not name_forms(parts[0]):
        return name, []
    return parts[0], parts[1:]


def _balance(part: str) -> str:
    """Drop a bracket the split left unpaired at either end: "Co. Ltd. (Chitron-Shenzhen)"."""
    if part.endswith(")") and part.count(")") > part.count("("):
        part = part[:-1].rstrip()
    if part.startswith("(") and part.count("(") > part.count(")"):
        part = part[1:].lstrip()
    return part


def _aliases(row: Row, name: str, aka: list[str]) -> list[str]:
    names = dict.fromkeys([*_items(row.get("alt_names")), *aka])
    names.pop(name, None)
    return list(names)


def _countries(row: Row, addresses: list[str]) -> tuple[str, ...]:
    """ISO codes from the end of addresses ("…, Xian, China, CN") and nationality fields."""
    codes = [a.rpartition(", ")[2] for a in addresses]
    codes += _items(row.get("nationalities")) + _items(row.get("citizenships"))
    return tuple(dict.fromkeys(c for c in codes if ISO2.fullmatch(c)))


def _identifiers(row: Row, type_first: bool) -> tuple[tuple[Identifier, ...], list[str]]:
    """Identifiers from ``entity_number`` and ``ids``; entries that are not ids → notes."""
    found: list[Identifier] = []
    notes: list[str] = []
    number = clean(_text(row.get("entity_number")))
    if number:
        found.append(Identifier(scheme="ofac-ent-num", value=number))
    value = row.get("ids")
    for entry in value if isinstance(value, list) else _items(value):
        if isinstance(entry, dict):
            label, number = clean(_text(entry.get("type"))), clean(_text(entry.get("number")))
        else:
            label, number = split_id(_text(entry), type_first=type_first)
        ident = identifier(label, number, keep_unknown=True)
        if ident:
            found.append(ident)
        else:
            notes.append(clean(f"{label} {number}"))
    return tuple(dict.fromkeys(found)), notes


def _notes(row: Row, fields: tuple[str, ...]) -> list[str]:
    values = ((name, row.get(name)) for name in fields)
    return [f"{name}: {text}" for name, value in values if value and (text := clean(_text(value)))]


def _date(row: Row, name: str, notes: list[str]) -> dt.date | None:
    value = _text(row.get(name))
    try:
        return parse_date(value)
    except ValueError:  # a bad date must not cost the listing; keep the value visible
        notes.append(f"{name} {value!r} is not a date")
        return None
