"""Merge: entities from several lists → one entity per party, with all its listings.

Two entries are the same party when they share a strong identifier (USCC, ISIN, LEI, IMO,
OFAC entry number …) or — for organisations and government bodies — when their primary names
agree word for word (case, punctuation and a trailing legal form aside) and their countries do
not conflict. Two entries of one list from one input are never joined by name: the list keeps
them apart for a reason (Huawei Tech Investment in Hong Kong and in Indonesia); the same list
from two inputs (bundled and a CSL download) is. People are joined by identifier only. Every
fold is recorded in ``merged_from``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from riskscreen import scripts, vocab
from riskscreen.models import Alias, Entity, EntityKind, Listing, ListSource, MergeRecord

STRONG_IDENTIFIERS = frozenset({"uscc", "isin", "lei", "imo", "ofac-ent-num", "duns", "swift"})
_NAME_JOINABLE = frozenset({EntityKind.ORGANIZATION, EntityKind.GOVERNMENT_BODY})


_WORDS = re.compile(r"[0-9a-z]+")


def name_key(name: str) -> str:
    """A name word for word: casefolded, punctuation and trailing legal forms dropped — no
    abbreviation folding, so "China Telecom" and "China Telecommunications" stay apart."""
    text = scripts.to_simplified(name)
    if scripts.has_han(text):
        return "".join(c for c in text if scripts.is_han(c) or c.isdigit())
    words = _WORDS.findall(scripts.to_latin(text).casefold())
    while words and words[-1] in vocab.LEGAL_FORMS:
        words.pop()
    return " ".join(words)


class _Groups:
    """Union-find over entity positions, remembering each group's lists."""

    def __init__(self, entities: Sequence[Entity], origin: Callable[[Entity], int]) -> None:
        self.parent = list(range(len(entities)))
        self.reason: dict[int, str] = {}
        self.lists = [{(origin(e), x.list_id) for x in e.listings} for e in entities]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, keep: int, other: int, reason: str) -> None:
        a, b = self.find(keep), self.find(other)
        if a == b:
            return
        first, second = min(a, b), max(a, b)  # the earlier-loaded entry leads the group
        self.parent[second] = first
        self.lists[first] |= self.lists[second]
        self.reason.setdefault(other, reason)

    def share_a_list(self, a: int, b: int) -> bool:
        return bool(self.lists[self.find(a)] & self.lists[self.find(b)])


def merge_entities(
    entities: Sequence[Entity], origin: Callable[[Entity], int] = lambda _: 0
) -> tuple[Entity, ...]:
    """Fold entries that name the same party; order follows each group's first entry.
    ``origin`` tells which input an entry came from (one input by default)."""
    groups = _Groups(entities, origin)
    by_identifier: dict[tuple[str, str], int] = {}
    by_name: dict[str, int] = {}
    for i, entity in enumerate(entities):
        for ident in entity.identifiers:
            key = (ident.scheme.lower(), ident.value.strip().upper())
            if key[0] not in STRONG_IDENTIFIERS or not key[1]:
                continue
            if key in by_identifier:
                groups.join(by_identifier[key], i, f"identifier {key[0]} {key[1]}")
            else:
                by_identifier[key] = i
        if entity.kind in _NAME_JOINABLE:
            name = name_key(entity.name)
            other = by_name.get(name)
            if other is None:
                by_name[name] = i
            elif _countries_agree(entities[other], entity) and not groups.share_a_list(other, i):
                groups.join(other, i, f"same name '{name}'")
    members: dict[int, list[int]] = {}
    for i in range(len(entities)):
        members.setdefault(groups.find(i), []).append(i)
    return tuple(
        _fold([entities[i] for i in group], [groups.reason.get(i, "") for i in group])
        for _, group in sorted(members.items())
    )


def _countries_agree(a: Entity, b: Entity) -> bool:
    return not a.countries or not b.countries or bool(set(a.countries) & set(b.countries))


def _fold(group: list[Entity], reasons: list[str]) -> Entity:
    lead = group[0]
    if len(group) == 1:
        return lead
    names = dict.fromkeys(n for e in group for n in e.all_names())
    known = {a.name: a for e in group for a in e.aliases}
    aliases = tuple(known.get(n) or Alias(name=n) for n in names if n != lead.name)
    listings: list[Listing] = []
    for entity in group:
        listings.extend(x for x in entity.listings if not any(_same(x, y) for y in listings))
    records = tuple(
        MergeRecord(
            entity_id=e.id,
            name=e.name,
            list_ids=tuple(dict.fromkeys(x.list_id for x in e.listings)),
            reason=reason,
        )
        for e, reason in zip(group[1:], reasons[1:], strict=True)
    )
    return lead.model_copy(
        update={
            "aliases": aliases,
            "countries": tuple(dict.fromkeys(c for e in group for c in e.countries)),
            "addresses": tuple(dict.fromkeys(a for e in group for a in e.addresses)),
            "identifiers": tuple(dict.fromkeys(x for e in group for x in e.identifiers)),
            "listings": tuple(listings),
            "merged_from": lead.merged_from + records,
        }
    )


def _same(a: Listing, b: Listing) -> bool:
    """One listing told twice (bundled and downloaded): same list, and dates and programs
    that agree where both are known. The first told (the curated one) is kept."""

    def agree(x: object, y: object) -> bool:
        return x is None or y is None or x == y

    return (
        a.list_id == b.list_id
        and agree(a.listed_on, b.listed_on)
        and agree(a.delisted_on, b.delisted_on)
        and agree(a.program, b.program)
    )


def merge_sources(sources: Sequence[ListSource]) -> tuple[ListSource, ...]:
    """One source per list id; the first loaded wins (curated before parsed)."""
    first: dict[str, ListSource] = {}
    for source in sources:
        first.setdefault(source.id, source)
    return tuple(first.values())
