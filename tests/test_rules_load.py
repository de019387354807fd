"""Rule packs: bundled ones validate; bad packs fail naming file, line and rule id."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from riskscreen import RulePackError
from riskscreen.rules.loader import load_bundled_packs, load_pack, load_packs
from riskscreen.rules.schema import OWN_CATEGORIES, RulePack

GOOD = """\
id: demo
version: "1"
title: Demo
rules:
  - id: first
    title: First
    category: export.control
    severity: high
    when:
      listing: {lists: [us-bis-entity-list]}
    message: "{subject} is listed ({citation})."
    tests:
      - {counterparty: iFlytek, expect: flag}
  - id: second
    title: Second
    category: rs.surveillance
    severity: low
    when:
      any:
        - evidence: {terms: [surveillance]}
        - not: {entity: {kinds: [person]}}
    message: "{subject}: {terms}"
    tests:
      - {counterparty: Baidu, expect: no_flag}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_packs_cover_the_issue() -> None:
    packs = {p.pack.id: p.pack for p in load_bundled_packs()}
    assert set(packs) >= {
        "export-control",
        "surveillance",
        "military-civil-fusion",
        "telecom-889",
        "xinjiang",
        "partnership",
        "ai-champion",
    }
    for pack in packs.values():
        for rule in pack.rules:
            assert rule.tests, f"{pack.id}/{rule.id} has no tests"
            assert {t.expect for t in rule.tests} == {"flag", "no_flag"}
    categories = {r.category for p in packs.values() for r in p.rules}
    assert "export.control" in categories
    assert categories & OWN_CATEGORIES


def test_good_pack_loads_with_lines(tmp_path: Path) -> None:
    loaded = load_pack(write(tmp_path, GOOD))
    assert loaded.pack.id == "demo"
    assert loaded.lines == {"first": 5, "second": 14}
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize(
    ("mutate", "message", "line", "rule"),
    [
        (
            lambda t: t.replace("    severity: high\n", "    severity: high\n    colour: red\n"),
            "Extra inputs",
            5,
            "first",
        ),
        (
            lambda t: t.replace("category: export.control", "category: export_control"),
            "unknown category",
            5,
            "first",
        ),
        (
            lambda t: t.replace("terms: [surveillance]", 'patterns: ["(unclosed"]'),
            "bad regular expression",
            14,
            "second",
        ),
        (
            lambda t: t.replace("terms: [surveillance]", r'patterns: ["(a|aa)+$"]'),
            "backtracks catastrophically",
            14,
            "second",
        ),
        (lambda t: t.replace("id: second", "id: first"), "duplicate rule id", 14, "first"),
        (
            lambda t: t.replace('"{subject}: {terms}"', '"{subject}: {colour}"'),
            "unknown field",
            14,
            "second",
        ),
        (
            lambda t: t.replace(
                "      listing: {lists: [us-bis-entity-list]}\n",
                "      listing: {lists: [x]}\n      entity: {kinds: [person]}\n",
            ),
            "exactly one",
            5,
            "first",
        ),
        (lambda t: t.replace("terms: [surveillance]", "match: all"), "at least one", 14, "second"),
    ],
)
def test_bad_pack_names_file_line_rule(
    tmp_path: Path, mutate: object, message: str, line: int, rule: str
) -> None:
    assert callable(mutate)
    path = write(tmp_path, mutate(GOOD))
    started = time.perf_counter()
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert time.perf_counter() - started < 5  # a pathological pattern is rejected, not run
    error = info.value
    assert message in str(error)
    assert error.file == str(path)
    assert error.line == line
    assert error.rule == rule
    assert f"rule '{rule}'" in str(error)
    assert f"{path}:{line}" in str(error)


def test_invalid_yaml_and_python_tags(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="invalid YAML") as info:
        load_pack(write(tmp_path, GOOD + "  - id: [unclosed\n"))
    assert info.value.line
    evil = "id: !!python/object/apply:os.system ['echo pwned']\nversion: '1'\n"
    with pytest.raises(RulePackError, match="invalid YAML"):
        load_pack(write(tmp_path, evil))


def test_duplicate_pack_ids(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(RulePackError, match="duplicate pack id"):
        load_packs([tmp_path])


def test_json_schema_exports() -> None:
    schema = RulePack.model_json_schema(by_alias=True)
    text = json.dumps(schema)
    assert "co_mention" in text
    assert '"all"' in text
    assert '"not"' in text
