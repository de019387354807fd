"""Benchmark: screening rows with Spark in local mode (``riskscreen.spark``) against
``riskscreen batch`` on the same rows and the same machine.

Each measurement runs in a fresh process, repeated, batch and Spark runs alternating; medians
are reported, with the ratio to ``riskscreen batch --workers <cores>`` on the same rows.
Input rows are generated as tests/test_batch.py does: every 50th a listed name, the others
``Zorvex<i> Trading Ltd``. The cost of shipping the screener to executors is measured too.
"""

from __future__ import annotations

import csv
import json
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
LISTED = ["iFlytek", "Hikvision", "Huawei Technologies Co., Ltd.", "Megvii"]


@dataclass(frozen=True)
class Row:
    what: str
    rows: int | None
    seconds: float
    ratio: float | None  # to riskscreen batch on the same rows
    note: str

    @property
    def rate(self) -> float | None:
        return self.rows / self.seconds if self.rows else None


def unavailable() -> str | None:
    """Why the Spark benchmark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'riskscreen[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed"
    return None


def write_input(path: Path, rows: int, *, every_hit: int = 50) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country"])
        for i in range(rows):
            name = LISTED[i % 4] if i % every_hit == 0 else f"Zorvex{i} Trading Ltd"
            writer.writerow([f"C{i:06d}", name, "CN"])
    return path


def _batch(source: Path, lists: list[Path], env: dict[str, str]) -> float:
    out = source.with_suffix(".out.jsonl")
    workers = str(os.cpu_count() or 1)
    args = ["batch", str(source), "-o", str(out), "--quiet", "--no-snapshots", "--workers", workers]
    args += [a for path in lists for a in ("--list", str(path))]
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "riskscreen", *args], capture_output=True, env=env, check=False
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr.decode())
    return time.perf_counter() - started


def _child(code: str, env: dict[str, str]) -> dict[str, float]:
    """Run ``code`` (which prints one JSON object last) in a fresh Python; its wall time too."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    result: dict[str, float] = json.loads(proc.stdout.splitlines()[-1])
    result["process"] = time.perf_counter() - started
    return result


def spark_child(source: str, lists: list[str], runs: int) -> None:
    """In a fresh process: start Spark (local, every core), build the screener, then screen
    ``source`` ``runs`` times into Parquet with ``screen_to`` (manifest counts included), and
    once more writing without counts. Prints the timings as JSON."""
    from pyspark.sql import SparkSession

    from riskscreen import Screener
    from riskscreen.spark import screen_dataframe, screen_to

    times: dict[str, float] = {}
    entered = started = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{os.cpu_count() or 1}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    times["session"] = time.perf_counter() - started
    started = time.perf_counter()
    screener = Screener.from_paths(lists, snapshots=False)
    times["screener"] = time.perf_counter() - started
    out = Path(tempfile.mkdtemp(prefix="riskscreen-bench-spark-"))
    # Spark splits files by bytes (at least 4 MB a split), so a CSV of 100,000 names is one
    # partition, screened on one core; screening is CPU-bound, so spread the rows out.
    spread = 2 * (os.cpu_count() or 1)
    times["partitions_read"] = spark.read.csv(source, header=True).rdd.getNumPartitions()
    for run in range(runs):
        started = time.perf_counter()
        frame = spark.read.csv(source, header=True).repartition(spread)
        screen_to(frame, str(out / f"run{run}"), screener, id_col="id", country_col="country")
        times[f"run{run}"] = time.perf_counter() - started
        if run == 0:
            times["cold"] = time.perf_counter() - entered
    started = time.perf_counter()
    frame = spark.read.csv(source, header=True).repartition(spread)
    screened = screen_dataframe(frame, screener, id_col="id", country_col="country")
    times["define"] = time.perf_counter() - started
    screened.write.parquet(str(out / "plain"))
    times["plain"] = time.perf_counter() - started
    times["partitions"] = frame.rdd.getNumPartitions()
    spark.stop()
    shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(times))


def shipping_child(lists: list[str], path: str) -> None:
    """In a fresh process: build the screener from the list files (no index cache: what a
    worker would pay to rebuild it) and pickle it as ``riskscreen.spark`` does, into ``path``."""
    import pickle

    from riskscreen import Screener

    started = time.perf_counter()
    screener = Screener.from_paths(lists, snapshots=False, cache=Path(tempfile.mkdtemp()))
    _ = screener.corpus_index, screener.evaluator
    build = time.perf_counter() - started
    started = time.perf_counter()
    payload = pickle.dumps((screener, None), protocol=pickle.HIGHEST_PROTOCOL)
    dump = time.perf_counter() - started
    Path(path).write_bytes(payload)
    print(json.dumps({"build": build, "dump": dump, "bytes": len(payload)}))


def unpickle_child(path: str) -> None:
    """In a fresh process, like a Python worker: unpickle the screener as
    ``riskscreen.spark`` does; the time, and the resident memory before and after."""
    import gc
    import pickle

    import riskscreen.screen  # noqa: F401  (imported before measuring, as in a worker)

    payload = Path(path).read_bytes()
    before = _rss_mb()
    started = time.perf_counter()
    gc.disable()
    pickle.loads(payload)
    gc.freeze()
    gc.enable()
    load = time.perf_counter() - started
    print(json.dumps({"load": load, "rss_before": before, "rss_after": _rss_mb()}))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _median(samples: list[dict[str, float]], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def run(
    repeats: int, rows: int = 100_000, csl: Path | None = CSL, csl_rows: int = 20_000
) -> list[Row]:
    """Bundled lists on ``rows`` rows; the bundled lists plus the CSL on ``csl_rows`` rows
    (screening against 25,000 more entities costs far more per row)."""
    work = Path(tempfile.mkdtemp(prefix="riskscreen-bench-"))
    env = {
        **os.environ,
        "RISKSCREEN_CACHE_DIR": str(work / "cache"),
        "PYSPARK_PYTHON": sys.executable,
    }
    out: list[Row] = []
    try:
        cases = [("bundled lists", [], rows)]
        if csl is not None and csl.is_file():
            cases.append(("bundled + CSL", [csl], csl_rows))
        for label, lists, count in cases:
            source = write_input(work / f"in-{count}.csv", count)
            _batch(source, lists, env)  # warm the index cache: both sides load from it
            code = (
                "from benchmarks.spark import spark_child; "
                f"spark_child({str(source)!r}, {[str(p) for p in lists]!r}, 2)"
            )
            # Alternated, so that load from elsewhere on the machine falls on both alike.
            batches, spark = [], []
            for _ in range(repeats):
                batches.append(_batch(source, lists, env))
                spark.append(_child(code, env))
            batch = statistics.median(batches)
            parts = int(_median(spark, "partitions"))
            read = int(_median(spark, "partitions_read"))
            out += [
                Row(
                    f"{label}: riskscreen batch (process)",
                    count,
                    batch,
                    1.0,
                    f"--workers {os.cpu_count()}",
                ),
                Row(
                    f"{label}: Spark local, start to first output",
                    count,
                    _median(spark, "cold"),
                    _median(spark, "cold") / batch,
                    f"JVM start {_median(spark, 'session'):.1f} s + screener + first screen_to",
                ),
                Row(
                    f"{label}: Spark, first screen_to",
                    count,
                    _median(spark, "run0"),
                    _median(spark, "run0") / batch,
                    f"CSV → Parquet + counts; starts Python workers; {read} → {parts} partitions",
                ),
                Row(
                    f"{label}: Spark, next screen_to",
                    count,
                    _median(spark, "run1"),
                    _median(spark, "run1") / batch,
                    "same session: workers and screener warm",
                ),
                Row(
                    f"{label}: Spark, screen_dataframe + write",
                    count,
                    _median(spark, "plain"),
                    _median(spark, "plain") / batch,
                    "no manifest counts",
                ),
            ]
        for label, lists, _count in cases:
            pickled = str(work / "screener.pickle")
            code = (
                "from benchmarks.spark import shipping_child; "
                f"shipping_child({[str(p) for p in lists]!r}, {pickled!r})"
            )
            ship = [_child(code, env) for _ in range(repeats)]
            code = f"from benchmarks.spark import unpickle_child; unpickle_child({pickled!r})"
            load = [_child(code, env) for _ in range(repeats)]
            size = _median(ship, "bytes") / 1e6
            held = _median(load, "rss_after") - _median(load, "rss_before")
            out += [
                Row(
                    f"{label}: build the screener from files",
                    None,
                    _median(ship, "build"),
                    None,
                    "no index cache; what each worker would pay to rebuild it",
                ),
                Row(
                    f"{label}: pickle it on the driver",
                    None,
                    _median(ship, "dump"),
                    None,
                    f"{size:.1f} MB, broadcast once to each executor",
                ),
                Row(
                    f"{label}: unpickle it in a worker",
                    None,
                    _median(load, "load"),
                    None,
                    f"once per Python worker, which then holds {held:.0f} MB more "
                    f"({_median(load, 'rss_after'):.0f} MB resident)",
                ),
            ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def table(rows: list[Row], repeats: int) -> str:
    lines = [
        f"Median of {repeats} fresh processes; Spark {_spark_version()} in local mode "
        f"(`local[{os.cpu_count()}]`) on {os.cpu_count()} cores; Python {sys.version.split()[0]}.",
        "",
        "| what | rows | median s | rows/s | ratio to batch | note |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        rate = f"{r.rate:,.0f}" if r.rate is not None else "—"
        count = f"{r.rows:,}" if r.rows else "—"
        lines.append(f"| {r.what} | {count} | {r.seconds:.2f} | {rate} | {ratio} | {r.note} |")
    return "\n".join(lines)


def _spark_version() -> str:
    try:
        import pyspark
    except ImportError:
        return "(not installed)"
    return str(pyspark.__version__)


if __name__ == "__main__":
    reason = unavailable()
    if reason:
        print(f"benchmarks.spark: skipped: {reason}")
        sys.exit(0)
    quick = "--quick" in sys.argv
    count = 1 if quick else 3
    measured = run(count, 2_000, CSL, 200) if quick else run(count)
    print(table(measured, count))
