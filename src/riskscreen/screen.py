"""Screen: a counterparty name → a ``ScreeningResult``.

Orchestration only, in the order of the data flow: check the input, normalize it, look up
candidates in the index, score them, keep the best name per entity above the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from riskscreen.errors import ConfigError, InputError
from riskscreen.index import NameIndex
from riskscreen.lists import ListData, load_bundled, load_lists
from riskscreen.models import Match, MatchExplanation, NameScore, ScreeningResult
from riskscreen.normalize import NameForm, name_forms
from riskscreen.scoring import Scored, best_pair
from riskscreen.validate import check_name

DEFAULT_THRESHOLD = 0.74
"""Chosen by ``python -m benchmarks.threshold`` on labelled pairs; see docs/threshold.md."""


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
    """Lists loaded and indexed once, reused for any number of screenings.

    >>> screener = Screener.bundled()
    >>> result = screener.screen("iFlytek")
    >>> result.matches[0].entity.name
    'IFLYTEK'
    """

    def __init__(self, data: ListData, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.data = data
        self.threshold = _check_threshold(threshold)
        self.index = NameIndex(data.entities)
        self.lists = data.lists_used()

    @classmethod
    def bundled(cls, *, threshold: float = DEFAULT_THRESHOLD) -> Screener:
        """A screener over the curated lists shipped with riskscreen."""
        return cls(load_bundled(), threshold=threshold)

    @classmethod
    def from_paths(
        cls, paths: Iterable[str | Path], *, threshold: float = DEFAULT_THRESHOLD
    ) -> Screener:
        """A screener over list files or directories in the bundled YAML format."""
        return cls(load_lists(Path(p) for p in paths), threshold=threshold)

    def screen(self, name: object, *, threshold: float | None = None) -> ScreeningResult:
        """Screen one counterparty name; raises ``InputError`` for names that cannot be."""
        cutoff = self.threshold if threshold is None else _check_threshold(threshold)
        checked, forms = query_forms(name)
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
        return ScreeningResult(
            query=checked,
            normalized_forms=tuple(f"{f.script}:{f.text}" for f in forms),
            threshold=cutoff,
            matches=tuple(matches),
            lists=self.lists,
        )


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
