"""Dev set cases: what each category is, how it is made, and one labelled case."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES: dict[str, tuple[bool, str, str]] = {
    # name: (a match?, group, how it is made)
    "alias": (True, "latin", "a listed alias (held out) vs the entity's other names"),
    "transliteration": (
        True,
        "places",
        "a listed alias differing from another name in one rare word (Kashi/Kashgar, "
        "Hotan/Hetian, Kumul/Hami), held out",
    ),
    "legal-form": (True, "latin", "a list name with another legal form, a word abbreviated"),
    "typo": (True, "latin", "a list name with 1–2 seeded keyboard edits"),
    "word-order": (True, "latin", "a person's family name first; two company words swapped"),
    "chinese": (
        True,
        "chinese",
        "a listed Chinese name vs the entity's English names only (Chinese names removed)",
    ),
    "chinese-variant": (
        True,
        "chinese",
        "a listed Chinese name in traditional characters, without or with another legal form",
    ),
    "generic-words": (
        False,
        "latin",
        "a company name with its distinctive words replaced by made-up ones (same generic "
        "words, places and legal form) vs the original",
    ),
    "list-negative": (
        False,
        "latin",
        "two list entities sharing only generic words (or a common given name)",
    ),
    "other-city-psb": (False, "places", "a listed bureau's name with another Chinese city"),
    "place-company": (
        False,
        "places",
        "a bureau's place name + generic company words (Hotan Trading Co., Ltd.) vs the bureau",
    ),
    "homophone": (
        False,
        "chinese",
        "a listed Chinese name with one character replaced by a same-pinyin one (华为 → 华伟)",
    ),
}
GROUPS = {
    "latin": "Latin-script companies and people",
    "places": "places, bureaus, transliteration",
    "chinese": "Chinese names",
}


@dataclass(frozen=True)
class Case:
    category: str
    query: str
    target: str  # entity id
    source: str  # the list name it was made from
    view: str = "main"  # "main": held-out lists; "latin": the Chinese-named entities without them

    @property
    def positive(self) -> bool:
        return CATEGORIES[self.category][0]
