"""Workloads: list entities → query names for the speed benchmarks, deterministic.

A share of the queries is made from list names (as listed, with a typo, with another legal
form, reordered); the rest are made-up counterparties built from no list name (they may still
share words with list names, as real ones do, and a few may match).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks import synth
from riskscreen.models import Entity, EntityKind


@dataclass(frozen=True)
class Query:
    name: str
    kind: str  # "list" (made from a list name) or "synthetic"


def queries(entities: Sequence[Entity], n: int, list_share: float, seed: str) -> list[Query]:
    rng = synth.rng_for("workload", seed)
    taken = set(synth.word_counts(e.name for e in entities))
    pool = [e for e in entities if e.kind is not EntityKind.VESSEL] or list(entities)
    out: list[Query] = []
    for _ in range(n):
        if rng.random() >= list_share:
            out.append(Query(synth.counterparty(rng, taken), "synthetic"))
            continue
        entity = rng.choice(pool)
        name = rng.choice(entity.all_names())
        how = rng.randrange(4)
        variant = (
            name
            if how == 0
            else synth.typo(name, rng)
            if how == 1
            else synth.legal_variant(name, rng)
            if how == 2
            else synth.reorder(name, entity.kind is EntityKind.PERSON, frozenset())
        )
        out.append(Query(variant or name, "list"))
    return out
