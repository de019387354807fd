"""Source adapters: official list files (CSL, OFAC legacy CSV, a user's CSV) → ``ParsedList``.

This module holds what the adapters share: reading and decoding files, CSV records with their
line numbers, dates, ids, and the identifier vocabulary. ``detect.read_list_file`` picks one.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import CSL_SUBLISTS, ProblemLog
from riskscreen.models import Identifier

# list id → (title, authority), from the CSL table, so OFAC sets name their lists the same way.
LIST_TITLES: dict[str, tuple[str, str]] = {
    list_id: (title, authority) for list_id, title, authority in CSL_SUBLISTS.values()
}

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_DMY = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SLUG = re.compile(r"[^a-z0-9_.-]+")
_DASHES = re.compile(r"-{2,}")
ISO2 = re.compile(r"[A-Z]{2}")  # an ISO 3166-1 alpha-2 code, as the CSL writes countries
# U+0080-U+009F → the cp1252 character of that byte; the five bytes cp1252 leaves undefined
# stay as they are.
CP1252_C1 = str.maketrans(
    {
        chr(b): bytes([b]).decode("cp1252")
        for b in range(0x80, 0xA0)
        if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    }
)
_C1 = re.compile("[\x80-\x9f]")
# Bytes that did not decode, kept as lone surrogates by the surrogateescape handler.
_BAD_CHARS = re.compile("[\udc80-\udcff]")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an adapter builds its entities.

    A list of 25k rows allocates ~10^5 small objects that all stay alive, so the collector's
    repeated full passes find nothing to free and cost a third of the parse time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListDataError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, encoding: str = "utf-8-sig") -> tuple[str, bool]:
    """Text of ``data``; bytes that do not decode survive as lone surrogates (flag is True).

    A single bad byte then costs one row (reported with its line), not the whole file.
    """
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError:
        return data.decode(encoding, errors="surrogateescape"), True


def read_json(file: Path) -> tuple[bytes, str, object]:
    """The bytes, text and parsed document of a UTF-8 JSON file; errors name the line."""
    data = read_bytes(file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ListDataError(f"not UTF-8: {exc.reason}", file=str(file), line=line) from None
    try:
        return data, text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListDataError(f"invalid JSON: {exc.msg}", file=str(file), line=exc.lineno) from None


def row_problem(fields: list[str], width: int, undecoded: bool) -> str | None:
    """What is wrong with a CSV row's shape or bytes, or None."""
    if len(fields) != width:
        return f"row has {len(fields)} fields, expected {width}"
    return _bad_bytes(fields) if undecoded else None


def _bad_bytes(fields: list[str]) -> str | None:
    for value in fields:
        found = _BAD_CHARS.search(value)
        if found:
            byte = ord(found.group()) - 0xDC00
            return f"byte 0x{byte:02X} is not valid in the file's encoding"
    return None


def csv_records(
    text: str, log: ProblemLog, *, delimiter: str = ","
) -> Iterator[tuple[int, list[str] | None]]:
    """Each non-blank CSV record with the 1-based line it starts on.

    The strict dialect makes broken quoting an error instead of silently gluing rows together:
    the record is logged as a problem and yielded as None, and reading goes on at the next line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            log.add(start, f"unreadable CSV record ({exc}){span(start, reader.line_num)}")
            yield start, None
            continue
        if fields:
            yield start, fields


def span(start: int, end: int) -> str:
    return f" (the record runs over lines {start}-{end})" if end > start else ""


def clean(text: str) -> str:
    """Whitespace runs (TABs, doubled spaces, line breaks) → one space; ends stripped.

    C1 controls become the cp1252 characters they were before someone decoded cp1252 as
    Latin-1 upstream: the CSL's "Gui\\x92an New District" is "Gui’an New District".
    """
    if not text:
        return text
    if _C1.search(text):
        text = text.translate(CP1252_C1)
    return " ".join(text.split())


def slug(text: str) -> str:
    return _DASHES.sub("-", _SLUG.sub("-", text.lower())).strip("-.")


def content_id(*parts: str) -> str:
    """A short stable hash of row content, for rows that carry no id of their own."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def parse_date(text: str) -> dt.date | None:
    """ISO (``2019-10-09``), US (``9/27/2013``) or OFAC (``03 Jun 2021``) dates; None if blank.

    Raises ValueError for anything else, so the caller can say which value it was.
    """
    text = text.strip()
    if not text:
        return None
    us = _MDY.fullmatch(text)
    if us:
        return dt.date(int(us[3]), int(us[1]), int(us[2]))
    ofac = _DMY.fullmatch(text)
    if ofac:
        if ofac[2].lower() not in _MONTHS:
            raise ValueError(f"unknown month in {text!r}")
        return dt.date(int(ofac[3]), _MONTHS[ofac[2].lower()], int(ofac[1]))
    return dt.date.fromisoformat(text[:10])


# Identifier labels as OFAC writes them (remarks, and the CSL `ids` types taken from OFAC) →
# riskscreen schemes. Schemes that merge.py treats as strong keep its spelling (uscc, isin,
# lei, imo, duns, swift). Lookup is by casefolded label.
ID_SCHEMES: dict[str, str] = {
    "unified social credit code (uscc)": "uscc",
    "united social credit code certificate (usccc)": "uscc",
    "isin": "isin",
    "legal entity number": "lei",
    "vessel registration identification": "imo",
    "identification number imo": "imo-company",
    "company number imo": "imo-company",
    "d-u-n-s number": "duns",
    "swift/bic": "swift",
    "mmsi": "mmsi",
    "equity ticker": "equity-ticker",
    "tax id no.": "tax-id",
    "registration number": "registration-number",
    "registration id": "registration-number",
    "business registration number": "business-registration-number",
    "public registration number": "public-registration-number",
    "government gazette number": "government-gazette-number",
    "company number": "company-number",
    "uk company number": "company-number",
    "commercial registry number": "commercial-registry-number",
    "c.r. no.": "commercial-registry-number",
    "chamber of commerce number": "chamber-of-commerce-number",
    "economic register number (cbls)": "economic-register-number",
    "trade license no.": "trade-license",
    "certificate of incorporation number": "certificate-of-incorporation",
    "v.a.t. number": "vat",
    "bik (ru)": "bik",
    "passport": "passport",
    "diplomatic passport": "passport",
    "national id no.": "national-id",
    "identification number": "identification-number",
    "cedula no.": "cedula",
    "nit #": "nit",
    "ruc #": "ruc",
    "rif #": "rif",
    "c.u.r.p.": "curp",
    "r.f.c.": "rfc",
    "ssn": "ssn",
    "aircraft manufacturer's serial number (msn)": "aircraft-msn",
    "aircraft tail number": "aircraft-tail-number",
}
# CSL `ids` entries that describe sanctions terms or contact details, not identifiers: notes.
_NOT_IDS = re.compile(
    r"gender|sanctions|directive|prohibited|e-?mail|website|phone|fax|date|target type|"
    r"organization type|vessel flag|vessel type|year of build|aircraft model|aircraft operator|"
    r"nationality|citizen|caatsa|issuer name|ifca",
    re.IGNORECASE,
)


def identifier(label: str, number: str, *, keep_unknown: bool = False) -> Identifier | None:
    """An identifier from an id label and its number; None when the label names no identifier.

    With ``keep_unknown``, a label outside the vocabulary that does not look like a sanctions
    term or contact detail becomes the scheme, verbatim.
    """
    scheme = _scheme(label)
    if scheme is None:
        if not keep_unknown or not label or not number or _NOT_IDS.search(label):
            return None
        scheme = label
    value = clean(number).rstrip(".")
    if scheme.startswith("imo") and value.upper().startswith("IMO "):
        value = value[4:].strip()  # "IMO 8898831" → "8898831"
    return Identifier(scheme=scheme, value=value) if value else None


def _scheme(label: str) -> str | None:
    label = clean(label).rstrip(":- ").casefold()
    if label in ID_SCHEMES:
        return ID_SCHEMES[label]
    if label.startswith("digital currency address"):
        return "digital-currency-" + slug(label.rpartition("-")[2])
    return None


def split_id(entry: str, *, type_first: bool) -> tuple[str, str]:
    """One CSL ``ids`` entry → (type, number).

    The current format writes "Passport, 836238033, KP", the old one "US, 80-0890696, Tax ID
    No."; the two-letter issuing country is dropped.
    """
    parts = [part.strip() for part in entry.split(", ")]
    if len(parts) < 2:
        return "", clean(entry)
    label, rest = (parts[0], parts[1:]) if type_first else (parts[-1], parts[:-1])
    country = -1 if type_first else 0
    if len(rest) > 1 and ISO2.fullmatch(rest[country]):
        rest.pop(country)
    return label, ", ".join(rest)


def json_item_lines(text: str, key: str) -> list[int]:
    """The 1-based line where each item starts of the array at top-level ``key`` (or the top)."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if text[pos] == "{":  # walk the top-level keys up to ``key``
        pos += 1
        while True:
            name, pos = decoder.raw_decode(text, _skip(text, pos))
            pos = _skip(text, _skip(text, pos) + 1)  # past ":"
            if name == key:
                break
            _, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, pos) + 1  # past ","
    pos += 1  # past "["
    lines: list[int] = []
    line, counted = 1, 0
    while text[pos := _skip(text, pos)] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos += text[pos] == ","
    return lines


def _skip(text: str, pos: int) -> int:
    """The position of the next character that is not JSON whitespace."""
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos
