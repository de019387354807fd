"""Fetch and snapshots against a real local HTTP server with injected faults (``httpfault.py``).

Every failure case checks the three promises: a one-line ``FetchError`` naming the source and
what failed, the previous snapshot byte for byte intact, and no temp files left behind.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpfault import FaultServer, Reply

from riskscreen.errors import ConfigError, FetchError, ListDataError
from riskscreen.lists import snapshots
from riskscreen.lists.fetch import UpdateResult, update_source, update_sources
from riskscreen.lists.sources_config import SourceConfig, load_source_configs

DAY1 = dt.datetime(2026, 6, 11, 12, 0, tzinfo=dt.UTC)
DAY2 = DAY1 + dt.timedelta(days=1)
V1 = b"name,country\nHuawei Technologies Co. Ltd.,CN\nZTE Corporation,CN\n"
V2 = V1 + b"Hikvision,CN\n"
BIG = b"name,country\n" + b"".join(b"Entity %05d,CN\n" % i for i in range(4000))  # ~64 KB
LAST_MODIFIED = "Thu, 11 Jun 2026 10:00:00 GMT"


def count_rows(path: Path) -> int:
    """The test 'parser': rows after the header; a row reading BAD is malformed."""
    lines = path.read_bytes().splitlines()[1:]
    for number, line in enumerate(lines, start=2):
        if line == b"BAD":
            raise ListDataError("malformed row", file=str(path), line=number)
    return len(lines)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer().start()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def source(server: FaultServer, path: str = "/list.csv", **options: Any) -> SourceConfig:
    settings: dict[str, Any] = {"timeout": (1.0, 0.2), "retries": 0, "backoff": 0.0}
    settings |= options
    return SourceConfig(id="us-csl", url=server.url(path), format="csl-csv", **settings)


def update(config: SourceConfig, cache: Path, now: dt.datetime = DAY1) -> UpdateResult:
    return update_source(config, cache=cache, validate=count_rows, now=now)


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def leftovers(cache: Path) -> list[Path]:
    return [path for path in cache.rglob("*") if path.name.startswith(".tmp-")]


# -- success paths ------------------------------------------------------------------------------


def test_first_download_creates_the_snapshot(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(V1, etag='"v1"', last_modified=LAST_MODIFIED))
    result = update(source(server), cache)
    assert (result.status, result.attempts) == ("updated", 1)
    meta, data = snapshots.read_snapshot(cache, "us-csl") or pytest.fail("no snapshot")
    assert data.read_bytes() == V1
    assert data.name == "list.csv"
    assert meta == result.meta
    assert meta.sha256 == hashlib.sha256(V1).hexdigest()
    assert (meta.size_bytes, meta.entity_count) == (len(V1), 2)
    assert (meta.etag, meta.last_modified) == ('"v1"', LAST_MODIFIED)
    assert (meta.fetched_at, meta.checked_at) == (DAY1, DAY1)
    assert (meta.url, meta.format) == (server.url("/list.csv"), "csl-csv")
    assert snapshots.list_snapshots(cache) == [meta]
    assert snapshots.snapshot_age(meta, DAY2) == dt.timedelta(days=1)
    assert not leftovers(cache)


def test_changed_body_replaces_snapshot_and_keeps_the_previous(
    server: FaultServer, cache: Path
) -> None:
    v3 = V2 + b"Dahua,CN\n"
    server.script("/list.csv", Reply(V1), Reply(V2), Reply(v3))
    config = source(server)
    update(config, cache)
    assert update(config, cache, DAY2).status == "updated"
    current = snapshots.read_snapshot(cache, "us-csl")
    previous = snapshots.read_snapshot(cache, "us-csl", "previous")
    assert current
    assert previous
    assert (current[1].read_bytes(), previous[1].read_bytes()) == (V2, V1)
    assert current[0].entity_count == 3
    update(config, cache, DAY2 + dt.timedelta(days=1))
    versions = [p for p in (cache / "snapshots" / "us-csl").iterdir() if p.is_dir()]
    assert len(versions) == 2  # current and previous only: older versions are collected
    previous = snapshots.read_snapshot(cache, "us-csl", "previous")
    assert previous
    assert previous[1].read_bytes() == V2
    assert not leftovers(cache)


@pytest.mark.parametrize(
    ("validators", "sent"),
    [
        ({"etag": '"v1"'}, {"If-None-Match": '"v1"'}),
        ({"last_modified": LAST_MODIFIED}, {"If-Modified-Since": LAST_MODIFIED}),
    ],
    ids=["etag", "last-modified"],
)
def test_conditional_request_gets_304_and_keeps_the_snapshot(
    server: FaultServer, cache: Path, validators: dict[str, Any], sent: dict[str, str]
) -> None:
    server.script("/list.csv", Reply(V1, **validators))
    config = source(server)
    first = update(config, cache).meta
    before = tree(cache)
    result = update(config, cache, DAY2)
    assert result.status == "not-modified"
    assert sent.items() <= server.hits("/list.csv")[1].headers.items()
    meta, data = snapshots.read_snapshot(cache, "us-csl") or pytest.fail("no snapshot")
    assert data.read_bytes() == V1
    assert meta == result.meta == first.model_copy(update={"checked_at": DAY2})
    changed = {name for name in tree(cache) if tree(cache)[name] != before.get(name)}
    assert changed == {str(data.parent.relative_to(cache) / "meta.json")}  # only the meta
    assert snapshots.read_snapshot(cache, "us-csl", "previous") is None
    assert not leftovers(cache)


def test_identical_body_without_validators_rotates_nothing(
    server: FaultServer, cache: Path
) -> None:
    server.script("/list.csv", Reply(V1))
    config = source(server)
    update(config, cache)
    result = update(config, cache, DAY2)
    assert result.status == "unchanged"
    assert (result.meta.fetched_at, result.meta.checked_at) == (DAY1, DAY2)
    assert snapshots.read_snapshot(cache, "us-csl", "previous") is None


def test_gzip_encoded_body_is_stored_decoded(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(gzip.compress(V1), headers=(("Content-Encoding", "gzip"),)))
    meta = update(source(server), cache).meta
    assert (meta.sha256, meta.size_bytes) == (hashlib.sha256(V1).hexdigest(), len(V1))


# -- retries ------------------------------------------------------------------------------------


def test_500_twice_then_200_succeeds_with_exponential_backoff(
    server: FaultServer, cache: Path
) -> None:
    server.script("/list.csv", Reply(status=500), Reply(status=503), Reply(V1))
    delays: list[float] = []
    config = source(server, retries=3, backoff=0.5)
    result = update_source(config, cache=cache, validate=count_rows, now=DAY1, sleep=delays.append)
    assert (result.status, result.attempts) == ("updated", 3)
    assert delays == [0.5, 1.0]
    assert len(server.hits("/list.csv")) == 3


def test_timeout_is_retried(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(V1, fault="stall-headers"), Reply(V1))
    result = update(source(server, retries=1), cache)
    assert (result.status, result.attempts) == ("updated", 2)


def test_4xx_is_not_retried(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(status=404), Reply(V1))
    with pytest.raises(
        FetchError, match=r"^us-csl: HTTP 404 Not Found from http://127\.0\.0\.1:\d+/list"
    ):
        update(source(server, retries=3), cache)
    assert len(server.hits("/list.csv")) == 1


def test_304_without_a_conditional_request_is_an_error(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(status=304))
    with pytest.raises(FetchError, match=r"^us-csl: HTTP 304 Not Modified from .*; no previous"):
        update(source(server), cache)
    assert not leftovers(cache)


def test_connection_refused_is_retried_then_reported(cache: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = SourceConfig(
        id="us-csl", url=f"http://127.0.0.1:{port}/x.csv", format="csl-csv", retries=1, backoff=0
    )
    with pytest.raises(FetchError) as caught:
        update(config, cache)
    assert str(caught.value) == (
        f"us-csl: cannot connect to http://127.0.0.1:{port}/x.csv, after 2 attempts; "
        "no previous snapshot"
    )
    assert not leftovers(cache)


# -- failures keep the previous snapshot --------------------------------------------------------

FAILURES = [
    # reply, config options, expected message part, requests made (retries=1)
    (Reply(status=500), {}, "HTTP 500 Internal Server Error from", 2),
    (Reply(status=403), {}, "HTTP 403 Forbidden from", 1),
    (Reply(V2, fault="stall-headers"), {}, "sent nothing for 0.2 s", 2),
    (Reply(BIG, fault="stall-body"), {}, "sent nothing for 0.2 s", 2),
    (Reply(BIG, fault="reset-body"), {}, "connection reset by", 2),
    (Reply(V2, length=len(V2) + 100), {}, "truncated", 2),
    (Reply(b"<html>", content_type="text/html"), {}, "unexpected Content-Type 'text/html'", 1),
    (Reply(BIG), {"max_bytes": 1000}, f"announces {len(BIG)} bytes, over the limit of 1000", 1),
    (Reply(BIG, length=None), {"max_bytes": 1000}, "exceeds the limit of 1000 bytes", 1),
    (Reply(b"name\nBAD\n"), {}, "malformed: list.csv:2: malformed row", 1),
    (Reply(b"name,country\n"), {}, "holds no entities", 1),
]


@pytest.mark.parametrize(
    ("reply", "options", "message", "requests"),
    FAILURES,
    ids=[
        "http-500",
        "http-403",
        "slow-headers",
        "slow-body",
        "reset-mid-body",
        "truncated",
        "wrong-content-type",
        "too-big-announced",
        "too-big-streamed",
        "malformed",
        "no-entities",
    ],
)
def test_failure_keeps_previous_snapshot(
    server: FaultServer,
    cache: Path,
    reply: Reply,
    options: dict[str, Any],
    message: str,
    requests: int,
) -> None:
    server.script("/list.csv", Reply(V1), reply)
    config = source(server, retries=1, backoff=0.01, **options)
    update(config, cache)
    before = tree(cache)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        update(config, cache, DAY2)
    assert time.monotonic() - started < 3
    text = str(caught.value)
    assert text.startswith("us-csl: ")
    assert message in text
    assert text.endswith("; previous snapshot of 2026-06-11 kept")
    assert ("after 2 attempts" in text) == (requests == 2)
    assert "\n" not in text
    assert len(server.hits("/list.csv")) == 1 + requests
    assert tree(cache) == before
    assert not leftovers(cache)


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_crash_while_installing_keeps_previous(
    server: FaultServer, cache: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int
) -> None:
    """os.replace fails at each step: moving the file in, naming the version, the pointer swap."""
    server.script("/list.csv", Reply(V1), Reply(V2))
    config = source(server)
    update(config, cache)
    before = tree(cache)
    real_replace, calls = os.replace, []

    def crashing_replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == failing_call:
            raise OSError(5, "simulated crash")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crashing_replace)
    with pytest.raises(FetchError, match=r"cannot write the snapshot: .*simulated crash"):
        update(config, cache, DAY2)
    monkeypatch.undo()
    assert tree(cache) == before
    assert not leftovers(cache)
    assert str(calls[-1]).endswith("pointer.json") == (failing_call == 3)


def test_readers_never_see_a_half_written_snapshot(cache: Path, tmp_path: Path) -> None:
    """A reader polling while a writer commits 30 snapshots always gets a consistent pair."""
    done, seen, problems = threading.Event(), set(), []

    def reader() -> None:
        deadline = time.monotonic() + 5
        while not done.is_set() and time.monotonic() < deadline:
            found = snapshots.read_snapshot(cache, "us-csl")
            if found:
                meta, data = found
                try:
                    body = data.read_bytes()
                except FileNotFoundError:
                    continue  # collected two commits later: allowed, documented
                if hashlib.sha256(body).hexdigest() != meta.sha256:
                    problems.append(meta)
                seen.add(meta.sha256)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for number in range(30):
            body = V1 + b"Entity %d,CN\n" % number
            (tmp_path / "download").write_bytes(body)
            meta = snapshots.SnapshotMeta(
                source_id="us-csl",
                url="https://example.invalid/list.csv",
                format="csl-csv",
                filename="list.csv",
                fetched_at=DAY1 + dt.timedelta(minutes=number),
                checked_at=DAY1 + dt.timedelta(minutes=number),
                sha256=hashlib.sha256(body).hexdigest(),
                size_bytes=len(body),
            )
            snapshots.write_snapshot(cache, meta, tmp_path / "download")
    finally:
        done.set()
        thread.join(timeout=5)
    assert not problems
    assert len(seen) > 1


def test_leftovers_of_a_killed_writer_are_ignored_then_collected(
    server: FaultServer, cache: Path
) -> None:
    server.script("/list.csv", Reply(V1), Reply(V2))
    config = source(server)
    update(config, cache)
    root = cache / "snapshots" / "us-csl"
    stale = root / ".tmp-killed"  # staging of a writer killed mid-download
    stale.mkdir()
    (stale / "list.csv").write_bytes(b"half")
    os.utime(stale, (time.time() - 3 * 86400,) * 2)
    orphan = root / "20260612T000000Z-0123456789ab-abcdef"  # renamed, never committed
    orphan.mkdir()
    found = snapshots.read_snapshot(cache, "us-csl")
    assert found
    assert found[1].read_bytes() == V1
    update(config, cache, DAY2)
    assert not stale.exists()
    assert not orphan.exists()


# -- multiple sources, configuration, cache location --------------------------------------------


def test_update_sources_continues_past_failures(server: FaultServer, cache: Path) -> None:
    server.script("/bad.csv", Reply(status=500))
    server.script("/good.csv", Reply(V1))
    bad = source(server, "/bad.csv").model_copy(update={"id": "bad"})
    good = source(server, "/good.csv").model_copy(update={"id": "good"})
    unknown = source(server, "/good.csv").model_copy(update={"id": "odd", "format": "odd-csv"})

    def validator(config: SourceConfig) -> Any:
        if config.format != "csl-csv":
            raise ConfigError(f"no adapter for format '{config.format}'")
        return count_rows

    results = update_sources([bad, good, unknown], cache=cache, validator=validator, now=DAY1)
    assert isinstance(results[0], FetchError)
    assert str(results[0]).startswith("bad: HTTP 500 Internal Server Error from")
    assert isinstance(results[1], UpdateResult)
    assert results[1].status == "updated"
    assert str(results[2]) == "odd: no adapter for format 'odd-csv'"


def test_load_source_configs(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - id: us-csl\n"
        "    url: https://example.invalid/consolidated.csv\n"
        "    format: csl-csv\n"
        "  - id: us-csl-json\n"
        "    url: https://example.invalid/consolidated.json\n"
        "    format: csl-json\n"
        "    timeout: 5\n"
        "    retries: 1\n",
        encoding="utf-8",
    )
    csv, json = load_source_configs(path)
    assert csv.accepted_types[0] == "text/csv"
    assert csv.data_filename == "consolidated.csv"
    assert (csv.max_bytes, csv.retries, csv.backoff) == (200 * 2**20, 3, 0.5)
    assert (json.accepted_types, json.timeout, json.retries) == (("application/json",), (5, 5), 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources:\n  - id: a\n    url: ftp://x/y\n    format: csl-csv\n",
         "sources.yaml:3, source 'a', field 'url': must be an http"),
        ("sources:\n  - id: a\n    url: https://x/y\n    format: ofac-sdn\n",
         "sources.yaml:2, source 'a', field 'accepted_types': cannot tell"),
        ("sources:\n  - id: a\n    url: https://x/y\n    format: csl-csv\n    retry: 2\n",
         "sources.yaml:5, source 'a', field 'retry': Extra inputs are not permitted"),
        ("sources:\n  - {id: a, url: 'https://x/y', format: csl-csv}\n"
         "  - {id: a, url: 'https://x/z', format: csl-csv}\n",
         "sources.yaml:3, source 'a': duplicate source id"),
        ("sources:\n  - id: a\n    url: https://x/y\n    format: csl-csv\n    timeout: [5, 0]\n",
         "sources.yaml:5, source 'a', field 'timeout.1': Input should be greater than 0"),
        ("sources: [\n", "sources.yaml:2: invalid YAML"),
        ("lists: []\n", "sources.yaml: expected a mapping with one key, 'sources'"),
    ],
    ids=[
        "bad-url", "unknown-types", "unknown-field", "duplicate", "zero-timeout", "bad-yaml",
        "wrong-shape",
    ],
)  # fmt: skip
def test_bad_source_configs_name_file_line_source_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_source_configs(path)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_missing_sources_file_explains_how_to_create_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RISKSCREEN_SOURCES", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with pytest.raises(ConfigError) as caught:
        load_source_configs()
    text = str(caught.value)
    assert text.startswith(str(tmp_path / "config" / "riskscreen" / "sources.yaml") + ": ")
    assert "ships no download URLs" in text
    assert "RISKSCREEN_SOURCES" in text
    monkeypatch.setenv("RISKSCREEN_SOURCES", str(tmp_path / "mine.yaml"))
    with pytest.raises(ConfigError, match=r"mine\.yaml: no sources file"):
        load_source_configs()


def test_cache_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_CACHE_DIR", str(tmp_path / "explicit"))
    assert snapshots.cache_dir() == tmp_path / "explicit"
    assert (tmp_path / "explicit").is_dir()
    monkeypatch.delenv("RISKSCREEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert snapshots.cache_dir() == tmp_path / "xdg" / "riskscreen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert snapshots.cache_dir() == tmp_path / "home" / ".cache" / "riskscreen"


def test_damaged_snapshot_is_reported_on_read_and_replaced_on_update(
    server: FaultServer, cache: Path
) -> None:
    server.script("/list.csv", Reply(V1, etag='"v1"'), Reply(V2))
    config = source(server)
    update(config, cache)
    meta_file = next((cache / "snapshots" / "us-csl").glob("*/meta.json"))
    meta_file.write_text("{", encoding="utf-8")
    with pytest.raises(ListDataError, match="damaged snapshot metadata"):
        snapshots.read_snapshot(cache, "us-csl")
    result = update(config, cache, DAY2)  # no conditional request: the etag is unreadable
    assert result.status == "updated"
    assert "If-None-Match" not in server.hits("/list.csv")[1].headers


def test_credentials_in_url_stay_out_of_messages(server: FaultServer, cache: Path) -> None:
    server.script("/list.csv", Reply(status=500))
    url = server.url("/list.csv").replace("http://", "http://user:secret@")
    config = SourceConfig(id="us-csl", url=url, format="csl-csv", retries=0)
    with pytest.raises(FetchError) as caught:
        update(config, cache)
    assert "secret" not in str(caught.value)
    assert "HTTP 500 Internal Server Error from http://127.0.0.1" in str(caught.value)
