"""Index cache: list inputs → (merged ``ListData``, built ``NameIndex``), kept on disk by hash.

Parsing and indexing the full Consolidated Screening List takes seconds; an interactive
``riskscreen check`` should not pay that every time. The key hashes every input byte (bundled
files, snapshot hashes, ``--list`` files), the options and riskscreen's version, so any change
rebuilds. A cache file that cannot be read is rebuilt and replaced, never trusted half-way.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.index import NameIndex
from riskscreen.lists.assemble import assemble, mapping_sidecar
from riskscreen.lists.load import ListData, bundled_lists_dir
from riskscreen.lists.snapshots import cache_dir, list_snapshots

log = logging.getLogger(__name__)
FORMAT = 2  # bump when the pickled classes change shape
KEEP = 4  # index files kept, newest first


def _version() -> str:
    from riskscreen import __version__

    return __version__


def cache_key(
    paths: Sequence[Path], *, bundled: bool, snapshots: bool, strict: bool, cache: Path
) -> str:
    # Today's date is part of the key: a CSL end date that has passed turns into a delisting.
    today = dt.date.today().isoformat()
    digest = hashlib.sha256(
        f"{FORMAT}|{_version()}|{bundled}|{snapshots}|{strict}|{today}".encode()
    )
    if bundled:
        for file in sorted(bundled_lists_dir().glob("*.y*ml")):
            digest.update(file.name.encode() + file.read_bytes())
    if snapshots:
        for meta in sorted(list_snapshots(cache), key=lambda m: m.source_id):
            digest.update(f"{meta.source_id}|{meta.format}|{meta.sha256}".encode())
    for path in paths:
        if not path.exists():
            raise ListDataError("no such file or directory", file=str(path))
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for beside in (mapping_sidecar(path), path.with_name("sources.yaml")):
            if path.is_file() and beside.is_file() and beside != path:
                files.append(beside)
        digest.update(str(path).encode())
        for file in files:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def load_indexed(
    paths: Sequence[Path] = (),
    *,
    bundled: bool = True,
    snapshots: bool = True,
    strict: bool = False,
    cache: Path | None = None,
) -> tuple[ListData, NameIndex]:
    """The merged lists and their name index, from the cache when the inputs are unchanged."""
    root = cache or cache_dir()
    key = cache_key(paths, bundled=bundled, snapshots=snapshots, strict=strict, cache=root)
    file = root / "index" / f"{key}.pickle"
    try:
        with file.open("rb") as handle, _gc_paused():
            data, index = pickle.load(handle)  # our own file, written below
        if isinstance(data, ListData) and isinstance(index, NameIndex):
            return data, index
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or incompatible cache file: rebuild it
        log.warning("rebuilding the list index cache (%s: %s)", type(exc).__name__, exc)
    with _gc_paused():
        data = assemble(paths, bundled=bundled, snapshots=snapshots, cache=root, strict=strict)
        index = NameIndex(data.entities)
    _write(file, (data, index))
    return data, index


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Build or load hundreds of thousands of long-lived objects without the cyclic garbage
    collector rescanning them over and over; afterwards move them out of its sight."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def select_lists(
    paths: Sequence[Path] = (),
    *,
    bundled: bool = True,
    snapshots: bool = True,
    strict: bool = False,
    cache: Path | None = None,
) -> tuple[ListData, NameIndex | None]:
    """What to screen against, merged and indexed: from the index cache when the inputs are
    unchanged (even the bundled lists alone: loading them from the cache skips parsing YAML
    and transliterating their Chinese names, which matters for a one-off ``check``)."""
    root = cache or cache_dir()
    use_snapshots = snapshots and bool(list_snapshots(root))
    if not paths and not use_snapshots and not bundled:
        raise ListDataError("no lists to screen against: give --list, or keep the bundled lists")
    return load_indexed(paths, bundled=bundled, snapshots=use_snapshots, strict=strict, cache=root)


def _write(file: Path, value: object) -> None:
    """Atomically; a cache that cannot be written only costs speed next time."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        kept = sorted(file.parent.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in kept[: -KEEP + 1]:  # the newest few sets of inputs are plenty
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=file.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, file)
    except OSError as exc:
        log.warning("cannot write the list index cache %s: %s", file, exc)
