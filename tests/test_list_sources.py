"""Screening against official list files, downloaded snapshots and the index cache, end to end."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpfault import FaultServer, Reply

from riskscreen import ListDataError, Screener
from riskscreen.cli import main
from riskscreen.lists.cache import load_indexed

FIXTURES = Path(__file__).parent / "data" / "sources"
CSL = FIXTURES / "csl_current.csv"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("RISKSCREEN_CACHE_DIR", str(root))
    return root


@pytest.fixture
def server() -> Iterator[FaultServer]:
    srv = FaultServer().start()
    try:
        yield srv
    finally:
        srv.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hikvision_on_the_full_csl_is_one_entity(
    shared_data: Path, cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's done-when: one Hikvision entity with its listings from each sub-list."""
    csl = shared_data / "csl_2026-06-11" / "expected.csv"
    code, out, _ = run(capsys, "check", "Hikvision", "--list", str(csl), "--format", "json")
    assert code == 1
    result = json.loads(out)
    hik = [m for m in result["matches"] if "Hikvision" in m["entity"]["name"]]
    assert len(hik) == 1
    entity = hik[0]["entity"]
    lists = {x["list_id"] for x in entity["listings"]}
    assert {"us-bis-entity-list", "us-ofac-cmic"} <= lists
    assert entity["merged_from"], "the merge is explained"
    assert all(r["reason"] for r in entity["merged_from"])
    origins = {o["kind"] for u in result["lists"] for o in u["origins"]}
    assert origins == {"bundled", "file"}
    # the same, without the bundled lists: the CSL rows alone merge across sub-lists
    code, out, _ = run(
        capsys, "check", "Hikvision", "--list", str(csl), "--no-bundled-lists", "--format", "json"
    )
    hik = [m for m in json.loads(out)["matches"] if "HIKVISION" in m["entity"]["name"].upper()]
    assert len(hik) == 1
    assert {x["list_id"] for x in hik[0]["entity"]["listings"]} == {
        "us-bis-entity-list",
        "us-ofac-cmic",
    }


def test_index_cache_is_reused_and_rebuilt_when_damaged(cache: Path) -> None:
    first, index = load_indexed([CSL], bundled=False, snapshots=False, cache=cache)
    files = list((cache / "index").glob("*.pickle"))
    assert len(files) == 1
    again, _ = load_indexed([CSL], bundled=False, snapshots=False, cache=cache)
    assert [e.id for e in again.entities] == [e.id for e in first.entities]
    files[0].write_bytes(b"not a pickle")
    rebuilt, index2 = load_indexed([CSL], bundled=False, snapshots=False, cache=cache)
    assert [e.id for e in rebuilt.entities] == [e.id for e in first.entities]
    assert len(index2.names) == len(index.names)


def test_snapshots_are_screened_and_recorded(
    cache: Path, server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script("/csl.csv", Reply(body=CSL.read_bytes(), etag='"v1"'))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"sources:\n  - id: us-csl\n    url: {server.url('/csl.csv')}\n    format: csl-csv\n"
    )
    code, out, err = run(capsys, "lists", "update", "--sources", str(sources))
    assert code == 0, err
    assert out.startswith("us-csl: updated")
    # a second update is answered with 304 and changes nothing
    code, out, _ = run(capsys, "lists", "update", "--sources", str(sources))
    assert code == 0
    assert "not-modified" in out
    result = Screener.from_paths().screen("RIM, Ryong Nam")
    assert result.matches
    snapshot = [o for u in result.lists for o in u.origins if o.kind == "snapshot"]
    assert snapshot
    assert snapshot[0].name == "us-csl"
    assert snapshot[0].as_of == dt.datetime.now(dt.UTC).date()
    code, out, err = run(capsys, "lists", "--max-age", "0")
    assert code == 0
    assert "us-csl" in out
    assert "STALE" in out
    assert "snapshot us-csl is older than 0 days" in err


def test_failed_update_keeps_the_snapshot_and_says_why(
    cache: Path, server: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script("/csl.csv", Reply(body=CSL.read_bytes()), Reply(status=500))
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"sources:\n  - id: us-csl\n    url: {server.url('/csl.csv')}\n    format: csl-csv\n"
        "    retries: 0\n"
    )
    assert run(capsys, "lists", "update", "--sources", str(sources))[0] == 0
    before = {p: p.read_bytes() for p in (cache / "snapshots").rglob("*") if p.is_file()}
    code, _out, err = run(capsys, "lists", "update", "--sources", str(sources))
    assert code == 2
    assert err.count("\n") == 1
    assert "us-csl" in err
    assert "HTTP 500" in err
    assert "kept" in err
    after = {p: p.read_bytes() for p in (cache / "snapshots").rglob("*") if p.is_file()}
    assert after == before


def test_update_without_sources_file_is_one_clear_line(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "lists", "update", "--sources", str(tmp_path / "none.yaml"))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "no sources file" in err


def test_unreadable_rows_warn_or_fail_in_strict_mode(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.csv"
    lines = CSL.read_text(encoding="utf-8-sig").splitlines()
    broken.write_text("\n".join([*lines[:3], '"unclosed,"quote', *lines[3:]]) + "\n")
    code, out, err = run(capsys, "check", "Acme", "--list", str(broken))
    assert "could not be read" in err
    assert f"{broken}:4" in err
    code, out, err = run(capsys, "check", "Acme", "--list", str(broken), "--strict-lists")
    assert code == 2
    assert out == ""
    assert f"{broken}:4" in err


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n")
    with pytest.raises(ListDataError, match="unrecognized list format"):
        Screener.from_paths([odd])


def test_real_home_is_not_touched() -> None:
    assert "riskscreen-test-cache" in os.environ["RISKSCREEN_CACHE_DIR"]


def test_own_watchlist_csv_with_mapping_sidecar(
    cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    watch = tmp_path / "watch.csv"
    watch.write_bytes((FIXTURES / "watchlist.csv").read_bytes())
    (tmp_path / "watch.mapping.yaml").write_bytes(
        (FIXTURES / "watchlist_mapping.yaml").read_bytes()
    )
    code, out, _ = run(capsys, "check", "Hikvision", "--list", str(watch), "--format", "json")
    assert code == 1
    result = json.loads(out)
    top = result["matches"][0]["entity"]
    assert {x["list_id"] for x in top["listings"]} >= {"acme-watchlist", "us-bis-entity-list"}
    assert "acme-watchlist" in {u["id"] for u in result["lists"]}
