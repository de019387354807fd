"""Rule-pack loading: ``rules/*.yaml`` → validated ``RulePack`` with compiled, time-bounded
patterns. Every error names the file, the line and the rule.

Safe YAML loading only (``riskscreen.yamlio``): a pack is data and can never execute code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex
from pydantic import ValidationError

from riskscreen.bundled import bundled_dir
from riskscreen.errors import RulePackError
from riskscreen.rules.schema import MAX_PATTERN_LENGTH, Condition, Rule, RulePack
from riskscreen.yamlio import item_lines, read_yaml_file

PATTERN_TIMEOUT = 0.05
"""Seconds one regular expression may spend on one sentence before the run stops with an error."""
_PROBES = ("a" * 3000 + "!", "ab" * 1500 + "!", "1" * 3000 + "x", " " * 3000 + "x", "aaa " * 800)


@dataclass(frozen=True)
class LoadedPack:
    pack: RulePack
    file: str
    sha256: str
    lines: dict[str, int] = field(default_factory=dict)  # rule id → line in the file


def bundled_rules_dir() -> Path:
    return bundled_dir("rules", RulePackError)


@cache
def load_bundled_packs() -> tuple[LoadedPack, ...]:
    return load_packs([bundled_rules_dir()])


def load_packs(paths: Iterable[Path]) -> tuple[LoadedPack, ...]:
    """Load pack files and directories of pack files; pack ids must be unique."""
    packs: dict[str, LoadedPack] = {}
    for path in paths:
        if path.is_dir():
            files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        elif path.is_file():
            files = [path]
        else:
            raise RulePackError("no such file or directory", file=str(path))
        for file in files:
            loaded = load_pack(file)
            if loaded.pack.id in packs:
                raise RulePackError(
                    f"duplicate pack id '{loaded.pack.id}', also in {packs[loaded.pack.id].file}",
                    file=str(file),
                )
            packs[loaded.pack.id] = loaded
    return tuple(packs.values())


def load_pack(file: Path) -> LoadedPack:
    name = str(file)
    document, root, raw = read_yaml_file(file, RulePackError)
    if not isinstance(document, dict):
        raise RulePackError("a pack is a mapping with id, version, title and rules", file=name)
    rule_lines = item_lines(root, "rules")
    items = document.get("rules")
    if not isinstance(items, list) or not items:
        raise RulePackError("'rules' must be a non-empty list", file=name, field="rules")
    rules: list[Rule] = []
    lines: dict[str, int] = {}
    for index, item in enumerate(items):
        line = rule_lines.get(index)
        rule_id = item.get("id") if isinstance(item, dict) else None
        label = rule_id if isinstance(rule_id, str) else f"#{index + 1}"
        try:
            rule = Rule.model_validate(item)
        except ValidationError as exc:
            error = exc.errors()[0]
            raise RulePackError(
                error["msg"],
                file=name,
                line=line,
                rule=label,
                field=".".join(str(p) for p in error["loc"]) or None,
            ) from None
        if rule.id in lines:
            raise RulePackError(
                f"duplicate rule id (first at line {lines[rule.id]})",
                file=name,
                line=line,
                rule=rule.id,
                field="id",
            )
        for pattern in _patterns(rule.when):
            check_pattern(pattern, file=name, line=line, rule=rule.id)
        lines[rule.id] = line or 0
        rules.append(rule)
    try:
        pack = RulePack.model_validate({**document, "rules": rules})
    except ValidationError as exc:
        error = exc.errors()[0]
        raise RulePackError(
            error["msg"], file=name, line=1, field=".".join(str(p) for p in error["loc"]) or None
        ) from None
    return LoadedPack(pack, name, hashlib.sha256(raw).hexdigest(), lines)


def _patterns(condition: Condition) -> Iterator[str]:
    if condition.evidence:
        yield from condition.evidence.patterns
    if condition.co_mention:
        yield from condition.co_mention.patterns
    if condition.listing:
        yield from condition.listing.programs
    for child in (*(condition.all_ or ()), *(condition.any_ or ()), condition.not_):
        if child is not None:
            yield from _patterns(child)


def check_pattern(pattern: str, *, file: str | None, line: int | None, rule: str) -> None:
    """Reject a regular expression that does not compile, is too long, or backtracks
    catastrophically on adversarial input."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise RulePackError(
            f"pattern longer than {MAX_PATTERN_LENGTH} characters", file=file, line=line, rule=rule
        )
    try:
        compiled = compile_pattern(pattern)
    except regex.error as exc:
        raise RulePackError(
            f"bad regular expression {pattern!r}: {exc}", file=file, line=line, rule=rule
        ) from None
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=PATTERN_TIMEOUT)
        except TimeoutError:
            raise RulePackError(
                f"regular expression {pattern!r} backtracks catastrophically "
                f"(over {PATTERN_TIMEOUT}s on a {len(probe)}-character probe); simplify it",
                file=file,
                line=line,
                rule=rule,
            ) from None


@cache
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.IGNORECASE)


@cache
def compile_term(term: str) -> regex.Pattern[str]:
    """A term as a case-insensitive pattern; Latin terms match whole words only."""
    escaped = regex.escape(term)
    if term[:1].isascii() and term[:1].isalnum():
        escaped = r"(?<![0-9A-Za-z])" + escaped
    if term[-1:].isascii() and term[-1:].isalnum():
        escaped += r"(?![0-9A-Za-z])"
    return regex.compile(escaped, regex.IGNORECASE)
