"""Screen: a counterparty name → a ``ScreeningResult``.

Orchestration only, in the order of the data flow: check the input, normalize it, look up
candidates in the index, score them, keep the best name per entity above the threshold; then
find the subjects' mentions in the corpus, evaluate the rule packs, and decide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from riskscreen.decision import STRONG_MATCH, decide
from riskscreen.errors import (
    ConfigError,
    CorpusError,
    InputError,
    RiskscreenError,
    RulePackError,
)
from riskscreen.evidence.corpus import load_bundled_corpus, load_corpus
from riskscreen.evidence.mentions import CorpusIndex, drop_nested
from riskscreen.index import NameIndex, identifier_key
from riskscreen.lists import ListData
from riskscreen.models import (
    Article,
    Feature,
    Match,
    MatchExplanation,
    MentionRecord,
    NameScore,
    PackUsed,
    ScreeningResult,
)
from riskscreen.normalize import NameForm, name_forms
from riskscreen.rules.evaluate import Evaluator, Subject
from riskscreen.rules.loader import LoadedPack, load_bundled_packs, load_packs
from riskscreen.scoring import Scored, best_pair
from riskscreen.validate import check_name

DEFAULT_THRESHOLD = 0.74
"""Chosen by ``python -m benchmarks.threshold`` on labelled pairs; see docs/threshold.md."""

MAX_SUBJECTS = 5
"""Rules judge at most this many matched entities (see ``Screener._subjects``)."""


def _check_threshold(threshold: float) -> float:
    if not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"threshold must lie in [0, 1], got {threshold}")
    return float(threshold)


def query_forms(name: object) -> tuple[str, tuple[NameForm, ...]]:
    """Check a counterparty name and return it with its normalized forms."""
    checked = check_name(name)
    forms = name_forms(checked)
    if not forms:
        raise InputError(f"name {checked!r} has nothing to match on: only legal-form words")
    return checked, forms


class Screener:
    """Lists, rule packs and evidence corpus loaded and indexed once, reused for many checks.

    >>> screener = Screener.bundled()
    >>> result = screener.screen("iFlytek")
    >>> result.matches[0].entity.name
    'IFLYTEK'
    """

    def __init__(
        self,
        data: ListData,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        packs: Sequence[LoadedPack] = (),
        corpus: Sequence[Article] = (),
        index: NameIndex | None = None,
    ) -> None:
        self.data = data
        self.threshold = _check_threshold(threshold)
        self.index = index or NameIndex(data.entities)
        self.lists = data.lists_used()
        self.packs = tuple(packs)
        self.corpus = tuple(corpus)
        self.packs_used = _packs_used(self.packs)
        ordered = sorted(self.corpus, key=lambda a: a.id)
        digest = hashlib.sha256("".join(f"{a.id}:{a.sha256};" for a in ordered).encode())
        self.corpus_sha256 = digest.hexdigest() if self.corpus else None

    @classmethod
    def bundled(
        cls,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        rules: Iterable[str | Path] = (),
        bundled_rules: bool = True,
        corpus: Iterable[str | Path] = (),
        bundled_corpus: bool = True,
    ) -> Screener:
        """The curated lists, rule packs and articles shipped with riskscreen (no downloaded
        snapshots), plus your own rule packs and articles."""
        return cls.from_paths(
            (),
            threshold=threshold,
            rules=rules,
            bundled_rules=bundled_rules,
            corpus=corpus,
            bundled_corpus=bundled_corpus,
            snapshots=False,
        )

    @classmethod
    def from_paths(
        cls,
        lists: Iterable[str | Path] = (),
        *,
        threshold: float = DEFAULT_THRESHOLD,
        rules: Iterable[str | Path] = (),
        bundled_rules: bool = True,
        corpus: Iterable[str | Path] = (),
        bundled_corpus: bool = True,
        bundled_lists: bool = True,
        snapshots: bool = True,
        strict_lists: bool = False,
        cache: Path | None = None,
    ) -> Screener:
        """The bundled lists, the downloaded snapshots (``riskscreen lists update``) and list
        files in any supported format, merged; rule packs and articles, the bundled ones
        unless switched off, plus any given. Large inputs are indexed once and cached."""
        # Imported here: screening the bundled lists alone never loads the adapters.
        from riskscreen.lists.cache import select_lists

        data, index = select_lists(
            [Path(p) for p in lists],
            bundled=bundled_lists,
            snapshots=snapshots,
            strict=strict_lists,
            cache=cache,
        )
        packs = (*(load_bundled_packs() if bundled_rules else ()), *load_packs(map(Path, rules)))
        articles = (
            *(load_bundled_corpus() if bundled_corpus else ()),
            *load_corpus(map(Path, corpus)),
        )
        _unique_ids([p.pack.id for p in packs], "rule pack", RulePackError)
        _unique_ids([a.id for a in articles], "article", CorpusError)
        return cls(data, threshold=threshold, packs=packs, corpus=articles, index=index)

    def with_packs(self, packs: Sequence[LoadedPack]) -> Screener:
        """The same lists and corpus (indexes shared, not rebuilt) with other rule packs."""
        other = Screener.__new__(Screener)
        other.__dict__.update(self.__dict__)
        other.__dict__.pop("evaluator", None)
        other.packs = tuple(packs)
        other.packs_used = _packs_used(other.packs)
        other.__dict__["corpus_index"] = self.corpus_index
        return other

    @cached_property
    def entity_positions(self) -> dict[str, int]:
        """Entity id → position in ``data.entities`` (the corpus index's numbering); built
        once — per screening it cost milliseconds on a CSL-size list."""
        return {e.id: i for i, e in enumerate(self.data.entities)}

    @cached_property
    def corpus_index(self) -> CorpusIndex:
        """The corpus indexed once, on first use, with every list entity's mentions."""
        return CorpusIndex(self.corpus, self.data.entities, self.index.mention_patterns)

    @cached_property
    def evaluator(self) -> Evaluator:
        titles = {used.id: used.title for used in self.lists}
        return Evaluator(self.packs, self.corpus_index, self.data.entities, titles)

    def screen(
        self,
        name: object,
        *,
        threshold: float | None = None,
        identifiers: Mapping[str, str] | None = None,
    ) -> ScreeningResult:
        """Screen one counterparty name (and, optionally, its identifiers: scheme → value,
        e.g. ``{"uscc": "91330000733796106P"}``); raises ``InputError`` for names that cannot
        be screened."""
        cutoff = self.threshold if threshold is None else _check_threshold(threshold)
        checked, forms = query_forms(name)
        matches = self._with_identifiers(self._matches(forms, cutoff), identifiers or {})
        subjects = self._subjects(checked, matches) if self.packs or self.corpus else []
        flags = [f for subject in subjects for f in self.evaluator.flags(subject)]
        return ScreeningResult(
            query=checked,
            normalized_forms=tuple(f"{f.script}:{f.text}" for f in forms),
            threshold=cutoff,
            decision=decide(matches, flags),
            matches=tuple(matches),
            flags=tuple(flags),
            mentions=tuple(m for subject in subjects for m in self._records(subject)),
            lists=self.lists,
            rule_packs=self.packs_used,
            corpus_sha256=self.corpus_sha256,
            riskscreen_version=_version(),
            screened_at=dt.datetime.now(dt.UTC),
        )

    def _matches(self, forms: tuple[NameForm, ...], cutoff: float) -> list[Match]:
        best: dict[int, tuple[Scored, NameForm, NameForm, str]] = {}
        pinyin_ok = not self.index.is_homophone(forms)
        for pos in self.index.candidates(forms):
            item = self.index.names[pos]
            pair = best_pair(
                forms,
                (item.form,),
                entity_has_han=item.entity in self.index.han_entities,
                pinyin_ok=pinyin_ok,
            )
            if pair is None or pair[0].score < cutoff:
                continue
            current = best.get(item.entity)
            # Ties go to the alphabetically first name, so list order never changes a result.
            if current is None or _rank(*pair, item.name) < _rank(*current):
                best[item.entity] = (*pair, item.name)
        matches = [
            Match(
                entity=self.index.entities[entity],
                score=scored.score,
                matched_name=list_name,
                explanation=_explain(scored, q, c, list_name),
            )
            for entity, (scored, q, c, list_name) in best.items()
        ]
        matches.sort(key=lambda m: (-m.score, m.entity.id))
        return matches

    def _with_identifiers(
        self, matches: list[Match], identifiers: Mapping[str, str]
    ) -> list[Match]:
        """An identifier the query shares with an entity makes it a match scoring 1.0."""
        found: dict[int, tuple[str, str]] = {}
        for scheme, value in identifiers.items():
            for position in self.index.by_identifier.get(identifier_key(scheme, value), ()):
                found.setdefault(position, (scheme, value))
        if not found:
            return matches
        by_id = {m.entity.id: m for m in matches}
        for position, (scheme, value) in sorted(found.items()):
            entity = self.index.entities[position]
            feature = Feature(
                name="identifier_match", value=1.0, contribution=1.0, detail=f"{scheme} {value}"
            )
            by_id[entity.id] = Match(
                entity=entity,
                score=1.0,
                matched_name=entity.name,
                explanation=MatchExplanation(
                    query_form=f"{scheme}:{value}",
                    list_name=entity.name,
                    list_form=f"{scheme}:{value}",
                    script="latin",
                    features=(feature,),
                    summary=f"identifier {scheme} {value} is the entity's → 1.00",
                ),
            )
        return sorted(by_id.values(), key=lambda m: (-m.score, m.entity.id))

    def _subjects(self, query: str, matches: list[Match]) -> list[Subject]:
        """Who the rules judge: the strong matches (score ≥ STRONG_MATCH), or else the best
        match (ties included), each with the entity's own mentions plus where the name as typed
        is mentioned; with no match, the name as typed alone."""
        corpus = self.corpus_index
        own = corpus.name_mentions(query)
        positions = self.entity_positions
        strong = [m for m in matches if m.score >= STRONG_MATCH]
        best = (strong or [m for m in matches if m.score == matches[0].score])[:MAX_SUBJECTS]
        subjects = [
            Subject(
                key=m.entity.id,
                display=m.entity.name,
                query=query,
                entity=m.entity,
                entity_position=positions[m.entity.id],
                # The name as typed refers to the best match, not to every strong one:
                # "Huawei" is Huawei Technologies, not Huawei Chile.
                mentions=tuple(
                    drop_nested(
                        [
                            *corpus.entity_mentions[positions[m.entity.id]],
                            *(own if m.score == matches[0].score else ()),
                        ]
                    )
                ),
            )
            for m in best
        ]
        return subjects or [Subject(query, query, query, None, None, tuple(own))]

    def _records(self, subject: Subject) -> list[MentionRecord]:
        corpus = self.corpus_index
        records = []
        for m in subject.mentions:
            article = corpus.articles[m.article]
            start, end = corpus.sentence_span(m.article, m.sentence)
            records.append(
                MentionRecord(
                    subject=subject.key,
                    article_id=article.id,
                    start=m.start,
                    end=m.end,
                    text=article.text[m.start : m.end],
                    sentence_start=start,
                    sentence_end=end,
                )
            )
        return records


def _unique_ids(ids: list[str], what: str, error: type[RiskscreenError]) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise error(
                f"{what} id '{ident}' is loaded twice (a bundled one and yours?); "
                "rename yours or switch the bundled ones off"
            )
        seen.add(ident)


def _packs_used(packs: tuple[LoadedPack, ...]) -> tuple[PackUsed, ...]:
    return tuple(PackUsed(id=p.pack.id, version=p.pack.version, sha256=p.sha256) for p in packs)


def _version() -> str:
    from riskscreen import __version__

    return __version__


def _rank(scored: Scored, query: NameForm, candidate: NameForm, name: str) -> tuple[object, ...]:
    return (-scored.score, name, candidate.text, query.text)


def _explain(
    scored: Scored, query: NameForm, candidate: NameForm, list_name: str
) -> MatchExplanation:
    script = candidate.script if candidate.script != "latin" else query.script
    parts = ", ".join(f"{f.name} {f.contribution:+.2f}" for f in scored.features)
    return MatchExplanation(
        query_form=query.text,
        list_name=list_name,
        list_form=candidate.text,
        script=script,
        features=scored.features,
        summary=f"'{query.text}' met '{candidate.text}' ({script}): {parts} → {scored.score:.2f}",
    )


def score_names(query: str, candidate: str) -> NameScore:
    """Score one name against another with the screener's logic and explanation.

    The candidate is treated as a list name with no other names beside it.
    """
    checked, forms = query_forms(query)
    cand_checked, cand_forms = query_forms(candidate)
    has_han = any(f.script == "han" for f in cand_forms)
    pair = best_pair(forms, cand_forms, entity_has_han=has_han)
    if pair is None:
        return NameScore(query=checked, candidate=cand_checked, score=0.0, explanation=None)
    scored, q, c = pair
    return NameScore(
        query=checked,
        candidate=cand_checked,
        score=scored.score,
        explanation=_explain(scored, q, c, cand_checked),
    )
