"""Hard negatives for the dev set: names that share generic words, places or a listed bureau's
place name with a list entity, but are by construction a different party.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from benchmarks import synth
from benchmarks.cases import Case
from riskscreen.models import Entity, EntityKind

# Words that say what kind of body or where, not which one. Written for this benchmark (not
# taken from riskscreen's vocabulary), including the transliterated Russian legal forms of
# the SDN list.
GENERIC_WORDS = synth.PLACE_WORDS | frozenset(
    synth.split_words(
        """
    a and of the for de s c l v i e co ltd limited company corp corporation inc llc jsc ooo
    ao oao pao zao pte pvt pty gmbh sa plc obshchestvo ogranichennoi otvetstvennostyu
    aktsionernoe joint stock liability public private
    technology technologies tech science sciences scientific development digital information
    electronic electronics communication communications network networks group holding
    holdings international industry industries industrial trading trade import export
    engineering equipment machinery manufacturing research institute university academy
    center centre software system systems services service energy power electric electrical
    chemical chemicals material materials investment capital bank shipping logistics aviation
    aerospace defense defence security semiconductor optical optics instrument instruments
    precision automation intelligent intelligence smart cloud data computing mobile telecom
    telecommunications new global general national state municipal enterprise enterprises
    plant factory design production management association construction petroleum oil gas
    metals steel medical pharmaceutical marine trading agency office
    china chinese beijing shanghai shenzhen guangzhou hangzhou tianjin chongqing wuhan nanjing
    chengdu xian xiamen harbin shenyang dalian qingdao suzhou changsha hefei jinan zhengzhou
    hong kong macau taiwan russia russian iran iranian syria syrian korea pakistan india uae
    dubai moscow east west north south asia pacific middle
    """
    )
)
# Chinese cities outside Xinjiang, for bureaus "of another city".
OTHER_CITIES = synth.split_words(
    "Lanzhou Xining Yinchuan Hohhot Lhasa Kunming Guiyang Nanning Harbin Changchun Jinan "
    "Zhengzhou Taiyuan Nanchang Fuzhou Haikou Wenzhou Baotou Luoyang Datong"
)
_ADMIN = frozenset(
    synth.split_words(
        "municipality municipal prefecture district autonomous region county city public "
        "bureau peoples people's government production mongolian kazakh kyrgyz hui uyghur "
        "ministry department of the"
    )
)
_COMPANY_ENDINGS = (
    "Trading Co., Ltd.", "Cotton Textile Co., Ltd.", "Technology Co., Ltd.",
    "Logistics Co., Ltd.", "Fruit Industry Co., Ltd.", "Construction Group Co., Ltd.",
    "Import and Export Co., Ltd.", "Hotel Management Co., Ltd.",
)  # fmt: skip
PERSON_COMMON = 100  # a given name shared by this many list names is not distinctive


def generic_negatives(order: Sequence[Entity], taken: set[str], limit: int) -> list[Case]:
    """A company name with its distinctive words made up: "Beijing Megvii Technology Co.,
    Ltd." → "Beijing Zhongrui Technology Co., Ltd."."""
    cases: list[Case] = []
    for entity in order:
        if len(cases) >= limit:
            break
        if entity.kind is not EntityKind.ORGANIZATION:
            continue
        rng = synth.rng_for("generic", entity.id)
        tokens = synth.WORD.findall(entity.name)
        keep = [t for t in tokens if t.casefold() in GENERIC_WORDS or t.isdigit()]
        swap = [t for t in tokens if t not in keep]
        if not swap or not any(len(t) >= 4 for t in keep):
            continue
        new = {t: _case_like(t, synth.made_up_word(rng, taken)) for t in swap}
        query = synth.WORD.sub(partial(_replace, new), entity.name)
        cases.append(Case("generic-words", query, entity.id, entity.name))
    return cases


def _replace(new: dict[str, str], match: re.Match[str]) -> str:
    return new.get(match.group(), match.group())


def _case_like(model: str, word: str) -> str:
    return word.upper() if model.isupper() else word


def list_negatives(order: Sequence[Entity], counts: dict[str, int], limit: int) -> list[Case]:
    """Two list entities of one kind sharing only generic words (companies) or only given
    names common on the lists (people); each has a word the other lacks."""
    words = {e.id: set(synth.words(e.name)) for e in order}
    holders: dict[str, list[Entity]] = defaultdict(list)
    for entity in order:
        for word in words[entity.id]:
            holders[word].append(entity)
    cases: list[Case] = []
    for a in order:
        if len(cases) >= limit:
            break
        rng = synth.rng_for("listneg", a.id)
        for word in sorted(words[a.id]):
            others = [b for b in holders[word] if b.id != a.id and b.kind is a.kind]
            if not others or a.kind is EntityKind.VESSEL:
                continue
            b = rng.choice(others)
            shared = words[a.id] & words[b.id]
            if words[a.id] <= words[b.id] or words[b.id] <= words[a.id]:
                continue
            if all(_generic(w, a.kind, counts) for w in shared):
                cases.append(Case("list-negative", a.name, b.id, b.name))
                break
    return cases


def _generic(word: str, kind: EntityKind, counts: dict[str, int]) -> bool:
    if kind is EntityKind.PERSON:
        return counts.get(word, 0) >= PERSON_COMMON
    return word in GENERIC_WORDS


def place_negatives(order: Sequence[Entity], taken: set[str], limit: int) -> list[Case]:
    """A listed bureau's name with another city, and companies named after its place."""
    listed = {synth.simple_key(n) for e in order for n in e.all_names()}
    cases: list[Case] = []
    companies: list[Case] = []
    for entity in order:
        names = [n for n in entity.all_names() if "public security" in n.casefold()]
        if not names:
            continue
        rng = synth.rng_for("place", entity.id)
        places = {p for p in (_place(n) for n in names) if p}
        for name in names[:1]:
            place = _place(name)
            if not place:
                continue
            for city in rng.sample(OTHER_CITIES, 3):
                query = city + name[len(place) :]
                if place.isupper():
                    query = query.upper()
                if synth.simple_key(query) not in listed and len(cases) < limit:
                    cases.append(Case("other-city-psb", query, entity.id, name))
        for place in sorted(places):
            for ending in rng.sample(_COMPANY_ENDINGS, 2):
                query = f"{place.title()} {ending}"
                if synth.simple_key(query) not in listed and len(companies) < limit:
                    companies.append(Case("place-company", query, entity.id, names[0]))
    return cases + companies


def _place(name: str) -> str:
    """The words before the first administrative word: "Kashgar" of "Kashgar Prefecture …"."""
    tokens = name.split()
    out = []
    for token in tokens:
        if token.casefold().strip("(),") in _ADMIN or token.startswith("("):
            break
        out.append(token)
    if not out or len(out) == len(tokens):
        return ""
    return " ".join(out)
