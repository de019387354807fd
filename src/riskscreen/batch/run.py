"""Batch run: an input file → an output file with one row per input row, plus its manifest.

Orchestration only: check options, resume where an interrupted run stopped, stream the rows
through the screener with a progress bar, stop cleanly on Ctrl-C or SIGTERM, record counts.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from riskscreen.batch.changed import ChangeScope, RescreenCounts, change_scope, rescreen
from riskscreen.batch.manifest import (
    InputRecord,
    Manifest,
    file_sha256,
    read_manifest,
    write_manifest,
)
from riskscreen.batch.read import Columns, InputFormat, input_format, open_input, read_rows
from riskscreen.batch.stream import default_workers, screen_stream
from riskscreen.batch.write import (
    BatchRow,
    OutputFormat,
    complete_rows,
    format_line,
    header_line,
    open_output,
)
from riskscreen.errors import ConfigError

if TYPE_CHECKING:
    from riskscreen.allowlist import Allowlist
    from riskscreen.screen import Screener


@dataclass
class BatchOptions:
    input: Path | None  # None: standard input
    output: Path
    input_format: InputFormat | None = None
    output_format: OutputFormat | None = None
    columns: Columns = field(default_factory=Columns)
    workers: int | None = None  # None: all cores for large inputs
    resume: bool = False
    progress: bool = True
    changed_since: str | None = None  # the older lists: a list file or snapshot:ID[@previous]
    changed_to: str | None = None  # the newer ones (default: the current snapshot of ID)
    previous: Path | None = None  # the output of the earlier run over the same input


@dataclass
class BatchSummary:
    rows_in: int
    rows_out: int
    decisions: Counter[str]
    interrupted: bool
    resumed_at_row: int | None
    rescreen: RescreenCounts | None = None


class _Stop:
    """Set by Ctrl-C or SIGTERM: the run ends after the row being written."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        self.requested = True


def output_format(path: Path, given: OutputFormat | None) -> OutputFormat:
    return given or ("csv" if path.suffix.lower() == ".csv" else "jsonl")


def run_batch(
    options: BatchOptions, screener: Screener, allowlist: Allowlist | None = None
) -> BatchSummary:
    fmt_in = input_format(options.input, options.input_format)
    fmt_out = output_format(options.output, options.output_format)
    input_hash = _check_input(options)
    scope = _change_scope(options, screener)
    skip, offset, decisions, earlier = _resume_point(options, fmt_out, input_hash)
    size = options.input.stat().st_size if options.input else None
    workers = options.workers or default_workers(size)
    manifest = Manifest(
        riskscreen_version=_version(),
        status="running",
        started_at=earlier.started_at if earlier else dt.datetime.now(dt.UTC),
        input=InputRecord(
            path=str(options.input) if options.input else None,
            sha256=input_hash,
            format=fmt_in,
            columns={
                "name": options.columns.name,
                "id": options.columns.id,
                "country": options.columns.country,
                "identifiers": dict(options.columns.identifiers),
            },
        ),
        output=str(options.output),
        output_format=fmt_out,
        lists=screener.lists,
        rule_packs=screener.packs_used,
        corpus_sha256=screener.corpus_sha256,
        allowlist={"file": allowlist.file, "sha256": allowlist.sha256} if allowlist else None,
        threshold=screener.threshold,
        options={
            "workers": workers,
            "resume": options.resume,
            "changed_since": options.changed_since,
            "changed_to": options.changed_to,
            "previous": str(options.previous) if options.previous else None,
        },
        resumed_at_row=skip if options.resume else None,
    )
    if earlier is not None:
        _same_settings(earlier, manifest, options.output)
    write_manifest(options.output, manifest)
    stop = _Stop()
    previous = {s: signal.signal(s, stop.handle) for s in (signal.SIGINT, signal.SIGTERM)}
    rows_out = 0
    try:
        with (
            open_input(options.input) as source,
            open_output(options.output, append=options.resume) as sink,
        ):
            if options.resume:
                sink.truncate(offset)  # drop a half-written last line
            if offset == 0:
                sink.write(header_line(fmt_out))
            rows = read_rows(source, fmt_in, options.columns)
            pending = islice(rows, skip, None)
            bar = _progress(options, size, skip)
            counts = RescreenCounts() if scope else None
            stream = (
                rescreen(pending, options.previous, scope, screener, allowlist, counts, stop)
                if scope and counts and options.previous
                else screen_stream(pending, screener, allowlist, workers=workers, stop=stop)
            )
            for row in stream:
                sink.write(format_line(row, fmt_out))
                decisions[row.decision] += 1
                rows_out += 1
                bar.update(1)
            bar.close()
            sink.flush()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    total = skip + rows_out
    write_manifest(
        options.output,
        manifest.model_copy(
            update={
                "status": "interrupted" if stop.requested else "complete",
                "finished_at": dt.datetime.now(dt.UTC),
                "rows_in": total,
                "rows_out": total,
                "decisions": dict(decisions),
                "changed_decisions": len(counts.changed_rows) if counts else None,
            }
        ),
    )
    return BatchSummary(
        total, total, decisions, stop.requested, skip if options.resume else None, counts
    )


def _change_scope(options: BatchOptions, screener: Screener) -> ChangeScope | None:
    if options.changed_since is None:
        return None
    if options.previous is None:
        raise ConfigError("--changed-since needs --previous: the output of the earlier run")
    if options.resume:
        raise ConfigError("--changed-since cannot be combined with --resume")
    if options.previous.resolve() == options.output.resolve():
        raise ConfigError("--previous and the output must be different files")
    if not options.previous.is_file():
        raise ConfigError("no such file", file=str(options.previous))
    _check_previous(options.previous)
    from riskscreen.lists.diff import diff_lists, load_side

    old_spec = options.changed_since
    new_spec = options.changed_to or _current_of(old_spec)
    return change_scope(diff_lists(load_side(old_spec), load_side(new_spec)), screener)


def _check_previous(path: Path) -> None:
    """The earlier output must be JSON Lines rows: only they carry full results."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
        if first.strip():
            BatchRow.model_validate_json(first)
    except (OSError, UnicodeDecodeError, ValueError):
        raise ConfigError(
            "--previous must be the JSON Lines output (.jsonl) of an earlier run",
            file=str(path),
            line=1,
        ) from None


def _current_of(spec: str) -> str:
    if spec.startswith("snapshot:"):
        return spec.partition("@")[0]
    raise ConfigError("with a list file for --changed-since, give the newer one with --changed-to")


def _version() -> str:
    from riskscreen import __version__

    return __version__


def _check_input(options: BatchOptions) -> str | None:
    if options.input is None:
        if options.resume:
            raise ConfigError("cannot resume a run that read standard input: give the file")
        return None
    if not options.input.is_file():
        raise ConfigError("cannot read the input: no such file", file=str(options.input))
    try:
        return file_sha256(options.input)
    except OSError as exc:
        raise ConfigError(f"cannot read the input: {exc}", file=str(options.input)) from None


def _resume_point(
    options: BatchOptions, fmt: OutputFormat, input_hash: str | None
) -> tuple[int, int, Counter[str], Manifest | None]:
    if not options.resume or not options.output.is_file():
        return 0, 0, Counter(), None  # nothing written yet: resuming is starting
    manifest = read_manifest(options.output)
    if manifest is None:
        raise ConfigError("cannot resume: no manifest beside the output", file=str(options.output))
    if manifest.input.sha256 != input_hash:
        raise ConfigError(
            "cannot resume: the input changed since the interrupted run "
            "(its SHA-256 differs from the manifest's)",
            file=str(options.output),
        )
    if manifest.output_format != fmt:
        raise ConfigError(
            f"cannot resume: the output is {manifest.output_format}, not {fmt}",
            file=str(options.output),
        )
    return (*complete_rows(options.output, fmt), manifest)


def _same_settings(earlier: Manifest, now: Manifest, output: Path) -> None:
    """A resumed run must screen the rest exactly as the first part was screened."""
    differs = [
        what
        for what, before, after in (
            (
                "lists",
                [(u.id, u.content_hash) for u in earlier.lists],
                [(u.id, u.content_hash) for u in now.lists],
            ),
            ("rule packs", earlier.rule_packs, now.rule_packs),
            ("articles", earlier.corpus_sha256, now.corpus_sha256),
            ("allowlist", earlier.allowlist, now.allowlist),
            ("threshold", earlier.threshold, now.threshold),
            ("columns", earlier.input.columns, now.input.columns),
        )
        if before != after
    ]
    if differs:
        raise ConfigError(
            f"cannot resume: the {', '.join(differs)} differ from the interrupted run's "
            "(see its manifest); screen afresh without --resume",
            file=str(output),
        )


class _Bar(Protocol):
    def update(self, n: float | None = 1) -> bool | None: ...
    def close(self) -> None: ...


class _NoBar:
    def update(self, n: float | None = 1) -> bool | None:
        return None

    def close(self) -> None:
        return None


def _progress(options: BatchOptions, size: int | None, skip: int) -> _Bar:
    """A progress bar on stderr with rate and ETA; silent when stderr is not a terminal."""
    if not options.progress or not sys.stderr.isatty():
        return _NoBar()
    from tqdm import tqdm

    total = _count_records(options.input) if options.input else None
    bar: _Bar = tqdm(
        total=total, initial=skip, unit="row", file=sys.stderr, dynamic_ncols=True, smoothing=0.1
    )
    return bar


def _count_records(path: Path) -> int | None:
    """Lines minus the header: the row count for the bar's ETA (close enough for CSV)."""
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    header = 0 if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else 1
    return max(lines - header, 0)
