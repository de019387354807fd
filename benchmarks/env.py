"""Environment: where the benchmark data lives, and what machine and versions a run used."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the checkout, or where RISKSCREEN_BENCH_DATA says.
SHARED_DATA = Path(os.environ.get("RISKSCREEN_BENCH_DATA") or ROOT.parent / "shared" / "data")
CSL = SHARED_DATA / "csl_2026-06-11" / "expected.csv"
REPORT = ROOT / "docs" / "benchmarks.md"


def csl_available() -> bool:
    return CSL.is_file()


@dataclass(frozen=True)
class Sizes:
    """How much work each section does: the full run, or ``--quick`` for CI smoke runs."""

    quick: bool
    repeats: int  # fresh-process repeats (load, cold start)
    csl_rows: int | None  # None: the whole CSL
    per_category: int  # dev set cases per category (at most)
    latency_queries: int
    batch_rows: int
    batch_seconds: float  # time cap per batch configuration
    brute_sample: int  # queries scored by brute force (cdist over every list name)
    articles: int
    growth: tuple[int, ...]  # list size multiples
    growth_queries: int


FULL = Sizes(
    quick=False,
    repeats=5,
    csl_rows=None,
    per_category=400,
    latency_queries=3000,
    batch_rows=100_000,
    batch_seconds=60.0,
    brute_sample=400,
    articles=10_000,
    growth=(1, 4, 16),
    growth_queries=1000,
)
QUICK = Sizes(
    quick=True,
    repeats=1,
    csl_rows=1500,
    per_category=12,
    latency_queries=100,
    batch_rows=300,
    batch_seconds=5.0,
    brute_sample=20,
    articles=40,
    growth=(1, 2),
    growth_queries=40,
)


def versions() -> str:
    return (
        f"{os.cpu_count()} cores ({platform.machine()}, {platform.system()}); "
        f"Python {sys.version.split()[0]}; riskscreen {version('riskscreen')}; "
        f"rapidfuzz {version('rapidfuzz')}; pypinyin {version('pypinyin')}; "
        f"pydantic {version('pydantic')}"
    )
