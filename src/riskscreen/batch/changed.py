"""Rescreening after a list update: previous output + list diff → which rows can change.

A row is screened again when its result can differ under the new lists: it failed before, its
name changed, its name meets an entity that was added, removed or changed (old or new
version), its previous matches or flags cite such an entity, or — when a touched entity is
named in the articles — the row's own name is named there too (a co-mention rule may now
fire). Every other row keeps its previous result, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from riskscreen.batch.read import InputRow
from riskscreen.batch.stream import screen_row
from riskscreen.batch.write import BatchRow, read_output
from riskscreen.errors import ConfigError, RiskscreenError
from riskscreen.lists.diff import ListDiff
from riskscreen.lists.load import ListData
from riskscreen.normalize import normalize

if TYPE_CHECKING:
    from riskscreen.allowlist import Allowlist
    from riskscreen.screen import Screener


@dataclass(frozen=True)
class ChangeScope:
    """What a list update touched: entity ids (old and new, and the merged entities that
    contain them now) and a screener over just the touched entities."""

    ids: frozenset[str]
    probe: Screener
    in_articles: bool  # a touched entity is named in the evidence corpus
    screener: Screener


def change_scope(diff: ListDiff, screener: Screener) -> ChangeScope:
    from riskscreen.screen import Screener

    touched = diff.affected_entities()
    ids = set(diff.changed_ids())
    names = {normalize(n) for e in touched for n in e.all_names()}
    for entity in screener.data.entities:  # merged entities that hold a touched entry now
        if any(r.entity_id in ids for r in entity.merged_from) or normalize(entity.name) in names:
            ids.add(entity.id)
    unique = {e.id: e for e in touched}  # an id may stand for its old and new version
    probe = Screener(
        ListData(screener.data.sources, tuple(unique.values())),
        threshold=screener.threshold,
        corpus=screener.corpus,
    )
    mentioned = False
    if screener.corpus:  # is any touched entity (old or new version) named in the articles?
        now = screener.corpus_index.entity_mentions
        mentioned = any(now[i] for i, e in enumerate(screener.data.entities) if e.id in ids)
        mentioned = mentioned or any(probe.corpus_index.entity_mentions)
    return ChangeScope(frozenset(ids), probe, mentioned, screener)


def can_change(row: InputRow, before: BatchRow, scope: ChangeScope) -> bool:
    if before.decision == "error" or row.counterparty is None:
        return True
    if before.name != row.counterparty.name:
        return True
    cited = {m.entity_id for m in before.matches}
    cited |= {e for f in before.flags for e in (f.subject, *f.cited_entities)}
    if cited & scope.ids:
        return True
    try:
        if scope.probe.screen(row.counterparty.name).matches:
            return True
        return scope.in_articles and bool(
            scope.screener.corpus_index.name_mentions(row.counterparty.name)
        )
    except RiskscreenError:
        return True


@dataclass
class RescreenCounts:
    rescreened: int = 0
    kept: int = 0
    changed_rows: tuple[int, ...] = ()


def rescreen(
    rows: Iterator[InputRow],
    previous: Path,
    scope: ChangeScope,
    screener: Screener,
    allowlist: Allowlist | None,
    counts: RescreenCounts,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[BatchRow]:
    """New output rows in input order: rescreened where the update can matter, else the
    previous row as it was; a changed decision is noted in ``previous_decision``."""
    earlier = read_output(previous, "jsonl")
    changed: list[int] = []
    for row in rows:
        if stop():
            counts.changed_rows = tuple(changed)
            return
        before = next(earlier, None)
        if before is None or before.row != row.number or before.id != row.id:
            raise ConfigError(
                f"the previous output does not line up with the input at row {row.number}: "
                "give the output of a run over this same input",
                file=str(previous),
            )
        if not can_change(row, before, scope):
            counts.kept += 1
            yield before.model_copy(update={"previous_decision": None})
            continue
        counts.rescreened += 1
        after = screen_row(row, screener, allowlist)
        if after.decision != before.decision:
            changed.append(row.number)
            after = after.model_copy(update={"previous_decision": before.decision})
        yield after
    if next(earlier, None) is not None:
        raise ConfigError("the previous output has more rows than the input", file=str(previous))
    counts.changed_rows = tuple(changed)
