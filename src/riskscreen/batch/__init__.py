"""Batch: many counterparties → one result row each, from Python or ``riskscreen batch``.

>>> from riskscreen import Screener
>>> from riskscreen.batch import screen_many
>>> rows = list(screen_many(["iFlytek", "Acme Trading GmbH", ""], Screener.bundled()))
>>> [r.decision for r in rows]
['hit', 'clear', 'error']

With pandas (riskscreen does not depend on it)::

    df = pd.DataFrame(r.flat() for r in screen_many(customers.to_dict("records"), screener))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from riskscreen.batch.read import Columns, InputRow
from riskscreen.batch.run import BatchOptions, BatchSummary, run_batch
from riskscreen.batch.stream import screen_stream
from riskscreen.batch.write import BatchRow, FlagSummary, MatchSummary
from riskscreen.models import Counterparty

if TYPE_CHECKING:
    from riskscreen.allowlist import Allowlist
    from riskscreen.screen import Screener

__all__ = [
    "BatchOptions",
    "BatchRow",
    "BatchSummary",
    "Columns",
    "FlagSummary",
    "MatchSummary",
    "run_batch",
    "screen_many",
]


def _row(
    number: int, item: Counterparty | str | Mapping[str, object], columns: Columns
) -> InputRow:
    if isinstance(item, Counterparty):
        return InputRow(number, number, item, None, item.id)
    if isinstance(item, str):
        return InputRow(number, number, Counterparty(name=item))
    if isinstance(item, Mapping):
        values = {k: "" if v is None else str(v) for k, v in item.items()}
        row_id = values.get(columns.id) if columns.id else None
        if columns.name not in values:
            return InputRow(number, number, None, f"no field '{columns.name}'", row_id)
        identifiers = {s: values[c] for s, c in columns.identifiers.items() if values.get(c)}
        party = Counterparty(
            name=values[columns.name],
            id=row_id or None,
            country=(values.get(columns.country) or None) if columns.country else None,
            identifiers=identifiers,
        )
        return InputRow(number, number, party, None, row_id)
    return InputRow(number, number, None, f"cannot screen a value of type {type(item).__name__}")


def screen_many(
    counterparties: Iterable[Counterparty | str | Mapping[str, object]],
    screener: Screener,
    *,
    allowlist: Allowlist | None = None,
    columns: Columns | None = None,
    workers: int = 1,
) -> Iterator[BatchRow]:
    """Screen an iterable of names, ``Counterparty`` objects or dicts (e.g. DataFrame records),
    lazily and in order: one ``BatchRow`` per item, an ``error`` row for one that cannot be."""
    columns = columns or Columns()
    rows = (_row(n, item, columns) for n, item in enumerate(counterparties, start=1))
    yield from screen_stream(rows, screener, allowlist, workers=workers)
