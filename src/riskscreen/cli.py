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
    from riskscreen.models import ScreeningResult
    from riskscreen.rules.loader import LoadedPack
    from riskscreen.screen import Screener


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, exit 2: argparse's default prints the whole usage block.
        self.exit(2, f"riskscreen: error: {message} (see --help)\n")


def _data_options(parser: argparse.ArgumentParser, *, lists: bool = True) -> None:
    if lists:
        parser.add_argument(
            "--list",
            dest="lists",
            action="append",
            metavar="PATH",
            help="list file or directory in the bundled YAML format, "
            "instead of the bundled lists (repeatable)",
        )
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
    check.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="minimum score for a match, in [0, 1] (default 0.74)",
    )
    _data_options(check)

    lists = commands.add_parser("lists", help="show the lists screened against")
    lists.add_argument("--list", dest="lists", action="append", metavar="PATH")
    lists.add_argument("--format", choices=("text", "json"), default="text")

    rules = commands.add_parser("rules", help="rule packs: schema, validate, test")
    actions = rules.add_subparsers(dest="action", required=True, parser_class=_Parser)
    actions.add_parser("schema", help="print the rule-pack JSON Schema")
    validate = actions.add_parser("validate", help="check rule pack files")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    test = actions.add_parser("test", help="run the rules' embedded test cases")
    test.add_argument(
        "paths", nargs="*", metavar="PATH", help="packs to test (default: the bundled packs)"
    )
    test.add_argument("--list", dest="lists", action="append", metavar="PATH")
    test.add_argument("--corpus", action="append", metavar="PATH", default=[])
    test.add_argument("--no-bundled-corpus", action="store_true")
    return parser


def _screener(
    args: argparse.Namespace, *, threshold: float | None = None, bundled_rules: bool | None = None
) -> Screener:
    from riskscreen.screen import DEFAULT_THRESHOLD, Screener

    return Screener.from_paths(
        args.lists or (),
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        rules=getattr(args, "rules", ()),
        bundled_rules=not getattr(args, "no_bundled_rules", False)
        if bundled_rules is None
        else bundled_rules,
        corpus=args.corpus,
        bundled_corpus=not args.no_bundled_corpus,
    )


def _check(args: argparse.Namespace) -> int:
    from riskscreen.render import result_text

    result = _screener(args, threshold=args.threshold).screen(args.name)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        print(result_text(result))
    return 1 if result.matched or result.flagged else 0


def _lists(args: argparse.Namespace) -> int:
    from riskscreen.lists import load_bundled, load_lists
    from riskscreen.render import lists_text

    data = load_lists(Path(p) for p in args.lists) if args.lists else load_bundled()
    used = data.lists_used()
    if args.format == "json":
        print(json.dumps([u.model_dump(mode="json") for u in used], indent=2))
        return 0
    authorities = {s.id: s.authority for s in data.sources}
    urls = {s.id: s.url for s in data.sources}
    print(lists_text(used, authorities, urls))
    return 0


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
        return _lists(args)
    except RiskscreenError as exc:
        print(f"riskscreen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
