"""Batch input: a CSV or JSON Lines file (or stdin) → one ``InputRow`` per record, streamed.

A record that cannot be read — broken quoting, bad UTF-8, a wrong number of fields, no name —
is still a row, carrying its error: rows in always equals rows out.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from riskscreen.models import Counterparty

InputFormat = Literal["csv", "jsonl"]


@dataclass(frozen=True)
class Columns:
    """Which input columns (CSV header names or JSON keys) hold what."""

    name: str = "name"
    id: str | None = "id"
    country: str | None = "country"
    identifiers: Mapping[str, str] = field(default_factory=dict)  # scheme → column


@dataclass(frozen=True)
class InputRow:
    number: int  # 1-based among data rows
    line: int  # physical line where the record ends (CSV) or stands (JSONL)
    counterparty: Counterparty | None
    error: str | None = None
    id: str | None = None  # the row's id column, even when the row has an error


def input_format(path: Path | None, given: InputFormat | None) -> InputFormat:
    if given:
        return given
    if path is not None and path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "csv"


def open_input(path: Path | None) -> IO[str]:
    """The input as text; undecodable bytes survive as lone surrogates, caught per row."""
    if path is None:
        return open(
            sys.stdin.fileno(),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
            closefd=False,
        )
    return path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")


def read_rows(handle: IO[str], fmt: InputFormat, columns: Columns) -> Iterator[InputRow]:
    if fmt == "jsonl":
        yield from _jsonl_rows(handle, columns)
    else:
        yield from _csv_rows(handle, columns)


def _bad_text(values: list[str]) -> bool:
    return any("\udc80" <= c <= "\udcff" for value in values for c in value)


def _csv_rows(handle: IO[str], columns: Columns) -> Iterator[InputRow]:
    reader = csv.reader(handle, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error:
        header = []
    position = {name.strip(): i for i, name in enumerate(header)}
    missing = (
        None
        if columns.name in position
        else (
            f"no column '{columns.name}' in the header (columns: {', '.join(position) or 'none'})"
        )
    )
    number = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield InputRow(number, reader.line_num, None, f"unreadable CSV record: {exc}")
            continue
        if not values:
            continue  # a blank line is not a record
        number += 1
        record = {name: values[i] for name, i in position.items() if i < len(values)}
        row_id = record.get(columns.id) if columns.id else None
        if missing:
            error: str | None = missing
        elif len(values) != len(header):
            error = f"the row has {len(values)} fields, the header {len(header)}"
        elif _bad_text(values):
            error = "not valid UTF-8"
        else:
            error = None
        if error:
            yield InputRow(number, reader.line_num, None, error, row_id)
        else:
            yield InputRow(number, reader.line_num, _counterparty(record, columns), None, row_id)


def _jsonl_rows(handle: IO[str], columns: Columns) -> Iterator[InputRow]:
    number = 0
    for line_number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        number += 1
        if _bad_text([line]):
            yield InputRow(number, line_number, None, "not valid UTF-8")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputRow(number, line_number, None, f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield InputRow(number, line_number, None, "a JSON Lines row must be an object")
            continue
        values = {k: "" if v is None else str(v) for k, v in record.items()}
        row_id = values.get(columns.id) if columns.id else None
        if columns.name not in values:
            error = f"no field '{columns.name}' (fields: {', '.join(values) or 'none'})"
            yield InputRow(number, line_number, None, error, row_id)
            continue
        yield InputRow(number, line_number, _counterparty(values, columns), None, row_id)


def _counterparty(record: Mapping[str, str], columns: Columns) -> Counterparty:
    def get(column: str | None) -> str | None:
        value = record.get(column, "").strip() if column else ""
        return value or None

    identifiers = {s: v for s, c in columns.identifiers.items() if (v := get(c))}
    return Counterparty(
        name=record.get(columns.name, ""),
        id=get(columns.id),
        country=get(columns.country),
        identifiers=identifiers,
    )
