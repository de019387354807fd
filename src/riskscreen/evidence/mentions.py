"""Mentions: corpus + list entities → where each entity (or a query name) is named, by sentence.

The corpus is tokenized and indexed once. A name is searched as a token sequence (Latin
script, normalized like list names: case, diacritics, "Technologies" ~ "technology",
possessives, a name run into the next word as in "iFLYTEKis") or as a Han substring (Chinese
text has no spaces; traditional characters are folded to simplified).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from riskscreen import scripts, vocab
from riskscreen.evidence.patterns import (
    EntityPatterns,
    Pattern,
    name_patterns,
    resolve_patterns,
)
from riskscreen.evidence.segment import sentences
from riskscreen.models import Article, Entity
from riskscreen.normalize import name_forms

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


def drop_nested(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions in text order, without those inside a longer one ("Huawei" in "Huawei
    Technologies") and without duplicates."""
    unique = set(mentions)
    if not unique:
        return []
    kept: list[Mention] = []
    for m in sorted(unique, key=lambda m: (m.article, m.start, -m.end)):
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
        patterns: Sequence[EntityPatterns] | None = None,
    ) -> None:
        """``patterns`` are the entities' search patterns when already resolved (the name
        index keeps them, ``NameIndex.mention_patterns``); otherwise they are computed."""
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
        resolved = patterns if patterns is not None else resolve_patterns(entities)
        self.entity_mentions = [self.find(latin, han) for latin, han in resolved]
        self._by_sentence: dict[tuple[int, int], set[int]] = {}
        for entity, found in enumerate(self.entity_mentions):
            for m in found:
                self._by_sentence.setdefault((m.article, m.sentence), set()).add(entity)

    @staticmethod
    def _han_text(text: str) -> str:
        simplified = scripts.to_simplified(text)
        return simplified if len(simplified) == len(text) else text

    def find(self, latin: Iterable[Pattern], han: Iterable[str]) -> list[Mention]:
        """Occurrences of any of the patterns, in text order; a mention inside a longer one
        ("Huawei" in "Huawei Technologies") is dropped."""
        found: set[Mention] = set()
        for pattern in latin:
            # Most list names never occur in the corpus: skip them before any work.
            if pattern and (pattern[0] in self._postings or pattern[0] in self._run_in):
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
