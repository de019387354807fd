"""Mention patterns: an entity's name forms → the token sequences and Han strings that name it
in text, resolved once across all entities so no two claim the same short form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from riskscreen.models import Entity, EntityKind
from riskscreen.normalize import NameForm, name_forms

Pattern = tuple[str, ...]
EntityPatterns = tuple[tuple[Pattern, ...], tuple[str, ...]]  # (Latin sequences, Han strings)
_MIN_TRIMMED = 4
# Generic words that only pad a company name; words like "Investment" or "Holding" do not
# pad, they tell a group's companies apart, so they are never trimmed.
_FILLER = frozenset(
    {
        "technology", "digital", "information", "science", "development", "group", "network",
        "electronic", "communication", "international", "industry", "intelligent", "software",
        "system", "数字", "技术", "科技", "信息", "集团", "网络", "电子", "通信", "智能", "软件",
    }
)  # fmt: skip


def _trimmed(form: NameForm) -> Pattern:
    """The distinctive stretch of a name: leading places and trailing filler words dropped."""
    tokens = list(form.tokens)
    while tokens and tokens[0].kind == "place":
        tokens.pop(0)
    while tokens and tokens[-1].text in _FILLER:
        tokens.pop()
    if not tokens or tokens[-1].kind != "core":
        return ()  # "Huawei Mobile" would also meet "Huawei mobile phones"
    return tuple(t.text for t in tokens)


def name_patterns(
    forms: Iterable[NameForm], *, trim: bool
) -> tuple[set[Pattern], set[Pattern], set[str], set[str]]:
    """(full Latin, trimmed Latin, full Han, trimmed Han) search patterns of a name's forms."""
    full: set[Pattern] = set()
    short: set[Pattern] = set()
    han_full: set[str] = set()
    han_short: set[str] = set()
    for form in forms:
        if form.script == "latin":
            full.add(tuple(t.text for t in form.tokens))
            cut = _trimmed(form)
            if trim and cut and len("".join(cut)) >= _MIN_TRIMMED:
                short.add(cut)
        elif form.script == "han":
            han_full.add(form.text)
            cut = _trimmed(form)
            if trim and len("".join(cut)) >= 2:
                han_short.add("".join(cut))
    return full, short, han_full, han_short


def resolve_patterns(
    entities: Sequence[Entity], forms: Callable[[int], Iterable[NameForm]] | None = None
) -> list[EntityPatterns]:
    """Each entity's search patterns. A trimmed pattern ("hikvision" from "Hangzhou Hikvision
    Digital Technology") counts only when no other entity claims it; bodies of government are
    found by their whole name only (Hotan alone is a place, not its police bureau).
    ``forms(position)`` gives an entity's name forms when they are already computed."""
    forms = forms or _forms_of(entities)
    found = []
    owners: dict[Pattern | str, set[int]] = {}
    for position, entity in enumerate(entities):
        trim = entity.kind is not EntityKind.GOVERNMENT_BODY
        full, short, han_full, han_short = name_patterns(forms(position), trim=trim)
        keys: list[Pattern | str] = [*full, *short, *han_full, *han_short]
        for key in keys:
            owners.setdefault(key, set()).add(position)
        found.append((full, short, han_full, han_short))
    resolved: list[EntityPatterns] = []
    for position, (full, short, han_full, han_short) in enumerate(found):
        latin = full | {p for p in short if owners[p] == {position}}
        han = han_full | {p for p in han_short if owners[p] == {position}}
        resolved.append((tuple(sorted(latin)), tuple(sorted(han))))
    return resolved


def _forms_of(entities: Sequence[Entity]) -> Callable[[int], Iterable[NameForm]]:
    def forms(position: int) -> Iterable[NameForm]:
        return [f for name in entities[position].all_names() for f in name_forms(name)]

    return forms
