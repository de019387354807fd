"""Chinese-name constructions for the dev set: variants of a listed Chinese name (traditional
characters, legal form dropped or changed) and homophones (one character replaced by another
with the same toneless pinyin: 华为 → 华伟), made from the name alone, never by the matcher.
"""

from __future__ import annotations

import random
from functools import cache

# Legal forms that end Chinese company names, longest first.
HAN_LEGAL = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")
# Leading places of the listed names (a homophone of the brand, not of the city, is the test).
HAN_PLACES = ("新疆维吾尔自治区", "新疆", "北京", "上海", "杭州", "浙江", "厦门市", "厦门")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def has_han(text: str) -> bool:
    return any(is_han(c) for c in text)


@cache
def _by_reading() -> dict[str, tuple[str, ...]]:
    """Toneless reading → common characters (GB2312 level 1, the 3,755 most used) with only
    that reading, so a replacement reads the same whichever way it is pronounced."""
    from pypinyin import Style, pinyin

    groups: dict[str, list[str]] = {}
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        try:
            encoded = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if not 0xB0 <= encoded[0] <= 0xD7:  # level 1 of GB2312
            continue
        readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
        if len(set(readings)) == 1:
            groups.setdefault(readings[0], []).append(ch)
    return {reading: tuple(chars) for reading, chars in groups.items()}


def _reading(ch: str) -> str | None:
    from pypinyin import Style, pinyin

    readings = set(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
    return readings.pop() if len(readings) == 1 else None


def split_han(name: str) -> tuple[str, str, str]:
    """(leading place, distinctive middle, trailing legal form) of a Chinese name."""
    place = next((p for p in HAN_PLACES if name.startswith(p)), "")
    rest = name[len(place) :]
    legal = next((f for f in HAN_LEGAL if rest.endswith(f) and len(rest) > len(f)), "")
    return place, rest[: len(rest) - len(legal)], legal


def homophones(name: str, rng: random.Random, limit: int) -> list[str]:
    """Up to ``limit`` names with one character of the distinctive middle replaced by another
    character of the same toneless reading."""
    place, middle, legal = split_han(name)
    spots = [i for i, ch in enumerate(middle) if is_han(ch)]
    rng.shuffle(spots)
    out: list[str] = []
    for i in spots:
        reading = _reading(middle[i])
        if reading is None:
            continue
        choices = [c for c in _by_reading().get(reading, ()) if c != middle[i]]
        if not choices:
            continue
        new = middle[:i] + rng.choice(choices) + middle[i + 1 :]
        out.append(place + new + legal)
        if len(out) == limit:
            break
    return out


@cache
def _converter(config: str) -> object:
    import opencc

    return opencc.OpenCC(config)


def simplified(name: str) -> str:
    return str(_converter("t2s").convert(name))  # type: ignore[attr-defined]


def variants(name: str) -> list[str]:
    """The name in traditional characters, without its legal form, and with another one."""
    place, middle, legal = split_han(name)
    out = []
    traditional = str(_converter("s2t").convert(name))  # type: ignore[attr-defined]
    if traditional != name:
        out.append(traditional)
    if legal:
        out.append(place + middle)
        other = "有限公司" if legal != "有限公司" else "股份有限公司"
        out.append(place + middle + other)
    return [v for v in out if v != name]
