"""Mentions: corpus + list entities → where each entity (or a query name) is named, by sentence.

The corpus is tokenized and indexed once. A name is searched as a token sequence (Latin
script, normalized like list names: case, diacritics, "Technologies" ~ "technology",
possessives, a name run into the next word as in "iFLYTEKis") or as a Han substring (Chinese
text has no spaces; traditional characters are folded to simplified).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from riskscreen import scripts, vocab
from riskscreen.evidence.segment import sentences
from riskscreen.models import Article, Entity, EntityKind
from riskscreen.normalize import NameForm, name_forms

_WORD = re.compile(
    r"[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+"
    r"(?:['’‘][0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]+)*"
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|gov|edu|io|hk)\b\S*",
    re.IGNORECASE | re.ASCII,
)
_POSSESSIVE = re.compile(r"['’‘]s$", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’‘]")
# A name glued to the next word ("iFLYTEKis a national key software enterprise").
_RUN_IN = ("is", "as", "the", "and", "has", "was", "in", "of", "to", "for", "with", "will")
_MIN_RUN_IN = 4
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

Pattern = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    article: int
    sentence: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int


def _text_tokens(text: str) -> list[_Token]:
    """Latin words of an article with offsets, folded the way list names are. Words inside
    URLs are not words of the text ("baijiahao.baidu.com" does not mention Baidu)."""
    urls = [m.span() for m in _URL.finditer(text)]
    words: list[_Token] = []
    for match in _WORD.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if any(a <= start < b for a, b in urls):
            continue
        possessive = _POSSESSIVE.search(word)
        if possessive:
            word, end = word[: possessive.start()], start + possessive.start()
        norm = scripts.to_latin(_APOSTROPHE.sub("", word)).casefold()
        words.append(_Token(vocab.ABBREVIATIONS.get(norm, norm), start, end))
    return _fold(words)


def _fold(words: list[_Token]) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(words):
        for phrase, canonical in vocab.PHRASES.items():
            end = i + len(phrase)
            if tuple(w.text for w in words[i:end]) == phrase:
                out.append(_Token(canonical, words[i].start, words[end - 1].end))
                i = end
                break
        else:
            out.append(words[i])
            i += 1
    return out


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


def _forms_of(entities: Sequence[Entity]) -> Callable[[int], Iterable[NameForm]]:
    def forms(position: int) -> Iterable[NameForm]:
        return [f for name in entities[position].all_names() for f in name_forms(name)]

    return forms


def drop_nested(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions in text order, without those inside a longer one ("Huawei" in "Huawei
    Technologies") and without duplicates."""
    kept: list[Mention] = []
    for m in sorted(set(mentions), key=lambda m: (m.article, m.start, -m.end)):
        last = kept[-1] if kept else None
        if last and last.article == m.article and m.end <= last.end:
            continue
        kept.append(m)
    return kept


class CorpusIndex:
    """The corpus tokenized, segmented and indexed once; list entities' mentions precomputed."""

    def __init__(
        self,
        articles: Sequence[Article],
        entities: Sequence[Entity],
        forms: Callable[[int], Iterable[NameForm]] | None = None,
    ) -> None:
        """``forms(position)`` gives an entity's name forms when they are already computed
        (``NameIndex.forms_of``); otherwise they are computed from the names."""
        self.articles = tuple(articles)
        self.sentences = [sentences(a.text) for a in self.articles]
        self._starts = [[s for s, _ in spans] for spans in self.sentences]
        self._tokens = [_text_tokens(a.text) for a in self.articles]
        self._han = [self._han_text(a.text) for a in self.articles]
        self._postings: dict[str, list[tuple[int, int]]] = {}
        self._run_in: dict[str, list[tuple[int, int]]] = {}
        for a, tokens in enumerate(self._tokens):
            for i, token in enumerate(tokens):
                self._postings.setdefault(token.text, []).append((a, i))
                for suffix in _RUN_IN:
                    stem = token.text[: -len(suffix)]
                    if token.text.endswith(suffix) and len(stem) >= _MIN_RUN_IN:
                        self._run_in.setdefault(stem, []).append((a, i))
        self.entity_mentions = self._entity_mentions(entities, forms or _forms_of(entities))
        self._by_sentence: dict[tuple[int, int], set[int]] = {}
        for entity, found in enumerate(self.entity_mentions):
            for m in found:
                self._by_sentence.setdefault((m.article, m.sentence), set()).add(entity)

    @staticmethod
    def _han_text(text: str) -> str:
        simplified = scripts.to_simplified(text)
        return simplified if len(simplified) == len(text) else text

    def _entity_mentions(
        self, entities: Sequence[Entity], forms: Callable[[int], Iterable[NameForm]]
    ) -> list[list[Mention]]:
        """Each entity's mentions. A trimmed pattern ("hikvision" from "Hangzhou Hikvision
        Digital Technology") counts only when no other entity claims it; bodies of government
        are found by their whole name only (Hotan alone is a place, not its police bureau)."""
        patterns = []
        owners: dict[Pattern | str, set[int]] = {}
        for position, entity in enumerate(entities):
            trim = entity.kind is not EntityKind.GOVERNMENT_BODY
            full, short, han_full, han_short = name_patterns(forms(position), trim=trim)
            keys: list[Pattern | str] = [*full, *short, *han_full, *han_short]
            for key in keys:
                owners.setdefault(key, set()).add(position)
            patterns.append((full, short, han_full, han_short))
        result = []
        for position, (full, short, han_full, han_short) in enumerate(patterns):
            latin = full | {p for p in short if owners[p] == {position}}
            han = han_full | {p for p in han_short if owners[p] == {position}}
            result.append(self.find(latin, han))
        return result

    def find(self, latin: Iterable[Pattern], han: Iterable[str]) -> list[Mention]:
        """Occurrences of any of the patterns, in text order; a mention inside a longer one
        ("Huawei" in "Huawei Technologies") is dropped."""
        found: set[Mention] = set()
        for pattern in latin:
            found.update(self._find_latin(pattern))
        for text in han:
            found.update(self._find_han(text))
        return drop_nested(found)

    def name_mentions(self, name: str) -> list[Mention]:
        """Where a name that is on no list (a counterparty as typed) is mentioned."""
        full, short, han_full, han_short = name_patterns(name_forms(name), trim=True)
        return self.find(full | short, han_full | han_short)

    def _find_latin(self, pattern: Pattern) -> Iterable[Mention]:
        if not pattern:
            return
        first = self._postings.get(pattern[0], [])
        if len(pattern) == 1:
            first = first + self._run_in.get(pattern[0], [])
        for a, i in first:
            tokens = self._tokens[a]
            end = i + len(pattern)
            if end > len(tokens):
                continue
            if any(tokens[i + k].text != pattern[k] for k in range(1, len(pattern) - 1)):
                continue
            last = tokens[end - 1]
            stop = last.end
            if (
                len(pattern) > 1
                and last.text != pattern[-1]
                and not self._runs_in(last.text, pattern[-1])
            ):
                continue
            if last.text != pattern[-1]:  # run into the next word: cut at the name's end
                stop = last.start + len(pattern[-1]) if last.text.isascii() else last.end
            mention = self._mention(a, tokens[i].start, stop)
            if stop <= self.sentences[a][mention.sentence][1]:  # a name never spans sentences
                yield mention

    @staticmethod
    def _runs_in(token: str, word: str) -> bool:
        return len(word) >= _MIN_RUN_IN and token.startswith(word) and token[len(word) :] in _RUN_IN

    def _find_han(self, needle: str) -> Iterable[Mention]:
        if len(needle) < 2:
            return
        for a, text in enumerate(self._han):
            start = text.find(needle)
            while start >= 0:
                yield self._mention(a, start, start + len(needle))
                start = text.find(needle, start + 1)

    def _mention(self, article: int, start: int, end: int) -> Mention:
        sentence = max(bisect.bisect_right(self._starts[article], start) - 1, 0)
        return Mention(article, sentence, start, end)

    def entities_in(self, article: int, sentence: int) -> set[int]:
        """Positions of the list entities mentioned in one sentence."""
        return self._by_sentence.get((article, sentence), set())

    def sentence_span(self, article: int, sentence: int) -> tuple[int, int]:
        return self.sentences[article][sentence]
