"""Format detection: a list file or directory → the adapter that reads it → ``ParsedList``.

Decides from the content (and, for headerless OFAC files, the official file name); anything it
does not recognise is a ``ListDataError``, never a guess.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import ParsedList
from riskscreen.lists.sources.csl import read_csl_csv, read_csl_json
from riskscreen.lists.sources.ofac import (
    CONSOLIDATED_FILES,
    PRIMARY_COLUMNS,
    SDN_FILES,
    read_ofac_consolidated,
    read_ofac_sdn,
)

_OFAC_SIBLINGS = {*SDN_FILES[1:], *CONSOLIDATED_FILES[1:]}
_FIRST_LINE_BYTES = 65536


def read_list_file(path: str | Path, *, strict: bool = False) -> ParsedList:
    """Read a CSL CSV/JSON file, or an OFAC legacy CSV set (its directory or primary file).

    Raises ``ListDataError("unrecognized list format …")`` for anything else.
    """
    file = Path(path)
    if file.is_dir():
        if (file / SDN_FILES[0]).is_file():
            return read_ofac_sdn(file, strict=strict)
        if (file / CONSOLIDATED_FILES[0]).is_file():
            return read_ofac_consolidated(file, strict=strict)
        raise _unrecognized(file, f"a directory without {SDN_FILES[0]} or {CONSOLIDATED_FILES[0]}")
    if not file.is_file():
        raise ListDataError("no such file or directory", file=str(file))
    suffix = file.suffix.lower()
    if suffix == ".json":
        return read_csl_json(file, strict=strict)
    if suffix != ".csv":
        raise _unrecognized(file, f"neither .csv nor .json (got {suffix or 'no suffix'!r})")
    cells = _first_record(file)
    names = {cell.strip().lower() for cell in cells}
    if names & {"source", "source_sublist"} and names & {"name", "primary_name"}:
        return read_csl_csv(file, strict=strict)
    if _ofac_shaped(cells) or file.name.lower() in _OFAC_SIBLINGS:
        return _read_ofac_file(file, strict)
    raise _unrecognized(file, "a CSV header with neither CSL columns nor the OFAC row shape")


def _first_record(file: Path) -> list[str]:
    """The first CSV record, read from the start of the file only."""
    try:
        with file.open("rb") as handle:
            head = handle.read(_FIRST_LINE_BYTES)
    except OSError as exc:
        raise ListDataError(f"cannot read: {exc.strerror or exc}", file=str(file)) from None
    text = head.decode("utf-8-sig", errors="replace")
    first_line = re.split(r"\r?\n", text, maxsplit=1)[0]
    return next(csv.reader([first_line]), [])


def _ofac_shaped(cells: list[str]) -> bool:
    """A headerless OFAC primary row: 12 fields, the first a numeric ent_num."""
    return len(cells) == PRIMARY_COLUMNS and cells[0].strip().isdigit()


def _read_ofac_file(file: Path, strict: bool) -> ParsedList:
    # SDN and non-SDN primary files have the same shape; only the official name tells them
    # apart (the program column would be a guess), so other names are refused.
    name = file.name.lower()
    if name in _OFAC_SIBLINGS:
        raise _unrecognized(file, "an OFAC sibling file: read its directory or primary file")
    if name == SDN_FILES[0]:
        return read_ofac_sdn(file, strict=strict)
    if name == CONSOLIDATED_FILES[0]:
        return read_ofac_consolidated(file, strict=strict)
    raise _unrecognized(
        file,
        f"headerless OFAC-shaped rows, but neither {SDN_FILES[0]} nor {CONSOLIDATED_FILES[0]}:"
        " call read_ofac_sdn or read_ofac_consolidated",
    )


def _unrecognized(file: Path, why: str) -> ListDataError:
    return ListDataError(f"unrecognized list format: {why}", file=str(file))
