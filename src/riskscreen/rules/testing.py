"""Rule tests: each rule's embedded cases (counterparty → flag / no_flag) run against real data.

Used by ``riskscreen rules test`` and the test suite; a failing case becomes a
``RulePackError`` naming the file, the rule's line and the rule id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from riskscreen.errors import RulePackError
from riskscreen.models import ScreeningResult
from riskscreen.rules.loader import LoadedPack


@dataclass(frozen=True)
class CaseResult:
    pack: LoadedPack
    rule_id: str
    counterparty: str
    expected: str
    flagged: bool

    @property
    def passed(self) -> bool:
        return self.flagged == (self.expected == "flag")

    def error(self) -> RulePackError:
        got = "a flag" if self.flagged else "no flag"
        return RulePackError(
            f"test case {self.counterparty!r} expects {self.expected}, got {got}",
            file=self.pack.file,
            line=self.pack.lines.get(self.rule_id),
            rule=self.rule_id,
        )


def run_rule_tests(
    packs: Sequence[LoadedPack], screen: Callable[[LoadedPack, str], ScreeningResult]
) -> list[CaseResult]:
    """Run every embedded case; ``screen(pack, name)`` screens with that pack loaded."""
    results = []
    for loaded in packs:
        for rule in loaded.pack.rules:
            for case in rule.tests:
                result = screen(loaded, case.counterparty)
                flagged = any(
                    f.rule_id == rule.id and f.pack_id == loaded.pack.id for f in result.flags
                )
                results.append(CaseResult(loaded, rule.id, case.counterparty, case.expect, flagged))
    return results
