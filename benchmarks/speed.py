"""Speed: a built screener + workload → warm single-query latency, batch throughput on one
and two workers, and brute-force rapidfuzz over every list name as the baseline (its speed,
and how many of the names it finds riskscreen's candidate retrieval also returns).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from benchmarks.measure import percentile
from benchmarks.workload import Query
from riskscreen import InputError, Screener
from riskscreen.batch import screen_many
from riskscreen.normalize import NameForm
from riskscreen.scoring import best_pair
from riskscreen.screen import query_forms

BRUTE_SCORER = fuzz.token_set_ratio


@dataclass(frozen=True)
class Latency:
    p50: float
    p99: float
    mean: float
    n: int


def latency(screener: Screener, queries: Sequence[Query]) -> dict[str, Latency]:
    """Each query timed alone, after a first screening has built everything built lazily;
    over all queries and per kind of query."""
    screener.screen("warm-up query")
    samples: list[tuple[str, float]] = []
    for q in queries:
        started = time.perf_counter()
        with contextlib.suppress(InputError):
            screener.screen(q.name)
        samples.append((q.kind, time.perf_counter() - started))
    out = {}
    for kind in ("all", *sorted({k for k, _ in samples})):
        times = [t for k, t in samples if kind in ("all", k)]
        out[kind] = Latency(
            percentile(times, 50), percentile(times, 99), sum(times) / len(times), len(times)
        )
    return out


@dataclass(frozen=True)
class Throughput:
    rows: int
    seconds: float
    capped: bool  # stopped by the time cap before the end of the input

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds


def batch(screener: Screener, names: Sequence[str], workers: int, cap: float) -> Throughput:
    """``riskscreen.batch.screen_many`` over the names, stopped after ``cap`` seconds."""
    started = time.perf_counter()
    rows = 0
    stream = screen_many(names, screener, workers=workers)
    for _ in stream:
        rows += 1
        if rows % 100 == 0 and time.perf_counter() - started > cap:
            if isinstance(stream, Generator):
                stream.close()  # stops the workers
            return Throughput(rows, time.perf_counter() - started, rows < len(names))
    return Throughput(rows, time.perf_counter() - started, False)


@dataclass(frozen=True)
class Brute:
    queries: int
    seconds: float  # normalizing the queries + scoring them against every list name
    engine: str
    found: dict[float, list[set[int]]]  # cutoff → per query, the name positions at or above it

    @property
    def per_second(self) -> float:
        return self.queries / self.seconds


def brute_force(screener: Screener, names: Sequence[str], cutoffs: Sequence[float]) -> Brute:
    """Every query form scored against every indexed list-name form (the same normalized
    strings riskscreen compares), with ``BRUTE_SCORER``; ``cdist`` on all cores when numpy is
    there, else ``process.extract`` per query (one core)."""
    choices = [item.form.text for item in screener.index.names]
    started = time.perf_counter()
    owners: list[int] = []
    texts: list[str] = []
    for i, name in enumerate(names):
        try:
            forms = query_forms(name)[1]
        except InputError:
            continue
        for form in forms:
            owners.append(i)
            texts.append(form.text)
    low = min(cutoffs)
    try:
        import numpy as np

        matrix = process.cdist(
            texts, choices, scorer=BRUTE_SCORER, score_cutoff=low, workers=-1, dtype=np.uint8
        )
        engine = "process.cdist(workers=-1)"
        seconds = time.perf_counter() - started
        rows, cols = np.nonzero(matrix)
        scores = matrix[rows, cols]
        hits = [(owners[r], int(c), float(s)) for r, c, s in zip(rows, cols, scores, strict=True)]
    except ImportError:
        hits = []
        for owner, text in zip(owners, texts, strict=True):
            for _, score, col in process.extract(
                text, choices, scorer=BRUTE_SCORER, score_cutoff=low, limit=None
            ):
                hits.append((owner, col, score))
        engine = "process.extract (numpy absent: one core)"
        seconds = time.perf_counter() - started
    found = {cutoff: [set[int]() for _ in names] for cutoff in cutoffs}
    for owner, col, score in hits:
        for cutoff in cutoffs:
            if score >= cutoff:
                found[cutoff][owner].add(col)
    return Brute(len(names), seconds, engine, found)


@dataclass(frozen=True)
class Recall:
    cutoff: float
    names: float  # share of (query, list name) pairs brute force finds that are candidates
    entities: float  # the same per (query, entity)
    pairs: int
    missed: int  # pairs brute force finds and the index does not
    subset: int  # … of which one name's words are all among the other's (token_set_ratio 100)
    would_match: int  # … of which riskscreen's own scorer would match (≥ its threshold)
    missed_examples: list[tuple[str, str]]  # misses that are not such subsets
    lost_examples: list[tuple[str, str, float]]  # misses riskscreen would have matched


def candidate_recall(screener: Screener, names: Sequence[str], brute: Brute) -> list[Recall]:
    index = screener.index
    candidates: list[set[int]] = []
    query_forms_: list[tuple[NameForm, ...]] = []
    for name in names:
        try:
            forms = query_forms(name)[1]
        except InputError:
            forms = ()
        candidates.append(index.candidates(forms) if forms else set())
        query_forms_.append(forms)
    out = []
    for cutoff, found in brute.found.items():
        pairs = kept = ent_pairs = ent_kept = subset = would = 0
        missed: list[tuple[str, str]] = []
        lost: list[tuple[str, str, float]] = []
        for name, bf, ours, forms in zip(names, found, candidates, query_forms_, strict=True):
            pairs += len(bf)
            kept += len(bf & ours)
            bf_entities = {index.names[p].entity for p in bf}
            our_entities = {index.names[p].entity for p in ours}
            ent_pairs += len(bf_entities)
            ent_kept += len(bf_entities & our_entities)
            query_words = [set(f.text.split()) for f in forms]
            for p in sorted(bf - ours):
                item = index.names[p]
                listed = set(item.form.text.split())
                if any(q <= listed or listed <= q for q in query_words):
                    subset += 1
                elif len(missed) < 10:
                    missed.append((name, item.name))
                pair = best_pair(
                    forms,
                    (item.form,),
                    entity_has_han=item.entity in index.han_entities,
                    pinyin_ok=not index.is_homophone(forms),
                )
                if pair is not None and pair[0].score >= screener.threshold:
                    would += 1
                    if len(lost) < 10:
                        lost.append((name, item.name, pair[0].score))
        out.append(
            Recall(
                cutoff,
                kept / pairs if pairs else 1.0,
                ent_kept / ent_pairs if ent_pairs else 1.0,
                pairs,
                pairs - kept,
                subset,
                would,
                missed,
                lost,
            )
        )
    return out
