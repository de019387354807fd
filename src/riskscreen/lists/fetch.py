"""Fetch: a configured source URL → a validated snapshot in the cache (``snapshots.py``).

One conditional HTTP GET, streamed to a temp file with size, length, type and SHA-256 checks,
retried with backoff on transient failures, validated by the caller's parser, then installed
atomically. Any failure raises ``FetchError`` and leaves the previous snapshot as it was.
riskscreen ships no download URLs: sources come from a user's ``sources.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import requests

from riskscreen.errors import FetchError, RiskscreenError
from riskscreen.lists import snapshots
from riskscreen.lists.snapshots import SnapshotMeta
from riskscreen.lists.sources_config import SourceConfig

log = logging.getLogger(__name__)

Validator = Callable[[Path], int]  # parses a downloaded file, returns its entity count
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class UpdateResult:
    """``updated``: new content stored. ``not-modified``: HTTP 304. ``unchanged``: downloaded
    bytes equal the stored ones (a server ignoring conditional requests); nothing rotated."""

    source_id: str
    status: Literal["updated", "not-modified", "unchanged"]
    meta: SnapshotMeta
    attempts: int


def update_source(
    config: SourceConfig,
    *,
    cache: Path,
    validate: Validator,
    session: requests.Session | None = None,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> UpdateResult:
    """Download ``config.url`` if it changed, validate it, and make it the current snapshot.

    On HTTP 304 (or identical bytes) only the stored meta's ``checked_at`` (and new ETag or
    Last-Modified, if sent) is refreshed, atomically; the data file is not touched.
    """
    now = now or dt.datetime.now(dt.UTC)
    previous = _previous(cache, config.id)
    http = session or _new_session()
    try:
        with snapshots.staging(cache, config.id) as stage:
            data = stage / config.data_filename
            got, attempts = _download(http, config, data, previous, sleep)
            if not got.modified or (previous and _same(got, previous, config)):
                assert previous is not None  # a 304 answers a conditional request, made from it
                fresh = _refresh(cache, previous, now, got)
                status: Literal["not-modified", "unchanged"] = (
                    "not-modified" if not got.modified else "unchanged"
                )
                return UpdateResult(config.id, status, fresh, attempts)
            meta = SnapshotMeta(
                source_id=config.id,
                url=_shown(config.url),
                format=config.format,
                filename=data.name,
                fetched_at=now,
                checked_at=now,
                etag=got.etag,
                last_modified=got.last_modified,
                sha256=got.sha256,
                size_bytes=got.size,
                entity_count=_validate(config, validate, data, previous),
            )
            snapshots.write_snapshot(cache, meta, data)
            return UpdateResult(config.id, "updated", meta, attempts)
    except _Failed as exc:
        raise _failure(config, previous, str(exc)) from exc.__cause__
    except OSError as exc:  # the cache's disk: requests' errors became _Failed in _attempt
        raise _failure(config, previous, f"cannot write the snapshot: {exc}") from exc
    finally:
        if session is None:
            http.close()


def update_sources(
    configs: Iterable[SourceConfig],
    *,
    cache: Path,
    validator: Callable[[SourceConfig], Validator],
    session: requests.Session | None = None,
    now: dt.datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[UpdateResult | FetchError]:
    """Update each source in turn; a failure is returned in its place and the rest go on.

    ``validator(config)`` gives the parser for a source's format (it may raise
    ``RiskscreenError`` for a format it does not know).
    """
    results: list[UpdateResult | FetchError] = []
    for config in configs:
        try:
            validate = validator(config)
            results.append(
                update_source(
                    config, cache=cache, validate=validate, session=session, now=now, sleep=sleep
                )
            )
        except FetchError as exc:
            results.append(exc)
        except RiskscreenError as exc:
            results.append(FetchError(str(exc), source_id=config.id, url=config.url))
    return results


# -- download -----------------------------------------------------------------------------------


class _Failed(Exception):
    def __init__(self, message: str, retry: bool = False) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class _Got:
    modified: bool
    etag: str | None
    last_modified: str | None
    sha256: str = ""
    size: int = 0


def _download(
    http: requests.Session,
    config: SourceConfig,
    target: Path,
    previous: SnapshotMeta | None,
    sleep: Callable[[float], None],
) -> tuple[_Got, int]:
    """Attempt up to ``1 + retries`` times; back off exponentially between attempts."""
    attempts = 1 + config.retries
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(http, config, target, previous), attempt
        except _Failed as exc:
            if not exc.retry or attempt == attempts:
                tries = f", after {attempt} attempts" if attempt > 1 else ""
                raise _Failed(f"{exc}{tries}", retry=False) from exc.__cause__
            delay = config.backoff * 2 ** (attempt - 1)
            log.warning("%s: %s; retrying in %g s", config.id, exc, delay)
            sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _attempt(
    http: requests.Session, config: SourceConfig, target: Path, previous: SnapshotMeta | None
) -> _Got:
    url = _shown(config.url)
    headers = {}
    if previous and previous.url == url:  # validators only mean something for one URL
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
    reply: requests.Response | None = None
    declared: int | None = None
    try:
        with http.get(config.url, headers=headers, stream=True, timeout=config.timeout) as reply:
            etag, modified = reply.headers.get("ETag"), reply.headers.get("Last-Modified")
            if reply.status_code == 304 and headers:
                return _Got(False, etag, modified)
            if reply.status_code != 200:  # a 304 without a conditional request included
                status = f"HTTP {reply.status_code} {reply.reason or ''}".rstrip()
                raise _Failed(f"{status} from {url}", retry=reply.status_code >= 500)
            kind = reply.headers.get("Content-Type") or "application/octet-stream"
            kind = kind.split(";", 1)[0].strip().lower()
            if not kind.startswith(config.accepted_types):
                accepted = ", ".join(config.accepted_types)
                raise _Failed(f"unexpected Content-Type '{kind}' from {url} (accepted: {accepted})")
            declared = _content_length(reply, url)
            if declared is not None and declared > config.max_bytes:
                raise _Failed(
                    f"{url} announces {declared} bytes, over the limit of {config.max_bytes}"
                )
            digest, size = hashlib.sha256(), 0
            with target.open("wb") as file:
                for chunk in reply.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > config.max_bytes:  # also guards against decompression bombs
                        raise _Failed(
                            f"body from {url} exceeds the limit of {config.max_bytes} bytes"
                        )
                    digest.update(chunk)
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            # Content-Length counts bytes on the wire, before any gzip decoding.
            if declared is not None and reply.raw.tell() != declared:
                raise requests.exceptions.ChunkedEncodingError("body shorter than announced")
            return _Got(True, etag, modified, digest.hexdigest(), size)
    except requests.RequestException as exc:
        received = reply.raw.tell() if reply is not None else 0
        raise _describe(exc, config, url, received, declared) from exc


def _content_length(reply: requests.Response, url: str) -> int | None:
    value = reply.headers.get("Content-Length")
    if value is not None and not value.strip().isdigit():
        raise _Failed(f"invalid Content-Length {value!r} from {url}")
    return None if value is None else int(value)


def _describe(
    exc: requests.RequestException, config: SourceConfig, url: str, got: int, declared: int | None
) -> _Failed:
    """One line naming what went wrong (requests' own messages dwell on pool internals);
    network trouble is worth retrying, a TLS or protocol error is not."""
    causes = _causes(exc)
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return _Failed(f"connection reset by {url}", retry=True)
    if isinstance(exc, requests.ConnectTimeout):
        return _Failed(f"no connection to {url} within {config.timeout[0]:g} s", retry=True)
    if isinstance(exc, requests.Timeout) or any(isinstance(c, TimeoutError) for c in causes):
        return _Failed(f"{url} sent nothing for {config.timeout[1]:g} s (read timeout)", retry=True)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        of = f" of {declared}" if declared is not None else ""
        return _Failed(f"truncated body from {url}: connection closed after {got}{of} bytes", True)
    if isinstance(exc, requests.exceptions.SSLError):
        return _Failed(f"TLS failure with {url}: {causes[-1]}")
    if isinstance(exc, requests.ConnectionError):
        return _Failed(f"cannot connect to {url}", retry=True)
    return _Failed(f"request to {url} failed: {type(exc).__name__}")


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, cause, context), each once."""
    seen: list[BaseException] = []
    stack = [exc]
    while stack and len(seen) < 50:
        item = stack.pop()
        if any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend(a for a in item.args if isinstance(a, BaseException))
        stack.extend(e for e in (item.__cause__, item.__context__) if e is not None)
        reason = getattr(item, "reason", None)  # urllib3's MaxRetryError keeps it here
        if isinstance(reason, BaseException):
            stack.append(reason)
    return seen


# -- snapshot side ------------------------------------------------------------------------------


def _previous(cache: Path, source_id: str) -> SnapshotMeta | None:
    try:
        found = snapshots.read_snapshot(cache, source_id)
    except RiskscreenError as exc:  # a damaged cache entry must not block a fresh download
        log.warning("%s; downloading afresh", exc)
        return None
    return found[0] if found else None


def _same(got: _Got, previous: SnapshotMeta, config: SourceConfig) -> bool:
    """The download repeats the stored snapshot byte for byte, for the same source settings."""
    stored = (previous.sha256, previous.url, previous.format)
    return stored == (got.sha256, _shown(config.url), config.format)


def _refresh(cache: Path, previous: SnapshotMeta, now: dt.datetime, got: _Got) -> SnapshotMeta:
    try:
        return snapshots.refresh_snapshot(
            cache,
            previous.source_id,
            checked_at=now,
            etag=got.etag,
            last_modified=got.last_modified,
        )
    except (OSError, RiskscreenError) as exc:  # the snapshot itself is still good
        log.warning("%s: could not record the check time: %s", previous.source_id, exc)
        return previous


def _validate(
    config: SourceConfig, validate: Validator, data: Path, previous: SnapshotMeta | None
) -> int:
    try:
        count = validate(data)
    except RiskscreenError as exc:
        where = RiskscreenError(
            exc.message, file=data.name, line=exc.line, entry=exc.entry, field=exc.field
        )  # name the file as downloaded, not the temp path that is about to vanish
        raise _failure(config, previous, f"downloaded file is malformed: {where}") from exc
    except Exception as exc:  # a parser crash on bad input is still a bad download
        message = f"downloaded file is malformed: {type(exc).__name__}: {exc}"
        raise _failure(config, previous, message) from exc
    if not isinstance(count, int) or count <= 0:
        # An empty or blank list replacing a real one would silently clear every match.
        raise _failure(config, previous, f"downloaded file holds no entities ({count!r})")
    return count


def _failure(config: SourceConfig, previous: SnapshotMeta | None, what: str) -> FetchError:
    kept = (
        f"previous snapshot of {previous.fetched_at:%Y-%m-%d} kept"
        if previous
        else "no previous snapshot"
    )
    one_line = " ".join(f"{what}; {kept}".split())
    return FetchError(one_line, source_id=config.id, url=config.url)


def _shown(url: str) -> str:
    """The URL without any user:password, which must not reach logs or error messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl()


def _new_session() -> requests.Session:
    session = requests.Session()
    try:
        version = metadata.version("riskscreen")
    except metadata.PackageNotFoundError:
        version = "dev"
    session.headers["User-Agent"] = f"riskscreen/{version}"
    return session
