"""Growth: the list × 1, 4, 16 (extra entries synthesized by mutating real names) → index
build time, resident memory and query latency, each size in a fresh process.

Copy ``k`` of an entity keeps its generic words (Technology, Co., Ltd., Mohammad …: words in
40 or more list names) and replaces every rarer word by a made-up one, the same wherever it
occurs in that copy, so aliases stay alike and the vocabulary keeps its real shape.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import measure, synth
from benchmarks.env import ROOT
from riskscreen.models import Entity, ListSource


def grow(entities: Sequence[Entity], k: int) -> list[Entity]:
    mutator = synth.Mutator(synth.word_counts(n for e in entities for n in e.all_names()))
    out = list(entities)
    for copy in range(1, k):
        for e in entities:
            out.append(
                e.model_copy(
                    update={
                        "id": f"{e.id}-x{copy}",
                        "name": mutator.name(e.name, copy),
                        "aliases": tuple(
                            a.model_copy(update={"name": mutator.name(a.name, copy)})
                            for a in e.aliases
                        ),
                        "listings": tuple(
                            x.model_copy(
                                update={"name_on_list": mutator.name(x.name_on_list, copy)}
                            )
                            if x.name_on_list
                            else x
                            for x in e.listings
                        ),
                        "merged_from": (),
                    }
                )
            )
    return out


def child(path: str, k: int) -> dict[str, float]:
    """Runs in the fresh process: grow, index, time queries."""
    from benchmarks.measure import percentile, rss_mb
    from riskscreen import InputError, Screener
    from riskscreen.index import NameIndex
    from riskscreen.lists import ListData
    from riskscreen.lists.cache import _gc_paused
    from riskscreen.screen import query_forms

    with open(path, "rb") as handle:
        sources, entities, queries = pickle.load(handle)
    before = rss_mb()
    with _gc_paused():
        grown = grow(entities, k)
    started = time.perf_counter()
    with _gc_paused():  # as riskscreen builds (and loads) a large index
        index = NameIndex(grown)
    build = time.perf_counter() - started
    after = rss_mb()
    screener = Screener(ListData(sources, tuple(grown)), index=index)
    samples, candidates = [], []
    for q in queries:
        started = time.perf_counter()
        with contextlib.suppress(InputError):
            screener.screen(q)
        samples.append(time.perf_counter() - started)
    for q in queries:
        with contextlib.suppress(InputError):
            candidates.append(len(index.candidates(query_forms(q)[1])))
    return {
        "entities": len(grown),
        "names": len(index.names),
        "build": build,
        "rss_before": before,
        "rss_after": after,
        "p50": percentile(samples, 50),
        "p99": percentile(samples, 99),
        "candidates": statistics.mean(candidates) if candidates else 0.0,
    }


@dataclass(frozen=True)
class Size:
    k: int
    values: dict[str, float]
    peak_mb: float


def run(
    sources: Sequence[ListSource],
    entities: Sequence[Entity],
    queries: Sequence[str],
    multiples: Sequence[int],
) -> list[Size]:
    with tempfile.TemporaryDirectory(prefix="riskscreen-growth-") as tmp:
        path = Path(tmp) / "base.pickle"
        with path.open("wb") as handle:
            pickle.dump((tuple(sources), tuple(entities), list(queries)), handle)
        paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
        sizes = []
        for k in multiples:
            code = f"from benchmarks.growth import child\nextra.update(child({str(path)!r}, {k}))"
            proc = measure.python(code, env)
            sizes.append(Size(k, proc.extra, proc.peak_mb))
    return sizes
