"""Spark: a DataFrame of counterparties → the same rows plus a typed ``screening`` column.

The screener is built once on the driver and pickled once; a broadcast variable carries the
bytes to each executor once (Spark Connect: the function itself carries them), and each Python
worker unpickles them once, on its first batch. Rows travel in Arrow batches (``mapInArrow``)
through ``screen_many``, the code behind ``riskscreen batch``, so the answers are the same.
Needs ``pip install "riskscreen[spark]"``; nothing imports this module implicitly.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import json
import os
import pickle
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pyarrow as pa
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    StringType,
    StructField,
    StructType,
)

from riskscreen.batch import BatchRow, Columns, screen_many
from riskscreen.batch.manifest import InputRecord, Manifest
from riskscreen.errors import ConfigError

if TYPE_CHECKING:
    from pyspark import Broadcast
    from pyspark.sql import DataFrame

    from riskscreen.allowlist import Allowlist
    from riskscreen.screen import Screener

__all__ = ["SCREENING_TYPE", "screen_dataframe", "screen_to"]

_TEXT = StringType()
_TEXTS = ArrayType(_TEXT, containsNull=False)
MATCH_TYPE = StructType(
    [
        StructField("entity_id", _TEXT, nullable=False),
        StructField("entity_name", _TEXT, nullable=False),
        StructField("lists", _TEXTS, nullable=False),
        StructField("score", DoubleType(), nullable=False),
        StructField("review", _TEXT),  # "suppressed", "confirmed" or "reopened: <why>"
    ]
)
FLAG_TYPE = StructType(
    [
        StructField("rule", _TEXT, nullable=False),  # "<pack id>/<rule id>"
        StructField("severity", _TEXT, nullable=False),
        StructField("subject", _TEXT, nullable=False),
        StructField("cited_entities", _TEXTS, nullable=False),
        StructField("review", _TEXT),
    ]
)
SCREENING_TYPE = StructType(
    [
        StructField("decision", _TEXT, nullable=False),  # clear, review, hit or error
        StructField("matches", ArrayType(MATCH_TYPE, containsNull=False), nullable=False),
        StructField("flags", ArrayType(FLAG_TYPE, containsNull=False), nullable=False),
        StructField("error", _TEXT),  # why the row could not be screened
    ]
)
"""The added column: a ``BatchRow`` of ``riskscreen batch`` without its row, id and name (the
input row carries those)."""


def _arrow(spark_type: object) -> pa.DataType:
    """The Arrow twin of a type above (mapInArrow wants batches in exactly that shape)."""
    if isinstance(spark_type, StructType):
        return pa.struct(
            [pa.field(f.name, _arrow(f.dataType), nullable=f.nullable) for f in spark_type.fields]
        )
    if isinstance(spark_type, ArrayType):
        return pa.list_(pa.field("element", _arrow(spark_type.elementType), nullable=False))
    return pa.float64() if isinstance(spark_type, DoubleType) else pa.string()


_ARROW_SCREENING = _arrow(SCREENING_TYPE)


@dataclass(frozen=True)
class _Shipment:
    """What each task receives: the screener — by reference to a broadcast variable (classic
    Spark) or in itself (Spark Connect, which has none) — and how to read the rows."""

    key: str  # sha256 of the pickled (screener, allowlist)
    version: str  # riskscreen's on the driver: the executors must unpickle with the same
    broadcast: Broadcast[bytes] | None
    payload: bytes | None
    columns: Columns
    output_col: str

    def pickled(self) -> bytes:
        if self.broadcast is not None:
            return self.broadcast.value  # read from the executor's local copy, once per worker
        assert self.payload is not None
        return self.payload


_LOADED: OrderedDict[str, tuple[Screener, Allowlist | None]] = OrderedDict()
"""Per Python worker: the screeners unpickled so far, newest last. Spark reuses its Python
workers across tasks, so each pays for unpickling once per screener, not per task or batch."""
_KEEP = 2


def _screener_of(shipment: _Shipment) -> tuple[Screener, Allowlist | None]:
    loaded = _LOADED.get(shipment.key)
    if loaded is None:
        if shipment.version != _version():
            raise ConfigError(
                f"riskscreen {_version()} on this executor, {shipment.version} on the driver: "
                "install the same version everywhere (docs/spark.md)"
            )
        # Hundreds of thousands of long-lived objects: unpickled with the cyclic collector
        # paused, then moved out of its sight (as riskscreen.lists.cache does): ~4× faster.
        gc.disable()
        try:
            loaded = pickle.loads(shipment.pickled())  # our own bytes, from the driver
        finally:
            gc.freeze()
            gc.enable()
        _LOADED[shipment.key] = loaded
        while len(_LOADED) > _KEEP:
            _LOADED.popitem(last=False)
    _LOADED.move_to_end(shipment.key)
    return loaded


def _records(batch: pa.RecordBatch, columns: Columns) -> list[dict[str, str]]:
    """The columns screening reads, as ``riskscreen batch`` reads them from a CSV: as text, a
    missing value as "", the name as given and the other columns stripped."""
    wanted = [columns.id, columns.country, *columns.identifiers.values()]
    others = [c for c in dict.fromkeys(wanted) if c and c != columns.name]
    names = [columns.name, *others]
    values = [batch.column(batch.schema.get_field_index(c)).to_pylist() for c in names]
    return [
        {
            columns.name: "" if row[0] is None else str(row[0]),
            **{
                c: "" if v is None else str(v).strip() for c, v in zip(others, row[1:], strict=True)
            },
        }
        for row in zip(*values, strict=True)
    ]


def _cell(row: BatchRow) -> dict[str, object]:
    return row.model_dump(include={"decision", "matches", "flags", "error"})


def _screen_batches(
    shipment: _Shipment, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """On an executor: each Arrow batch of input rows → the same rows plus the screening."""
    screener, allowlist = _screener_of(shipment)
    for batch in batches:
        records = _records(batch, shipment.columns)
        rows = screen_many(records, screener, allowlist=allowlist, columns=shipment.columns)
        screening = pa.array([_cell(row) for row in rows], type=_ARROW_SCREENING)
        yield pa.RecordBatch.from_arrays(
            [*batch.columns, screening], names=[*batch.schema.names, shipment.output_col]
        )


def _check_columns(df: DataFrame, columns: Columns, output_col: str) -> None:
    present = set(df.columns)
    wanted = {
        "name_col": columns.name,
        "id_col": columns.id,
        "country_col": columns.country,
        **{f"identifier_cols[{s!r}]": c for s, c in columns.identifiers.items()},
    }
    for what, column in wanted.items():
        if column is not None and column not in present:
            raise ConfigError(
                f"{what}: no column {column!r} in the DataFrame "
                f"(columns: {', '.join(df.columns) or 'none'})"
            )
        if column is not None and df.columns.count(column) > 1:
            raise ConfigError(f"{what}: the DataFrame has two columns named {column!r}")
    if output_col in present:
        raise ConfigError(f"the DataFrame already has a column {output_col!r}: pass output_col")


def _ship(screener: Screener, allowlist: Allowlist | None) -> tuple[str, bytes]:
    # Build what the screener builds lazily, so executors receive it ready, not each rebuild it.
    _ = screener.corpus_index, screener.evaluator
    payload = pickle.dumps((screener, allowlist), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.sha256(payload).hexdigest(), payload


def screen_dataframe(
    df: DataFrame,
    screener: Screener,
    *,
    name_col: str = "name",
    id_col: str | None = None,
    country_col: str | None = None,
    identifier_cols: Mapping[str, str] | None = None,
    allowlist: Allowlist | None = None,
    output_col: str = "screening",
) -> DataFrame:
    """Screen every row of ``df``: the same rows and columns, in the same partitions, plus
    ``output_col`` of type ``SCREENING_TYPE``. Lazy, like any transformation: screening runs
    when an action (a write, a count) needs it, and again for each action unless cached.

    The columns are read as ``riskscreen batch`` reads its CSV columns: ``identifier_cols``
    (scheme → column, e.g. ``{"uscc": "uscc"}``) add exact identifier matches; ``id_col`` and
    ``country_col`` only matter to the ``allowlist``. A row that cannot be screened (no name,
    an over-long one, one without letters) gets decision ``error`` and the reason in ``error``.
    Raises ``ConfigError`` for a column ``df`` lacks or has twice.
    """
    columns = Columns(
        name=name_col, id=id_col, country=country_col, identifiers=dict(identifier_cols or {})
    )
    _check_columns(df, columns, output_col)
    key, payload = _ship(screener, allowlist)
    try:
        broadcast = df.sparkSession.sparkContext.broadcast(payload)
        shipment = _Shipment(key, _version(), broadcast, None, columns, output_col)
    except (AttributeError, NotImplementedError):  # Spark Connect: no SparkContext
        shipment = _Shipment(key, _version(), None, payload, columns, output_col)
    schema = StructType([*df.schema.fields, StructField(output_col, SCREENING_TYPE, False)])
    with warnings.catch_warnings():
        # pyspark ≥ 4.1 warns about pandas ≥ 3 for every Arrow UDF; mapInArrow hands us Arrow
        # batches and never converts to pandas.
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        return df.mapInArrow(functools.partial(_screen_batches, shipment), schema)


WriteMode = Literal["errorifexists", "overwrite"]


def screen_to(
    df: DataFrame,
    output: str,
    screener: Screener,
    *,
    name_col: str = "name",
    id_col: str | None = None,
    country_col: str | None = None,
    identifier_cols: Mapping[str, str] | None = None,
    allowlist: Allowlist | None = None,
    output_col: str = "screening",
    format: str = "parquet",
    mode: WriteMode = "errorifexists",
    partition_by: tuple[str, ...] = (),
    input: str | None = None,
    manifest_path: str | Path | None = None,
) -> Manifest:
    """Screen ``df`` into ``output`` (any path Spark writes to: s3://, abfss://, dbfs:/, a
    local directory) and return the run's audit manifest, also written as JSON to
    ``manifest_path`` by the driver (a local or mounted path) — first as ``running``, then
    ``complete``, or ``interrupted`` if the write fails.

    Counting takes two more actions, neither of which screens again: ``rows_in`` counts
    ``df`` (Parquet answers from its footers; CSV or a costly lineage is read again), and
    ``rows_out`` and the decisions are counted from what was written, reading the
    ``decision`` field alone — so they describe the committed output, whatever tasks Spark
    retried. ``input`` describes what was screened, for the record (e.g. the table's path).
    """
    if mode not in ("errorifexists", "overwrite"):
        raise ConfigError(
            f"mode {mode!r}: use 'errorifexists' or 'overwrite' (counts are read back from the "
            "output, so appending would count earlier rows too; write each run to its own path)"
        )
    columns = Columns(
        name=name_col, id=id_col, country=country_col, identifiers=dict(identifier_cols or {})
    )
    session = df.sparkSession
    manifest = Manifest(
        riskscreen_version=_version(),
        status="running",
        started_at=dt.datetime.now(dt.UTC),
        input=InputRecord(
            path=input,
            sha256=None,
            format="spark",
            columns={
                "name": columns.name,
                "id": columns.id,
                "country": columns.country,
                "identifiers": dict(columns.identifiers),
            },
        ),
        output=output,
        output_format=format,
        lists=screener.lists,
        rule_packs=screener.packs_used,
        corpus_sha256=screener.corpus_sha256,
        allowlist={"file": allowlist.file, "sha256": allowlist.sha256} if allowlist else None,
        threshold=screener.threshold,
        options={
            "engine": "spark",
            "spark_version": session.version,
            "mode": mode,
            "partition_by": list(partition_by),
            "output_col": output_col,
        },
    )
    screened = screen_dataframe(
        df,
        screener,
        name_col=name_col,
        id_col=id_col,
        country_col=country_col,
        identifier_cols=identifier_cols,
        allowlist=allowlist,
        output_col=output_col,
    )
    _save(manifest_path, manifest)
    try:
        rows_in = df.count()
        writer = screened.write.format(format).mode(mode)
        if partition_by:
            writer = writer.partitionBy(*partition_by)
        writer.save(output)
        written = session.read.format(format).load(output)
        decision = written[output_col].getField("decision").alias("decision")
        counted = written.groupBy(decision).count().collect()
    except BaseException:
        _save(
            manifest_path,
            manifest.model_copy(
                update={"status": "interrupted", "finished_at": dt.datetime.now(dt.UTC)}
            ),
        )
        raise
    counts = {r["decision"]: int(r["count"]) for r in counted}
    manifest = manifest.model_copy(
        update={
            "status": "complete",
            "finished_at": dt.datetime.now(dt.UTC),
            "rows_in": rows_in,
            "rows_out": sum(counts.values()),
            "decisions": {d: counts[d] for d in ("clear", "review", "hit", "error") if d in counts},
        }
    )
    _save(manifest_path, manifest)
    return manifest


def _save(path: str | Path | None, manifest: Manifest) -> None:
    """Atomically, in the format of ``riskscreen batch``'s manifest."""
    if path is None:
        return
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(manifest.model_dump(mode="json"), indent=2) + "\n", "utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        raise ConfigError(f"cannot write the manifest: {exc.strerror}", file=str(path)) from None


def _version() -> str:
    from riskscreen import __version__

    return __version__
