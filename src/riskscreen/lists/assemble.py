"""Assemble: bundled lists + downloaded snapshots + ``--list`` files → one merged ``ListData``.

Each input is read by its adapter, its lists get an origin (kind, name, hash, as-of), and the
entities of all inputs are merged so one party on several lists is one entity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.lists.load import ListData, load_bundled, load_lists
from riskscreen.lists.merge import merge_entities, merge_sources
from riskscreen.lists.parsed import ParsedList
from riskscreen.lists.snapshots import SnapshotMeta, cache_dir, list_snapshots, read_snapshot
from riskscreen.lists.sources.csl import read_csl_csv, read_csl_json
from riskscreen.lists.sources.detect import read_list_file
from riskscreen.lists.sources.generic import mapping_from_yaml, read_generic_csv
from riskscreen.lists.sources.ofac import read_ofac_consolidated, read_ofac_sdn
from riskscreen.models import ListOrigin

Reader = Callable[[Path, bool, dt.date | None], ParsedList]

# ``format`` in sources.yaml → the adapter that reads such a download.
READERS: dict[str, Reader] = {
    "csl-csv": lambda p, strict, as_of: read_csl_csv(p, strict=strict, as_of=as_of),
    "csl-json": lambda p, strict, as_of: read_csl_json(p, strict=strict, as_of=as_of),
    "ofac-sdn-csv": lambda p, strict, _: read_ofac_sdn(p, strict=strict),
    "ofac-cons-csv": lambda p, strict, _: read_ofac_consolidated(p, strict=strict),
}
_CURATED_SUFFIXES = (".yaml", ".yml")


def reader_for(fmt: str) -> Reader:
    try:
        return READERS[fmt]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise ListDataError(f"unknown list format '{fmt}' (known: {known})") from None


def count_entities(fmt: str) -> Callable[[Path], int]:
    """The validator ``lists update`` runs on a download before it replaces a snapshot."""
    reader = reader_for(fmt)

    def validate(path: Path) -> int:
        return len(reader(path, False, None).entities)

    return validate


def assemble(
    paths: Sequence[Path] = (),
    *,
    bundled: bool = True,
    snapshots: bool = True,
    cache: Path | None = None,
    strict: bool = False,
) -> ListData:
    """Everything to screen against, merged. Order (and so which entry leads a merged entity
    and which source describes a list): bundled, snapshots by source id, then ``paths``."""
    parts: list[ListData] = [load_bundled()] if bundled else []
    if snapshots:
        parts.extend(_snapshot_data(cache or cache_dir(), strict))
    parts.extend(read_input(path, strict=strict) for path in paths)
    if not parts:
        raise ListDataError("no lists to screen against: give --list, or keep the bundled lists")
    return combine(parts)


def mapping_sidecar(path: Path) -> Path:
    """Where a watchlist CSV's column mapping lives: ``name.csv`` → ``name.mapping.yaml``."""
    return path.with_name(f"{path.stem}.mapping.yaml")


def read_input(path: Path, *, strict: bool = False) -> ListData:
    """A ``--list`` path: curated YAML (a file or a folder of them), a watchlist CSV with its
    ``.mapping.yaml`` beside it, or an official format (CSL CSV/JSON, OFAC CSV sets)."""
    curated = path.suffix.lower() in _CURATED_SUFFIXES or (
        path.is_dir() and any(path.glob("*.y*ml"))
    )
    if curated:
        # A single entity file needs the sources.yaml beside it that defines its lists.
        sources = path.with_name("sources.yaml")
        single = path.is_file() and path.name != "sources.yaml" and sources.is_file()
        return load_lists([sources, path] if single else [path], kind="file")
    sidecar = mapping_sidecar(path)
    if path.suffix.lower() == ".csv" and sidecar.is_file():
        parsed = read_generic_csv(path, mapping_from_yaml(sidecar), strict=strict)
    else:
        parsed = read_list_file(path, strict=strict)
    digest = _file_digest(path)
    return _from_parsed(parsed, ListOrigin(kind="file", name=str(path), sha256=digest))


def combine(parts: Iterable[ListData]) -> ListData:
    """Merge several inputs; an entity id may come from one input only."""
    parts = list(parts)
    seen: dict[str, int] = {}
    for number, part in enumerate(parts):
        for entity in part.entities:
            if seen.setdefault(entity.id, number) != number:
                raise ListDataError(
                    f"entity id '{entity.id}' comes from two inputs (the same list loaded "
                    "twice, as a snapshot and a --list file?)"
                )
    origin_of = {e.id: n for n, part in enumerate(parts) for e in part.entities}
    entities = merge_entities(
        [e for part in parts for e in part.entities], origin=lambda e: origin_of[e.id]
    )
    origins: dict[str, tuple[ListOrigin, ...]] = {}
    for part in parts:
        for list_id, found in part.origins.items():
            origins[list_id] = origins.get(list_id, ()) + found
    return ListData(
        sources=merge_sources([s for part in parts for s in part.sources]),
        entities=entities,
        problems=tuple(p for part in parts for p in part.problems),
        origins=origins,
    )


def _snapshot_data(cache: Path, strict: bool) -> list[ListData]:
    found = []
    for meta in sorted(list_snapshots(cache), key=lambda m: m.source_id):
        current = read_snapshot(cache, meta.source_id)
        if current is None:
            continue
        meta, path = current
        as_of = meta.as_of or meta.fetched_at.date()
        parsed = reader_for(meta.format)(path, strict, as_of)
        found.append(_from_parsed(parsed, _snapshot_origin(meta, as_of)))
    return found


def _snapshot_origin(meta: SnapshotMeta, as_of: dt.date) -> ListOrigin:
    return ListOrigin(
        kind="snapshot",
        name=meta.source_id,
        sha256=meta.sha256,
        as_of=as_of,
        fetched_at=meta.fetched_at,
    )


def _from_parsed(parsed: ParsedList, origin: ListOrigin) -> ListData:
    origins = {
        s.id: (origin.model_copy(update={"as_of": origin.as_of or s.as_of}),)
        for s in parsed.sources
    }
    return ListData(parsed.sources, parsed.entities, parsed.problems, origins)


def _file_digest(path: Path) -> str:
    """A file's plain SHA-256 (what ``sha256sum`` prints); for a folder or a watchlist with
    its mapping, a SHA-256 over each file's name and bytes."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    if path.is_file() and mapping_sidecar(path).is_file():
        files.append(mapping_sidecar(path))
    if len(files) == 1 and files[0] == path:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()
