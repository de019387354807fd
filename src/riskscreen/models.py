"""Data model: frozen pydantic models that cross stage boundaries.

List data (sources, entities, listings) in; match and screening results out.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityKind(StrEnum):
    """What kind of party a list entry names."""

    ORGANIZATION = "organization"
    GOVERNMENT_BODY = "government_body"
    PERSON = "person"
    VESSEL = "vessel"


class Confidence(StrEnum):
    """How a curated fact was established (see lists/README.md)."""

    VERIFIED = "verified"  # read in an official source or a real list data file
    SECONDARY = "secondary"  # law-firm alert, press, company filing mirror
    UNVERIFIED = "unverified"  # kept only because it is explicitly marked so


class ListSource(_Frozen):
    """One sanction or export-control list, as published by its authority."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    authority: str
    legal_basis: str | None = None
    url: str | None = None
    as_of: dt.date | None = None
    content_hash: str | None = None  # sha256 of the file the source was read from
    notes: str | None = None


class Citation(_Frozen):
    """The official notice behind a listing (e.g. a Federal Register document)."""

    document: str | None = None  # e.g. "FR Doc. 2019-22210"
    page: str | None = None  # e.g. "84 FR 22961"
    title: str | None = None
    published_on: dt.date | None = None
    url: str | None = None


class Listing(_Frozen):
    """One entity's entry on one list."""

    list_id: str
    name_on_list: str | None = None  # the entry's name exactly as the list gives it
    program: str | None = None
    reason: str | None = None
    listed_on: dt.date | None = None
    effective_on: dt.date | None = None
    delisted_on: dt.date | None = None
    citation: Citation | None = None
    url: str | None = None
    confidence: Confidence = Confidence.VERIFIED
    source: str | None = None  # where the curated fact was read
    notes: str | None = None

    @property
    def active(self) -> bool:
        return self.delisted_on is None


class Alias(_Frozen):
    """A further name of an entity, with its language or script where known."""

    name: str
    lang: str | None = None  # BCP 47 language tag, e.g. "zh-Hans"
    source: str | None = None
    confidence: Confidence = Confidence.VERIFIED


class Identifier(_Frozen):
    """A registry or market identifier (USCC, ISIN, OFAC entry number …)."""

    scheme: str
    value: str


class MergeRecord(_Frozen):
    """One list entry folded into a merged entity, and why (see ``lists/merge.py``)."""

    entity_id: str
    name: str
    list_ids: tuple[str, ...]
    reason: str  # e.g. "identifier uscc 91330000733796106P" or "same name 'hangzhou hikvision …'"


class Entity(_Frozen):
    """A listed party: one organisation on several lists is one entity with several listings."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    kind: EntityKind
    name: str
    aliases: tuple[Alias, ...] = ()
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    addresses: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    listings: tuple[Listing, ...] = Field(min_length=1)
    notes: str | None = None
    merged_from: tuple[MergeRecord, ...] = ()  # entries of other lists folded into this one

    def all_names(self) -> tuple[str, ...]:
        """Primary name, aliases and each listing's own spelling, deduplicated, in that order."""
        seen: dict[str, None] = {self.name: None}
        for alias in self.aliases:
            seen.setdefault(alias.name, None)
        for listing in self.listings:
            if listing.name_on_list:
                seen.setdefault(listing.name_on_list, None)
        return tuple(seen)


class Feature(_Frozen):
    """One named claim the scorer tested, and what it contributed to the score."""

    name: str
    value: float
    contribution: float
    detail: str


class MatchExplanation(_Frozen):
    """Why a list name met a query form, feature by feature."""

    query_form: str  # the normalized query form that met the list name
    list_name: str  # the list name as written on the list
    list_form: str  # its normalized form
    script: str  # "latin", "han" or "pinyin" (Han transliterated)
    features: tuple[Feature, ...]
    summary: str


class Judgement(StrEnum):
    FALSE_POSITIVE = "false_positive"
    CONFIRMED = "confirmed"


class Review(_Frozen):
    """An allowlist decision applied to a match or a flag (see ``allowlist.py``).

    ``status`` is ``suppressed`` for a standing false positive (reported, but it does not
    raise the decision or the exit code), ``confirmed`` for a standing confirmation, and
    ``reopened`` when the decision no longer stands (``reopened_because`` says why: it
    expired, or the entity's listings changed since the decision).
    """

    status: Literal["suppressed", "confirmed", "reopened"]
    judgement: Judgement
    reason: str
    decided_by: str
    decided_on: dt.date
    expires_on: dt.date | None = None
    reopened_because: str | None = None
    allowlist_file: str
    allowlist_line: int


class Match(_Frozen):
    """A list entity that the query resembles closely enough."""

    entity: Entity
    score: float = Field(ge=0.0, le=1.0)
    matched_name: str
    explanation: MatchExplanation
    review: Review | None = None


class NameScore(_Frozen):
    """One name scored against another (``riskscreen.score_names``)."""

    query: str
    candidate: str
    score: float = Field(ge=0.0, le=1.0)
    explanation: MatchExplanation | None  # None when no forms were comparable


class Article(_Frozen):
    """One source article of the evidence corpus; ``text`` is stored exactly as provided."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    publisher: str | None = None
    author: str | None = None
    published_on: dt.date | None = None
    event_date: dt.date | None = None
    language: str  # BCP 47, e.g. "en", "zh"
    url: str | None = None
    notes: str | None = None
    source_file: str | None = None
    text: str
    sha256: str  # of ``text`` encoded as UTF-8


class ArticleEvidence(_Frozen):
    """A sentence quoted from an article. Offsets count code points of the stored text."""

    kind: Literal["article"] = "article"
    id: str  # deterministic: hash of article sha256, span and claim
    claim: str  # rule id (and subject) the sentence supports
    article_id: str
    title: str
    publisher: str | None
    date: dt.date | None
    url: str | None
    quote: str
    start: int
    end: int
    text_sha256: str


class ListingEvidence(_Frozen):
    """The official notice behind a listing."""

    kind: Literal["listing"] = "listing"
    id: str  # deterministic: hash of list id, entity id and claim
    claim: str
    list_id: str
    list_title: str
    entity_id: str
    entry_name: str
    program: str | None
    listed_on: dt.date | None
    delisted_on: dt.date | None
    citation: Citation | None
    url: str | None
    confidence: Confidence


Evidence = Annotated[ArticleEvidence | ListingEvidence, Field(discriminator="kind")]


class MentionRecord(_Frozen):
    """Where a subject is named in the corpus. Offsets count code points of the stored text."""

    subject: str  # entity id, or the query for a counterparty on no list
    article_id: str
    start: int
    end: int
    text: str  # the name as written in the article
    sentence_start: int
    sentence_end: int


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Flag(_Frozen):
    """A rule that fired for a subject, with the evidence that made it fire."""

    rule_id: str
    pack_id: str
    pack_version: str
    category: str
    severity: Severity
    title: str
    subject: str  # entity id, or the query itself for a counterparty on no list
    message: str
    citations: tuple[Evidence, ...] = Field(min_length=1)
    review: Review | None = None


class Decision(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    HIT = "hit"


class PackUsed(_Frozen):
    id: str
    version: str
    sha256: str


class ListOrigin(_Frozen):
    """Where a list's entries came from: the bundled curated files, a downloaded snapshot, or
    a file given with ``--list``."""

    kind: Literal["bundled", "snapshot", "file"]
    name: str  # "lists/", the snapshot's source id, or the file path
    sha256: str  # of the file(s) read (bundled: of the entries loaded)
    as_of: dt.date | None = None
    fetched_at: dt.datetime | None = None  # snapshots only


class Counterparty(_Frozen):
    """One party to screen, as a batch row or an API caller gives it."""

    name: str
    id: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 where known
    identifiers: dict[str, str] = Field(default_factory=dict)  # scheme → value


class ListUsed(_Frozen):
    """A list the screening ran against, as recorded in the result."""

    id: str
    title: str
    as_of: dt.date | None
    content_hash: str | None
    entity_count: int
    origins: tuple[ListOrigin, ...] = ()


class ScreeningResult(_Frozen):
    """Everything one screening produced, reproducible from the lists it records."""

    query: str
    normalized_forms: tuple[str, ...]
    threshold: float
    decision: Decision
    matches: tuple[Match, ...]
    flags: tuple[Flag, ...] = ()
    mentions: tuple[MentionRecord, ...] = ()
    lists: tuple[ListUsed, ...]
    rule_packs: tuple[PackUsed, ...] = ()
    corpus_sha256: str | None = None  # of the article hashes, in id order
    allowlist_sha256: str | None = None  # set when an allowlist was applied
    riskscreen_version: str | None = None
    screened_at: dt.datetime | None = None

    @property
    def matched(self) -> bool:
        return bool(self.matches)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)
