"""CLI: a thin layer over the library. Results to stdout, messages to stderr.

Exit codes: 0 clear, 1 something matched, 2 usage or input error (one line, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from riskscreen.screen import Screener


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, exit 2: argparse's default prints the whole usage block.
        self.exit(2, f"riskscreen: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="riskscreen",
        description="Screen counterparties against sanction and export-control lists.",
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
    check.add_argument(
        "--list",
        dest="lists",
        action="append",
        metavar="PATH",
        help="list file or directory in the bundled YAML format, instead of "
        "the bundled lists (repeatable)",
    )

    lists = commands.add_parser("lists", help="show the lists screened against")
    lists.add_argument("--list", dest="lists", action="append", metavar="PATH")
    lists.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _screener(paths: list[str] | None, threshold: float | None) -> Screener:
    from riskscreen.screen import DEFAULT_THRESHOLD, Screener

    cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
    if paths:
        return Screener.from_paths(paths, threshold=cutoff)
    return Screener.bundled(threshold=cutoff)


def _check(args: argparse.Namespace) -> int:
    from riskscreen.render import result_text

    screener = _screener(args.lists, args.threshold)
    result = screener.screen(args.name)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        print(result_text(result))
    return 1 if result.matched else 0


def _lists(args: argparse.Namespace) -> int:
    import json

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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    from riskscreen.errors import RiskscreenError

    try:
        if args.command == "check":
            return _check(args)
        return _lists(args)
    except RiskscreenError as exc:
        print(f"riskscreen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
