"""Scoring: one query form × one list-name form → a score in [0, 1] with named features.

Every feature is a claim about the two names; ``FEATURES`` documents each one and
``WEIGHTS`` is the single table of what each contributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from riskscreen import scripts, vocab
from riskscreen.models import Feature
from riskscreen.normalize import NameForm, Token

FEATURES: dict[str, str] = {
    "exact_form": "The normalized forms are identical.",
    "identifier_match": "A registry or market identifier given with the query is the entity's.",
    "core_tokens": "Distinctive tokens agree one to one (each pair fuzzily, order ignored).",
    "core_compact": "Distinctive parts agree as one string, spaces removed (iFly Tek ~ iflytek).",
    "context_tokens": "Neither name has a distinctive token: places and generic words must agree.",
    "generic_only": "One name has a distinctive token, the other none: generic words never match.",
    "place_conflict": "Both names name a place and share none (Beijing … vs Shanghai …).",
    "kind_conflict": "Both names carry generic words and share none (… Bank vs … Technology).",
    "unmatched_context": "Places or generic words present on one side only.",
    "cross_script": "Compared through pinyin transliteration, which loses tones and characters.",
}

WEIGHTS: dict[str, float] = {
    "token_min_similarity": 0.8,  # a token pair below this counts as no agreement
    "context_generic_weight": 0.8,  # generic word vs place (1.0) in context_tokens
    "context_admin_weight": 0.2,  # "municipality", "prefecture" … in context_tokens
    "context_only_factor": 0.9,  # names of generic words alone are weaker evidence
    "generic_only_cap": 0.5,
    "place_conflict": 0.25,
    "kind_conflict": 0.25,
    "unmatched_context_each": 0.02,
    "unmatched_context_max": 0.08,
    "cross_script_factor": 0.95,
    "inexact_cap": 0.99,  # only identical normalized forms score 1.0
}

_ADMIN = frozenset(
    {
        "municipality", "prefecture", "district", "county", "city", "province", "provincial",
        "region", "regional", "autonomous", "peoples", "government", "uyghur", "kazakh",
        "kyrgyz", "mongolian", "hui", "tibetan", "area", "zone", "new", "the", "of", "and",
        "corporation", "incorporated", "company", "limited",
    }
    | vocab.LEGAL_FORMS  # a legal form left inside a name says nothing about the business
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Scored:
    score: float
    features: tuple[Feature, ...]


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) <= 3:
        return 0.0  # short tokens ("360", "zte") agree only exactly
    if not a.isascii() and scripts.has_han(a) and a not in b and b not in a:
        # A Han character is a word: one replaced makes another name (课大讯飞 is not 科大讯飞);
        # one containing the other is a place or suffix glued on (市美亚柏科 ~ 美亚柏科).
        return 0.0
    return float(Indel.normalized_similarity(a, b))


def _soft_overlap(
    left: list[tuple[str, float]], right: list[tuple[str, float]]
) -> tuple[float, float, float]:
    """Weighted soft F1 of two token lists; returns (f1, precision, recall)."""
    if not left or not right:
        return 0.0, 0.0, 0.0
    pairs = sorted(
        (
            (_similarity(a, b), i, j)
            for i, (a, _) in enumerate(left)
            for j, (b, _) in enumerate(right)
        ),
        reverse=True,
    )
    used_l: set[int] = set()
    used_r: set[int] = set()
    got_l = got_r = 0.0
    for sim, i, j in pairs:
        if sim < WEIGHTS["token_min_similarity"] or i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        got_l += sim * left[i][1]
        got_r += sim * right[j][1]
    precision = got_l / sum(w for _, w in left)
    recall = got_r / sum(w for _, w in right)
    if precision + recall == 0:
        return 0.0, 0.0, 0.0
    return 2 * precision * recall / (precision + recall), precision, recall


def _context_weight(token: Token) -> float:
    if token.kind == "place":
        return 1.0
    if token.text in _ADMIN:
        return WEIGHTS["context_admin_weight"]
    return WEIGHTS["context_generic_weight"]


def _others(form: NameForm, kind: str) -> set[str]:
    return {t.text for t in form.tokens if t.kind == kind}


def compare(query: NameForm, candidate: NameForm) -> Scored:
    """Score one query form against one list-name form, feature by feature."""
    features: list[Feature] = []
    exact = query.text == candidate.text
    if exact:
        score = 1.0
        features.append(_feature("exact_form", 1.0, 1.0, query.text))
    elif query.has_core and candidate.has_core:
        core_q = [(t, 1.0) for t in query.core]
        core_c = [(t, 1.0) for t in candidate.core]
        tokens, _, _ = _soft_overlap(core_q, core_c)
        compact = (
            _similarity(query.key, candidate.key)
            if query.script == "han"
            else float(Indel.normalized_similarity(query.key, candidate.key))
        )
        if min(len(query.key), len(candidate.key)) <= 3 and query.key != candidate.key:
            compact = 0.0
        base = max(tokens, compact)
        features.append(
            _feature(
                "core_tokens",
                tokens,
                base if tokens >= compact else 0.0,
                f"{' '.join(query.core)} ~ {' '.join(candidate.core)}",
            )
        )
        features.append(
            _feature(
                "core_compact",
                compact,
                base if compact > tokens else 0.0,
                f"{query.key} ~ {candidate.key}",
            )
        )
        score = base
        score -= _conflicts(query, candidate, features)
    elif query.has_core or candidate.has_core:
        ctx = [(t.text, _context_weight(t)) for t in query.tokens if t.kind != "core"]
        ctx_c = [(t.text, _context_weight(t)) for t in candidate.tokens if t.kind != "core"]
        f1, _, _ = _soft_overlap(ctx, ctx_c)
        score = min(WEIGHTS["generic_only_cap"], f1 * WEIGHTS["generic_only_cap"])
        side = "query" if candidate.has_core else "list name"
        features.append(
            _feature("generic_only", 1.0, score, f"the {side} has no distinctive token")
        )
    else:
        ctx_q = [(t.text, _context_weight(t)) for t in query.tokens]
        ctx_c = [(t.text, _context_weight(t)) for t in candidate.tokens]
        f1, _, _ = _soft_overlap(ctx_q, ctx_c)
        score = f1 * WEIGHTS["context_only_factor"]
        features.append(_feature("context_tokens", f1, score, f"{query.text} ~ {candidate.text}"))

    if (query.script == "pinyin") != (candidate.script == "pinyin"):
        factor = WEIGHTS["cross_script_factor"]
        features.append(
            _feature(
                "cross_script",
                factor,
                score * factor - score,
                f"{query.script} vs {candidate.script}",
            )
        )
        score *= factor
    cap = 1.0 if exact else WEIGHTS["inexact_cap"]
    score = round(min(max(score, 0.0), cap), 4)
    return Scored(score, tuple(features))


def _conflicts(query: NameForm, candidate: NameForm, features: list[Feature]) -> float:
    """Penalties for context that disagrees or is present on one side only."""
    penalty = 0.0
    places_q, places_c = _others(query, "place"), _others(candidate, "place")
    generic_q, generic_c = _others(query, "generic"), _others(candidate, "generic")
    if places_q and places_c and not places_q & places_c:
        penalty += WEIGHTS["place_conflict"]
        features.append(
            _feature(
                "place_conflict",
                1.0,
                -WEIGHTS["place_conflict"],
                f"{sorted(places_q)} vs {sorted(places_c)}",
            )
        )
    kinds_q, kinds_c = generic_q - _ADMIN, generic_c - _ADMIN
    if kinds_q and kinds_c and not kinds_q & kinds_c:
        penalty += WEIGHTS["kind_conflict"]
        features.append(
            _feature(
                "kind_conflict",
                1.0,
                -WEIGHTS["kind_conflict"],
                f"{sorted(kinds_q)} vs {sorted(kinds_c)}",
            )
        )
    unmatched = (places_q ^ places_c) | (generic_q ^ generic_c)
    if unmatched:
        cost = min(
            WEIGHTS["unmatched_context_each"] * len(unmatched), WEIGHTS["unmatched_context_max"]
        )
        penalty += cost
        features.append(
            _feature("unmatched_context", float(len(unmatched)), -cost, " ".join(sorted(unmatched)))
        )
    return penalty


def _feature(name: str, value: float, contribution: float, detail: str) -> Feature:
    return Feature(
        name=name, value=round(value, 4), contribution=round(contribution, 4), detail=detail
    )


def comparable(
    query: NameForm, candidate: NameForm, *, entity_has_han: bool, pinyin_ok: bool = True
) -> bool:
    """Which form pairs are compared at all.

    Han meets Han; Latin meets Latin and pinyin. A Chinese query meets an entity's Latin
    names through pinyin only when the entity has no Chinese name of its own — otherwise the
    characters decide, so 华伟 is not 华为 though both read "huawei" — and only when the query
    is not a homophone of a Chinese name on the lists (``pinyin_ok``).
    """
    if query.script == "han" or candidate.script == "han":
        return query.script == candidate.script
    if query.script == "pinyin":
        return pinyin_ok and candidate.script == "latin" and not entity_has_han
    return True


def best_pair(
    query_forms: tuple[NameForm, ...],
    candidate_forms: tuple[NameForm, ...],
    *,
    entity_has_han: bool,
    pinyin_ok: bool = True,
) -> tuple[Scored, NameForm, NameForm] | None:
    """The highest-scoring comparable (query form, candidate form) pair, if any."""
    best: tuple[Scored, NameForm, NameForm] | None = None
    for q in query_forms:
        for c in candidate_forms:
            if not comparable(q, c, entity_has_han=entity_has_han, pinyin_ok=pinyin_ok):
                continue
            scored = compare(q, c)
            if best is None or scored.score > best[0].score:
                best = (scored, q, c)
    return best
