"""Decision: matches and flags → clear / review / hit.

hit     a strong match (score ≥ STRONG_MATCH) to an entity with an active listing, or a
        high or critical flag on any matched entity;
review  any other match or flag;
clear   nothing matched and nothing flagged.

A match or flag that an allowlist decision suppresses (a standing false positive) is still
reported but counts for nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence

from riskscreen.models import Decision, Flag, Match, Severity

STRONG_MATCH = 0.95
_SEVERE = frozenset({Severity.HIGH, Severity.CRITICAL})


def _open(item: Match | Flag) -> bool:
    return item.review is None or item.review.status != "suppressed"


def decide(matches: Sequence[Match], flags: Sequence[Flag]) -> Decision:
    matches = [m for m in matches if _open(m)]
    flags = [f for f in flags if _open(f)]
    strong = {
        m.entity.id
        for m in matches
        if m.score >= STRONG_MATCH and any(x.active for x in m.entity.listings)
    }
    matched = {m.entity.id for m in matches}
    if strong or any(f.severity in _SEVERE and f.subject in matched for f in flags):
        return Decision.HIT
    if matches or flags:
        return Decision.REVIEW
    return Decision.CLEAR
