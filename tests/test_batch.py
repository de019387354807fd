"""Batch screening: rows in = rows out, bad rows as errors, interruption and resumption,
the manifest, the Python API and the allowlist."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riskscreen import Screener
from riskscreen.batch import Columns, screen_many
from riskscreen.cli import main

ALLOWLIST = Path(__file__).parent / "data" / "allowlist" / "decisions.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_input(path: Path, rows: int, *, every_hit: int = 50) -> Path:
    names = ["iFlytek", "Hikvision", "Huawei Technologies Co., Ltd.", "Megvii"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        for i in range(rows):
            name = names[i % 4] if i % every_hit == 0 else f"Zorvex{i} Trading Ltd"
            writer.writerow([f"C{i:06d}", name, "CN"])
    return path


def test_rows_in_equal_rows_out_with_bad_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"id,name,country\n"
        b"1,iFlytek,CN\n"
        b"2,,CN\n"  # blank name
        b"3,Acme Trading GmbH,DE\n"
        b'4,"broken"quote,US\n'  # broken quoting
        b"5,Hua\xffwei,CN\n"  # bad encoding
        b"6," + b"x" * 600 + b",CN\n"  # over-long name
        b"7,Baidu\n"  # too few fields
        b"8,Megvii,CN\n"
    )
    out = tmp_path / "out.jsonl"
    code, stdout, err = run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    assert code == 1
    assert stdout == ""
    rows = jsonl(out)
    assert [r["row"] for r in rows] == list(range(1, 9))
    assert [r["decision"] for r in rows] == [
        "hit",
        "error",
        "clear",
        "error",
        "error",
        "error",
        "error",
        "hit",
    ]
    errors = {r["row"]: r["error"] for r in rows if r["decision"] == "error"}
    assert "empty" in errors[2]
    assert "CSV" in errors[4]
    assert "UTF-8" in errors[5]
    assert "500" in errors[6]
    assert "fields" in errors[7]
    assert "8 rows in, 8 rows out" in err
    assert "3 clear" not in err
    assert "1 clear" in err
    assert "5 error" in err


def test_missing_name_column_is_an_error_on_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,company\n1,iFlytek\n2,Acme\n")
    out = tmp_path / "out.csv"
    code, _, _err = run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    assert code == 1
    lines = out.read_text().splitlines()
    assert lines[0] == "row,id,name,decision,matches,flags,error"
    assert len(lines) == 3
    assert all("no column 'name'" in line for line in lines[1:])
    code, _, _ = run(
        capsys, "batch", str(source), "-o", str(out), "--quiet", "--name-column", "company"
    )
    assert code == 1
    assert "hit" in out.read_text().splitlines()[1]


def test_jsonl_in_csv_out_and_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "name": "Hikvision"}\n\n{"name": 5}\nnot json\n["x"]\n')
    out = tmp_path / "out.jsonl"
    run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    rows = jsonl(out)
    assert [r["decision"] for r in rows] == ["hit", "clear", "error", "error"]
    # standard input, named with "-"
    script = (
        "import sys; from riskscreen.cli import main; "
        f"sys.exit(main(['batch', '-', '-o', {str(tmp_path / 'stdin.csv')!r}, '--quiet']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=b"name\niFlytek\nAcme\n",
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert len((tmp_path / "stdin.csv").read_text().splitlines()) == 3


def test_manifest_records_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path / "in.csv", 20)
    out = tmp_path / "out.jsonl"
    run(capsys, "batch", str(source), "-o", str(out), "--quiet", "--allowlist", str(ALLOWLIST))
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["rows_in"] == manifest["rows_out"] == 20
    assert manifest["input"]["sha256"]
    assert manifest["allowlist"]["sha256"]
    assert {u["id"] for u in manifest["lists"]} >= {"us-bis-entity-list"}
    assert manifest["rule_packs"]
    assert manifest["corpus_sha256"]
    assert manifest["started_at"] <= manifest["finished_at"]
    assert sum(manifest["decisions"].values()) == 20


def _start(source: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "riskscreen",
            "batch",
            str(source),
            "-o",
            str(out),
            "--quiet",
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _wait_for_rows(out: Path, proc: subprocess.Popen[bytes], rows: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > rows * 60:
            return
        time.sleep(0.05)
    pytest.fail("the run ended before it could be interrupted")


@pytest.mark.parametrize(("sig", "workers"), [(signal.SIGTERM, "2"), (signal.SIGKILL, "1")])
def test_killed_run_resumes_to_the_same_output(tmp_path: Path, sig: int, workers: str) -> None:
    source = write_input(tmp_path / "in.csv", 12000)
    whole = tmp_path / "whole.jsonl"
    assert _start(source, whole, "--workers", workers).wait(timeout=300) == 1
    part = tmp_path / "part.jsonl"
    proc = _start(source, part, "--workers", workers)
    _wait_for_rows(part, proc, 500)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    assert code == (130 if sig == signal.SIGTERM else -signal.SIGKILL)
    lines = part.read_bytes().split(b"\n")
    complete = [json.loads(line) for line in lines[:-1]]  # valid up to the last complete row
    assert 0 < len(complete) < 12000
    assert [r["row"] for r in complete] == list(range(1, len(complete) + 1))
    if sig == signal.SIGTERM:
        assert lines[-1] == b""  # a clean stop leaves no half row
        status = json.loads((tmp_path / "part.jsonl.manifest.json").read_text())["status"]
        assert status == "interrupted"
    resumed = _start(source, part, "--workers", workers, "--resume")
    assert resumed.wait(timeout=300) == 1
    assert part.read_bytes() == whole.read_bytes()


def test_resume_refuses_a_changed_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path / "in.csv", 5)
    out = tmp_path / "out.jsonl"
    run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    source.write_text(source.read_text() + "C9,Another,CN\n")
    code, _, err = run(capsys, "batch", str(source), "-o", str(out), "--quiet", "--resume")
    assert code == 2
    assert "input changed" in err
    assert err.count("\n") == 1


def test_unreadable_input_and_invalid_allowlist_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o"))
    assert code == 2
    assert err.count("\n") == 1
    assert "no such file" in err
    bad = tmp_path / "allow.yaml"
    bad.write_text("decisions:\n  - counterparty: {id: x}\n    judgement: maybe\n")
    source = write_input(tmp_path / "in.csv", 2)
    code, _, err = run(
        capsys, "batch", str(source), "-o", str(tmp_path / "o.jsonl"), "--allowlist", str(bad)
    )
    assert code == 2
    assert err.count("\n") == 1
    assert f"{bad}:2" in err


def test_python_api_streams_names_dicts_and_counterparties() -> None:
    screener = Screener.bundled()
    items: list[object] = ["iFlytek", {"name": "Acme GmbH", "id": "A1"}, {"company": "x"}, ""]
    rows = list(screen_many(items, screener))  # type: ignore[arg-type]
    assert [r.decision for r in rows] == ["hit", "clear", "error", "error"]
    assert rows[1].id == "A1"
    flat = rows[0].flat()
    assert flat["top_entity"] == "iflytek"
    assert set(flat) == {
        "row",
        "id",
        "name",
        "decision",
        "top_entity",
        "top_score",
        "matches",
        "flags",
        "error",
    }
    lazy = screen_many((f"Zorvex{i}" for i in range(10**9)), screener)
    assert next(lazy).decision == "clear"  # an endless input is consumed lazily
    custom = list(screen_many([{"firm": "Megvii"}], screener, columns=Columns(name="firm")))
    assert custom[0].decision == "hit"


def test_allowlist_suppresses_in_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name,country\nC-1,Baidu,CN\n")
    out = tmp_path / "out.jsonl"
    code, _, _ = run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    assert code == 1
    assert jsonl(out)[0]["decision"] == "review"
    allow = tmp_path / "allow.yaml"
    allow.write_text(
        "decisions:\n  - counterparty: {id: C-1}\n    rule: partnership/partner-of-listed-entity\n"
        "    judgement: false_positive\n    reason: reviewed\n    decided_by: tester\n"
        "    decided_on: 2026-01-01\n"
    )
    code, _, _ = run(
        capsys, "batch", str(source), "-o", str(out), "--quiet", "--allowlist", str(allow)
    )
    row = jsonl(out)[0]
    assert code == 0
    assert row["decision"] == "clear"
    assert row["flags"][0]["review"] == "suppressed"


def test_changed_since_rescreens_only_what_can_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = Path(__file__).parent / "data" / "sources" / "csl_current.csv"
    old = tmp_path / "old.csv"
    old.write_bytes(fixture.read_bytes())
    lines = fixture.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    (rim,) = [r for r in rows if "RIM, Ryong Nam" in r]
    kept = [r for r in rows if r != rim]
    added = rim.replace("RIM, Ryong Nam", "Zorvex Trading Ltd").replace('"52291"', '"99999"')
    new = tmp_path / "new.csv"
    new.write_text(header + "".join(kept) + added, encoding="utf-8")
    source = tmp_path / "in.csv"
    source.write_text('id,name\nA,"RIM, Ryong Nam"\nB,Zorvex Trading Ltd\nC,Acme GmbH\nD,iFlytek\n')
    before = tmp_path / "before.jsonl"
    run(capsys, "batch", str(source), "-o", str(before), "--quiet", "--list", str(old))
    after = tmp_path / "after.jsonl"
    code, _, err = run(
        capsys,
        "batch",
        str(source),
        "-o",
        str(after),
        "--quiet",
        "--list",
        str(new),
        "--changed-since",
        str(old),
        "--changed-to",
        str(new),
        "--previous",
        str(before),
    )
    assert code == 1
    old_rows, new_rows = jsonl(before), jsonl(after)
    assert [r["decision"] for r in old_rows] == ["hit", "clear", "clear", "hit"]
    assert [r["decision"] for r in new_rows] == ["clear", "hit", "clear", "hit"]
    assert [r.get("previous_decision") for r in new_rows] == ["hit", "clear", None, None]
    assert new_rows[2:] == old_rows[2:]  # untouched rows are kept as they were
    assert "rescreened 2 rows, kept 2 unchanged; 2 decisions changed (rows 1, 2)" in err
    full = tmp_path / "full.jsonl"
    run(capsys, "batch", str(source), "-o", str(full), "--quiet", "--list", str(new))
    assert [r["decision"] for r in jsonl(full)] == [r["decision"] for r in new_rows]
    manifest = json.loads((tmp_path / "after.jsonl.manifest.json").read_text())
    assert manifest["changed_decisions"] == 2
    code, _, err = run(
        capsys, "batch", str(source), "-o", str(after), "--quiet", "--changed-since", str(old)
    )
    assert code == 2
    assert "--previous" in err


def test_identifier_column_matches_by_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("id,name,USCC\nX1,Zorvex Holdings,91330000733796106P\nX2,Zorvex Holdings,\n")
    out = tmp_path / "out.jsonl"
    run(capsys, "batch", str(source), "-o", str(out), "--quiet", "--identifier-column", "uscc=USCC")
    first, second = jsonl(out)
    assert first["decision"] == "hit"
    assert first["matches"][0]["entity_id"] == "hikvision"
    assert first["matches"][0]["score"] == 1.0
    assert second["decision"] == "clear"


def test_resume_refuses_other_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_input(tmp_path / "in.csv", 5)
    out = tmp_path / "out.jsonl"
    run(capsys, "batch", str(source), "-o", str(out), "--quiet")
    code, _, err = run(
        capsys, "batch", str(source), "-o", str(out), "--quiet", "--resume", "--threshold", "0.9"
    )
    assert code == 2
    assert "threshold" in err
    code, _, err = run(capsys, "batch", str(source), "-o", str(out), "--quiet", "--resume")
    assert code == 1  # same settings: nothing left to do, the output stays whole
    assert len(jsonl(out)) == 5


def test_changed_since_wants_jsonl_previous(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_input(tmp_path / "in.csv", 3)
    before = tmp_path / "before.csv"
    run(capsys, "batch", str(source), "-o", str(before), "--quiet")
    fixture = Path(__file__).parent / "data" / "sources" / "csl_current.csv"
    code, _out, err = run(
        capsys,
        "batch",
        str(source),
        "-o",
        str(tmp_path / "after.jsonl"),
        "--quiet",
        "--changed-since",
        str(fixture),
        "--changed-to",
        str(fixture),
        "--previous",
        str(before),
    )
    assert code == 2
    assert "--previous must be the JSON Lines output" in err
    assert not (tmp_path / "after.jsonl").exists()
