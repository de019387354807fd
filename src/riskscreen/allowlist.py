"""Allowlist: a screening result + the compliance team's decisions → the result with reviews.

A YAML file of decisions (false positive or confirmed) is loaded and validated once; applying it
marks each match and flag a decision covers with a ``Review`` and recomputes the decision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, NoReturn, Self, TypeVar

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from riskscreen.decision import decide
from riskscreen.errors import ConfigError
from riskscreen.models import Counterparty, Entity, Flag, Judgement, Match, Review, ScreeningResult
from riskscreen.normalize import normalize
from riskscreen.yamlio import BadValueError, item_lines, load_yaml

_ID = r"[a-z0-9][a-z0-9_.-]*"
_HASH = r"[0-9a-f]{10}"
FINGERPRINT_PATTERN = rf"^fp1 names={_HASH}( [^\s=]+={_HASH})*$"
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _no_number(value: object) -> object:
    if isinstance(value, int | float):  # pydantic would read it as a Unix timestamp
        raise ValueError("write a date as YYYY-MM-DD")
    return value


_Day = Annotated[dt.date, BeforeValidator(_no_number)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CounterpartyRef(_Frozen):
    """Whom a decision is about: a customer id, or a name (compared normalized) and country."""

    id: _Text | None = None
    name: _Text | None = None  # with an id: for readers only, not compared
    country: _Text | None = None  # compared case-insensitively, only when there is no id

    @model_validator(mode="after")
    def _named(self) -> Self:
        if self.id is None and (self.name is None or not normalize(self.name)):
            raise ValueError("give the counterparty's id, or a name with more than legal forms")
        return self

    @property
    def key(self) -> tuple[str, ...]:
        if self.id is not None:
            return ("id", self.id)
        return ("name", normalize(self.name or ""), (self.country or "").casefold())


class AllowDecision(_Frozen):
    """One decision of the compliance team about one counterparty."""

    counterparty: CounterpartyRef
    entity: str | None = Field(None, pattern=f"^{_ID}$")
    rule: str | None = Field(None, pattern=f"^({_ID}/)?{_ID}$", validate_default=True)
    judgement: Judgement
    reason: _Text
    decided_by: _Text
    decided_on: _Day
    expires_on: _Day | None = None
    fingerprint: str | None = Field(None, pattern=FINGERPRINT_PATTERN)

    @field_validator("rule")
    @classmethod
    def _names_something(cls, rule: str | None, info: ValidationInfo) -> str | None:
        if rule is None and info.data.get("entity") is None:
            raise ValueError("a decision names an entity, a rule, or both")
        return rule

    @field_validator("expires_on")
    @classmethod
    def _after_decision(cls, day: dt.date | None, info: ValidationInfo) -> dt.date | None:
        decided = info.data.get("decided_on")
        if day is not None and decided is not None and day < decided:
            raise ValueError(f"expires before it was decided ({decided})")
        return day

    @field_validator("fingerprint")
    @classmethod
    def _of_entity(cls, fingerprint: str | None, info: ValidationInfo) -> str | None:
        if fingerprint is not None and info.data.get("entity") is None:
            raise ValueError("a fingerprint describes an entity's listings: give 'entity' too")
        return fingerprint


class AllowlistFile(_Frozen):
    """The file: a list of decisions, nothing else."""

    decisions: tuple[AllowDecision, ...]


def entity_fingerprint(entity: Entity) -> str:
    """``fp1 names=<h> <list id>=<h> …``: a 10-hex sha256 prefix of the sorted, deduplicated
    names (primary, aliases, names on lists), then one per list of that list's listings
    (name on list, program, listed on, delisted on), sorted. Order never matters."""
    rows: dict[str, list[list[str]]] = {}
    for x in entity.listings:
        dates = [d.isoformat() if d else "" for d in (x.listed_on, x.delisted_on)]
        rows.setdefault(x.list_id, []).append([x.name_on_list or "", x.program or "", *dates])
    parts: list[tuple[str, object]] = [("names", sorted(set(entity.all_names())))]
    parts += [(list_id, sorted(rows[list_id])) for list_id in sorted(rows)]
    return "fp1 " + " ".join(f"{key}={_digest(value)}" for key, value in parts)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:10]


def _changes(old: str, new: str) -> str:
    """What differs between two fingerprints, in words."""
    a, b = (dict(p.split("=", 1) for p in f.split()[1:]) for f in (old, new))
    said = ["names changed"] if a.get("names") != b.get("names") else []
    for key in sorted((a.keys() | b.keys()) - {"names"}):
        if a.get(key) != b.get(key):
            said.append(
                f"new listing on {key}" if key not in a
                else f"no longer on {key}" if key not in b
                else f"listing on {key} changed"
            )  # fmt: skip
    return "; ".join(said) or f"fingerprint was {old!r}, now {new!r}"  # hand-reordered parts


_Item = TypeVar("_Item", Match, Flag)
_Placed = tuple[AllowDecision, int]  # a decision and its line in the file


@dataclass(frozen=True)
class Allowlist:
    """Validated decisions, with the file's path and sha256 for the audit manifest."""

    file: str
    sha256: str
    decisions: tuple[AllowDecision, ...]
    lines: tuple[int, ...]  # 1-based line of each decision

    @cached_property
    def _by_key(self) -> dict[tuple[str, ...], list[_Placed]]:
        index: dict[tuple[str, ...], list[_Placed]] = {}
        for placed in zip(self.decisions, self.lines, strict=True):
            index.setdefault(placed[0].counterparty.key, []).append(placed)
        return index

    def for_counterparty(self, counterparty: Counterparty) -> list[_Placed]:
        """The decisions (with their lines) that apply to ``counterparty``."""
        name = normalize(counterparty.name)
        country = (counterparty.country or "").casefold()
        keys: list[tuple[str, ...]] = [("name", name, ""), ("name", name, country)]
        keys += [("id", counterparty.id)] if counterparty.id else []
        return [p for key in dict.fromkeys(keys) for p in self._by_key.get(key, ())]

    def apply(
        self, result: ScreeningResult, counterparty: Counterparty, *, today: dt.date | None = None
    ) -> ScreeningResult:
        """``result`` with a ``Review`` on every match and flag a decision covers, and the
        decision recomputed. Items no decision covers keep the review they had."""
        mine = self.for_counterparty(counterparty)
        if not mine:
            return result
        day = today or dt.date.today()
        entities = {m.entity.id: m.entity for m in result.matches}

        def annotate(item: _Item, covering: list[_Placed]) -> _Item:
            if not covering:
                return item
            d, line = max(covering, key=_precedence)
            entity = entities.get(d.entity) if d.entity else None
            return item.model_copy(update={"review": self._review(d, line, entity, day)})

        items: tuple[Match | Flag, ...] = (*result.matches, *result.flags)
        covering = [(item, [p for p in mine if _covers(p[0], item, entities)]) for item in items]
        matches = tuple(annotate(m, c) for m, c in covering if isinstance(m, Match))
        flags = tuple(annotate(f, c) for f, c in covering if isinstance(f, Flag))
        update = {
            "matches": matches,
            "flags": flags,
            "decision": decide(matches, flags),
            "allowlist_sha256": self.sha256,
        }
        return result.model_copy(update=update)

    def unused(self, results: Iterable[ScreeningResult]) -> tuple[_Placed, ...]:
        """Decisions (with their lines) that reviewed nothing in ``results``."""
        used = {r.allowlist_line for r in _reviews(results) if r.allowlist_file == self.file}
        return tuple(p for p in zip(self.decisions, self.lines, strict=True) if p[1] not in used)

    def _review(self, d: AllowDecision, line: int, entity: Entity | None, day: dt.date) -> Review:
        why = _reopened_because(d, entity, day)
        standing = "suppressed" if d.judgement is Judgement.FALSE_POSITIVE else "confirmed"
        copied = d.model_dump(include=set(Review.model_fields) & set(AllowDecision.model_fields))
        return Review(status="reopened" if why else standing, reopened_because=why,
                      allowlist_file=self.file, allowlist_line=line, **copied)  # fmt: skip


def _reviews(results: Iterable[ScreeningResult]) -> Iterator[Review]:
    for result in results:
        yield from (m.review for m in result.matches if m.review)
        yield from (f.review for f in result.flags if f.review)


def _covers(d: AllowDecision, item: Match | Flag, entities: dict[str, Entity]) -> bool:
    if isinstance(item, Match):
        # A judgement on one rule's flag says nothing about whether the name match is right.
        return d.entity == item.entity.id and d.rule is None
    if d.rule is not None and d.rule not in (f"{item.pack_id}/{item.rule_id}", item.rule_id):
        return False
    if d.entity is not None:
        return item.subject == d.entity
    return item.subject not in entities  # a rule alone: the counterparty as typed


def _precedence(placed: _Placed) -> tuple[bool, bool, dt.date, int]:
    """Entity and rule beat either alone; an id beats a name; then the latest decision."""
    d, line = placed
    return (d.entity is not None and d.rule is not None, d.counterparty.id is not None,
            d.decided_on, line)  # fmt: skip


def _reopened_because(d: AllowDecision, entity: Entity | None, day: dt.date) -> str | None:
    why = [f"expired on {d.expires_on}"] if d.expires_on and d.expires_on < day else []
    if d.fingerprint and entity is None:
        why.append(f"entity '{d.entity}' is not among the matches: fingerprint cannot be checked")
    elif d.fingerprint and entity and d.fingerprint != (now := entity_fingerprint(entity)):
        why.append(f"listings changed since the decision ({_changes(d.fingerprint, now)})")
    return "; ".join(why) or None


def load_allowlist(path: str | Path) -> Allowlist:
    """Read and validate an allowlist file; every problem is a ``ConfigError`` naming the file,
    the line and number of the decision, and the field."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
        document, root = _parse(raw.decode("utf-8"), name)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read allowlist: {exc}", file=name) from None
    if not isinstance(document, dict) or not isinstance(document.get("decisions"), list):
        raise ConfigError("an allowlist is a mapping with a list 'decisions'", file=name, line=1)
    starts = item_lines(root, "decisions")
    lines = tuple(starts.get(i, 1) for i in range(len(document["decisions"])))
    decisions = tuple(
        _validated(AllowDecision, item, name, lines[i], f"decision {i + 1}")
        for i, item in enumerate(document["decisions"])
    )
    _validated(AllowlistFile, {**document, "decisions": decisions}, name, 1, None)
    seen: dict[tuple[object, ...], int] = {}
    for i, d in enumerate(decisions):
        first = seen.setdefault((*d.counterparty.key, d.entity, d.rule), i)
        if first != i:
            raise ConfigError(
                f"same counterparty, entity and rule as decision {first + 1} (line {lines[first]})",
                file=name,
                line=lines[i],
                entry=f"decision {i + 1}",
                field="counterparty+entity+rule",
            )
    return Allowlist(name, hashlib.sha256(raw).hexdigest(), decisions, lines)


_Model = TypeVar("_Model", AllowDecision, AllowlistFile)


def _validated(
    model: type[_Model], data: object, file: str | None, line: int | None, entry: str | None
) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = error["msg"].removeprefix("Value error, ")
        field = ".".join(str(p) for p in error["loc"]) or None
        raise ConfigError(message, file=file, line=line, entry=entry, field=field) from None


class _DatesAsText(yaml.SafeLoader):
    """Reads an impossible date ("2026-02-30") as text, so pydantic says which field it is."""


def _date_text(loader: _DatesAsText, node: yaml.Node) -> str:
    return str(node.value)


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", _date_text)


def _parse(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    try:
        return load_yaml(text)
    except BadValueError:
        # A value that is no valid date: read dates as text so pydantic names the field.
        return yaml.load(text, Loader=_DatesAsText), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return _failed(exc, text, name)


def _failed(exc: yaml.YAMLError, text: str, name: str) -> NoReturn:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    line, entry, field = _locate(text, line) if line else (line, None, None)
    problem = getattr(exc, "problem", None) or str(exc)
    raise ConfigError(f"invalid YAML: {problem}", file=name, line=line, entry=entry,
                      field=field) from None  # fmt: skip


def _locate(text: str, line: int) -> tuple[int, str | None, str | None]:
    """The line and number of the decision holding ``line``, and its key there, for an error
    raised while constructing values (an unsafe tag); just ``line`` for a syntax error."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return line, None, None
    starts = item_lines(root, "decisions")
    index = max((i for i, start in starts.items() if start <= line), default=None)
    if index is None or not isinstance(root, yaml.MappingNode):
        return line, None, None
    item = next(v for k, v in root.value if k.value == "decisions").value[index]
    keys = item.value if isinstance(item, yaml.MappingNode) else []
    field = [k.value for k, _ in keys if k.start_mark.line < line]
    return starts[index], f"decision {index + 1}", field[-1] if field else None


class _Indented(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def decision_template(
    result: ScreeningResult,
    counterparty: Counterparty,
    *,
    entity_id: str | None = None,
    rule: str | None = None,
    judgement: Judgement | str,
    reason: str,
    decided_by: str,
    today: dt.date,
    expires_on: dt.date | None = None,
) -> str:
    """One decision as YAML lines to add under ``decisions:``, with the entity's current
    fingerprint. Raises ``ConfigError`` when it would cover nothing in ``result``."""
    entities = {m.entity.id: m.entity for m in result.matches}
    if entity_id is not None and entity_id not in entities:
        raise ConfigError(f"not among the matches for {result.query!r}", entry=entity_id,
                          field="entity")  # fmt: skip
    ref = {"id": counterparty.id, "name": counterparty.name, "country": counterparty.country}
    data = {
        "counterparty": {k: v for k, v in ref.items() if v},
        "entity": entity_id,
        "rule": rule,
        "judgement": judgement,
        "reason": reason,
        "decided_by": decided_by,
        "decided_on": today,
        "expires_on": expires_on,
        "fingerprint": entity_fingerprint(entities[entity_id]) if entity_id else None,
    }
    d = _validated(AllowDecision, data, None, None, None)
    items: tuple[Match | Flag, ...] = (*result.matches, *result.flags)
    if not any(_covers(d, item, entities) for item in items):
        raise ConfigError(f"this decision would cover no match or flag of {result.query!r}")
    plain = d.model_dump(exclude_none=True) | {"judgement": d.judgement.value}
    text = yaml.dump({"decisions": [plain]}, Dumper=_Indented, sort_keys=False, width=200,
                     default_flow_style=None, allow_unicode=True)  # fmt: skip
    return text.split("\n", 1)[1]
