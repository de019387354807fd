"""Batch output: screening results → one flat row per input row, as JSON Lines or CSV.

Every output record is one physical line (newlines inside values become spaces), so an
interrupted file is valid up to its last complete line and ``--resume`` can tell where to go on.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict

from riskscreen.models import ListingEvidence, ScreeningResult

OutputFormat = Literal["jsonl", "csv"]
TOP_MATCHES = 5
CSV_COLUMNS = ("row", "id", "name", "decision", "matches", "flags", "error")


class MatchSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    entity_id: str
    entity_name: str
    lists: tuple[str, ...]
    score: float
    review: str | None = None  # "suppressed", "confirmed" or "reopened: <why>"


class FlagSummary(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    rule: str  # "<pack id>/<rule id>"
    severity: str
    subject: str
    cited_entities: tuple[str, ...] = ()  # listed entities whose listings the flag cites
    review: str | None = None


class BatchRow(BaseModel):
    """One output row: what was screened and what came of it, or why it could not be."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    row: int
    id: str | None
    name: str | None
    decision: Literal["clear", "review", "hit", "error"]
    matches: tuple[MatchSummary, ...] = ()
    flags: tuple[FlagSummary, ...] = ()
    error: str | None = None
    previous_decision: str | None = None  # with --changed-since, when the decision changed

    def flat(self) -> dict[str, object]:
        """Plain scalars, for a pandas or Polars DataFrame (``pd.DataFrame(r.flat() …)``)."""
        top = self.matches[0] if self.matches else None
        return {
            "row": self.row,
            "id": self.id,
            "name": self.name,
            "decision": self.decision,
            "top_entity": top.entity_id if top else None,
            "top_score": top.score if top else None,
            "matches": _matches_cell(self),
            "flags": _flags_cell(self),
            "error": self.error,
        }


def _review(review: object) -> str | None:
    if review is None:
        return None
    status = getattr(review, "status", "")
    because = getattr(review, "reopened_because", None)
    return f"{status}: {because}" if because else str(status)


def summarize(number: int, row_id: str | None, result: ScreeningResult) -> BatchRow:
    matches = tuple(
        MatchSummary(
            entity_id=m.entity.id,
            entity_name=m.entity.name,
            lists=tuple(dict.fromkeys(x.list_id for x in m.entity.listings)),
            score=m.score,
            review=_review(m.review),
        )
        for m in result.matches[:TOP_MATCHES]
    )
    flags = tuple(
        FlagSummary(
            rule=f"{f.pack_id}/{f.rule_id}",
            severity=f.severity.value,
            subject=f.subject,
            cited_entities=tuple(
                dict.fromkeys(c.entity_id for c in f.citations if isinstance(c, ListingEvidence))
            ),
            review=_review(f.review),
        )
        for f in result.flags
    )
    return BatchRow(
        row=number,
        id=row_id,
        name=result.query,
        decision=result.decision.value,
        matches=matches,
        flags=flags,
    )


def error_row(number: int, row_id: str | None, name: str | None, error: str) -> BatchRow:
    return BatchRow(row=number, id=row_id, name=name, decision="error", error=_one_line(error))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _matches_cell(row: BatchRow) -> str:
    """``entity:score:list|list`` per match, ``:suppressed`` (or the review) when reviewed."""
    return "; ".join(
        f"{m.entity_id}:{m.score:.2f}:{'|'.join(m.lists)}" + (f":{m.review}" if m.review else "")
        for m in row.matches
    )


def _flags_cell(row: BatchRow) -> str:
    return "; ".join(
        f"{f.rule}:{f.severity}" + (f":{f.review}" if f.review else "") for f in row.flags
    )


def format_line(row: BatchRow, fmt: OutputFormat) -> str:
    """One complete output line, newline included."""
    if fmt == "jsonl":
        return row.model_dump_json() + "\n"
    buffer = io.StringIO()
    values = [
        row.row,
        row.id or "",
        row.name or "",
        row.decision,
        _matches_cell(row),
        _flags_cell(row),
        row.error or "",
    ]
    csv.writer(buffer, lineterminator="\n").writerow(
        [_one_line(str(v)) if isinstance(v, str) else v for v in values]
    )
    return buffer.getvalue()


def header_line(fmt: OutputFormat) -> str:
    return ",".join(CSV_COLUMNS) + "\n" if fmt == "csv" else ""


def complete_rows(path: Path, fmt: OutputFormat) -> tuple[int, int, Counter[str]]:
    """How many complete rows an (interrupted) output holds, the byte offset where the first
    incomplete or unreadable line starts (resume truncates there and goes on), and the
    decisions of the complete rows."""
    offset = 0
    rows = 0
    decisions: Counter[str] = Counter()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle):
            decision = _decision(raw, fmt, header=number == 0)
            if not raw.endswith(b"\n") or decision is None:
                break
            offset += len(raw)
            if decision:
                rows += 1
                decisions[decision] += 1
    return rows, offset, decisions


def _decision(raw: bytes, fmt: OutputFormat, *, header: bool) -> str | None:
    """A complete line's decision; "" for the CSV header; None for a line that is not valid."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if fmt == "jsonl":
        try:
            return BatchRow.model_validate_json(text).decision
        except ValueError:
            return None
    if header:
        return "" if text == header_line("csv") else None
    try:
        record = next(csv.reader([text.rstrip("\n")], strict=True))
    except (csv.Error, StopIteration):
        return None
    valid = len(record) == len(CSV_COLUMNS) and record[0].isdigit()
    return record[3] if valid else None


def read_output(path: Path, fmt: OutputFormat) -> Iterator[BatchRow]:
    """The rows of a finished JSON Lines output (for ``--changed-since``)."""
    if fmt != "jsonl":
        raise ValueError("only JSON Lines outputs carry full rows")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield BatchRow.model_validate_json(line)


def open_output(path: Path, *, append: bool) -> IO[str]:
    return path.open("a" if append else "w", encoding="utf-8", newline="")
