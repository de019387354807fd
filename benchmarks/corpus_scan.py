"""Corpus scan: synthetic articles with list names planted at known offsets → how fast
``CorpusIndex`` finds every list entity's mentions, and how many planted names it finds.

Articles are filler sentences from templates with list names (as written on the list) put
in; one in ten is Chinese with a Chinese list name where the lists have one.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks import hanzi, synth
from riskscreen.evidence.mentions import CorpusIndex
from riskscreen.index import NameIndex
from riskscreen.models import Article, Entity

_EN = (
    "{a} signed a supply agreement with {b} last week.",
    "Analysts said {a} had expanded its operations in {city}.",
    "According to filings, {a} works closely with {b}.",
    "{a} declined to comment on the report.",
    "The contract was awarded to {a} after a public tender.",
    "Shares linked to {a} fell sharply on Tuesday.",
)
_EN_FILLER = (
    "The ministry published new guidance on export licensing.",
    "Trade volumes rose modestly in the third quarter.",
    "Officials did not respond to requests for comment.",
    "The company reported revenue growth of twelve percent.",
    "Several industry groups welcomed the decision.",
    "The agreement is expected to take effect next year.",
    "Market observers expect further consolidation in the sector.",
    "Local media reported the story on Monday.",
)
_ZH = ("{a}与{b}签署了合作协议。", "据报道，{a}在{city}扩大了业务。", "{a}拒绝就此事发表评论。")
_ZH_FILLER = (
    "该部门发布了新的出口许可指南。",
    "第三季度贸易量小幅增长。",
    "业内人士预计该行业将进一步整合。",
    "当地媒体周一报道了这一消息。",
)


@dataclass(frozen=True)
class Planted:
    article: int
    start: int
    end: int
    names: frozenset[str]  # every name of the planted entity


def articles(entities: Sequence[Entity], n: int) -> tuple[list[Article], list[Planted]]:
    rng = synth.rng_for("articles")
    latin = [e for e in entities if any(not hanzi.has_han(x) for x in e.all_names())]
    han = [e for e in entities if any(hanzi.has_han(x) for x in e.all_names())]
    out: list[Article] = []
    planted: list[Planted] = []
    for i in range(n):
        chinese = bool(han) and rng.random() < 0.1
        pool, templates, filler = (han, _ZH, _ZH_FILLER) if chinese else (latin, _EN, _EN_FILLER)
        text = ""
        for _ in range(rng.randint(8, 16)):
            if rng.random() < 0.25:
                template = rng.choice(templates)
                parts = re.split(r"(\{a\}|\{b\}|\{city\})", template)
                for part in parts:
                    if part in ("{a}", "{b}"):
                        entity = rng.choice(pool)
                        names = [x for x in entity.all_names() if hanzi.has_han(x) == chinese]
                        name = rng.choice(names)
                        planted.append(
                            Planted(
                                i, len(text), len(text) + len(name), frozenset(entity.all_names())
                            )
                        )
                        text += name
                    elif part == "{city}":
                        text += rng.choice(synth.CITIES)
                    else:
                        text += part
            else:
                text += rng.choice(filler)
            text += "" if chinese else " "
        text = text.rstrip()
        out.append(
            Article(
                id=f"bench-{i:05d}",
                title=f"Synthetic article {i}",
                language="zh" if chinese else "en",
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    return out, planted


@dataclass(frozen=True)
class Scan:
    articles: int
    characters: int
    seconds: float
    floor_seconds: float  # tokenizing the same text with one regex: the floor any scan pays
    mentions: int
    planted: int
    found: int  # planted names inside some mention
    attributed: int  # … of an entity that has that name


def scan(index: NameIndex, n: int) -> Scan:
    docs, planted = articles(index.entities, n)
    started = time.perf_counter()
    for doc in docs:
        re.findall(r"\w+", doc.text.casefold())
    floor = time.perf_counter() - started
    started = time.perf_counter()
    corpus = CorpusIndex(docs, index.entities, index.mention_patterns)
    seconds = time.perf_counter() - started
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for entity, found in enumerate(corpus.entity_mentions):
        for m in found:
            spans.setdefault(m.article, []).append((m.start, m.end, entity))
    hit = attributed = 0
    for p in planted:
        over = [e for s, t, e in spans.get(p.article, ()) if s < p.end and p.start < t]
        hit += bool(over)
        attributed += any(set(index.entities[e].all_names()) & p.names for e in over)
    return Scan(
        len(docs),
        sum(len(d.text) for d in docs),
        seconds,
        floor,
        sum(len(v) for v in spans.values()),
        len(planted),
        hit,
        attributed,
    )
