"""Scripts: detect Han text, fold traditional to simplified, transliterate Han → pinyin and
other scripts → Latin.

The converters load lazily and once, so a Latin-only screening never pays for them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def is_han(char: str) -> bool:
    """True for CJK unified ideographs (incl. extensions A–F and compatibility ideographs)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


def has_han(text: str) -> bool:
    return not text.isascii() and _HAN.search(text) is not None


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Fold traditional Han characters to simplified ones (華為 → 华为)."""
    if not has_han(text):
        return text
    return str(_t2s().convert(text))


@cache
def _pinyin() -> Any:
    from pypinyin import Style, lazy_pinyin

    def convert(text: str) -> list[str]:
        return list(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))

    return convert


@lru_cache(maxsize=1 << 16)
def pinyin(han: str) -> str:
    """Toneless pinyin of a Han word, syllables joined (海康威视 → haikangweishi)."""
    return "".join(_pinyin()(han)).lower()


def strip_diacritics(text: str) -> str:
    """Drop combining marks (Ürümqi → Urumqi)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _anyascii() -> Any:
    from anyascii import anyascii

    return anyascii


def to_latin(text: str) -> str:
    """Transliterate any non-Han script to ASCII Latin (Хуавей → Khuavey)."""
    text = strip_diacritics(text)
    if text.isascii():
        return text
    return str(_anyascii()(text))
