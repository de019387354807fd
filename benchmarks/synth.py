"""Synthetic names, made deterministically (seeded) and never by running the matcher:
variants of list names (typos, legal forms, word order), made-up words and counterparties
that are on no list, and mutated copies of list names to grow a list.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+")


def split_words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TOKEN = re.compile(r"\S+")

# Legal forms, longest first, as they end company names on the lists (matched case-insensitively).
LEGAL_ENDINGS = (
    "company limited", "co., limited", "co., ltd.", "co., ltd", "co. ltd.", "co. ltd", "co ltd",
    "pte. ltd.", "pvt. ltd.", "pty ltd.", "pty ltd", "corporation", "incorporated", "limited",
    "l.l.c.", "ltd.", "ltd", "corp.", "corp", "inc.", "inc", "llc", "gmbh", "s.a.", "jsc",
    "company", "co.",
)  # fmt: skip
LEGAL_FORMS = ("Co., Ltd.", "Company Limited", "Limited", "Ltd", "Corporation", "Corp.", "Inc.",
               "LLC", "Co.")  # fmt: skip
# Standard abbreviations of words in company names (a counterparty file writes either).
ABBREVIATIONS = {
    "technology": "Tech", "technologies": "Tech.", "international": "Intl", "corporation": "Corp",
    "company": "Co", "manufacturing": "Mfg", "industrial": "Ind.", "development": "Dev.",
    "electronics": "Electr.", "engineering": "Eng.", "and": "&", "&": "and",
    "science": "Sci.", "research": "Res.", "institute": "Inst.", "limited": "Ltd",
}  # fmt: skip
# Places that lead Chinese company names ("Beijing Megvii Technology"), written for this
# benchmark: a counterparty file may put them last, in brackets.
PLACE_WORDS = frozenset(
    split_words(
        """
    china beijing shanghai tianjin chongqing hebei shanxi liaoning jilin heilongjiang jiangsu
    zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong hainan sichuan guizhou
    yunnan shaanxi gansu qinghai xinjiang tibet guangxi ningxia shenzhen guangzhou hangzhou
    wuhan nanjing chengdu xian xiamen harbin shenyang dalian qingdao suzhou changsha hefei
    jinan zhengzhou ningbo wuxi hong kong
    """
    )
)
_KEYBOARD = [
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
]
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYBOARD):
    for _c, _ch in enumerate(_row):
        near = _row[max(0, _c - 1) : _c] + _row[_c + 1 : _c + 2]
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_KEYBOARD):
                near += _KEYBOARD[_other][max(0, _c - 1) : _c + 1]
        _NEIGHBOURS[_ch] = near

_PINYIN = split_words(
    "an bao cheng chuang da de ding feng fu gao guang hai hao heng hong hua hui jia jian jin "
    "jing kai kang li lian long mei ming nan peng qi qiang qing rong rui sheng shun tai tian "
    "tong wei xiang xin xing yang yi ying yong yu yuan ze zhi zhong"
)
_ONSETS = split_words("b br c d dr f g gr k kl l m n p pr r s st t tr v z")
_VOWELS = split_words("a e i o u ai ei ou ia")
_CODAS = ["", "", "n", "r", "s", "x", "l", "m", "nt", "rk"]

GIVEN = split_words(
    "James Maria Wei Li Ahmed Fatima Olga Ivan Pierre Sophie Hans Anna Carlos Lucia Kenji Yuki "
    "Ravi Priya Ali Leila Tomasz Ewa Mehmet Ayse Kwame Amara Lars Ingrid Diego Camila John Sarah "
    "Dmitri Natalia Omar Noura Jin Mei Arjun Ananya Lukas Eva Mateo Valentina Emre Zeynep Kofi "
    "Nia Sven Astrid Hiroshi Sakura Paolo Giulia Andrei Elena Tariq Huda Chen Xiu"
)
SURNAMES = split_words(
    "Smith Garcia Wang Zhang Khan Ivanov Dubois Muller Rossi Silva Tanaka Sato Patel Sharma "
    "Nowak Kowalski Yilmaz Demir Mensah Okafor Hansen Larsen Fernandez Lopez Johnson Brown "
    "Petrov Volkova Haddad Nasser Kim Park Singh Gupta Schmidt Weber Martinez Gonzalez Ozturk "
    "Kaya Boateng Adeyemi Nielsen Berg Suzuki Takahashi Bianchi Romano Popescu Ionescu Rahman "
    "Hossain Liu Chen Zhao Huang Novak Horvat"
)
CITIES = split_words(
    "Hamburg Lyon Milan Porto Rotterdam Antwerp Gdansk Izmir Mumbai Chennai Osaka Busan "
    "Santos Valencia Dubai Durban Lagos Nairobi Toronto Denver Perth Auckland Lima Quito "
    "Ningbo Qingdao Dalian Xiamen Wuxi Suzhou Foshan Dongguan"
)
INDUSTRIES = split_words(
    "Trading Logistics Textiles Foods Electronics Machinery Consulting Holdings Pharma Shipping "
    "Energy Technology Software Chemicals Metals Plastics Furniture Packaging Agriculture "
    "Automotive Optics Ceramics Paper Apparel Marine Solar Medical Instruments"
)
COMPANY_FORMS = (
    "GmbH", "Ltd", "Co., Ltd.", "S.A.", "Inc.", "LLC", "B.V.", "S.r.l.", "AG", "Pty Ltd",
    "Sp. z o.o.", "Oy", "AB", "Limited", "Corp.",
)  # fmt: skip


def rng_for(*key: object) -> random.Random:
    """A generator seeded by ``key`` alone (stable across runs and processes)."""
    return random.Random(zlib.crc32(repr(key).encode()))


def words(name: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(name)]


def word_counts(names: Iterable[str]) -> Counter[str]:
    """In how many names each word occurs: frequent words are the lists' generic words."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(set(words(name)))
    return counts


def simple_key(name: str) -> str:
    """Casefolded words joined by one space: two names equal here are the same spelling."""
    return " ".join(words(name))


def made_up_word(rng: random.Random, taken: set[str], pinyin: bool | None = None) -> str:
    """A word on no list: two pinyin syllables ("Zhongrui") or a made-up brand ("Brakelon")."""
    while True:
        if pinyin if pinyin is not None else rng.random() < 0.5:
            word = rng.choice(_PINYIN) + rng.choice(_PINYIN)
        else:
            word = "".join(
                rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3))
            ) + rng.choice(_CODAS)
        if word not in taken and len(word) >= 5:
            return word.capitalize()


def _legal_end(name: str) -> int:
    """Where the trailing legal form starts (``len(name)`` when there is none)."""
    lowered = name.rstrip(" ,.").casefold()
    for ending in LEGAL_ENDINGS:
        if lowered.endswith(ending) and (
            len(lowered) == len(ending) or not lowered[-len(ending) - 1].isalnum()
        ):
            return len(lowered) - len(ending)
    return len(name)


def split_legal(name: str) -> tuple[str, str]:
    """(name without its legal form, the legal form as written)."""
    end = _legal_end(name)
    return name[:end].rstrip(" ,"), name[end:]


def legal_variant(name: str, rng: random.Random) -> str | None:
    """The name with another legal form (when it has one), and sometimes a word abbreviated or
    written out."""
    stem, legal = split_legal(name)
    tokens = stem.split()
    if len(tokens) < 1 or not stem:
        return None
    changed = False
    spots = [i for i, t in enumerate(tokens) if t.casefold().strip(",.") in ABBREVIATIONS]
    if spots and rng.random() < 0.6:
        i = rng.choice(spots)
        tokens[i] = ABBREVIATIONS[tokens[i].casefold().strip(",.")]
        changed = True
    if legal:  # a name without a legal form gets none: people and bodies carry none
        legal = rng.choice([f for f in LEGAL_FORMS if simple_key(f) != simple_key(legal)])
    elif not changed:
        return None
    comma = ", " if legal.startswith("Co.") else " "
    out = " ".join(tokens) + (comma + legal if legal else "")
    return out if simple_key(out) != simple_key(name) else None


def typo(name: str, rng: random.Random) -> str | None:
    """One edit (two in names of more than 12 letters): a neighbouring key, a dropped or
    doubled letter, or two letters swapped — never in the first letter of a word."""
    chars = list(name)
    edits = 1 if sum(c.isalpha() for c in name) <= 12 else 2
    for _ in range(edits):
        spans = [m.span() for m in WORD.finditer("".join(chars)) if m.end() - m.start() >= 4]
        spans = [s for s in spans if "".join(chars[s[0] : s[1]]).isascii()]
        if not spans:
            return None
        start, end = rng.choice(spans)
        i = rng.randrange(start + 1, end)
        c = chars[i]
        op = rng.choice(("sub", "del", "ins", "swap"))
        lower = c.lower()
        if op == "sub" and lower in _NEIGHBOURS:
            new = rng.choice(_NEIGHBOURS[lower])
            chars[i] = new.upper() if c.isupper() else new
        elif op == "del":
            del chars[i]
        elif op == "swap" and i + 1 < end and chars[i + 1] != c:
            chars[i], chars[i + 1] = chars[i + 1], c
        else:
            chars.insert(i, c)
    out = "".join(chars)
    return out if out != name else None


def reorder(name: str, person: bool, generic: frozenset[str]) -> str | None:
    """A person's given names first ("WANG, Zhiqing" → "Zhiqing WANG") or the last name moved
    to the front; a company's leading place moved to the end
    in brackets ("Megvii Technology (Beijing) Co., Ltd."), or its first two words swapped when
    neither is a generic or place word."""
    stem, legal = split_legal(name)
    tokens = [t.strip(",") for t in stem.split()]
    if len(tokens) < 2:
        return None
    if person and "," in stem:
        family, _, given = stem.partition(",")
        tokens = [*given.split(), *family.split()]
    elif person:
        tokens = [tokens[-1], *tokens[:-1]]
    elif tokens[0].casefold() in PLACE_WORDS:
        tokens = [*tokens[1:], f"({tokens[0]})"]
    elif all(t.isalpha() and t.casefold() not in generic for t in tokens[:2]):
        tokens[0], tokens[1] = tokens[1], tokens[0]
    else:
        return None
    out = " ".join(tokens) + (f" {legal.strip()}" if legal.strip() else "")
    return out if simple_key(out) != simple_key(name) else None


def counterparty(rng: random.Random, taken: set[str]) -> str:
    """A made-up company or person, built from no list name (it may still share words)."""
    if rng.random() < 0.3:
        return f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(CITIES))
    parts.append(made_up_word(rng, taken))
    if rng.random() < 0.7:
        parts.append(rng.choice(INDUSTRIES))
    parts.append(rng.choice(COMPANY_FORMS))
    return " ".join(parts)


class WordModel:
    """New words with the character statistics of the lists' own rare words: an order-2
    character chain trained on them, so a made-up word shares trigrams with real ones about
    as often as another real word would."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.next: dict[str, list[str]] = {}
        for word in sorted(vocabulary):
            padded = f"^^{word}$"
            for i in range(len(padded) - 2):
                self.next.setdefault(padded[i : i + 2], []).append(padded[i + 2])

    def word(self, rng: random.Random, length: int, taken: set[str]) -> str:
        for _ in range(50):
            context, out = "^^", ""
            while len(out) < length + 4:
                ch = rng.choice(self.next.get(context) or ["$"])
                if ch == "$":
                    break
                out += ch
                context = context[1] + ch
            if len(out) >= max(3, length - 3) and out not in taken:
                return out
        return made_up_word(rng, taken)


class Mutator:
    """Copies of list names for growing a list: every word that is rare on the lists is
    replaced by a new word from ``WordModel``, the same one wherever it occurs in copy ``k``,
    so an entity's aliases stay alike and the generic words keep their real frequencies."""

    def __init__(self, counts: Counter[str], common: int = 40) -> None:
        self.common = {w for w, n in counts.items() if n >= common}
        self.taken = set(counts)
        rare = [w for w in counts if w not in self.common and w.isascii() and w.isalpha()]
        self.model = WordModel(rare)
        self._memo: dict[tuple[str, int], str] = {}

    def name(self, name: str, k: int) -> str:
        return WORD.sub(lambda m: self._word(m.group(), k), name)

    def _word(self, word: str, k: int) -> str:
        folded = word.casefold()
        if folded in self.common or len(word) < 4 or not word.isascii() or word.isdigit():
            return _han(word, k) if not word.isascii() else word
        key = (folded, k)
        if key not in self._memo:
            rng = rng_for("grow", folded, k)
            self._memo[key] = self.model.word(rng, len(folded), self.taken).capitalize()
        new = self._memo[key]
        return new.upper() if word.isupper() else new


_HAN_KEEP = set("股份有限公司集团科技技术信息网络数字电子投资控股安全智能公安厅局学院")


def _han(word: str, k: int) -> str:
    out = []
    for ch in word:
        if "\u4e00" <= ch <= "\u9fff" and ch not in _HAN_KEEP:
            ch = chr(0x4E00 + zlib.crc32(f"{ch}{k}".encode()) % 0x5000)
        out.append(ch)
    return "".join(out)
