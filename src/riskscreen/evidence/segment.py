"""Sentence segmentation: article text → sentence spans (code-point offsets), English and Chinese.

Chinese sentences end at 。！？ (and their closing quotes), and at ； which in Chinese news
separates clauses that stand as sentences (dated lists of events). English ones end at . ! ?
before whitespace and a capital, a digit, a quote or a word like "iFlytek" — not after "Co."
or "U.S." — or run straight into a capital ("services.As"). Line breaks always end a sentence
(headlines, bylines).
"""

from __future__ import annotations

import re

_CJK_END = "。！？；"
_LATIN_END = ".!?"
_CLOSERS = "\"'”’」』）)】"
_ABBREVIATIONS = frozenset(
    {
        "co", "ltd", "inc", "corp", "mr", "mrs", "ms", "dr", "st", "no", "vs", "jr", "sr",
        "prof", "gen", "gov", "dept", "est", "approx", "etc", "e.g", "i.e", "u.s", "u.k",
        "u.n", "p.r.c",
    }
)  # fmt: skip
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1).lower()
    return len(word) == 1 or word in _ABBREVIATIONS


def _latin_boundary(text: str, end: int) -> bool:
    """Does a sentence end just before ``end`` (the index after . ! ? and closers)?"""
    if end >= len(text):
        return True
    following = text[end]
    if following.isspace():
        after = end
        while after < len(text) and text[after].isspace():
            if text[after] == "\n":
                return True
            after += 1
        if after == len(text):
            return True
        nxt = text[after]
        word = text[after:].split(maxsplit=1)[0]
        camel = nxt.islower() and any(c.isupper() for c in word)  # "iFlytek's technology …"
        return nxt.isupper() or nxt.isdigit() or camel or nxt in "\"“'‘(" or ord(nxt) > 0x2E80
    # "services.As a leading provider": a word, a full stop, a capital, no space.
    return following.isupper() and end >= 2 and text[end - 2].islower()


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, surrounding whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    length = len(text)
    while i < length:
        char = text[i]
        cut: int | None = None
        if char == "\n":
            cut = i
        elif char in _CJK_END or char in _LATIN_END:
            end = i + 1
            while end < length and (text[end] in _CLOSERS or text[end] in _CJK_END + _LATIN_END):
                end += 1
            if char in _CJK_END or (
                _latin_boundary(text, end) and not (char == "." and _is_abbreviation(text, i))
            ):
                cut = end
            i = end - 1
        if cut is not None:
            _add(text, spans, start, cut)
            start = cut
        i += 1
    _add(text, spans, start, length)
    return spans


def _add(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
