"""Spark: ``screen_dataframe`` gives every row the answer ``riskscreen batch`` gives it;
``screen_to`` writes the rows and a manifest that counts them; the screener is unpickled once
per Python worker. Runs Spark in local mode; skips only without pyspark or Java (and the Spark
Connect test without the Connect client, ``pyspark[connect]``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import shutil
import string
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from riskscreen import Screener
from riskscreen.allowlist import load_allowlist
from riskscreen.cli import main
from riskscreen.errors import ConfigError

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'riskscreen[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Java is not installed: Spark needs a JRE", allow_module_level=True)

import pyarrow as pa  # after the skips: the spark extra brings it

from riskscreen import spark as rs_spark

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ALLOWLIST = Path(__file__).parent / "data" / "allowlist" / "decisions.yaml"
ROWS = 3000


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    from pyspark.sql import SparkSession

    # Executors run Python workers with $PYSPARK_PYTHON; they must import this riskscreen.
    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("riskscreen-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # Small Arrow batches: every task screens several, so per-batch bugs would show.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if saved is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = saved


def _names(screener: Screener, rng: random.Random) -> list[str | None]:
    """Listed names as written and varied, random company names, and rows that cannot be
    screened: blank, missing, whitespace, over-long, control characters, legal forms only."""
    listed = sorted({n for e in screener.data.entities for n in e.all_names()})
    suffixes = ["", " Co., Ltd.", " Limited", " GmbH", " 有限公司"]
    names: list[str | None] = [
        "",
        None,
        "   ",
        "x" * 600,
        "Hua\x01wei",
        "Acme\nTrading",
        "Co., Ltd.",
        "---",
        "  iFlytek  ",
        "Hikvision Hotel Ltd.",
        "Hua Xia Bank Co., Ltd.",
        "Baidu",
        "Megvii",
        "華為技術有限公司",
    ]
    while len(names) < ROWS:
        kind = rng.random()
        if kind < 0.3:
            name = rng.choice(listed)
            name = rng.choice([name, name.upper(), name.lower()]) + rng.choice(suffixes)
        elif kind < 0.35:
            name = rng.choice(listed)[:-1]  # a typo
        else:
            words = [
                "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))).title()
                for _ in range(rng.randint(1, 4))
            ]
            name = " ".join(words) + rng.choice(suffixes)
        names.append(name)
    return names


Row = tuple[str, str | None, str | None, str | None, str | None, int]  # id, name, country, …


@pytest.fixture(scope="module")
def rows(screener: Screener) -> list[Row]:
    """id, name, country, uscc, isin, n; some rows carry a listed entity's identifier."""
    rng = random.Random(7)
    ids = {"Hikvision Hotel Ltd.": "C-1001", "Megvii": "C-3003"}
    known = {
        scheme: sorted(i.value for e in screener.data.entities for i in e.identifiers
                       if i.scheme == scheme)
        for scheme in ("uscc", "isin")
    }  # fmt: skip
    out: list[Row] = []
    for i, name in enumerate(_names(screener, rng)):
        country = rng.choice(["CN", "cn", "US", "DE", " CN ", None])
        if name == "Hua Xia Bank Co., Ltd.":
            country = "CN"
        uscc, isin = (
            rng.choice(known["uscc"]) if rng.random() < 0.03 else None,
            rng.choice([*known["isin"], " us1694261033 ", "XX0000000000"])
            if rng.random() < 0.03
            else None,
        )
        out.append((ids.get(name or "", f"R{i:05d}"), name, country, uscc, isin, i))
    return out


@pytest.fixture(scope="module")
def batch_run(
    rows: list[Row], tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """``riskscreen batch`` over the same rows written to a CSV: results by id, manifest."""
    folder = tmp_path_factory.mktemp("batch")
    source = folder / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "country", "uscc", "isin", "n"])
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    out = folder / "out.jsonl"
    argv = ["batch", str(source), "-o", str(out), "--quiet", "--no-snapshots", "--workers", "1"]
    argv += ["--identifier-column", "uscc=uscc", "--identifier-column", "isin=isin"]
    assert main([*argv, "--allowlist", str(ALLOWLIST)]) == 1
    results = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        results[record["id"]] = {k: record[k] for k in ("decision", "matches", "flags", "error")}
    manifest = json.loads((folder / "out.jsonl.manifest.json").read_text(encoding="utf-8"))
    return results, manifest


def _frame(spark: SparkSession, rows: list[Row]) -> DataFrame:
    # Four partitions over two cores: each Python worker runs several tasks.
    schema = "id string, name string, country string, uscc string, isin string, n long"
    frame = spark.createDataFrame(rows, schema)
    return frame.repartition(4)


def test_same_answers_and_manifest_as_batch(
    spark: SparkSession,
    screener: Screener,
    rows: list[Row],
    batch_run: tuple[dict[str, dict[str, Any]], dict[str, Any]],
    tmp_path: Path,
) -> None:
    expected, batch_manifest = batch_run
    output = tmp_path / "screened.parquet"
    manifest_path = tmp_path / "manifests" / "screened.json"  # a folder Spark did not make
    manifest = rs_spark.screen_to(
        _frame(spark, rows),
        str(output),
        screener,
        id_col="id",
        country_col="country",
        identifier_cols={"uscc": "uscc", "isin": "isin"},
        allowlist=load_allowlist(ALLOWLIST),
        input="generated rows",
        manifest_path=manifest_path,
    )
    written = spark.read.parquet(str(output))
    got = {r["id"]: r["screening"].asDict(recursive=True) for r in written.collect()}
    assert len(got) == len(expected) == ROWS
    different = [i for i in expected if got[i] != expected[i]]
    assert not different, (different[:5], [(expected[i], got[i]) for i in different[:2]])
    decisions = Counter(r["decision"] for r in expected.values())
    assert set(decisions) == {"clear", "review", "hit", "error"}  # the data covers every case
    assert any(m["review"] for r in expected.values() for m in r["matches"])  # and the allowlist
    assert sum(r[3] is not None or r[4] is not None for r in rows) > 100  # and identifiers

    assert manifest.status == "complete"
    assert manifest.rows_in == manifest.rows_out == ROWS
    assert manifest.decisions == batch_manifest["decisions"]
    assert manifest.started_at <= (manifest.finished_at or manifest.started_at)
    saved = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert saved == json.loads(manifest.model_dump_json())
    for key in ("lists", "rule_packs", "corpus_sha256", "allowlist", "threshold"):
        assert saved[key] == batch_manifest[key], key
    assert saved["options"]["engine"] == "spark"


def test_other_columns_pass_through_untouched(spark: SparkSession, screener: Screener) -> None:
    frame = spark.createDataFrame(
        [
            (
                1,
                "iFlytek",
                2.5,
                Decimal("1.10"),
                dt.date(2024, 1, 2),
                dt.datetime(2024, 1, 2, 3, 4),
                ["a", "b"],
                {"k": 1},
                b"\x00\xff",
            ),
            (2, None, None, None, None, None, None, None, None),
        ],
        "n int, name string, x double, amount decimal(10,2), day date, at timestamp, "
        "tags array<string>, extra map<string,int>, raw binary",
    )
    screened = rs_spark.screen_dataframe(frame, screener, output_col="rs")
    assert screened.schema.fields[:-1] == frame.schema.fields
    assert screened.schema["rs"].dataType == rs_spark.SCREENING_TYPE
    assert screened.drop("rs").collect() == frame.collect()
    assert [r["rs"]["decision"] for r in screened.collect()] == ["hit", "error"]


def test_bad_arguments_fail_before_any_job(
    spark: SparkSession, screener: Screener, tmp_path: Path
) -> None:
    frame = spark.createDataFrame([("1", "iFlytek")], "id string, company string")
    with pytest.raises(ConfigError, match=r"name_col: no column 'name'.*id, company"):
        rs_spark.screen_dataframe(frame, screener)
    with pytest.raises(ConfigError, match="country_col: no column 'country'"):
        rs_spark.screen_dataframe(frame, screener, name_col="company", country_col="country")
    with pytest.raises(ConfigError, match="already has a column 'id'"):
        rs_spark.screen_dataframe(frame, screener, name_col="company", output_col="id")
    with pytest.raises(ConfigError, match="append"):
        rs_spark.screen_to(frame, str(tmp_path / "o"), screener, mode="append")  # type: ignore[arg-type]


def test_failed_write_leaves_an_interrupted_manifest(
    spark: SparkSession, screener: Screener, tmp_path: Path
) -> None:
    frame = spark.createDataFrame([("iFlytek",)], "name string")
    output = tmp_path / "exists"
    output.mkdir()
    (output / "data").write_text("not ours")
    manifest_path = tmp_path / "m.json"
    with pytest.raises(Exception, match="already exists"):
        rs_spark.screen_to(frame, str(output), screener, manifest_path=manifest_path)
    saved = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert saved["status"] == "interrupted"
    assert saved["finished_at"]


def test_a_worker_unpickles_each_screener_once(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a Python worker does (here, in this process): the first batch reads and unpickles
    the broadcast bytes; later batches and tasks reuse the result."""

    class Broadcast:
        reads = 0

        def __init__(self, payload: bytes) -> None:
            self.payload = payload

        @property
        def value(self) -> bytes:
            Broadcast.reads += 1
            return self.payload

    monkeypatch.setattr(rs_spark, "_LOADED", type(rs_spark._LOADED)())
    key, payload = rs_spark._ship(screener, None)
    columns = rs_spark.Columns()
    version = rs_spark._version()
    shipment = rs_spark._Shipment(key, version, Broadcast(payload), None, columns, "s")  # type: ignore[arg-type]
    first = rs_spark._screener_of(shipment)
    assert all(rs_spark._screener_of(shipment) is first for _ in range(5))
    assert Broadcast.reads == 1
    assert first[0].screen("iFlytek").decision.value == "hit"
    other = rs_spark._Shipment("other", version, None, payload, columns, "s")
    assert rs_spark._screener_of(other) is not first  # a second one (as sent by Spark Connect)
    assert Broadcast.reads == 1
    assert list(rs_spark._LOADED) == [key, "other"]
    stale = rs_spark._Shipment("new", "0.0.1", None, payload, columns, "s")
    with pytest.raises(ConfigError, match=r"riskscreen .* on this executor, 0\.0\.1 on the driver"):
        rs_spark._screener_of(stale)


# pyspark ≥ 4.1 warns about pandas ≥ 3 when it builds an Arrow UDF (the probe below is one;
# screen_dataframe silences the warning itself).
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_workers_keep_the_screener_between_tasks(spark: SparkSession, screener: Screener) -> None:
    frame = spark.createDataFrame([(f"n{i}",) for i in range(400)], "name string").repartition(4)
    assert rs_spark.screen_dataframe(frame, screener).count() == 400
    key, _ = rs_spark._ship(screener, None)  # the same bytes, so the same key

    def probe(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for _ in batches:
            pass
        yield pa.RecordBatch.from_pylist([{"pid": os.getpid(), "held": key in rs_spark._LOADED}])

    # An Arrow job, like screening: Spark keeps separate Python workers for RDD functions.
    held = frame.mapInArrow(probe, "pid long, held boolean").collect()
    assert len(held) == 4
    assert all(r["held"] for r in held), held
    assert len({r["pid"] for r in held}) <= 2  # two cores: four tasks, two reused workers


CONNECT_SCRIPT = """
import json, sys
from pyspark.sql import SparkSession
from riskscreen import Screener
from riskscreen.allowlist import load_allowlist
from riskscreen.spark import screen_dataframe

spark = SparkSession.builder.remote("local[2]").getOrCreate()
rows = json.loads(sys.stdin.read())
schema = "id string, name string, country string, uscc string, isin string"
frame = spark.createDataFrame(rows, schema).repartition(3)
screened = screen_dataframe(
    frame, Screener.bundled(), id_col="id", country_col="country",
    identifier_cols={"uscc": "uscc", "isin": "isin"}, allowlist=load_allowlist(sys.argv[1]),
)
print(json.dumps({r["id"]: r["screening"].asDict(recursive=True) for r in screened.collect()}))
spark.stop()
"""


def test_spark_connect_gets_the_same_answers(
    rows: list[Row],
    batch_run: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    """Spark Connect (Databricks serverless and shared clusters) has no broadcast variables:
    the screener rides in the function itself and each worker still unpickles it once."""
    pytest.importorskip("grpc", reason="no Spark Connect client (pip install 'pyspark[connect]')")
    expected, _ = batch_run
    some = [r for r in rows if r[5] < 100 or r[3] or r[4]]  # the odd rows, every identifier
    proc = subprocess.run(
        [sys.executable, "-c", CONNECT_SCRIPT, str(ALLOWLIST)],
        input=json.dumps([r[:5] for r in some]),
        capture_output=True,
        text=True,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got == {r[0]: expected[r[0]] for r in some}
