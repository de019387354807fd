"""Screening a stream: input rows → output rows, in input order, on one core or several.

Memory stays bounded: at most a few chunks per worker are in flight, whatever the input size.
Workers are forked from a process whose screener is fully built (lists, index, corpus, rules),
so they share it copy-on-write instead of each loading it again.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from riskscreen.batch.read import InputRow
from riskscreen.batch.write import BatchRow, error_row, summarize
from riskscreen.errors import RiskscreenError

if TYPE_CHECKING:
    from riskscreen.allowlist import Allowlist
    from riskscreen.screen import Screener

CHUNK = 200
IN_FLIGHT_PER_WORKER = 4

_STATE: dict[str, Any] = {}  # the screener and allowlist a forked worker inherits


def screen_row(row: InputRow, screener: Screener, allowlist: Allowlist | None) -> BatchRow:
    """One row: its read error, its input error, or its screening summary."""
    if row.error is not None or row.counterparty is None:
        return error_row(row.number, row.id, None, row.error or "unreadable row")
    party = row.counterparty
    try:
        result = screener.screen(party.name, identifiers=party.identifiers)
    except RiskscreenError as exc:
        return error_row(row.number, party.id or row.id, party.name, str(exc))
    if allowlist is not None:
        result = allowlist.apply(result, party)
    return summarize(row.number, party.id or row.id, result)


def _chunk(rows: list[InputRow]) -> list[BatchRow]:
    return [screen_row(row, _STATE["screener"], _STATE["allowlist"]) for row in rows]


def _quiet_worker() -> None:
    # Ctrl-C reaches the whole process group: the parent handles it, writes what is complete,
    # then ends us with SIGTERM — which must have its default action again, not the parent's
    # handler that a forked worker would otherwise inherit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def screen_stream(
    rows: Iterable[InputRow],
    screener: Screener,
    allowlist: Allowlist | None = None,
    *,
    workers: int = 1,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[BatchRow]:
    """Output rows in input order; stops cleanly (after a complete row) once ``stop()``."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for row in rows:
            if stop():
                return
            yield screen_row(row, screener, allowlist)
        return
    # Build everything lazily built before forking, so workers inherit it.
    _ = screener.corpus_index, screener.evaluator
    _STATE.update(screener=screener, allowlist=allowlist)
    context = multiprocessing.get_context("fork")
    source = iter(rows)
    pending: deque[AsyncResult[list[BatchRow]]] = deque()
    pool = context.Pool(workers, initializer=_quiet_worker)
    finished = False
    try:
        while True:
            while len(pending) < workers * IN_FLIGHT_PER_WORKER and not stop():
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                pending.append(pool.apply_async(_chunk, (chunk,)))
            if stop():
                return
            if not pending:
                finished = True
                return
            head = pending.popleft()
            while not head.ready():
                head.wait(0.1)
                if stop():
                    return
            yield from head.get()
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
        _STATE.clear()


def default_workers(size_bytes: int | None) -> int:
    """Every core for inputs big enough to repay starting workers (about 1 MB and up)."""
    cores = os.cpu_count() or 1
    return cores if size_bytes is not None and size_bytes >= 1 << 20 else 1
