"""CLI: a thin layer over the library. Results to stdout, messages to stderr.

Exit codes: 0 clear, 1 something matched or flagged, 2 usage or input error (one line on
stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from riskscreen.lists.parsed import RowProblem
    from riskscreen.models import ScreeningResult
    from riskscreen.rules.loader import LoadedPack
    from riskscreen.screen import Screener


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, exit 2: argparse's default prints the whole usage block.
        self.exit(2, f"riskscreen: error: {message} (see --help)\n")


def _list_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="PATH",
        default=[],
        help="a list to screen against as well: CSL CSV/JSON, an OFAC CSV set, or curated "
        "YAML (repeatable)",
    )
    parser.add_argument(
        "--no-bundled-lists",
        action="store_true",
        help="leave the curated lists shipped with riskscreen out",
    )
    parser.add_argument(
        "--no-snapshots",
        action="store_true",
        help="leave the lists downloaded with 'riskscreen lists update' out",
    )
    parser.add_argument(
        "--strict-lists",
        action="store_true",
        help="fail on the first list row that cannot be read",
    )


def _data_options(parser: argparse.ArgumentParser, *, lists: bool = True) -> None:
    if lists:
        _list_options(parser)
    parser.add_argument(
        "--rules",
        action="append",
        metavar="PATH",
        default=[],
        help="rule pack file or directory, in addition to the bundled packs (repeatable)",
    )
    parser.add_argument(
        "--no-bundled-rules", action="store_true", help="do not load the bundled rule packs"
    )
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="PATH",
        default=[],
        help="article directory, article file or .jsonl, in addition to "
        "the bundled articles (repeatable)",
    )
    parser.add_argument(
        "--no-bundled-corpus", action="store_true", help="do not load the bundled articles"
    )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="riskscreen",
        description="Screen counterparties against "
        "sanction and export-control lists, with evidence.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="screen one counterparty name")
    check.add_argument("name", help="the counterparty's name, in any script")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--id", help="the counterparty's id, for allowlist decisions by id")
    check.add_argument("--country", help="the counterparty's country (ISO alpha-2)")
    check.add_argument(
        "--allowlist",
        type=Path,
        metavar="FILE",
        help="YAML file of decisions on earlier alerts (see docs/allowlist.md)",
    )
    check.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="minimum score for a match, in [0, 1] (default 0.74)",
    )
    _data_options(check)

    batch = commands.add_parser("batch", help="screen a CSV or JSON Lines file of counterparties")
    batch.add_argument("input", help="CSV or JSON Lines file, or - for standard input")
    batch.add_argument(
        "-o", "--output", required=True, type=Path, help="output file: .jsonl (default) or .csv"
    )
    batch.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        default=None,
        help="default: from the file name (.jsonl/.ndjson), else csv",
    )
    batch.add_argument("--output-format", choices=("jsonl", "csv"), default=None)
    batch.add_argument("--name-column", default="name", metavar="COLUMN")
    batch.add_argument("--id-column", default="id", metavar="COLUMN")
    batch.add_argument("--country-column", default="country", metavar="COLUMN")
    batch.add_argument(
        "--identifier-column",
        action="append",
        default=[],
        metavar="SCHEME=COLUMN",
        help="e.g. uscc=USCC (repeatable)",
    )
    batch.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes to screen with (default: every core for inputs of 1 MB and more)",
    )
    batch.add_argument(
        "--resume",
        action="store_true",
        help="go on from where an interrupted run into OUTPUT stopped",
    )
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument(
        "--allowlist",
        type=Path,
        metavar="FILE",
        help="YAML file of decisions on earlier alerts (see docs/allowlist.md)",
    )
    batch.add_argument("--threshold", type=float, default=None)
    batch.add_argument(
        "--changed-since",
        metavar="OLD",
        help="rescreen only rows whose result can change since these lists: "
        "snapshot:SOURCE@previous, or an older list file (with --changed-to)",
    )
    batch.add_argument(
        "--changed-to",
        metavar="NEW",
        help="the newer lists to compare with (default: the current snapshot)",
    )
    batch.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="the JSON Lines output of the earlier run over the same input",
    )
    _data_options(batch)

    lists = commands.add_parser("lists", help="show the lists screened against; update them")
    _list_options(lists)
    lists.add_argument("--format", choices=("text", "json"), default="text")
    lists.add_argument(
        "--max-age",
        type=float,
        default=7.0,
        metavar="DAYS",
        help="warn when a downloaded snapshot is older than this (default 7)",
    )
    list_actions = lists.add_subparsers(dest="action", parser_class=_Parser)
    update = list_actions.add_parser("update", help="download the configured official lists")
    update.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="source ids from sources.yaml (default: all)"
    )
    update.add_argument(
        "--sources",
        dest="sources_file",
        metavar="FILE",
        type=Path,
        help="sources file (default: $RISKSCREEN_SOURCES or ~/.config/riskscreen/sources.yaml)",
    )

    diff = list_actions.add_parser(
        "diff",
        help="show the entities added, removed and changed between two versions of a list",
        description="Compare two versions of a list. OLD and NEW are list files (anything "
        "--list reads) or snapshot:SOURCE / snapshot:SOURCE@previous from the snapshot cache. "
        "Exit 0 whether or not they differ; 2 on error.",
    )
    diff.add_argument("old", metavar="OLD", help="a list file, or snapshot:SOURCE[@previous]")
    diff.add_argument("new", metavar="NEW", help="a list file, or snapshot:SOURCE[@previous]")
    diff.add_argument("--format", dest="diff_format", choices=("text", "json"), default=None)

    rules = commands.add_parser("rules", help="rule packs: schema, validate, test")
    actions = rules.add_subparsers(dest="action", required=True, parser_class=_Parser)
    actions.add_parser("schema", help="print the rule-pack JSON Schema")
    validate = actions.add_parser("validate", help="check rule pack files")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    test = actions.add_parser("test", help="run the rules' embedded test cases")
    test.add_argument(
        "paths", nargs="*", metavar="PATH", help="packs to test (default: the bundled packs)"
    )
    _list_options(test)
    test.add_argument("--corpus", action="append", metavar="PATH", default=[])
    test.add_argument("--no-bundled-corpus", action="store_true")
    return parser


def _screener(
    args: argparse.Namespace, *, threshold: float | None = None, bundled_rules: bool | None = None
) -> Screener:
    from riskscreen.screen import DEFAULT_THRESHOLD, Screener

    screener = Screener.from_paths(
        args.lists,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        rules=getattr(args, "rules", ()),
        bundled_rules=not getattr(args, "no_bundled_rules", False)
        if bundled_rules is None
        else bundled_rules,
        corpus=args.corpus,
        bundled_corpus=not args.no_bundled_corpus,
        bundled_lists=not args.no_bundled_lists,
        snapshots=not args.no_snapshots,
        strict_lists=args.strict_lists,
    )
    _warn_problems(screener.data.problems)
    return screener


def _warn_problems(problems: Sequence[RowProblem], what: str = "screened against") -> None:
    if problems:
        first = problems[0]
        print(
            f"riskscreen: warning: {len(problems)} list rows could not be read and are not "
            f"{what} (first: {first.file}:{first.line}: {first.message}); "
            "--strict-lists makes this an error",
            file=sys.stderr,
        )


def _check(args: argparse.Namespace) -> int:
    from riskscreen.render import result_text

    result = _screener(args, threshold=args.threshold).screen(args.name)
    if args.allowlist:
        from riskscreen.allowlist import load_allowlist
        from riskscreen.models import Counterparty

        party = Counterparty(name=result.query, id=args.id, country=args.country)
        result = load_allowlist(args.allowlist).apply(result, party)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        print(result_text(result))
    return 0 if result.decision.value == "clear" else 1


def _batch(args: argparse.Namespace) -> int:
    from riskscreen.batch import BatchOptions, Columns, run_batch
    from riskscreen.errors import ConfigError

    identifiers = {}
    for item in args.identifier_column:
        scheme, sep, column = item.partition("=")
        if not sep or not scheme or not column:
            raise ConfigError(f"--identifier-column wants SCHEME=COLUMN, got {item!r}")
        identifiers[scheme] = column
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    allowlist = None
    if args.allowlist:
        from riskscreen.allowlist import load_allowlist

        allowlist = load_allowlist(args.allowlist)
    screener = _screener(args, threshold=args.threshold)
    options = BatchOptions(
        input=None if args.input == "-" else Path(args.input),
        output=args.output,
        input_format=args.input_format,
        output_format=args.output_format,
        columns=Columns(
            name=args.name_column,
            id=args.id_column or None,
            country=args.country_column or None,
            identifiers=identifiers,
        ),
        workers=args.workers,
        resume=args.resume,
        progress=not args.quiet,
        changed_since=args.changed_since,
        changed_to=args.changed_to,
        previous=args.previous,
    )
    summary = run_batch(options, screener, allowlist)
    counts = ", ".join(
        f"{summary.decisions.get(d, 0)} {d}" for d in ("clear", "review", "hit", "error")
    )
    resumed = f" (resumed after row {summary.resumed_at_row})" if summary.resumed_at_row else ""
    print(
        f"riskscreen: {summary.rows_in} rows in, {summary.rows_out} rows out{resumed}: {counts}",
        file=sys.stderr,
    )
    if summary.rescreen is not None:
        rows = summary.rescreen.changed_rows
        shown = ", ".join(map(str, rows[:20])) + (" …" if len(rows) > 20 else "")
        print(
            f"riskscreen: rescreened {summary.rescreen.rescreened} rows, kept "
            f"{summary.rescreen.kept} unchanged; {len(rows)} decisions changed"
            + (f" (rows {shown})" if rows else ""),
            file=sys.stderr,
        )
    if summary.interrupted:
        print(
            f"riskscreen: interrupted; {args.output} is complete up to row "
            f"{summary.rows_out}: run again with --resume to go on",
            file=sys.stderr,
        )
        return 130
    flagged = sum(summary.decisions.get(d, 0) for d in ("review", "hit", "error"))
    return 1 if flagged else 0


def _lists(args: argparse.Namespace) -> int:
    if args.action == "update":
        return _lists_update(args)
    if args.action == "diff":
        return _lists_diff(args)
    from riskscreen.lists.cache import select_lists
    from riskscreen.lists.snapshots import cache_dir, list_snapshots
    from riskscreen.render import lists_text, snapshots_text

    data, _ = select_lists(
        [Path(p) for p in args.lists],
        bundled=not args.no_bundled_lists,
        snapshots=not args.no_snapshots,
        strict=args.strict_lists,
    )
    _warn_problems(data.problems)
    used = data.lists_used()
    snaps = [] if args.no_snapshots else list_snapshots(cache_dir())
    if args.format == "json":
        print(
            json.dumps(
                {
                    "lists": [u.model_dump(mode="json") for u in used],
                    "snapshots": [m.model_dump(mode="json") for m in snaps],
                },
                indent=2,
            )
        )
        return 0
    authorities = {s.id: s.authority for s in data.sources}
    urls = {s.id: s.url for s in data.sources}
    print(lists_text(used, authorities, urls))
    if snaps:
        print()
        text, stale = snapshots_text(snaps, max_age_days=args.max_age)
        print(text)
        for meta in stale:
            print(
                f"riskscreen: warning: snapshot {meta.source_id} is older than "
                f"{args.max_age:g} days; run 'riskscreen lists update'",
                file=sys.stderr,
            )
    return 0


def _lists_diff(args: argparse.Namespace) -> int:
    from riskscreen.lists.diff import diff_json, diff_lists, diff_text, load_side

    old = load_side(args.old, strict=args.strict_lists)
    new = load_side(args.new, strict=args.strict_lists)
    _warn_problems([*old.problems, *new.problems], what="compared")
    diff = diff_lists(old, new)
    if (args.diff_format or args.format) == "json":
        print(json.dumps(diff_json(diff), indent=2, ensure_ascii=False))
    else:
        print(diff_text(diff))
    return 0


def _lists_update(args: argparse.Namespace) -> int:
    from riskscreen.errors import FetchError
    from riskscreen.lists.assemble import count_entities
    from riskscreen.lists.fetch import update_sources
    from riskscreen.lists.snapshots import cache_dir
    from riskscreen.lists.sources_config import load_source_configs

    configs = load_source_configs(args.sources_file)
    known = {c.id for c in configs}
    unknown = [s for s in args.sources if s not in known]
    if unknown:
        print(
            f"riskscreen: error: unknown source(s) {', '.join(unknown)}; configured: "
            f"{', '.join(sorted(known))}",
            file=sys.stderr,
        )
        return 2
    chosen = [c for c in configs if not args.sources or c.id in args.sources]
    failed = 0
    for outcome in update_sources(
        chosen, cache=cache_dir(), validator=lambda c: count_entities(c.format)
    ):
        if isinstance(outcome, FetchError):
            failed += 1
            print(f"riskscreen: error: {outcome}", file=sys.stderr)
            continue
        meta = outcome.meta
        print(
            f"{outcome.source_id}: {outcome.status} · {meta.entity_count} entities · "
            f"sha256 {meta.sha256[:12]} · fetched {meta.fetched_at:%Y-%m-%d %H:%M} UTC"
        )
    return 2 if failed else 0


def _rules(args: argparse.Namespace) -> int:
    from riskscreen.rules.loader import load_bundled_packs, load_packs
    from riskscreen.rules.schema import RulePack

    if args.action == "schema":
        print(json.dumps(RulePack.model_json_schema(by_alias=True), indent=2))
        return 0
    if args.action == "validate":
        for loaded in load_packs(Path(p) for p in args.paths):
            print(
                f"ok  {loaded.file}: pack {loaded.pack.id} {loaded.pack.version}, "
                f"{len(loaded.pack.rules)} rules"
            )
        return 0
    return _rules_test(
        args, load_packs(Path(p) for p in args.paths) if args.paths else load_bundled_packs()
    )


def _rules_test(args: argparse.Namespace, packs: Sequence[LoadedPack]) -> int:
    from riskscreen.rules.testing import run_rule_tests

    base = _screener(args, bundled_rules=False)

    def screen(pack: LoadedPack, name: str) -> ScreeningResult:
        return base.with_packs((pack,)).screen(name)

    loaded = list(packs)
    results = run_rule_tests(loaded, screen)
    failures = [r for r in results if not r.passed]
    for result in failures:
        print(f"riskscreen: error: {result.error()}", file=sys.stderr)
    print(f"{len(results) - len(failures)} passed, {len(failures)} failed ({len(loaded)} packs)")
    return 2 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    import logging

    logging.basicConfig(format="riskscreen: warning: %(message)s", level=logging.WARNING)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    from riskscreen.errors import RiskscreenError

    try:
        if args.command == "check":
            return _check(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "batch":
            return _batch(args)
        return _lists(args)
    except RiskscreenError as exc:
        print(f"riskscreen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
