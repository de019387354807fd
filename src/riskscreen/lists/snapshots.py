"""Snapshots: a downloaded list file + its metadata → a versioned cache entry, replaced atomically.

The stage between fetching and parsing: ``fetch.py`` writes here; list loading is to read here.
Layout, per source (``<cache>`` is ``cache_dir()``)::

    <cache>/snapshots/<source_id>/
        pointer.json         {"current": "<version>", "previous": "<version>" | null}
        <version>/<file>     the list file exactly as downloaded
        <version>/meta.json  its SnapshotMeta
        .tmp-*               a write in progress, or the leftovers of a crashed one

A version directory is complete before ``pointer.json`` names it, and ``pointer.json`` is only
ever swapped whole by ``os.replace``: that swap is the single commit point, so a reader sees the
old snapshot or the new one, never half of one, and a failure before it leaves the old one
untouched. One writer per source at a time is assumed (``riskscreen update`` runs sequentially).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from riskscreen.errors import ConfigError, ListDataError

POINTER = "pointer.json"
META = "meta.json"
SOURCE_ID = r"^[a-z0-9][a-z0-9_.-]*$"  # the list id pattern of models.ListSource: a safe dir name
_TMP = ".tmp-"
_VERSION = r"^\d{8}T\d{6}Z-[0-9a-f]{12}-[0-9a-f]{6}$"
# A staging entry this old belongs to a writer that died; younger ones may still be in use.
_STALE = dt.timedelta(days=1)

log = logging.getLogger(__name__)


class SnapshotMeta(BaseModel):
    """What was downloaded, from where, when, and what it contained."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source_id: str = Field(pattern=SOURCE_ID)
    url: str
    format: str
    filename: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
    fetched_at: AwareDatetime  # when these bytes were downloaded
    checked_at: AwareDatetime  # when the source last confirmed them (a download or HTTP 304)
    etag: str | None = None
    last_modified: str | None = None  # the HTTP header, verbatim, for If-Modified-Since
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int = Field(ge=0)
    entity_count: int | None = Field(default=None, ge=0)
    as_of: dt.date | None = None  # the date the list is current as of, when known

    @field_validator("fetched_at", "checked_at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        return value.astimezone(dt.UTC)

    @field_validator("filename")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in (META, POINTER):
            raise ValueError(f"'{value}' is reserved for snapshot metadata")
        return value


class _Pointer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    current: str = Field(pattern=_VERSION)
    previous: str | None = Field(default=None, pattern=_VERSION)


def cache_dir() -> Path:
    """The per-user cache directory, created on demand.

    ``$RISKSCREEN_CACHE_DIR`` if set; else ``$XDG_CACHE_HOME/riskscreen`` (when that is an
    absolute path, as the XDG spec requires); else ``~/.cache/riskscreen``.
    """
    explicit = os.environ.get("RISKSCREEN_CACHE_DIR")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
        path = base / "riskscreen"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the cache directory: {exc.strerror}", file=str(path)
        ) from None
    return path


@contextlib.contextmanager
def staging(cache: Path, source_id: str) -> Iterator[Path]:
    """A fresh private directory beside the snapshots of ``source_id``, removed on exit.

    Files written in it are on the cache's filesystem, so ``write_snapshot`` moves them into
    place instead of copying them.
    """
    root = _source_dir(cache, source_id)
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=_TMP, dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write_snapshot(cache: Path, meta: SnapshotMeta, data: Path) -> Path:
    """Make ``data`` + ``meta`` the current snapshot; the current one becomes the previous one.

    ``data`` is moved into place (copied when it lies on another filesystem). Returns the path
    of the stored file. On any failure, raised as is, the snapshots on disk are unchanged.
    """
    root = _source_dir(cache, meta.source_id)
    old = _read_pointer(root, strict=False)
    version = f"{meta.fetched_at:%Y%m%dT%H%M%SZ}-{meta.sha256[:12]}-{secrets.token_hex(3)}"
    with staging(cache, meta.source_id) as stage:
        stored = stage / meta.filename
        _move(data, stored)
        _fsync(stored)
        (stage / META).write_bytes(_meta_bytes(meta))
        _fsync(stage / META)
        _fsync(stage)
        os.replace(stage, root / version)  # complete but not yet current: readers ignore it
    pointer = _Pointer(current=version, previous=old.current if old else None)
    try:
        _fsync(root)
        _replace_file(root / POINTER, pointer.model_dump_json(indent=2).encode())
    except BaseException:  # not committed: the new version is an orphan, the old one current
        shutil.rmtree(root / version, ignore_errors=True)
        raise
    _collect_garbage(root, keep={version, pointer.previous})
    return root / version / meta.filename


def refresh_snapshot(
    cache: Path,
    source_id: str,
    *,
    checked_at: dt.datetime,
    etag: str | None = None,
    last_modified: str | None = None,
) -> SnapshotMeta:
    """Record that the source confirmed the current snapshot (HTTP 304, or identical bytes).

    Only ``meta.json`` changes — ``checked_at``, plus the validators if the server sent new
    ones — and it is replaced atomically; the data file and ``fetched_at`` stay as they were.
    """
    found = read_snapshot(cache, source_id)
    if found is None:
        raise ListDataError("no snapshot to refresh", entry=source_id)
    meta, data = found
    changes: dict[str, Any] = {"checked_at": checked_at}
    if etag:
        changes["etag"] = etag
    if last_modified:
        changes["last_modified"] = last_modified
    fresh = SnapshotMeta.model_validate({**meta.model_dump(), **changes})
    _replace_file(data.parent / META, _meta_bytes(fresh))
    return fresh


def read_snapshot(
    cache: Path, source_id: str, which: Literal["current", "previous"] = "current"
) -> tuple[SnapshotMeta, Path] | None:
    """The metadata and data file of a source's snapshot, or None if there is none.

    Raises ``ListDataError`` if the snapshot exists but is damaged (delete its directory and
    update again). The returned file can vanish once two later updates have committed; open it
    promptly (an open file survives its removal on POSIX).
    """
    root = _source_dir(cache, source_id)
    for _ in range(3):  # bounded: only a writer committing meanwhile makes us look again
        pointer = _read_pointer(root, strict=True)
        version = getattr(pointer, which) if pointer else None
        if version is None:
            return None
        try:
            return _read_version(root / version, source_id)
        except ListDataError:
            if _read_pointer(root, strict=True) == pointer:
                raise  # nothing moved under us: the snapshot really is damaged
    raise ListDataError("snapshot keeps changing while being read", file=str(root))


def _read_version(path: Path, source_id: str) -> tuple[SnapshotMeta, Path]:
    try:
        meta = SnapshotMeta.model_validate_json((path / META).read_bytes())
    except (OSError, ValidationError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc.errors()[0]["msg"]
        raise ListDataError(f"damaged snapshot metadata: {reason}", file=str(path / META)) from None
    data = path / meta.filename
    if meta.source_id != source_id or not data.is_file():
        raise ListDataError("damaged snapshot: data file missing", file=str(data))
    return meta, data


def list_snapshots(cache: Path) -> list[SnapshotMeta]:
    """The current snapshot of every source in the cache, by source id."""
    base = cache / "snapshots"
    if not base.is_dir():
        return []
    metas = []
    for child in sorted(base.iterdir()):
        found = read_snapshot(cache, child.name) if _is_source_dir(child) else None
        if found:
            metas.append(found[0])
    return metas


def snapshot_age(meta: SnapshotMeta, now: dt.datetime) -> dt.timedelta:
    """How long since the source last confirmed this content (its download or a later 304)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now - meta.checked_at


def _source_dir(cache: Path, source_id: str) -> Path:
    if not re.fullmatch(SOURCE_ID, source_id):
        raise ConfigError(f"invalid source id {source_id!r}")
    return cache / "snapshots" / source_id


def _is_source_dir(path: Path) -> bool:
    return path.is_dir() and (path / POINTER).is_file()


def _read_pointer(root: Path, *, strict: bool) -> _Pointer | None:
    path = root / POINTER
    try:
        return _Pointer.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as exc:
        if strict:
            raise ListDataError(f"damaged snapshot pointer: {exc}", file=str(path)) from None
        # A writer replaces a damaged pointer rather than refusing to ever update again.
        log.warning("%s: damaged snapshot pointer, replacing it", path)
        return None


def _meta_bytes(meta: SnapshotMeta) -> bytes:
    return (meta.model_dump_json(indent=2) + "\n").encode()


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copyfile(source, target)


def _replace_file(path: Path, content: bytes) -> None:
    """Write ``content`` to a temp file beside ``path``, fsync it, and swap it in."""
    fd, tmp = tempfile.mkstemp(prefix=_TMP, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # Past the commit point a failure must not look like one: the swap is done and visible.
    with contextlib.suppress(OSError):
        _fsync(path.parent)


def _fsync(path: Path) -> None:
    """Flush a file, or a directory's entries, to disk, so a power cut cannot reorder a rename."""
    if path.is_dir() and os.name != "posix":
        return  # directories cannot be opened for fsync on Windows
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _collect_garbage(root: Path, keep: set[str | None]) -> None:
    """Remove versions no pointer names, and staging entries of writers that died."""
    now = time.time()
    for child in root.iterdir():
        if child.name == POINTER or child.name in keep:
            continue
        if child.name.startswith(_TMP):
            with contextlib.suppress(OSError):
                if now - child.lstat().st_mtime < _STALE.total_seconds():
                    continue
        # Best effort: a leftover costs disk space only, never correctness.
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
