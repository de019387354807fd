"""Evaluate: a subject (a matched entity or an unlisted counterparty) × packs → cited flags.

Each condition returns whether it holds and the evidence that makes it hold; ``all``/``any``
merge evidence, ``not`` contributes none. A flag always carries at least one citation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from riskscreen.errors import RulePackError
from riskscreen.evidence.cite import article_evidence, listing_evidence
from riskscreen.evidence.mentions import CorpusIndex, Mention
from riskscreen.models import (
    ArticleEvidence,
    Entity,
    Evidence,
    Flag,
    Listing,
    ListingEvidence,
)
from riskscreen.rules.loader import PATTERN_TIMEOUT, LoadedPack, compile_pattern, compile_term
from riskscreen.rules.schema import (
    CoMentionCondition,
    Condition,
    EntityCondition,
    EvidenceCondition,
    ListingCondition,
    Rule,
)


@dataclass(frozen=True)
class Subject:
    """Who the rules are asked about: a matched list entity, or the counterparty as typed."""

    key: str  # entity id, or the query
    display: str
    query: str
    entity: Entity | None
    entity_position: int | None
    mentions: tuple[Mention, ...]


@dataclass
class Outcome:
    holds: bool
    evidence: list[Evidence] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)


class Evaluator:
    """Rule packs bound to the lists and the corpus index, ready to judge subjects."""

    def __init__(
        self,
        packs: Sequence[LoadedPack],
        corpus: CorpusIndex,
        entities: Sequence[Entity],
        list_titles: dict[str, str],
    ) -> None:
        self.packs = tuple(packs)
        self.corpus = corpus
        self.entities = tuple(entities)
        self.list_titles = list_titles

    def flags(self, subject: Subject) -> list[Flag]:
        found: list[Flag] = []
        for loaded in self.packs:
            for rule in loaded.pack.rules:
                claim = f"{loaded.pack.id}/{rule.id}:{subject.key}"
                try:
                    outcome = self._check(rule.when, subject, claim)
                except TimeoutError:
                    raise RulePackError(
                        f"a pattern ran over {PATTERN_TIMEOUT}s on one sentence",
                        file=loaded.file,
                        line=loaded.lines.get(rule.id),
                        rule=rule.id,
                    ) from None
                if not outcome.holds:
                    continue
                evidence = _ordered(subject, _unique(outcome.evidence))
                evidence = evidence or self._fallback(subject, claim)
                if not evidence:
                    continue  # nothing to cite: a flag without evidence is not raised
                found.append(
                    Flag(
                        rule_id=rule.id,
                        pack_id=loaded.pack.id,
                        pack_version=loaded.pack.version,
                        category=rule.category,
                        severity=rule.severity,
                        title=rule.title,
                        subject=subject.key,
                        message=_render(rule, subject, outcome, evidence),
                        citations=tuple(evidence),
                    )
                )
        return found

    def _fallback(self, subject: Subject, claim: str) -> list[Evidence]:
        """A rule on entity attributes alone cites the entity's active listings."""
        if subject.entity is None:
            return []
        return [
            listing_evidence(subject.entity, x, self._title(x), claim)
            for x in subject.entity.listings
            if x.active
        ]

    def _title(self, listing: Listing) -> str:
        return self.list_titles.get(listing.list_id, listing.list_id)

    def _check(self, condition: Condition, subject: Subject, claim: str) -> Outcome:
        if condition.listing is not None:
            return self._listing(condition.listing, subject, claim)
        if condition.entity is not None:
            return Outcome(_entity_holds(condition.entity, subject.entity))
        if condition.evidence is not None:
            return self._evidence(condition.evidence, subject, claim)
        if condition.co_mention is not None:
            return self._co_mention(condition.co_mention, subject, claim)
        if condition.not_ is not None:
            return Outcome(not self._check(condition.not_, subject, claim).holds)
        children = [self._check(c, subject, claim) for c in condition.all_ or condition.any_ or ()]
        holding = [c for c in children if c.holds]
        holds = len(holding) == len(children) if condition.all_ else bool(holding)
        merged = Outcome(holds)
        if holds:
            for child in holding:
                merged.evidence += child.evidence
                merged.terms += child.terms
                merged.partners += child.partners
        return merged

    def _listing(self, cond: ListingCondition, subject: Subject, claim: str) -> Outcome:
        if subject.entity is None:
            return Outcome(False)
        hits = [x for x in subject.entity.listings if _listing_holds(cond, x)]
        evidence: list[Evidence] = [
            listing_evidence(subject.entity, x, self._title(x), claim) for x in hits
        ]
        return Outcome(bool(hits), evidence)

    def _sentence(self, mention: Mention) -> tuple[str, int, int]:
        start, end = self.corpus.sentence_span(mention.article, mention.sentence)
        return self.corpus.articles[mention.article].text[start:end], start, end

    def _evidence(self, cond: EvidenceCondition, subject: Subject, claim: str) -> Outcome:
        outcome = Outcome(False)
        for mention in _per_sentence(subject.mentions):
            sentence, start, end = self._sentence(mention)
            found = _found(cond.terms, cond.patterns, sentence)
            wanted = len(cond.terms) + len(cond.patterns)
            if found and (cond.match == "any" or len(found) == wanted):
                article = self.corpus.articles[mention.article]
                outcome.holds = True
                outcome.evidence.append(article_evidence(article, start, end, claim))
                outcome.terms += [t for t in found if t not in outcome.terms]
        return outcome

    def _co_mention(self, cond: CoMentionCondition, subject: Subject, claim: str) -> Outcome:
        outcome = Outcome(False)
        for mention in _per_sentence(subject.mentions):
            others = [
                self.entities[p]
                for p in sorted(self.corpus.entities_in(mention.article, mention.sentence))
                if p != subject.entity_position
            ]
            others = [e for e in others if any(_on_lists(x, cond.lists) for x in e.listings)]
            if not others:
                continue
            sentence, start, end = self._sentence(mention)
            found = _found(cond.terms, cond.patterns, sentence)
            if (cond.terms or cond.patterns) and not found:
                continue
            article = self.corpus.articles[mention.article]
            outcome.holds = True
            outcome.evidence.append(article_evidence(article, start, end, claim))
            for other in others:
                if other.name not in outcome.partners:
                    outcome.partners.append(other.name)
                outcome.evidence += [
                    listing_evidence(other, x, self._title(x), claim)
                    for x in other.listings
                    if _on_lists(x, cond.lists)
                ]
            outcome.terms += [t for t in found if t not in outcome.terms]
        return outcome


def _per_sentence(mentions: Sequence[Mention]) -> list[Mention]:
    seen: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        seen.setdefault((m.article, m.sentence), m)
    return list(seen.values())


def _found(terms: Sequence[str], patterns: Sequence[str], sentence: str) -> list[str]:
    hits = [t for t in terms if compile_term(t).search(sentence, timeout=PATTERN_TIMEOUT)]
    for pattern in patterns:
        match = compile_pattern(pattern).search(sentence, timeout=PATTERN_TIMEOUT)
        if match:
            hits.append(match.group(0))
    return hits


def _on_lists(listing: Listing, lists: Sequence[str]) -> bool:
    return listing.active and (not lists or listing.list_id in lists)


def _listing_holds(cond: ListingCondition, listing: Listing) -> bool:
    if cond.lists and listing.list_id not in cond.lists:
        return False
    if cond.status == "active" and not listing.active:
        return False
    if cond.status == "delisted" and listing.active:
        return False
    if cond.programs and not any(
        compile_pattern(p).search(listing.program or "", timeout=PATTERN_TIMEOUT)
        for p in cond.programs
    ):
        return False
    if cond.cited:
        text = (
            " ".join(v for v in (listing.citation.document, listing.citation.page) if v)
            if listing.citation
            else ""
        )
        if not any(c in text for c in cond.cited):
            return False
    when = listing.listed_on
    if cond.listed_from and (when is None or when < cond.listed_from):
        return False
    return not (cond.listed_until and (when is None or when > cond.listed_until))


def _entity_holds(cond: EntityCondition, entity: Entity | None) -> bool:
    if entity is None:
        return False
    if cond.kinds and entity.kind not in cond.kinds:
        return False
    if cond.countries and not set(cond.countries) & set(entity.countries):
        return False
    schemes = {i.scheme for i in entity.identifiers}
    return not (cond.identifiers and not set(cond.identifiers) & schemes)


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for item in evidence:
        seen.setdefault(item.id, item)
    return list(seen.values())


def _ordered(subject: Subject, evidence: list[Evidence]) -> list[Evidence]:
    """The subject's own listings, then quotes, then the listings of entities it is named with."""

    def rank(item: Evidence) -> int:
        if isinstance(item, ArticleEvidence):
            return 1
        return 0 if subject.entity and item.entity_id == subject.entity.id else 2

    return sorted(evidence, key=rank)


def _render(rule: Rule, subject: Subject, outcome: Outcome, evidence: list[Evidence]) -> str:
    listings = [e for e in evidence if isinstance(e, ListingEvidence)]
    own = [e for e in listings if subject.entity and e.entity_id == subject.entity.id] or listings
    quotes = [e for e in evidence if isinstance(e, ArticleEvidence)]
    dates = sorted(e.listed_on for e in own if e.listed_on)
    notices = [e.citation.document or e.citation.page for e in own if e.citation]
    values = {
        "subject": subject.display,
        "query": subject.query,
        "lists": ", ".join(dict.fromkeys(e.list_title for e in own)) or "—",
        "listed_on": dates[0].isoformat() if dates else "date unknown",
        "citation": next((n for n in notices if n), "no citation on record"),
        "partners": ", ".join(outcome.partners) or "—",
        "terms": ", ".join(outcome.terms) or "—",
        "quote": quotes[0].quote if quotes else "—",
        "articles": str(len({q.article_id for q in quotes})),
    }
    return rule.message.format_map(values)
