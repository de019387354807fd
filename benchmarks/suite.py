"""Suite: the sections of the benchmark report, each measured and written up with its
targets. ``__main__`` runs them in order and writes docs/benchmarks.md.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import corpus_scan, devset, growth, load, profile, quality, report, speed
from benchmarks.env import ROOT, Sizes
from benchmarks.report import Section, Target, ms, pct, ratio
from benchmarks.workload import queries
from riskscreen import DEFAULT_THRESHOLD, Screener
from riskscreen.lists import ListData, load_bundled

LATENCY_TARGET = 0.001
COLD_START_TARGET = 0.5
MEMORY_TARGET = 300.0
SPEEDUP_TARGET = 10.0
RECALL_TARGET = 0.995


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Lists:
    """What the in-process sections screen against."""

    csl_size: bool  # the CSL is among the lists (else the bundled lists alone)
    label: str
    data: ListData
    default: Screener  # as `riskscreen check` builds it: lists, bundled rules and corpus
    matching: Screener  # the same lists, no rules or corpus: matching alone


def lists(csl: Path | None) -> Lists:
    if csl is None:
        data = load_bundled()
        return Lists(False, "bundled lists", data, Screener.bundled(), Screener(data))
    cache = Path(tempfile.mkdtemp(prefix="riskscreen-bench-cache-"))
    default = Screener.from_paths([csl], snapshots=False, cache=cache)
    matching = Screener(default.data, index=default.index)
    label = f"bundled lists + `{csl.name}`"
    return Lists(True, label, default.data, default, matching)


def load_section(csl: Path | None, sizes: Sizes) -> tuple[Section, load.Load]:
    log("load and cold start (fresh processes)")
    result = load.run(csl, sizes.repeats)
    s = Section("Loading, memory and cold start (fresh processes)")
    s.add(
        f"Median of {max(sizes.repeats, 3)} cold starts and {sizes.repeats} runs of each other "
        "step, each a fresh Python process; RSS is the resident set size (peak: the highest "
        "over the repeats).",
        load.table(result),
    )
    cold = result.cold_start.seconds
    s.targets.append(
        Target(
            "`riskscreen check` cold start, bundled data",
            f"< {COLD_START_TARGET} s",
            f"{cold:.3f} s ({result.cold_start_source.seconds:.3f} s compiling from source)"
            if result.cold_start_source
            else f"{cold:.3f} s",
            cold < COLD_START_TARGET,
            "whole process, median; bytecode cached as in an installed wheel",
        )
    )
    if csl is not None:
        rss = result.screening.rss_mb
        s.targets.append(
            Target(
                "memory for CSL-size data",
                f"< {MEMORY_TARGET:.0f} MB",
                f"{rss:.0f} MB resident while screening; peak {result.build.peak_mb:.0f} MB "
                "when building the index without cache",
                rss < MEMORY_TARGET,
                "judged on the screening process (lists + index + rules + corpus index)",
            )
        )
    return s, result


def quality_section(source: Lists, sizes: Sizes) -> tuple[Section, quality.Result]:
    log("quality: building the dev set")
    priority = {e.id for e in load_bundled().entities}
    dev = devset.build(source.data.entities, sizes.per_category, priority)
    log(f"quality: screening {len(dev.cases):,} cases")
    result = quality.screen_cases(dev, source.data)
    s = quality.section(result, _threshold_note())
    s.body.insert(
        0,
        f"Lists: {source.label} ({len(source.data.entities):,} entities). Every case was made "
        "from the list data by a seeded construction (`benchmarks/devset.py`, "
        "`benchmarks/negatives.py`, `benchmarks/hanzi.py`); no label comes from running the "
        "matcher. Held-out aliases are removed from their entity before indexing. The "
        "`chinese` cases run against the Chinese-named entities with their Chinese names "
        "removed — the situation of an official list with English names only.",
    )
    return s, result


def _threshold_note() -> str:
    text = (ROOT / "docs" / "threshold.md").read_text(encoding="utf-8")
    pairs = re.search(r"^Pairs: (.*)$", text, re.MULTILINE)
    chosen = re.search(r"^Chosen (.*)$", text, re.MULTILINE)
    return (
        f"The default threshold {DEFAULT_THRESHOLD:.2f} was chosen by "
        "`python -m benchmarks.threshold` (see [threshold.md](threshold.md)) on "
        f"hand-labelled and bundled-list pairs ({pairs.group(1) if pairs else '?'}): "
        f"chosen {chosen.group(1) if chosen else '?'}"
    )


def speed_section(source: Lists, sizes: Sizes, labelled: quality.Result) -> Section:
    entities = source.data.entities
    s = Section("Speed: single queries, batch, brute force")
    log(f"latency: {sizes.latency_queries:,} queries")
    work = queries(entities, sizes.latency_queries, 0.5, "latency")
    default = speed.latency(source.default, work)
    matching = speed.latency(source.matching, work)
    lat = {
        "default": default["all"],
        "matching only": matching["all"],
        "default, list-derived queries": default["list"],
        "default, made-up queries": default["synthetic"],
        "matching only, list-derived queries": matching["list"],
        "matching only, made-up queries": matching["synthetic"],
    }
    s.add(
        f"Lists: {source.label} ({len(entities):,} entities, "
        f"{len(source.default.index.names):,} indexed name forms). Warm single-query latency: "
        f"{len(work):,} queries, half made from list names (as listed, a typo, another legal "
        "form, reordered), half made-up counterparties; each timed alone after a warm-up "
        "screening. *default* is the screener `riskscreen check` builds (bundled rule packs "
        "and corpus: flags and mentions for every match); *matching only* has no rules or "
        "corpus.",
        report.table(
            ["screener", "queries", "p50 ms", "p99 ms", "mean ms"],
            [(k, v.n, ms(v.p50), ms(v.p99), ms(v.mean)) for k, v in lat.items()],
        ),
    )
    p50 = lat["default"].p50
    s.targets.append(
        Target(
            "warm single query, CSL-size data",
            "< 1 ms at p50",
            f"{ms(p50)} ms p50 default ({ms(lat['matching only'].p50)} ms matching only)",
            p50 < LATENCY_TARGET if source.csl_size else None,
            "judged on the default screener" if source.csl_size else "bundled lists only",
        )
    )
    s.add(_batch(source, sizes, labelled, s))
    if p50 >= LATENCY_TARGET:
        log("profiling the latency workload")
        names = [q.name for q in work[: min(len(work), 600)]]
        s.add("### Where a screening spends its time", profile.screening(source.default, names))
    return s


def _batch(source: Lists, sizes: Sizes, labelled: quality.Result, s: Section) -> str:
    best_token_set = quality.best_threshold(
        labelled.cases, labelled.scores["token_set_ratio"], quality.RF_THRESHOLDS
    )
    n_true, retrieved, _ = quality.relative_recall(labelled, "token_set_ratio", best_token_set)
    names = [q.name for q in queries(source.data.entities, sizes.batch_rows, 0.2, "batch")]
    runs = {}
    for label, screener, workers in (
        ("default, 1 worker", source.default, 1),
        ("default, 2 workers", source.default, 2),
        ("matching only, 2 workers", source.matching, 2),
    ):
        log(f"batch: {label} (cap {sizes.batch_seconds:.0f} s)")
        runs[label] = speed.batch(screener, names, workers, sizes.batch_seconds)
    sample = names[: sizes.brute_sample]
    log(f"brute force over {len(sample)} queries")
    brute = speed.brute_force(source.default, sample, sorted({best_token_set, 90.0}))
    recalls = speed.candidate_recall(source.default, sample, brute)
    best = runs["default, 2 workers"]
    speedup = best.per_second / brute.per_second
    judged = next(r for r in recalls if r.cutoff == best_token_set)
    rows = [
        (
            label,
            f"{t.rows:,}",
            f"{t.seconds:.1f}",
            f"{t.per_second:,.0f}",
            ratio(t.per_second / brute.per_second),
            "time cap reached" if t.capped else "all rows",
        )
        for label, t in runs.items()
    ] + [
        (
            f"brute force: {speed.BRUTE_SCORER.__name__}, {brute.engine}",
            f"{brute.queries:,}",
            f"{brute.seconds:.1f}",
            f"{brute.per_second:,.1f}",
            "1.0×",
            "sample of the same input",
        )
    ]
    s.targets.append(
        Target(
            "batch vs brute force",
            f"≥ {SPEEDUP_TARGET:.0f}× throughput, ≥ {pct(RECALL_TARGET)} of its recall",
            f"{speedup:,.1f}× (2 workers, default screener); candidates keep "
            f"{pct(judged.entities, 1)} of the entities brute force finds at "
            f"≥ {judged.cutoff:.0f} ({pct(judged.names, 1)} of names); on the dev set, "
            f"{pct(retrieved, 1)} of its {n_true:,} true matches",
            speedup >= SPEEDUP_TARGET and min(judged.entities, retrieved) >= RECALL_TARGET
            if source.csl_size
            else None,
            "brute force: token_set_ratio over every list name, cutoff at its best-F1 "
            "threshold on the dev set",
        )
    )
    recall_rows = [
        (
            f"≥ {r.cutoff:.0f}",
            f"{r.pairs:,}",
            pct(r.names, 2),
            pct(r.entities, 2),
            f"{r.missed:,}",
            pct(r.subset / max(r.missed, 1)),
            f"{r.would_match:,}",
        )
        for r in recalls
    ]
    examples = "\n".join(f"- `{q}` → `{n}`" for q, n in judged.missed_examples)
    lost = "\n".join(f"- `{q}` → `{n}` ({x:.2f})" for q, n, x in judged.lost_examples)
    return "\n\n".join(
        [
            "### Batch throughput and brute force",
            f"Input: {len(names):,} counterparties, one in five made from a list name, screened "
            "with `riskscreen.batch.screen_many` (the path `riskscreen batch` uses, output rows "
            f"included), each run stopped after {sizes.batch_seconds:.0f} s when not done: "
            "throughput is a rate, so a capped run still measures it. The baseline, in the same "
            f"process: the first {len(sample):,} of the same counterparties normalized as "
            f"riskscreen does and scored with `fuzz.{speed.BRUTE_SCORER.__name__}` against all "
            f"{len(source.default.index.names):,} normalized list-name forms "
            f"({brute.engine}; the full 100,000 × {len(source.default.index.names):,} matrix "
            "would take hours, so a sample).",
            report.table(
                ["run", "rows", "seconds", "rows/s", "ratio to brute force", "note"], rows
            ),
            "Candidate retrieval recall relative to brute force: of the (query, list name) "
            "pairs brute force scores at or above the cutoff, the share `NameIndex.candidates` "
            "returns; per entity, of the (query, entity) pairs with any such name, the share "
            "with any name among the candidates.",
            report.table(
                [
                    "brute-force cutoff",
                    "pairs",
                    "names kept",
                    "entities kept",
                    "names missed",
                    "of which word subsets",
                    "missed that riskscreen would match",
                ],
                recall_rows,
            ),
            "A *word subset* is a pair where all words of one normalized name are among the "
            "other's (`Al` in `Al Hajj Mohsin Chakar`, `and` in `Khan and Schirindel`): "
            "token_set_ratio scores it 100 whatever the rest says, and riskscreen does not "
            "retrieve a name for a shared common word alone. Misses at "
            f"≥ {judged.cutoff:.0f} that are not word subsets (examples):\n\n"
            + (examples or "none"),
            "*Missed that riskscreen would match*: pairs the index does not return although "
            "riskscreen's own scorer scores them at or above its threshold — the matches the "
            "blocking index really loses" + (":\n\n" + lost if lost else ": none."),
        ]
    )


def corpus_section(source: Lists, sizes: Sizes) -> Section:
    log(f"corpus scan: {sizes.articles:,} articles")
    result = corpus_scan.scan(source.default.index, sizes.articles)
    s = Section("Corpus scan: mentions of every list entity")
    s.add(
        f"{result.articles:,} synthetic articles ({result.characters / 1e6:.1f} M characters; "
        "filler sentences from templates, list names planted at known offsets, one in ten "
        f"Chinese) scanned for all {len(source.data.entities):,} list entities with "
        "`CorpusIndex` (tokenize, index, find every entity's patterns). Baseline: "
        "tokenizing the same text with one regular expression.",
        report.table(
            ["step", "seconds", "articles/s", "ratio to baseline"],
            [
                (
                    "baseline: `re.findall(r'\\w+', text.casefold())`",
                    f"{result.floor_seconds:.2f}",
                    f"{result.articles / result.floor_seconds:,.0f}",
                    "1.0×",
                ),
                (
                    "`CorpusIndex(articles, entities, patterns)`",
                    f"{result.seconds:.2f}",
                    f"{result.articles / result.seconds:,.0f}",
                    ratio(result.seconds / result.floor_seconds),
                ),
            ],
        ),
        f"Mentions found: {result.mentions:,}. Planted names: {result.planted:,}; inside a "
        f"mention: {pct(result.found / max(result.planted, 1))}; inside a mention of an entity "
        f"carrying that name: {pct(result.attributed / max(result.planted, 1))}.",
    )
    return s


def growth_section(source: Lists, sizes: Sizes) -> Section:
    entities = source.data.entities
    names = [q.name for q in queries(entities, sizes.growth_queries, 0.5, "growth")]
    log(f"growth: {sizes.growth} × list size (fresh processes)")
    results = growth.run(source.data.sources, entities, names, sizes.growth)
    base = results[0].values
    rows = [
        (
            f"{r.k}×",
            f"{r.values['entities']:,.0f}",
            f"{r.values['names']:,.0f}",
            f"{r.values['build']:.1f}",
            ratio(r.values["build"] / base["build"]),
            f"{r.values['rss_after']:.0f}",
            f"{r.peak_mb:.0f}",
            ms(r.values["p50"]),
            ms(r.values["p99"]),
            ratio(r.values["p50"] / base["p50"]),
            f"{r.values['candidates']:.0f}",
        )
        for r in results
    ]
    s = Section("Growth: " + ", ".join(f"{k}×" for k in sizes.growth) + " the list")
    s.add(
        f"The lists ({source.label}) plus synthesized copies: each copy of an entity keeps "
        "the words found in 40 or more list names (generic words, common given names) and "
        "replaces every rarer word by a made-up one — synthetic entries, made only to measure "
        "growth. Each size runs in a fresh process; latency is the matching-only screener over "
        f"{len(names):,} queries (half from list names); RSS after building includes the "
        f"interpreter and the lists ({results[0].values['rss_before']:.0f} MB before "
        "growing at 1×).",
        report.table(
            [
                "size",
                "entities",
                "name forms",
                "index build s",
                "build ratio",
                "RSS MB",
                "peak MB",
                "p50 ms",
                "p99 ms",
                "p50 ratio",
                "candidates/query",
            ],
            rows,
        ),
    )
    return s


def profiles(csl: Path | None, load_result: load.Load) -> Section:
    s = Section("Profiles of the missed targets")
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if load_result.cold_start.seconds >= COLD_START_TARGET:
        s.add("### Cold start: imports", profile.imports(env))
    if csl is not None:
        s.add("### Memory: what a screening process holds", profile.memory(str(csl), env))
    return s
