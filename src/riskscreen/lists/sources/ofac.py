"""OFAC adapter: the legacy CSV sets (SDN, consolidated non-SDN) → ``ParsedList``.

Each primary row (``sdn.csv``/``cons_prim.csv``) → entity ``ofac-<ent_num>``; the sibling alt,
add and comments files join on ent_num. Headerless cp1252 text, ``-0-`` empty, 0x1A at the end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import ParsedList, ProblemLog
from riskscreen.lists.sources import (
    CP1252_C1,
    ID_SCHEMES,
    LIST_TITLES,
    clean,
    csv_records,
    gc_paused,
    identifier,
    parse_date,
    read_bytes,
    sha256,
)
from riskscreen.models import Alias, Entity, EntityKind, Identifier, Listing, ListSource
from riskscreen.normalize import name_forms

SDN_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
CONSOLIDATED_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")
PRIMARY_COLUMNS = 12  # ent_num, name, type, program, title, call_sign, vessel_type, tonnage,
# grt, vessel_flag, vessel_owner, remarks
REMARKS_LIMIT = 1000  # OFAC cuts remarks here and continues them in the comments file

# Program → consolidated (non-SDN) sub-list, read from the real cons_prim.csv and checked
# against the CSL's sub-list of each entry. A row's first matching program wins, so an SSI
# entity that is also under RUSSIA-EO14024 stays on the SSI list. "FSE-" matches by prefix.
CONSOLIDATED_PROGRAMS = (
    ("CMIC-EO13959", "us-ofac-cmic"),
    ("NS-PLC", "us-ofac-plc"),
    ("UKRAINE-EO13662", "us-ofac-ssi"),
    ("561-Related", "us-ofac-capta"),
    ("FSE-", "us-ofac-fse"),
    ("RUSSIA-EO14024", "us-ofac-nsmbs"),
    ("CAATSA - RUSSIA", "us-ofac-nsmbs"),
    ("BURMA-EO14014", "us-ofac-nsmbs"),
    ("ILLICIT-DRUGS-EO14059", "us-ofac-nsmbs"),
)
UNMAPPED_LIST = "us-ofac-nonsdn"  # consolidated rows whose programs name no known sub-list
_TITLES = {
    **LIST_TITLES,
    UNMAPPED_LIST: (
        "OFAC Consolidated Sanctions List (non-SDN), sub-list not determined",
        "US Department of the Treasury, Office of Foreign Assets Control",
    ),
}
_KINDS = {
    "": EntityKind.ORGANIZATION,  # OFAC leaves the type empty (-0-) for entities
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.VESSEL,  # a craft, not a legal person; the notes say "aircraft"
}
_NOTE_COLUMNS = (
    (4, "title"), (5, "call sign"), (6, "vessel type"), (7, "tonnage"), (8, "GRT"),
    (9, "vessel flag"), (10, "vessel owner"),
)  # fmt: skip
_LABELS = "|".join(re.escape(label) for label in sorted(ID_SCHEMES, key=len, reverse=True))
_REMARK_ID = re.compile(rf"(?:alt\. )?({_LABELS}|Digital Currency Address - \w+):? (.+)", re.I)
_VALUE_END = re.compile(r" \(| issued | expires ")
_REMARK_AKA = re.compile(r"\b[afn]\.k\.a\.,? '(.+?)'(?=\.?(?:;|$))")
_ISSUER = re.compile(r"(?:alt\. )?Issuer Name (.+)")  # CMIC: the name its securities carry
_CMIC_LISTED = re.compile(r"Listing Date \(CMIC\):? (\d{1,2} \w{3} \d{4})")
_CMIC_EFFECTIVE = re.compile(r"Effective Date \(CMIC\):? (\d{1,2} \w{3} \d{4})")


def read_ofac_sdn(
    path: str | Path,
    *,
    strict: bool = False,
    alt: str | Path | None = None,
    add: str | Path | None = None,
    comments: str | Path | None = None,
) -> ParsedList:
    """Read the SDN set: ``sdn.csv`` (or its directory) with ``alt``, ``add``, ``sdn_comments``.

    Siblings are looked for beside ``sdn.csv`` unless given; a missing one is named in the
    source notes. Rows of a sibling whose ent_num has no primary row are problems.
    """
    siblings = _siblings(Path(path), SDN_FILES, alt, add, comments)
    return _OfacSet(siblings, strict, _sdn_list).read()


def read_ofac_consolidated(
    path: str | Path,
    *,
    strict: bool = False,
    alt: str | Path | None = None,
    add: str | Path | None = None,
    comments: str | Path | None = None,
) -> ParsedList:
    """Read the non-SDN set: ``cons_prim.csv`` (or its directory) and its cons_* siblings.

    Each row's list follows its program (``CONSOLIDATED_PROGRAMS``); programs naming no known
    sub-list put it on ``us-ofac-nonsdn`` with a note, rather than losing it.
    """
    siblings = _siblings(Path(path), CONSOLIDATED_FILES, alt, add, comments)
    return _OfacSet(siblings, strict, consolidated_list).read()


def _siblings(path: Path, names: tuple[str, ...], *given: str | Path | None) -> list[Path]:
    """Primary, comments, alt, add: the primary first, the comments before the alt names."""
    folder = path if path.is_dir() else path.parent
    primary = path if not path.is_dir() else folder / names[0]
    pairs = zip(given, names[1:], strict=True)
    alt, add, comments = (Path(p) if p else folder / name for p, name in pairs)
    return [primary, comments, alt, add]


def _sdn_list(programs: list[str]) -> tuple[str, str | None]:
    return "us-ofac-sdn", None


def consolidated_list(programs: list[str]) -> tuple[str, str | None]:
    """The non-SDN sub-list for a row's programs, and a note when none is known."""
    for key, list_id in CONSOLIDATED_PROGRAMS:
        if any(p == key or (key.endswith("-") and p.startswith(key)) for p in programs):
            return list_id, None
    return UNMAPPED_LIST, f"program {'; '.join(programs) or '(none)'} names no known sub-list"


_Fields = list[str] | None  # a record's fields, None when it could not be read


@dataclass
class _Entry:
    line: int
    fields: list[str]
    aliases: list[Alias] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass
class _OfacSet:
    files: list[Path]  # primary, comments, alt, add
    strict: bool
    list_for: Callable[[list[str]], tuple[str, str | None]]
    read_files: list[Path] = field(default_factory=list)
    data: list[bytes] = field(default_factory=list)
    problems: list[ProblemLog] = field(default_factory=list)

    def read(self) -> ParsedList:
        primary, comments, alt, add = self.files
        if not primary.is_file():
            raise ListDataError("no such file", file=str(primary))
        with gc_paused():
            entries: dict[str, _Entry] = {}
            rows = self._primary(primary, entries)
            self._join(comments, 2, entries, _join_comments)
            self._join(alt, 5, entries, _join_alias)
            self._join(add, 6, entries, _join_address)
            built = [self._entity(entry, self.problems[0]) for entry in entries.values()]
        entities = [entity for entity in built if entity]
        # A sibling row that attaches to no entity is a row of its own that yielded a problem,
        # so rows == entities + problems holds for the whole set.
        rows += sum(len(log.problems) for log in self.problems[1:])
        problems = tuple(
            problem
            for log in self.problems
            for problem in sorted(log.problems, key=lambda p: p.line)
        )
        return ParsedList(self._sources(entities), tuple(entities), problems, rows)

    def _records(self, file: Path, width: int) -> Iterator[tuple[int, _Fields, ProblemLog]]:
        data = read_bytes(file)
        self.read_files.append(file)
        self.data.append(data)
        log = ProblemLog(str(file), strict=self.strict)
        self.problems.append(log)
        for line, fields in csv_records(_decode(data), log):
            if fields is not None and len(fields) != width:
                log.add(line, f"row has {len(fields)} fields, expected {width}")
                fields = None
            yield line, fields, log

    def _primary(self, file: Path, entries: dict[str, _Entry]) -> int:
        """Read primary rows into ``entries``; return how many records there were."""
        rows = 0
        for line, fields, log in self._records(file, PRIMARY_COLUMNS):
            rows += 1
            if fields is None:
                continue
            ent_num = fields[0].strip()
            if not ent_num.isdigit():
                log.add(line, f"ent_num {ent_num!r} is not a number")
            elif ent_num in entries:
                log.add(line, f"ent_num {ent_num} again (first at line {entries[ent_num].line})")
            else:
                entries[ent_num] = _Entry(line, fields)
        return rows

    def _join(
        self,
        file: Path,
        width: int,
        entries: dict[str, _Entry],
        attach: Callable[[_Entry, list[str], str], str | None],
    ) -> None:
        """Attach each sibling row to its primary entry; a row with none is a problem."""
        if not file.is_file():
            return
        primary = self.read_files[0].name
        for line, fields, log in self._records(file, width):
            if fields is None:
                continue
            entry = entries.get(fields[0].strip())
            if entry is None:  # e.g. alt.csv newer than sdn.csv: the entry is not in this set
                log.add(line, f"ent_num {fields[0].strip()} has no readable row in {primary}")
                continue
            problem = attach(entry, fields, file.name)
            if problem:
                log.add(line, problem)

    def _entity(self, entry: _Entry, log: ProblemLog) -> Entity | None:
        fields = [_value(f) for f in entry.fields]
        ent_num, name, kind_name = fields[0].strip(), clean(fields[1]), clean(fields[2]).lower()
        if not name or not name_forms(name):
            what = f"name {name!r} has nothing left to match on after normalization"
            log.add(entry.line, what if name else "empty name")
            return None
        programs = [p for p in (clean(x).strip("[]") for x in fields[3].split("] [")) if p]
        list_id, list_note = self.list_for(programs)
        remarks = clean(fields[11])
        identifiers, aliases = _remark_facts(remarks)
        notes = [f"{label}: {text}" for i, label in _NOTE_COLUMNS if (text := clean(fields[i]))]
        if kind_name not in ("", "individual", "vessel"):
            notes.insert(0, f"type: {kind_name}")
        # One spelling per name: remarks repeat alt.csv names in other case ("Issuer Name …").
        names: dict[str, Alias] = {}
        for alias in [*entry.aliases, *aliases]:
            names.setdefault(alias.name.casefold(), alias)
        names.pop(name.casefold(), None)
        return Entity(
            id=f"ofac-{ent_num}",
            kind=_KINDS.get(kind_name, EntityKind.ORGANIZATION),
            name=name,
            aliases=tuple(names.values()),
            addresses=tuple(dict.fromkeys(entry.addresses)),
            identifiers=(Identifier(scheme="ofac-ent-num", value=ent_num), *identifiers),
            listings=(
                Listing(
                    list_id=list_id,
                    name_on_list=name,
                    program="; ".join(programs) or None,
                    listed_on=_remark_date(_CMIC_LISTED, remarks),
                    effective_on=_remark_date(_CMIC_EFFECTIVE, remarks),
                    source=f"{self.read_files[0].name} line {entry.line}",
                    notes=list_note,
                ),
            ),
            notes="; ".join([*notes, f"remarks: {remarks}"] if remarks else notes) or None,
        )

    def _sources(self, entities: list[Entity]) -> tuple[ListSource, ...]:
        digest = sha256(b"".join(self.data))
        files = ", ".join(f.name for f in self.read_files)
        missing = [f.name for f in self.files if f not in self.read_files]
        absent = f"; not found: {', '.join(missing)}" if missing else ""
        list_ids = dict.fromkeys(x.list_id for e in entities for x in e.listings)
        return tuple(
            ListSource(
                id=list_id,
                title=_TITLES[list_id][0],
                authority=_TITLES[list_id][1],
                content_hash=digest,
                notes=f"OFAC legacy CSV, read from {files} (hash over all){absent}",
            )
            for list_id in list_ids
        )


def _decode(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else cp1252 (OFAC's legacy files); 0x1A end mark cut."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1").translate(CP1252_C1)  # Latin-1 keeps every byte
    return re.sub(r"\x1a\s*\Z", "", text)


def _value(raw: str) -> str:
    return "" if raw.strip() == "-0-" else raw


def _join_comments(entry: _Entry, fields: list[str], file: str) -> str | None:
    remarks = _value(entry.fields[11])
    if len(remarks) < REMARKS_LIMIT:  # nothing was cut off: the overflow belongs elsewhere
        return f"remarks overflow for ent_num {fields[0].strip()}, whose remarks are complete"
    entry.fields[11] = remarks + fields[1]  # raw join: the cut can fall inside a word
    return None


def _join_alias(entry: _Entry, fields: list[str], file: str) -> str | None:
    name = clean(_value(fields[3]))
    if not name:
        return f"empty alternate name for ent_num {fields[0].strip()}"
    alt_type = clean(_value(fields[2])).lower() or "aka"
    entry.aliases.append(Alias(name=name, source=f"{file} {alt_type}"))
    return None


def _join_address(entry: _Entry, fields: list[str], file: str) -> str | None:
    parts = [clean(_value(f)) for f in fields[2:5]]
    address = ", ".join(p for p in parts if p)
    remarks = clean(_value(fields[5]))
    if address:
        entry.addresses.append(f"{address} ({remarks})" if remarks else address)
    return None


def _remark_facts(remarks: str) -> tuple[list[Identifier], list[Alias]]:
    """Identifiers ("ISIN CNE100000PM8", "USCC … (China)") and names written in the remarks."""
    identifiers: dict[Identifier, None] = {}
    names = _REMARK_AKA.findall(remarks)
    for segment in remarks.split("; "):
        segment = segment.rstrip(".")
        found = _REMARK_ID.fullmatch(segment)
        ident = found and identifier(found.group(1), _VALUE_END.split(found.group(2))[0])
        if ident:
            identifiers.setdefault(ident)
        elif issuer := _ISSUER.fullmatch(segment):
            names.append(issuer.group(1))
    return list(identifiers), [Alias(name=n, source="remarks") for n in dict.fromkeys(names)]


def _remark_date(pattern: re.Pattern[str], remarks: str) -> dt.date | None:
    found = pattern.search(remarks)
    try:
        return parse_date(found.group(1)) if found else None
    except ValueError:  # an impossible date stays readable in the remarks note
        return None
