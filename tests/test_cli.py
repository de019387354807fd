"""The CLI, in-process: output on stdout, one-line errors on stderr, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskscreen.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_iflytek_shows_entity_list_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "iFlytek")
    assert code == 1
    assert "IFLYTEK" in out
    assert "2019-10-09" in out
    assert "2019-22210" in out
    assert err == ""


def test_check_clean_name_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "Acme Trading GmbH")
    assert code == 0
    assert "no match" in out


def test_check_json_carries_everything(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "科大讯飞", "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert result["query"] == "科大讯飞"
    assert "han:科大讯飞" in result["normalized_forms"]
    top = result["matches"][0]
    assert top["entity"]["name"] == "IFLYTEK"
    assert top["explanation"]["features"]
    assert {u["id"] for u in result["lists"]} >= {"us-bis-entity-list"}


def test_threshold_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "Huawei", "--threshold", "0.995", "--format", "json")
    assert all(m["score"] >= 0.995 for m in json.loads(out)["matches"])
    assert code == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["check", ""],
        ["check", "   "],
        ["check", "x" * 501],
        ["check", "Huawei\x07"],
        ["check", "Huawei", "--threshold", "2"],
        ["check", "Huawei", "--threshold", "abc"],
        ["check", "Huawei", "--list", "/nonexistent"],
        ["frobnicate"],
        [],
    ],
)
def test_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("riskscreen: error:")


def test_lists_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lists")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["LIST", "AS", "OF", "ENTITIES"]
    assert any(line.startswith("us-bis-entity-list") for line in lines)
    assert "https://" in out


def test_custom_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - {id: mine, title: My watchlist, authority: Compliance team}\n"
    )
    (tmp_path / "watch.yaml").write_text(
        "entities:\n  - id: zorvex\n    kind: organization\n    name: Zorvex Trading Ltd\n"
        "    listings: [{list_id: mine}]\n"
    )
    code, out, _ = run(capsys, "check", "ZORVEX TRADING", "--list", str(tmp_path))
    assert code == 1
    assert "Zorvex Trading Ltd" in out
    code, out, _ = run(
        capsys,
        "check",
        "iFlytek",
        "--list",
        str(tmp_path),
        "--no-bundled-lists",
        "--no-bundled-rules",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["matches"] == []
    # --list adds to the bundled lists unless they are switched off
    code, out, _ = run(capsys, "check", "iFlytek", "--list", str(tmp_path), "--format", "json")
    assert code == 1
    assert {u["id"] for u in json.loads(out)["lists"]} >= {"mine", "us-bis-entity-list"}


def test_invalid_utf8_argument_in_a_real_process() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "riskscreen", "check", b"Hua\xffwei"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert proc.stderr.decode().strip().startswith("riskscreen: error:")
    assert "UTF-8" in proc.stderr.decode()


def test_check_flag_only_exits_one_and_quotes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "Baidu")
    assert code == 1
    assert "REVIEW" in out
    assert "Baidu and Huawei announced strategic cooperation" in out


def test_check_extra_rules_and_corpus(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "id: mine\nversion: '1'\ntitle: Mine\nrules:\n"
        "  - id: drones\n    title: Drones\n    category: x.drones\n    severity: medium\n"
        "    when: {evidence: {terms: [drone]}}\n    message: '{subject}: {quote}'\n"
        "    tests: [{counterparty: Zorvex, expect: flag}]\n"
    )
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "n.txt").write_text(
        "---\nid: n1\ntitle: News\nlanguage: en\n---\nZorvex sells drone parts. Nothing else.\n"
    )
    argv = [
        "check",
        "Zorvex",
        "--rules",
        str(tmp_path / "pack.yaml"),
        "--no-bundled-rules",
        "--corpus",
        str(tmp_path / "news"),
        "--format",
        "json",
    ]
    code, out, _ = run(capsys, *argv)
    result = json.loads(out)
    assert code == 1
    (flag,) = result["flags"]
    assert flag["rule_id"] == "drones"
    (quote,) = flag["citations"]
    assert quote["quote"] == "Zorvex sells drone parts."
    assert [p["id"] for p in result["rule_packs"]] == ["mine"]
    code, out, _ = run(
        capsys, "rules", "test", str(tmp_path / "pack.yaml"), "--corpus", str(tmp_path / "news")
    )
    assert code == 0
    assert out.strip().endswith("1 passed, 0 failed (1 packs)")


def test_rules_schema_validate_test(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "schema")
    assert code == 0
    assert json.loads(out)["title"] == "RulePack"
    code, out, _ = run(capsys, "rules", "validate", str(Path(__file__).parents[1] / "rules"))
    assert code == 0
    assert out.count("ok  ") >= 7
    code, out, err = run(capsys, "rules", "test")
    assert code == 0, err
    assert ", 0 failed" in out


def test_rules_validate_bad_pack(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: b\nversion: '1'\ntitle: B\nrules:\n  - id: r\n    title: R\n"
        "    category: nonsense\n    severity: low\n    when: {entity: {}}\n"
        "    message: x\n    tests: [{counterparty: A, expect: flag}]\n"
    )
    code, out, err = run(capsys, "rules", "validate", str(bad))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert f"{bad}:5" in err
    assert "rule 'r'" in err
    assert "unknown category" in err


def test_rules_test_failure_names_rule(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "id: p\nversion: '1'\ntitle: P\nrules:\n  - id: wrong\n    title: W\n"
        "    category: x.test\n    severity: low\n"
        "    when: {listing: {lists: [us-bis-entity-list]}}\n    message: m\n"
        "    tests: [{counterparty: Acme Trading GmbH, expect: flag}]\n"
    )
    code, out, err = run(capsys, "rules", "test", str(pack))
    assert code == 2
    assert f"{pack}:5" in err
    assert "rule 'wrong'" in err
    assert "expects flag, got no flag" in err
    assert "0 passed, 1 failed" in out


def test_schema_file_is_current() -> None:
    from riskscreen.rules.schema import RulePack

    shipped = json.loads(
        (Path(__file__).parents[1] / "rules" / "rule-pack.schema.json").read_text()
    )
    assert shipped == RulePack.model_json_schema(by_alias=True)
