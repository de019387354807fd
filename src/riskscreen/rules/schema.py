"""Rule-pack schema: the pydantic models a ``rules/*.yaml`` pack must validate against.

A pack holds rules; a rule's ``when`` is a tree of conditions combined with all / any / not.
``riskscreen rules schema`` prints this as JSON Schema for editors.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from riskscreen.models import EntityKind, Severity

# FollowTheMoney topic keys we reuse, and our own under "rs." (users may add their own
# categories under "x.").
FTM_TOPICS = frozenset(
    {
        "sanction", "sanction.linked", "sanction.counter", "export.control", "export.risk",
        "debarment", "mil", "gov", "gov.soe", "gov.security", "crime", "reg.action",
        "reg.warn", "poi",
    }
)  # fmt: skip
OWN_CATEGORIES = frozenset(
    {
        "rs.surveillance", "rs.mcf", "rs.telecom", "rs.human_rights", "rs.partner",
        "rs.ai_champion",
    }
)  # fmt: skip

TEMPLATE_FIELDS = {
    "subject": "the entity's name, or the counterparty as typed when it is on no list",
    "query": "the counterparty as typed",
    "lists": "titles of the lists the cited listings are on",
    "listed_on": "the earliest listing date among the cited listings",
    "citation": "the first cited official notice (e.g. FR Doc. 2019-22210)",
    "partners": "the listed entities co-mentioned with the subject",
    "terms": "the evidence terms found in the quoted sentences",
    "quote": "the first quoted sentence",
    "articles": "how many articles are quoted",
}

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
MAX_PATTERN_LENGTH = 300


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class ListingCondition(_Model):
    """The subject has a listing that meets every constraint given."""

    lists: tuple[str, ...] = Field((), description="list ids; any of them (empty: any list)")
    programs: tuple[str, ...] = Field((), description="regular expressions on the program")
    cited: tuple[str, ...] = Field(
        (), description="substrings of the official citation (e.g. '2019-22210')"
    )
    listed_from: dt.date | None = Field(None, description="listed on or after this date")
    listed_until: dt.date | None = Field(None, description="listed on or before this date")
    status: Literal["active", "delisted", "any"] = "active"


class EntityCondition(_Model):
    """The subject is a listed entity whose attributes meet every constraint given."""

    kinds: tuple[EntityKind, ...] = ()
    countries: tuple[str, ...] = Field((), description="ISO 3166-1 alpha-2 codes; any of them")
    identifiers: tuple[str, ...] = Field((), description="identifier schemes; any of them")


class EvidenceCondition(_Model):
    """An article names the subject in a sentence that also holds the terms or patterns."""

    terms: tuple[str, ...] = Field((), description="words or phrases, any script, any case")
    patterns: tuple[str, ...] = Field((), description="regular expressions (bounded in time)")
    match: Literal["any", "all"] = Field("any", description="any or all terms and patterns")

    @model_validator(mode="after")
    def _needs_something(self) -> EvidenceCondition:
        if not self.terms and not self.patterns:
            raise ValueError("give at least one of 'terms' or 'patterns'")
        return self


class CoMentionCondition(_Model):
    """An article names the subject and another listed entity in one sentence."""

    lists: tuple[str, ...] = Field((), description="the other entity is on any of these lists")
    terms: tuple[str, ...] = Field((), description="the sentence also holds one of these")
    patterns: tuple[str, ...] = ()


class Condition(_Model):
    """Exactly one of: listing, entity, evidence, co_mention, all, any, not."""

    listing: ListingCondition | None = None
    entity: EntityCondition | None = None
    evidence: EvidenceCondition | None = None
    co_mention: CoMentionCondition | None = None
    all_: tuple[Condition, ...] | None = Field(None, alias="all", min_length=1)
    any_: tuple[Condition, ...] | None = Field(None, alias="any", min_length=1)
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "a condition needs exactly one of listing, entity, evidence, co_mention, "
                f"all, any, not (got {len(given)})"
            )
        return self


class RuleTest(_Model):
    """A counterparty and whether the rule must flag it (run by ``riskscreen rules test``)."""

    counterparty: str
    expect: Literal["flag", "no_flag"]


class Rule(_Model):
    id: str = Field(pattern=_ID)
    title: str
    category: str = Field(description="dotted vocabulary: FollowTheMoney topics, rs.*, x.*")
    severity: Severity
    when: Condition
    message: str = Field(description="template; fields: " + ", ".join(TEMPLATE_FIELDS))
    references: tuple[str, ...] = ()
    tests: tuple[RuleTest, ...] = Field(min_length=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value in FTM_TOPICS or value in OWN_CATEGORIES or value.startswith("x."):
            return value
        raise ValueError(
            f"unknown category '{value}': use a FollowTheMoney topic "
            f"({', '.join(sorted(FTM_TOPICS))}), one of {', '.join(sorted(OWN_CATEGORIES))}, "
            "or your own under 'x.'"
        )

    @field_validator("message")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
        except ValueError as exc:
            raise ValueError(f"bad template: {exc}") from None
        unknown = sorted({f for f in fields if f not in TEMPLATE_FIELDS})
        if unknown:
            raise ValueError(
                f"template names unknown field(s) {unknown}; known: {', '.join(TEMPLATE_FIELDS)}"
            )
        return value


class RulePack(_Model):
    id: str = Field(pattern=_ID)
    version: str
    title: str
    description: str | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_rule_ids(self) -> RulePack:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"duplicate rule id '{rule.id}'")
            seen.add(rule.id)
        return self
