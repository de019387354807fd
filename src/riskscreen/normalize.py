"""Normalize: a name → its comparable forms (Latin tokens, Han tokens, pinyin tokens).

Each token carries a kind — ``core`` (distinctive), ``place`` or ``generic`` — so the scorer
can tell "Hikvision" from "Hangzhou … Digital Technology". Legal forms are removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from riskscreen import scripts, vocab

Kind = Literal["core", "place", "generic"]
Script = Literal["latin", "han", "pinyin"]

_APOSTROPHES = re.compile(r"['’`´ʼ‘]")
_BRACKETED = re.compile(r"[(\[{（【]([^()\[\]{}（）【】]*)[)\]}）】]")
# CSL rows name an affiliate as "<parent>. Affiliated Entity: <affiliate>".
_AFFILIATE = re.compile(r"\W*\baffiliated\W+entity\b\W*", re.IGNORECASE)
_WORDLIKE = re.compile(r"\w")
_BRACKET_CHARS = re.compile(r"[()\[\]{}（）【】]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAN_KEEP = re.compile(r"[^0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
_MAX_HAN_WORD = max(len(w) for w in (*vocab.HAN_GENERIC, *vocab.HAN_PLACES))


class Token(NamedTuple):
    # A tuple, not a dataclass: hundreds of thousands of them are pickled in the index cache.
    text: str
    kind: Kind


@dataclass(frozen=True)
class NameForm:
    """One comparable form of a name."""

    script: Script
    tokens: tuple[Token, ...]

    @cached_property
    def text(self) -> str:
        """The normalized form as a string (Han tokens are written without spaces)."""
        sep = "" if self.script == "han" else " "
        return sep.join(t.text for t in self.tokens)

    @cached_property
    def core(self) -> tuple[str, ...]:
        """Distinctive tokens; when a name has none (a bureau), its places stand in."""
        core = tuple(t.text for t in self.tokens if t.kind == "core")
        return core or tuple(t.text for t in self.tokens if t.kind == "place")

    @cached_property
    def has_core(self) -> bool:
        return any(t.kind == "core" for t in self.tokens)

    @cached_property
    def key(self) -> str:
        """Distinctive part without spaces: what the index and compact comparison use."""
        return "".join(self.core) or "".join(t.text for t in self.tokens)


def _kind(token: str) -> Kind:
    if token in vocab.PLACES:
        return "place"
    if token in vocab.GENERIC or token in vocab.LEGAL_FORMS:
        # A legal form inside a name ("… Group Corporation 52nd …") is a generic word.
        return "generic"
    return "core"


_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, _canonical in sorted(vocab.PHRASES.items(), key=lambda p: -len(p[0])):
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append((_phrase, _canonical))


def _fold_phrases(words: list[str]) -> list[str]:
    """Canonical spellings, then phrases folded to one token, repeated until stable."""
    words = [vocab.ABBREVIATIONS.get(w, w) for w in words]
    while True:
        out: list[str] = []
        i = 0
        while i < len(words):
            for phrase, canonical in _PHRASES_BY_FIRST.get(words[i], ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    out.append(canonical)
                    i += len(phrase)
                    break
            else:
                out.append(words[i])
                i += 1
        if out == words:
            return out
        words = out


def _merge_initials(words: list[str]) -> list[str]:
    """Join runs of single letters: "c e t c" (from "C.E.T.C.") → "cetc"."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            out.append("".join(run)) if len(run) > 1 else out.extend(run)
            run = []
        if word:
            out.append(word)
    return out


def _strip_legal_forms(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while end > start and words[end - 1] in vocab.LEGAL_FORMS:
        end -= 1
    while start < end and words[start] in vocab.LEGAL_FORMS:
        start += 1
    return words[start:end]


def _latin_tokens(text: str) -> tuple[Token, ...]:
    text = scripts.to_latin(text).casefold()
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    words = _NON_ALNUM.sub(" ", text).split()
    words = _strip_legal_forms(_fold_phrases(_merge_initials(words)))
    return tuple(Token(w, _kind(w)) for w in words)


def _strip_han_legal_forms(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for form in vocab.HAN_LEGAL_FORMS:
            if text.endswith(form) and len(text) > len(form):
                text = text[: -len(form)]
                changed = True
    return text


def _han_tokens(text: str) -> tuple[Token, ...]:
    """Segment a Han string by greedy longest match against the generic and place words."""
    tokens: list[Token] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        word = "".join(run)
        run.clear()
        suffix = word[-1]
        if len(word) >= 3 and suffix in vocab.HAN_GENERIC_SUFFIXES:
            tokens.append(Token(word[:-1], "core"))
            tokens.append(Token(suffix, "generic"))
        else:
            tokens.append(Token(word, "core"))

    i = 0
    while i < len(text):
        for size in range(min(_MAX_HAN_WORD, len(text) - i), 1, -1):
            word = text[i : i + size]
            kind: Kind | None = (
                "generic" if word in vocab.HAN_GENERIC else
                "place" if word in vocab.HAN_PLACES else None
            )  # fmt: skip
            if kind:
                flush()
                tokens.append(Token(word, kind))
                i += size
                break
        else:
            run.append(text[i])
            i += 1
    flush()
    return tuple(tokens)


def _pinyin_tokens(han: tuple[Token, ...]) -> tuple[Token, ...]:
    out: list[Token] = []
    for token in han:
        if token.kind == "generic":
            canonical = vocab.HAN_GENERIC.get(token.text) or vocab.HAN_GENERIC_SUFFIXES[token.text]
            out.extend(Token(w, "generic") for w in canonical.split())
        else:
            out.append(Token(scripts.pinyin(token.text), token.kind))
    return tuple(out)


def _prepare(name: str) -> str:
    if name.isascii():
        return name
    text = unicodedata.normalize("NFKC", name)
    # Format characters (zero-width space, BOM, bidi marks) carry no letters.
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _han_forms(text: str) -> list[NameForm]:
    han = _HAN_KEEP.sub("", scripts.to_simplified(text).casefold())
    tokens = _han_tokens(_strip_han_legal_forms(han))
    if not tokens:
        return []
    return [NameForm("han", tokens), NameForm("pinyin", _pinyin_tokens(tokens))]


def _latin_forms(text: str) -> list[NameForm]:
    """The name with bracketed text kept inline; when a bracket holds a distinctive name or
    acronym ("(XUAR)", "(Huawei)"), also the name without it and, at the end, the bracket alone.
    A bracket of places or generic words ("(Australia)", "(UK)") or one inside the name that is
    not an acronym ("Huawei Technologies (Yangon) Co., Ltd.") stays part of the name only.
    A CSL affiliate row ("<parent>. Affiliated Entity: <affiliate>") is the affiliate's name.
    """
    text = _AFFILIATE.split(text)[-1]
    aliases = [m for m in _BRACKETED.finditer(text) if _is_alias(m, text)]
    variants = [_BRACKET_CHARS.sub(" ", text)]
    if aliases:
        without = text
        for m in reversed(aliases):
            without = without[: m.start()] + " " + without[m.end() :]
        variants.append(_BRACKET_CHARS.sub(" ", without))
        last = aliases[-1]
        if not _WORDLIKE.search(text, last.end()):
            variants.append(last.group(1))
    forms: list[NameForm] = []
    for variant in variants:
        tokens = _latin_tokens(variant)
        if tokens and all(f.tokens != tokens for f in forms):
            forms.append(NameForm("latin", tokens))
    return forms


def _is_alias(bracket: re.Match[str], text: str) -> bool:
    content = bracket.group(1)
    if not any(t.kind == "core" for t in _latin_tokens(content)):
        return False
    # An all-capitals bracket in a name that is not all capitals: "(XUAR)", not "(YANGON)".
    acronym = content.isupper() and not text.isupper() and sum(c.isalpha() for c in content) >= 2
    return acronym or not _WORDLIKE.search(text, bracket.end())


def name_forms(name: str) -> tuple[NameForm, ...]:
    """All comparable forms of ``name``; empty when nothing distinctive is left."""
    text = _prepare(name)
    if not scripts.has_han(text):
        return tuple(_latin_forms(text))
    forms = _han_forms(text)
    # A Latin name written beside the Chinese one ("小米集团 Xiaomi Corporation").
    latin_part = "".join(" " if scripts.is_han(c) else c for c in text)
    if sum(c.isalpha() for c in latin_part) >= 2:
        seen = {f.text for f in forms}
        forms.extend(f for f in _latin_forms(latin_part) if f.text not in seen)
    return tuple(forms)


def normalize(name: str) -> str:
    """The primary normalized form of ``name`` as a string ("" when nothing is left)."""
    forms = name_forms(name)
    return forms[0].text if forms else ""
