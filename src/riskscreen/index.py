"""Index: list entities → name forms, and a blocking index from character n-grams to forms.

Candidate retrieval looks up the query's n-grams instead of scanning every list name. The
cut-off depends on the query alone, so adding an entry never removes another's candidacy.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from riskscreen.evidence.patterns import EntityPatterns, resolve_patterns
from riskscreen.models import Entity
from riskscreen.normalize import NameForm, name_forms

MIN_SHARED_FRACTION = 0.34
"""A candidate must share at least this fraction of the query key's n-grams."""


class IndexedName(NamedTuple):
    entity: int  # position of the entity in ``NameIndex.entities``
    name: str  # the list name as written
    form: NameForm


def _space(form: NameForm) -> str:
    # Latin and pinyin forms live in one space so a romanized query meets a Chinese name.
    return "han" if form.script == "han" else "latin"


def identifier_key(scheme: str, value: str) -> tuple[str, str]:
    """Identifiers compare without case and surrounding space (" cn0001 " is "CN0001")."""
    return scheme.strip().lower(), value.strip().upper()


def grams(form: NameForm) -> set[str]:
    """Padded character n-grams of the form's key: bigrams for Han, trigrams otherwise."""
    size = 2 if form.script == "han" else 3
    padded = f"^{form.key}$"
    if len(padded) <= size:
        return {padded}
    return {padded[i : i + size] for i in range(len(padded) - size + 1)}


class NameIndex:
    """Every name form of every entity, with exact and n-gram lookups."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities: tuple[Entity, ...] = tuple(entities)
        self.names: list[IndexedName] = []
        self.han_entities: set[int] = set()
        # pinyin key → the Han keys the lists spell it with ("huawei" → {"华为"}).
        self.han_spellings: dict[str, set[str]] = {}
        self._exact: dict[tuple[str, str], list[int]] = {}
        self._by_entity: list[list[int]] = [[] for _ in self.entities]
        self._grams: dict[tuple[str, str], list[int]] = {}
        for position, entity in enumerate(self.entities):
            for name in entity.all_names():
                forms = name_forms(name)
                for form in forms:
                    self._add(IndexedName(position, name, form))
                by_script = {form.script: form for form in forms}
                if "han" in by_script:
                    reading = by_script["pinyin"].key
                    self.han_spellings.setdefault(reading, set()).add(by_script["han"].key)
        # Registry and market identifiers (USCC, ISIN …) → entities, for exact lookups.
        self.by_identifier: dict[tuple[str, str], list[int]] = {}
        for position, entity in enumerate(self.entities):
            for ident in entity.identifiers:
                key = identifier_key(ident.scheme, ident.value)
                self.by_identifier.setdefault(key, []).append(position)
        # How each entity is named in running text; kept here so the index cache carries it.
        self.mention_patterns: list[EntityPatterns] = resolve_patterns(self.entities, self.forms_of)

    def _add(self, item: IndexedName) -> None:
        pos = len(self.names)
        self.names.append(item)
        self._by_entity[item.entity].append(pos)
        space = _space(item.form)
        if item.form.script == "han":
            self.han_entities.add(item.entity)
        self._exact.setdefault((space, item.form.text), []).append(pos)
        for gram in grams(item.form):
            self._grams.setdefault((space, gram), []).append(pos)

    def forms_of(self, entity: int) -> list[NameForm]:
        """Every name form of the entity at ``entity`` (computed once, at build time)."""
        return [self.names[pos].form for pos in self._by_entity[entity]]

    def is_homophone(self, forms: Iterable[NameForm]) -> bool:
        """True when a Han query reads like a Chinese list name but is written differently.

        华伟 reads "huawei" and the lists spell "huawei" 华为: the query is a homophone, and
        comparing its pinyin with Latin list names would match Huawei on sound alone.
        """
        by_script = {form.script: form for form in forms}
        if "han" not in by_script:
            return False
        spellings = self.han_spellings.get(by_script["pinyin"].key, set())
        return bool(spellings) and by_script["han"].key not in spellings

    def candidates(self, forms: Iterable[NameForm]) -> set[int]:
        """Positions in ``names`` worth scoring against any of the query forms."""
        found: set[int] = set()
        for form in forms:
            space = _space(form)
            found.update(self._exact.get((space, form.text), ()))
            query_grams = grams(form)
            need = max(1, math.ceil(MIN_SHARED_FRACTION * len(query_grams)))
            counts: Counter[int] = Counter()
            for gram in query_grams:
                counts.update(self._grams.get((space, gram), ()))
            found.update(pos for pos, shared in counts.items() if shared >= need)
        return found
