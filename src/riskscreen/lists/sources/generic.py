"""Generic adapter: a user's own watchlist CSV + a column mapping → ``ParsedList``.

The mapping (``ColumnMapping``, built in code or read from a small YAML file) names the columns
holding the name, aliases, kind, countries and identifiers, and the list the rows belong to.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from riskscreen.errors import ListDataError
from riskscreen.lists.parsed import ParsedList, ProblemLog
from riskscreen.lists.sources import (
    ISO2,
    clean,
    content_id,
    csv_records,
    decode,
    gc_paused,
    read_bytes,
    row_problem,
    sha256,
    slug,
)
from riskscreen.models import Alias, Entity, EntityKind, Identifier, Listing, ListSource
from riskscreen.normalize import name_forms

# Values of the kind column, compared case-insensitively (besides the EntityKind values).
KIND_WORDS: dict[str, EntityKind] = {
    **{kind.value: kind for kind in EntityKind},
    "organisation": EntityKind.ORGANIZATION,
    "company": EntityKind.ORGANIZATION,
    "entity": EntityKind.ORGANIZATION,
    "individual": EntityKind.PERSON,
    "government body": EntityKind.GOVERNMENT_BODY,
    "government": EntityKind.GOVERNMENT_BODY,
    "ship": EntityKind.VESSEL,
    "aircraft": EntityKind.VESSEL,  # as in the CSL and OFAC adapters: a craft, not a person
}


class ColumnMapping(BaseModel):
    """Which column of a user's CSV holds what. Only ``name`` is required.

    Column names must match the header exactly. An empty kind cell means ``default_kind``;
    countries are ISO 3166-1 alpha-2 codes; ``identifiers`` maps a scheme (``uscc``, ``isin``,
    ``lei`` …) to the column holding it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    aliases: str | None = None
    alias_separator: str = Field(";", min_length=1)
    kind: str | None = None
    default_kind: EntityKind = EntityKind.ORGANIZATION
    country: str | None = None
    country_separator: str = Field(";", min_length=1)
    id: str | None = None  # a stable id per row; without it the id hashes the row's content
    identifiers: dict[str, str] = Field(default_factory=dict)  # scheme → column
    notes: str | None = None
    list_id: str = Field("user-watchlist", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    list_title: str = "User watchlist"
    list_authority: str = "user-supplied"
    encoding: str = "utf-8-sig"
    delimiter: str = Field(",", min_length=1, max_length=1)

    def columns(self) -> dict[str, str]:
        """Mapping field → column, for every column the mapping names."""
        named = {
            "name": self.name,
            "aliases": self.aliases,
            "kind": self.kind,
            "country": self.country,
            "id": self.id,
            "notes": self.notes,
        }
        named.update({f"identifiers.{s}": c for s, c in self.identifiers.items()})
        return {field: column for field, column in named.items() if column}


def mapping_from_yaml(path: str | Path) -> ColumnMapping:
    """Read a ``ColumnMapping`` from a YAML mapping of its fields (``name: Company`` …)."""
    file = Path(path)
    try:
        document = yaml.safe_load(read_bytes(file).decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ListDataError(f"cannot read mapping: {exc}", file=str(file), line=line) from None
    if not isinstance(document, dict):
        raise ListDataError("expected a mapping of column-mapping fields", file=str(file))
    try:
        return ColumnMapping.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or None
        raise ListDataError(error["msg"], file=str(file), field=where) from None


def read_generic_csv(
    path: str | Path, mapping: ColumnMapping, *, strict: bool = False
) -> ParsedList:
    """Read a watchlist CSV with a header line; one row → one entity on ``mapping.list_id``."""
    file = Path(path)
    data = read_bytes(file)
    try:
        text, undecoded = decode(data, mapping.encoding)
    except LookupError:
        raise ListDataError(f"unknown encoding {mapping.encoding!r}", file=str(file)) from None
    log = ProblemLog(str(file), strict=strict)
    records = csv_records(text, log, delimiter=mapping.delimiter)
    first = next(records, None)
    if first is None or first[1] is None:
        raise ListDataError("no header line", file=str(file))
    header = [clean(column) for column in first[1]]
    for field, column in mapping.columns().items():
        if column not in header:
            raise ListDataError(
                f"no column {column!r}; the header has {', '.join(map(repr, header))}",
                file=str(file),
                line=first[0],
                field=field,
            )
    reader = _Reader(file, mapping, {column: i for i, column in enumerate(header)})
    rows = 0
    with gc_paused():
        for line, fields in records:
            rows += 1
            if fields is None:
                continue  # broken quoting, already logged
            problem = row_problem(fields, len(header), undecoded) or reader.add(fields, line)
            if problem:
                log.add(line, problem)
    source = ListSource(
        id=mapping.list_id,
        title=mapping.list_title,
        authority=mapping.list_authority,
        content_hash=sha256(data),
        notes=f"read from {file.name} with a column mapping",
    )
    return ParsedList((source,), tuple(reader.entities), tuple(log.problems), rows)


class _Reader:
    def __init__(self, file: Path, mapping: ColumnMapping, index: dict[str, int]) -> None:
        self.file = file
        self.mapping = mapping
        self.index = index
        self.seen: dict[str, int] = {}  # entity id → line
        self.entities: list[Entity] = []

    def cell(self, fields: list[str], column: str | None) -> str:
        return clean(fields[self.index[column]]) if column else ""

    def add(self, fields: list[str], line: int) -> str | None:
        """Append the row's entity; return a problem message instead when there is none."""
        m = self.mapping
        raw_name = fields[self.index[m.name]]
        name = clean(raw_name)
        if not name:
            return f"empty name (column {m.name!r})"
        if not name_forms(name):
            return f"name {name!r} has nothing left to match on after normalization"
        kind_text = self.cell(fields, m.kind)
        kind = KIND_WORDS.get(kind_text.lower()) if kind_text else m.default_kind
        if kind is None:
            return f"kind {kind_text!r} is none of {', '.join(sorted(KIND_WORDS))}"
        countries = _split(self.cell(fields, m.country), m.country_separator)
        wrong = [c for c in countries if not ISO2.fullmatch(c.upper())]
        if wrong:
            return f"country {wrong[0]!r} is not an ISO 3166-1 alpha-2 code"
        key = slug(self.cell(fields, m.id)) or content_id(*fields)
        entity_id = f"{m.list_id}-{key}"
        if entity_id in self.seen:
            what = "id" if m.id and self.cell(fields, m.id) else "row content"
            return f"same {what} as line {self.seen[entity_id]}"
        self.seen[entity_id] = line
        aliases = dict.fromkeys(_split(self.cell(fields, m.aliases), m.alias_separator))
        aliases.pop(name, None)
        identifiers = (
            Identifier(scheme=scheme, value=value)
            for scheme, column in m.identifiers.items()
            if (value := self.cell(fields, column))
        )
        self.entities.append(
            Entity(
                id=entity_id,
                kind=kind,
                name=name,
                aliases=tuple(Alias(name=alias) for alias in aliases),
                countries=tuple(dict.fromkeys(c.upper() for c in countries)),
                identifiers=tuple(identifiers),
                listings=(
                    Listing(
                        list_id=m.list_id,
                        name_on_list=raw_name,
                        source=f"{self.file.name} line {line}",
                    ),
                ),
                notes=self.cell(fields, m.notes) or None,
            )
        )
        return None


def _split(text: str, separator: str) -> list[str]:
    return [item for part in text.split(separator) if (item := clean(part))]
