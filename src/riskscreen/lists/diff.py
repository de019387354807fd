"""List diff: two versions of a list → the entities added, removed and changed between them.

A stage beside screening, for ``riskscreen lists diff`` and ``batch --changed-since``:
``load_side`` reads each side (a list file, or ``snapshot:<source_id>[@previous]`` from the
cache) into ``ListData``; ``diff_lists`` compares the two by entity id → ``ListDiff``;
``diff_text`` and ``diff_json`` render it.

Entities whose id exists on one side only but that share their lists and primary name with one
on the other side are paired as one change: a content-hash id (a CSL row without ``_id``, a
watchlist row without an id column) changes whenever the row does. Provenance that moves with
the file rather than the entry — a listing's ``source`` ("file line N"), line numbers in notes —
is not compared, so deleting one row does not make every later row look changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from riskscreen.errors import ListDataError
from riskscreen.lists.assemble import read_input, reader_for
from riskscreen.lists.load import ListData
from riskscreen.lists.snapshots import SOURCE_ID, cache_dir, list_snapshots, read_snapshot
from riskscreen.models import Entity, Listing, ListOrigin

SNAPSHOT_PREFIX = "snapshot:"
_LISTING_FIELDS = (
    "name_on_list", "program", "reason", "listed_on", "effective_on", "delisted_on", "citation",
    "url", "confidence", "notes",
)  # fmt: skip
_LOCATION = re.compile(r"\b(line|result) \d+\b")  # "same id as the row at line 12"
_SHOWN = 100  # longest text shown in a change before it is cut with "…"


@dataclass(frozen=True)
class EntityChange:
    """One entity in both versions (same id, or paired by lists and name), and what differs."""

    old: Entity
    new: Entity
    changes: tuple[str, ...]  # human-readable, one per difference


@dataclass(frozen=True)
class ListDiff:
    """What changed from an old to a new version of the lists, each part ordered by id."""

    added: tuple[Entity, ...] = ()
    removed: tuple[Entity, ...] = ()
    changed: tuple[EntityChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def affected_entities(self) -> tuple[Entity, ...]:
        """Every entity whose screening results could differ: added, removed, and both
        versions of each changed one."""
        both = (entity for change in self.changed for entity in (change.old, change.new))
        return (*self.added, *self.removed, *both)

    def changed_ids(self) -> frozenset[str]:
        """The ids of ``affected_entities()`` (old and new ids of a paired change)."""
        return frozenset(entity.id for entity in self.affected_entities())


def diff_lists(old: ListData, new: ListData) -> ListDiff:
    """Compare two versions entity by entity; deterministic for the same inputs."""
    before, after = _by_id(old.entities, "old"), _by_id(new.entities, "new")
    changed = []
    for entity_id in sorted(before.keys() & after.keys()):
        changes = entity_changes(before[entity_id], after[entity_id])
        if changes:
            changed.append(EntityChange(before[entity_id], after[entity_id], changes))
    removed = [before[i] for i in sorted(before.keys() - after.keys())]
    added = [after[i] for i in sorted(after.keys() - before.keys())]
    paired, removed, added = _pair(removed, added)
    changed = sorted([*changed, *paired], key=lambda c: (c.old.id, c.new.id))
    return ListDiff(tuple(added), tuple(removed), tuple(changed))


def entity_changes(old: Entity, new: Entity) -> tuple[str, ...]:
    """Each difference between two versions of an entity, as one line of text."""
    found: list[str] = []
    if old.id != new.id:
        found.append(f"id: {old.id} → {new.id}")
    if old.kind != new.kind:
        found.append(f"kind: {old.kind.value} → {new.kind.value}")
    if old.name != new.name:
        found.append(f"name: {_show(old.name)} → {_show(new.name)}")
    found += _members("alias", [a.name for a in old.aliases], [a.name for a in new.aliases], _show)
    found += _members("country", old.countries, new.countries, str)
    found += _members("address", old.addresses, new.addresses, _show)
    found += _members("identifier", _idents(old), _idents(new), str)
    found += _listing_changes(old.listings, new.listings)
    if _mask(old.notes) != _mask(new.notes):
        found.append(f"notes: {_show(old.notes)} → {_show(new.notes)}")
    merged_old, merged_new = ([m.entity_id for m in e.merged_from] for e in (old, new))
    found += _members("merged entry", merged_old, merged_new, str)
    return tuple(found)


def load_side(spec: str, *, cache: Path | None = None, strict: bool = False) -> ListData:
    """One side of a diff: a list file or folder (anything ``--list`` reads), or
    ``snapshot:<source_id>`` / ``snapshot:<source_id>@previous`` from the snapshot cache."""
    if not spec.startswith(SNAPSHOT_PREFIX):
        return read_input(Path(spec), strict=strict)
    source_id, _, version = spec.removeprefix(SNAPSHOT_PREFIX).partition("@")
    if version not in ("", "current", "previous"):
        raise ListDataError(f"'{spec}': unknown snapshot version '{version}' (use @previous)")
    if not re.fullmatch(SOURCE_ID, source_id):
        raise ListDataError(f"'{spec}': '{source_id}' is not a valid source id")
    which: Literal["current", "previous"] = "previous" if version == "previous" else "current"
    root = cache or cache_dir()
    found = read_snapshot(root, source_id, which)
    if found is None:
        if which == "previous" and read_snapshot(root, source_id) is not None:
            raise ListDataError(f"'{spec}': '{source_id}' has been downloaded only once so far")
        known = ", ".join(m.source_id for m in list_snapshots(root)) or "none"
        raise ListDataError(
            f"'{spec}': no snapshot of '{source_id}' (downloaded: {known}); "
            "run 'riskscreen lists update'"
        )
    meta, path = found
    as_of = meta.as_of or meta.fetched_at.date()
    parsed = reader_for(meta.format)(path, strict, as_of)
    origin = ListOrigin(
        kind="snapshot",
        name=meta.source_id,
        sha256=meta.sha256,
        as_of=as_of,
        fetched_at=meta.fetched_at,
    )
    origins = {s.id: (origin,) for s in parsed.sources}
    return ListData(parsed.sources, parsed.entities, parsed.problems, origins)


def diff_text(diff: ListDiff) -> str:
    """A summary line, then one section per kind of difference."""
    lines = [f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"]
    for title, mark, entities in (("Added", "+", diff.added), ("Removed", "-", diff.removed)):
        if entities:
            lines += ["", f"{title}:", *(f"  {mark} {_entity_line(e)}" for e in entities)]
    if diff.changed:
        lines += ["", "Changed:"]
        for change in diff.changed:
            lines.append(f"  ~ {_entity_line(change.new)}")
            lines += (f"      {text}" for text in change.changes)
    return "\n".join(lines)


def diff_json(diff: ListDiff) -> dict[str, Any]:
    """The diff as JSON-ready data, for ``--format json``."""
    return {
        "summary": {key: len(getattr(diff, key)) for key in ("added", "removed", "changed")},
        "added": [_entity_json(e) for e in diff.added],
        "removed": [_entity_json(e) for e in diff.removed],
        "changed": [
            {
                **_entity_json(c.new),
                "old_id": c.old.id,
                "old_name": c.old.name,
                "changes": list(c.changes),
            }
            for c in diff.changed
        ],
    }


def _entity_line(entity: Entity) -> str:
    return f"{entity.id}  {entity.name}  [{', '.join(_list_ids(entity))}]"


def _entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind.value,
        "lists": _list_ids(entity),
    }


def _list_ids(entity: Entity) -> list[str]:
    return list(dict.fromkeys(listing.list_id for listing in entity.listings))


def _by_id(entities: Iterable[Entity], side: str) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    for entity in entities:
        if found.setdefault(entity.id, entity) is not entity:
            raise ListDataError(f"entity id '{entity.id}' appears twice in the {side} lists")
    return found


def _pair_key(entity: Entity) -> tuple[frozenset[str], str]:
    return frozenset(_list_ids(entity)), " ".join(entity.name.split()).casefold()


def _pair(
    removed: list[Entity], added: list[Entity]
) -> tuple[list[EntityChange], list[Entity], list[Entity]]:
    """Pair removed and added entities of the same lists and primary name, closest pairs first
    (fewest differences, then lowest ids); the rest stay removed or added."""
    groups: dict[tuple[frozenset[str], str], tuple[list[Entity], list[Entity]]] = {}
    for side, entities in enumerate((removed, added)):
        for entity in entities:
            groups.setdefault(_pair_key(entity), ([], []))[side].append(entity)
    options = sorted(
        (len(change.changes), old.id, new.id, change)
        for olds, news in groups.values()
        for old in olds
        for new in news
        for change in (EntityChange(old, new, entity_changes(old, new)),)
    )
    paired: list[EntityChange] = []
    taken: set[str] = set()
    for *_, change in options:
        if change.old.id not in taken and change.new.id not in taken:
            taken |= {change.old.id, change.new.id}
            paired.append(change)
    return (
        paired,
        [e for e in removed if e.id not in taken],
        [e for e in added if e.id not in taken],
    )


def _listing_changes(old: Sequence[Listing], new: Sequence[Listing]) -> list[str]:
    """Listings are matched by list id (and order, for several on one list)."""
    before, after = _keyed(old), _keyed(new)
    found: list[str] = []
    for key, listing in before.items():
        if key not in after:
            found.append(f"listing removed: {_listing_label(listing)}")
            continue
        label = key[0] if key[1] == 1 else f"{key[0]} #{key[1]}"
        for name in _LISTING_FIELDS:
            a, b = getattr(listing, name), getattr(after[key], name)
            same = _mask(a) == _mask(b) if name == "notes" else a == b
            if not same:
                found.append(f"{name} ({label}): {_show(a)} → {_show(b)}")
    found += (f"listing added: {_listing_label(n)}" for k, n in after.items() if k not in before)
    return found


def _keyed(listings: Sequence[Listing]) -> dict[tuple[str, int], Listing]:
    seen: Counter[str] = Counter()
    keyed: dict[tuple[str, int], Listing] = {}
    for listing in listings:
        seen[listing.list_id] += 1
        keyed[(listing.list_id, seen[listing.list_id])] = listing
    return keyed


def _listing_label(listing: Listing) -> str:
    dates = [f"listed {listing.listed_on}"] if listing.listed_on else []
    dates += [f"delisted {listing.delisted_on}"] if listing.delisted_on else []
    return f"{listing.list_id} ({', '.join(dates)})" if dates else listing.list_id


def _members(
    what: str, old: Sequence[str], new: Sequence[str], show: Callable[[str], str]
) -> list[str]:
    gone, come = set(old) - set(new), set(new) - set(old)
    removed = (f"{what} removed: {show(v)}" for v in dict.fromkeys(old) if v in gone)
    return [*removed, *(f"{what} added: {show(v)}" for v in dict.fromkeys(new) if v in come)]


def _idents(entity: Entity) -> list[str]:
    return [f"{i.scheme} {i.value}" for i in entity.identifiers]


def _mask(notes: str | None) -> str | None:
    return _LOCATION.sub(r"\1 #", notes) if notes else notes


def _show(value: object) -> str:
    """A value in a change line: text quoted (and cut when long), dates ISO, none as none."""
    if value is None:
        return "none"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, BaseModel):  # a citation: its known parts
        value = "; ".join(str(v) for v in value.model_dump(mode="json").values() if v)
    text = str(value)
    text = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return json.dumps(text, ensure_ascii=False)
