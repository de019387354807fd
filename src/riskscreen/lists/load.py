"""List loading: ``lists/*.yaml`` → validated ``ListSource`` and ``Entity`` models.

``sources.yaml`` defines the lists; every other file holds ``entities``. Any problem — bad
YAML, an unknown field, a duplicate id, a listing on an undefined list, a name with nothing
left to match on — raises ``ListDataError`` naming the file, line, entry and field.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from riskscreen.bundled import bundled_dir
from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import RowProblem
from riskscreen.models import Entity, ListOrigin, ListSource, ListUsed
from riskscreen.normalize import name_forms
from riskscreen.yamlio import item_lines, read_yaml_file

SOURCES_FILE = "sources.yaml"
_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class ListData:
    """The sources and entities one screener runs against.

    ``origins`` says, per list id, where its entries came from (bundled files, a downloaded
    snapshot, a ``--list`` file) with a hash of what was read; ``problems`` holds the rows an
    adapter could not read (never silently dropped).
    """

    sources: tuple[ListSource, ...]
    entities: tuple[Entity, ...]
    problems: tuple[RowProblem, ...] = ()
    origins: Mapping[str, tuple[ListOrigin, ...]] = field(default_factory=dict)

    def lists_used(self) -> tuple[ListUsed, ...]:
        """Each list with its entity count, origins and one hash over them."""
        members: dict[str, set[str]] = {}
        for entity in self.entities:
            for listing in entity.listings:
                members.setdefault(listing.list_id, set()).add(entity.id)
        used = []
        for source in self.sources:
            origins = self.origins.get(source.id, ())
            hashes = [o.sha256 for o in origins]
            dates = [o.as_of for o in origins if o.as_of] or (
                [source.as_of] if source.as_of else []
            )
            used.append(
                ListUsed(
                    id=source.id,
                    title=source.title,
                    # The oldest data in use: a list is only as current as its stalest part.
                    as_of=min(dates) if dates else None,
                    content_hash=hashes[0] if len(hashes) == 1 else _digest("|".join(hashes)),
                    entity_count=len(members.get(source.id, ())),
                    origins=origins,
                )
            )
        return tuple(used)


def curated_origins(
    sources: Iterable[ListSource], entities: Iterable[Entity], kind: str, name: str
) -> dict[str, tuple[ListOrigin, ...]]:
    """One origin per curated list, hashed over the source and its listings as loaded."""
    payloads: dict[str, list[tuple[str, str]]] = {}
    for entity in entities:
        for listing in entity.listings:
            payloads.setdefault(listing.list_id, []).append((entity.id, listing.model_dump_json()))
    origins: dict[str, tuple[ListOrigin, ...]] = {}
    for source in sources:
        payload = json.dumps(
            [source.model_dump(mode="json"), sorted(payloads.get(source.id, []))], sort_keys=True
        )
        origin = ListOrigin.model_validate(
            {"kind": kind, "name": name, "sha256": _digest(payload), "as_of": source.as_of}
        )
        origins[source.id] = (origin,)
    return origins


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def bundled_lists_dir() -> Path:
    return bundled_dir("lists", ListDataError)


@cache
def load_bundled() -> ListData:
    return load_lists([bundled_lists_dir()], kind="bundled")


def load_lists(paths: Iterable[Path], *, kind: str = "file") -> ListData:
    """Load curated-format list files and directories into one validated ``ListData``."""
    paths = list(paths)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.is_file():
            files.append(path)
        else:
            raise ListDataError("no such file or directory", file=str(path))
    sources: dict[str, ListSource] = {}
    entities: dict[str, tuple[Entity, str, int | None]] = {}
    for file in files:
        document, lines = _read_yaml(file)
        if file.name == SOURCES_FILE:
            for index, item in enumerate(_items(document, "sources", file)):
                source = _validate(ListSource, item, file, lines, index, "source")
                if source.id in sources:
                    raise ListDataError(
                        f"duplicate list id '{source.id}'",
                        file=str(file),
                        line=lines.get(index),
                        entry=f"source {index + 1}",
                    )
                sources[source.id] = source
            continue
        for index, item in enumerate(_items(document, "entities", file)):
            entity = _validate(Entity, item, file, lines, index, "entity")
            line, entry = lines.get(index), f"entity '{entity.id}'"
            if entity.id in entities:
                raise ListDataError(
                    f"duplicate entity id, also in {entities[entity.id][1]}",
                    file=str(file),
                    line=line,
                    entry=entry,
                )
            for name in entity.all_names():
                if not name_forms(name):
                    raise ListDataError(
                        f"name {name!r} has nothing left to match on after normalization",
                        file=str(file),
                        line=line,
                        entry=entry,
                        field="name",
                    )
            entities[entity.id] = (entity, str(file), line)
    for entity, file_name, line in entities.values():
        for number, listing in enumerate(entity.listings):
            if listing.list_id not in sources:
                raise ListDataError(
                    f"listing names list '{listing.list_id}', which no {SOURCES_FILE} defines",
                    file=file_name,
                    line=line,
                    entry=f"entity '{entity.id}'",
                    field=f"listings.{number}.list_id",
                )
    if not entities:
        raise ListDataError("no entities found", file=", ".join(str(f) for f in files) or None)
    loaded = tuple(item[0] for item in entities.values())
    name = "lists/" if kind == "bundled" else ", ".join(str(p) for p in paths)
    origins = curated_origins(sources.values(), loaded, kind, name)
    return ListData(tuple(sources.values()), loaded, origins=origins)


def _read_yaml(file: Path) -> tuple[Any, dict[int, int]]:
    """Parse safely; also return the 1-based line where each top-level list item starts."""
    document, root, _ = read_yaml_file(file, ListDataError)
    lines = item_lines(root, "sources") or item_lines(root, "entities")
    return document, lines


def _items(document: Any, key: str, file: Path) -> list[Any]:
    if not isinstance(document, dict) or set(document) != {key}:
        raise ListDataError(f"expected a mapping with the single key '{key}'", file=str(file))
    items = document[key]
    if not isinstance(items, list):
        raise ListDataError(f"'{key}' must be a list", file=str(file), field=key)
    return items


def _validate(
    model: type[_M], item: Any, file: Path, lines: dict[int, int], index: int, what: str
) -> _M:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        ident = item.get("id") if isinstance(item, dict) else None
        entry = f"{what} '{ident}'" if ident else f"{what} {index + 1}"
        field = ".".join(str(part) for part in error["loc"]) or None
        raise ListDataError(
            error["msg"], file=str(file), line=lines.get(index), entry=entry, field=field
        ) from None
