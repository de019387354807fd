"""Benchmark: loading and indexing a CSL-size list, and ``riskscreen check`` against it.

Each measurement runs in a fresh process (nothing warm but the OS file cache), repeated;
medians are reported, with the ratio to a baseline measured in the same run: reading the same
file with ``csv.reader`` — the floor any loader pays.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT.parent / "shared" / "data" / "csl_2026-06-11" / "expected.csv"


@dataclass(frozen=True)
class Row:
    what: str
    seconds: float
    rss_mb: float
    ratio: float | None
    note: str


def _run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a fresh Python process running ``code``."""
    script = (
        "import resource, time, sys\n"
        "t = time.perf_counter()\n"
        f"{code}\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(wall, rss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    return float(out[-2]), float(out[-1])


def _cli(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "riskscreen", *args], capture_output=True, env=env, check=False
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.decode())
    return time.perf_counter() - started, 0.0


def _median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), max(r for _, r in samples)


def run(repeats: int, csl: Path) -> list[Row]:
    cache = Path(tempfile.mkdtemp(prefix="riskscreen-bench-"))
    env = {**os.environ, "RISKSCREEN_CACHE_DIR": str(cache)}
    path = repr(str(csl))
    try:
        baseline = _median(
            [_run(f"import csv; list(csv.reader(open({path})))", env) for _ in range(repeats)]
        )
        parse = _median(
            [
                _run(
                    f"from riskscreen.lists.sources.csl import read_csl_csv; read_csl_csv({path})",
                    env,
                )
                for _ in range(repeats)
            ]
        )

        def cold() -> tuple[float, float]:
            shutil.rmtree(cache / "index", ignore_errors=True)
            return _run(
                "from pathlib import Path; from riskscreen.lists.cache import load_indexed; "
                f"load_indexed([Path({path})], bundled=False, snapshots=False)",
                env,
            )

        build = _median([cold() for _ in range(repeats)])
        warm = _median(
            [
                _run(
                    "from pathlib import Path; from riskscreen.lists.cache import load_indexed; "
                    f"load_indexed([Path({path})], bundled=False, snapshots=False)",
                    env,
                )
                for _ in range(repeats)
            ]
        )
        args = ["check", "Hikvision", "--list", str(csl)]
        check_warm = _median([_cli(args, env) for _ in range(repeats)])
        bundled = _median([_cli(["check", "iFlytek"], env) for _ in range(repeats)])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    base = baseline[0]
    return [
        Row("baseline: csv.reader over the file", base, baseline[1], 1.0, "the floor"),
        Row("parse (CSL adapter)", parse[0], parse[1], parse[0] / base, "rows → entities"),
        Row(
            "parse + merge + index (cold, no cache)",
            build[0],
            build[1],
            build[0] / base,
            "first run after a list changes",
        ),
        Row(
            "load merged lists + index from cache",
            warm[0],
            warm[1],
            warm[0] / base,
            "every later run",
        ),
        Row(
            "riskscreen check Hikvision --list CSL (process)",
            check_warm[0],
            0.0,
            check_warm[0] / base,
            "warm cache, whole process",
        ),
        Row(
            "riskscreen check iFlytek (bundled, process)",
            bundled[0],
            0.0,
            None,
            "bundled lists only",
        ),
    ]


def table(rows: list[Row], csl: Path, repeats: int) -> str:
    names = sum(1 for _ in csl.open(encoding="utf-8")) - 1
    lines = [
        f"Input: `{csl.name}` ({names:,} rows), median of {repeats} fresh processes; "
        f"{os.cpu_count()} cores; Python {sys.version.split()[0]}.",
        "",
        "| step | median s | ratio to baseline | peak RSS MB | note |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.1f}×" if r.ratio is not None else "—"
        rss = f"{r.rss_mb:.0f}" if r.rss_mb else "—"
        lines.append(f"| {r.what} | {r.seconds:.2f} | {ratio} | {rss} | {r.note} |")
    return "\n".join(lines)
