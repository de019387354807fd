"""Dev set: list entities → labelled screening cases (query, target entity, match or not).

Every label comes from how the case was made from the list data — an alias the list gives,
a seeded edit of a list name, a made-up word in place of the distinctive one — never from
running the matcher. Listed aliases are held out: the query alias is removed from its entity
before the lists are indexed, so the case tests whether the *other* names find it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from benchmarks import hanzi, negatives, synth
from benchmarks.cases import Case
from riskscreen.models import Entity, EntityKind

MAX_HOMOPHONES = 3
TRANSLITERATION_MAX_COUNT = 50  # a differing word in more names than this is a generic word


@dataclass
class DevSet:
    cases: list[Case] = field(default_factory=list)
    main: tuple[Entity, ...] = ()  # the lists with held-out aliases removed
    latin: tuple[Entity, ...] = ()  # the entities with Chinese names, those names removed


def build(entities: Sequence[Entity], per_category: int, priority: set[str]) -> DevSet:
    """Cases from a seeded sample of ``entities``; for held-out aliases and bureaus, entities
    whose ids are in ``priority`` (the curated lists, which carry the transliterated and
    Chinese aliases) come first."""
    shuffled = sorted(entities, key=lambda e: synth.rng_for(e.id).random())
    order = sorted(shuffled, key=lambda e: e.id not in priority)
    counts = synth.word_counts(n for e in entities for n in e.all_names())
    taken = set(counts)
    held, cases = _held_out(order, counts, per_category)
    main = tuple(_without(e, {held[e.id]}) if e.id in held else e for e in entities)
    latin = tuple(
        _without(e, {n for n in e.all_names() if hanzi.has_han(n)})
        for e in entities
        if any(hanzi.has_han(n) for n in e.all_names())
    )
    cases += _chinese(order, per_category)
    make: list[tuple[str, Callable[[Entity], Iterable[str]]]] = [
        ("legal-form", lambda e: _one(synth.legal_variant(e.name, synth.rng_for("lf", e.id)))),
        ("typo", lambda e: _one(synth.typo(e.name, synth.rng_for("typo", e.id)))),
        (
            "word-order",
            lambda e: _one(
                synth.reorder(e.name, e.kind is EntityKind.PERSON, negatives.GENERIC_WORDS)
            ),
        ),
    ]
    for category, variants in make:
        found = 0
        for entity in shuffled:
            if entity.kind is EntityKind.VESSEL or found >= per_category:
                continue
            if category != "typo" and entity.kind is EntityKind.GOVERNMENT_BODY:
                continue
            if category == "legal-form" and entity.kind is EntityKind.PERSON:
                continue
            for query in variants(entity):
                cases.append(Case(category, query, entity.id, entity.name))
                found += 1
    cases += negatives.generic_negatives(shuffled, taken, per_category)
    cases += negatives.list_negatives(shuffled, counts, per_category)
    cases += negatives.place_negatives(order, taken, per_category)
    return DevSet(cases, main, latin)


def _one(value: str | None) -> list[str]:
    return [value] if value else []


def _held_out(
    order: Sequence[Entity], counts: dict[str, int], per_category: int
) -> tuple[dict[str, str], list[Case]]:
    """One alias per entity, at most, for the alias and transliteration categories."""
    held: dict[str, str] = {}
    cases: list[Case] = []
    taken: dict[str, int] = defaultdict(int)
    for entity in order:
        names = [n for n in entity.all_names() if not hanzi.has_han(n)]
        for alias in names[1:]:
            others = [n for n in names if n != alias]
            keys = {synth.simple_key(n) for n in others}
            if synth.simple_key(alias) in keys or not synth.simple_key(alias):
                continue  # the same spelling stays on the list: nothing to find
            category = (
                "transliteration"
                if any(_one_word_apart(alias, n, counts) for n in others)
                else "alias"
            )
            if taken[category] >= per_category:
                continue
            held[entity.id] = alias
            taken[category] += 1
            cases.append(Case(category, alias, entity.id, entity.name))
            break
    return held, cases


def _one_word_apart(a: str, b: str, counts: dict[str, int]) -> bool:
    wa, wb = synth.words(a), synth.words(b)
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    return (
        x.isalpha()
        and y.isalpha()
        and min(len(x), len(y)) >= 3
        and not (_abbreviates(x, y) or _abbreviates(y, x))
        and max(counts.get(x, 0), counts.get(y, 0)) <= TRANSLITERATION_MAX_COUNT
    )


def _abbreviates(short: str, long: str) -> bool:
    """An abbreviation ("intl" of "international", "mfg" of "manufacturing"): the same first
    letter, the other letters in order."""
    if not short or short[0] != long[0]:
        return False
    rest = iter(long[1:])
    return all(c in rest for c in short[1:])


def _without(entity: Entity, names: set[str]) -> Entity:
    aliases = tuple(a for a in entity.aliases if a.name not in names)
    listings = tuple(
        x.model_copy(update={"name_on_list": None}) if x.name_on_list in names else x
        for x in entity.listings
    )
    return entity.model_copy(update={"aliases": aliases, "listings": listings})


def _chinese(order: Sequence[Entity], per_category: int) -> list[Case]:
    cases: list[Case] = []
    count: dict[str, int] = defaultdict(int)

    def add(case: Case) -> None:
        if count[case.category] < per_category:
            count[case.category] += 1
            cases.append(case)

    for entity in order:
        han = [n for n in entity.all_names() if hanzi.has_han(n)]
        same = {hanzi.simplified(n) for n in han}
        for name in han:
            add(Case("chinese", name, entity.id, name, view="latin"))
            for variant in hanzi.variants(name):
                if variant not in han:
                    add(Case("chinese-variant", variant, entity.id, name))
            rng = synth.rng_for("homophone", name)
            for fake in hanzi.homophones(name, rng, MAX_HOMOPHONES):
                if hanzi.simplified(fake) not in same:
                    add(Case("homophone", fake, entity.id, name))
    return cases
