"""Allowlist: decisions load with located errors, suppress or reopen items, and fingerprints
notice when an entity's listings change."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from riskscreen import ConfigError, Decision, Entity, Screener, ScreeningResult
from riskscreen.allowlist import (
    FINGERPRINT_PATTERN,
    AllowDecision,
    Allowlist,
    decision_template,
    entity_fingerprint,
    load_allowlist,
)
from riskscreen.decision import decide
from riskscreen.models import Alias, Counterparty, Judgement, Listing

FIXTURE = Path(__file__).parent / "data" / "allowlist" / "decisions.yaml"
DAY = dt.date(2026, 12, 1)
HOTEL = Counterparty(id="C-1001", name="Hikvision Hotel Ltd.")


@pytest.fixture(scope="module")
def allowlist() -> Allowlist:
    return load_allowlist(FIXTURE)


@pytest.fixture(scope="module")
def hotel(screener: Screener) -> ScreeningResult:
    return screener.screen("Hikvision Hotel")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "allowlist.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one(entry: str, tmp_path: Path) -> Allowlist:
    return load_allowlist(write(tmp_path, "decisions:\n" + entry))


def entry(**fields: str) -> str:
    """One decision in YAML, defaults overridden by ``fields``."""
    values = {
        "counterparty": '{id: "C-1"}',
        "entity": "hikvision",
        "judgement": "false_positive",
        "reason": "a hotel",
        "decided_by": "j.doe",
        "decided_on": "2026-11-02",
        **fields,
    }
    lines = [f"{key}: {value}" for key, value in values.items() if value != "<omit>"]
    return "  - " + "\n    ".join(lines) + "\n"


def test_fixture_loads_with_lines_and_hash(allowlist: Allowlist) -> None:
    assert allowlist.file == str(FIXTURE)
    assert allowlist.sha256 == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert allowlist.lines == (4, 12, 19, 26)
    assert [d.judgement for d in allowlist.decisions] == [Judgement.FALSE_POSITIVE] * 3 + [
        Judgement.CONFIRMED
    ]


# --- applying -----------------------------------------------------------------------------


def test_false_positive_is_kept_with_its_review_and_lowers_the_decision(
    allowlist: Allowlist, hotel: ScreeningResult
) -> None:
    assert hotel.decision is Decision.HIT
    out = allowlist.apply(hotel, HOTEL, today=DAY)
    assert out.decision is Decision.CLEAR
    assert [m.entity.id for m in out.matches] == [m.entity.id for m in hotel.matches]
    review = out.matches[0].review
    assert review is not None
    assert review.status == "suppressed"
    assert review.judgement is Judgement.FALSE_POSITIVE
    assert review.reason.startswith("A hotel in Lisbon")
    assert (review.allowlist_file, review.allowlist_line) == (str(FIXTURE), 4)
    assert len(out.flags) == len(hotel.flags) > 0
    assert all(f.review == review for f in out.flags)
    assert hotel.matches[0].review is None, "the input result is not changed"


def test_review_becomes_clear_when_the_only_match_is_suppressed(
    allowlist: Allowlist, hotel: ScreeningResult
) -> None:
    weak = hotel.model_copy(update={"flags": (), "decision": decide(hotel.matches, ())})
    assert weak.decision is Decision.REVIEW
    assert allowlist.apply(weak, HOTEL, today=DAY).decision is Decision.CLEAR


def test_other_matches_still_count(screener: Screener, tmp_path: Path) -> None:
    megvii = screener.screen("Megvii")
    assert {m.entity.id for m in megvii.matches} == {
        "megvii-technology",
        "beijing-megvii-technology",
    }
    allowlist = one(entry(counterparty='{id: "C-1"}', entity="megvii-technology"), tmp_path)
    out = allowlist.apply(megvii, Counterparty(id="C-1", name="Megvii"), today=DAY)
    assert out.decision is Decision.HIT
    reviewed = {m.entity.id: m.review and m.review.status for m in out.matches}
    assert reviewed == {"megvii-technology": "suppressed", "beijing-megvii-technology": None}
    by_subject = {(f.subject, f.review is not None) for f in out.flags}
    assert ("beijing-megvii-technology", False) in by_subject
    assert ("megvii-technology", True) in by_subject


def test_confirmed_stays_confirmed_and_suppresses_nothing(
    allowlist: Allowlist, screener: Screener
) -> None:
    megvii = screener.screen("Megvii")
    out = allowlist.apply(megvii, Counterparty(id="C-3003", name="Megvii"), today=DAY)
    assert out.decision is Decision.HIT
    match = next(m for m in out.matches if m.entity.id == "megvii-technology")
    assert match.review is not None
    assert (match.review.status, match.review.judgement) == ("confirmed", Judgement.CONFIRMED)
    assert decide([match], []) is Decision.HIT


def test_id_decides_not_the_name(allowlist: Allowlist, hotel: ScreeningResult) -> None:
    renamed = Counterparty(id="C-1001", name="Something else entirely")
    assert allowlist.apply(hotel, renamed, today=DAY).decision is Decision.CLEAR
    for other in (Counterparty(id="C-9", name=HOTEL.name), Counterparty(name=HOTEL.name)):
        assert allowlist.apply(hotel, other, today=DAY) == hotel


@pytest.mark.parametrize(
    ("name", "country", "applies"),
    [
        ("Hua Xia Bank Co., Ltd.", "CN", True),
        ("HUA XIA BANK CO LTD", "cn", True),
        ("hua xia bank", "CN", True),
        ("HUA XIA BANK CO LTD", "HK", False),
        ("HUA XIA BANK CO LTD", None, False),
        ("Hua Xia Bank Holdings", "CN", False),
    ],
)
def test_name_and_country_match_after_normalization(
    allowlist: Allowlist, name: str, country: str | None, applies: bool
) -> None:
    found = allowlist.for_counterparty(Counterparty(name=name, country=country))
    assert [line for _, line in found] == ([12] if applies else [])


def test_name_decision_without_country_applies_in_any_country(allowlist: Allowlist) -> None:
    for country in (None, "CN", "US"):
        found = allowlist.for_counterparty(Counterparty(name="BAIDU", country=country))
        assert [line for _, line in found] == [19]


def test_name_decision_applies_to_a_counterparty_with_an_id(allowlist: Allowlist) -> None:
    found = allowlist.for_counterparty(Counterparty(id="C-77", name="Baidu"))
    assert [line for _, line in found] == [19]


def test_rule_only_decision_for_an_unlisted_counterparty(
    allowlist: Allowlist, screener: Screener
) -> None:
    baidu = screener.screen("Baidu")
    assert (baidu.matches, baidu.decision) == ((), Decision.REVIEW)
    assert [(f.pack_id, f.rule_id, f.subject) for f in baidu.flags] == [
        ("partnership", "partner-of-listed-entity", "Baidu")
    ]
    out = allowlist.apply(baidu, Counterparty(name="Baidu, Inc."), today=DAY)
    assert out.decision is Decision.CLEAR
    assert out.flags[0].review is not None
    assert out.flags[0].review.status == "suppressed"


def test_bare_rule_id_covers_the_flag(screener: Screener, tmp_path: Path) -> None:
    baidu = screener.screen("Baidu")
    bare = one(
        entry(counterparty="{name: Baidu}", entity="<omit>", rule="partner-of-listed-entity"),
        tmp_path,
    )
    assert bare.apply(baidu, Counterparty(name="Baidu"), today=DAY).decision is Decision.CLEAR


def test_rule_only_decision_leaves_flags_on_matched_entities(
    hotel: ScreeningResult, tmp_path: Path
) -> None:
    rule = "surveillance/surveillance-link"
    allowlist = one(entry(entity="<omit>", rule=rule), tmp_path)
    assert any(f"{f.pack_id}/{f.rule_id}" == rule for f in hotel.flags)
    applied = allowlist.apply(hotel, Counterparty(id="C-1", name="x"), today=DAY)
    assert applied.allowlist_sha256 == allowlist.sha256  # recorded, though nothing applied
    assert applied.model_copy(update={"allowlist_sha256": None}) == hotel


def test_entity_and_rule_cover_that_flag_only(hotel: ScreeningResult, tmp_path: Path) -> None:
    allowlist = one(entry(rule="surveillance/surveillance-link"), tmp_path)
    out = allowlist.apply(hotel, Counterparty(id="C-1", name="x"), today=DAY)
    assert out.matches[0].review is None, "a judgement on a flag is not one on the match"
    assert {f.rule_id for f in out.flags if f.review} == {"surveillance-link"}
    assert out.decision is Decision.HIT


def test_the_more_specific_decision_wins(hotel: ScreeningResult, tmp_path: Path) -> None:
    text = "decisions:\n" + entry() + entry(rule="surveillance-link", judgement="confirmed")
    out = load_allowlist(write(tmp_path, text)).apply(hotel, Counterparty(id="C-1", name="x"))
    status = {f.rule_id: f.review and f.review.status for f in out.flags}
    assert status.pop("surveillance-link") == "confirmed"
    assert set(status.values()) == {"suppressed"}
    assert out.matches[0].review is not None
    assert out.matches[0].review.status == "suppressed"
    assert out.decision is Decision.REVIEW  # the confirmed flag still counts


def test_decision_on_an_entity_that_did_not_match_changes_nothing(
    allowlist: Allowlist, screener: Screener
) -> None:
    result = screener.screen("Huawei Bank")
    assert result.matches
    other = allowlist.apply(result, HOTEL, today=DAY)
    assert other.model_copy(update={"allowlist_sha256": None}) == result
    assert [line for _, line in allowlist.unused([other])] == [4, 12, 19, 26]


def test_unused_lists_decisions_that_reviewed_nothing(
    allowlist: Allowlist, hotel: ScreeningResult
) -> None:
    out = allowlist.apply(hotel, HOTEL, today=DAY)
    assert [line for _, line in allowlist.unused([out])] == [12, 19, 26]


def test_applying_twice_changes_nothing_more(allowlist: Allowlist, hotel: ScreeningResult) -> None:
    once = allowlist.apply(hotel, HOTEL, today=DAY)
    assert allowlist.apply(once, HOTEL, today=DAY) == once


# --- reopening ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [(dt.date(2027, 5, 2), "suppressed"), (dt.date(2027, 5, 3), "reopened")],
)
def test_expiry_reopens(
    allowlist: Allowlist, hotel: ScreeningResult, today: dt.date, status: str
) -> None:
    out = allowlist.apply(hotel, HOTEL, today=today)
    review = out.matches[0].review
    assert review is not None
    assert review.status == status
    if status == "reopened":
        assert review.reopened_because == "expired on 2027-05-02"
        assert out.decision is Decision.HIT
    else:
        assert review.reopened_because is None


def with_entity(result: ScreeningResult, entity: Entity) -> ScreeningResult:
    match = result.matches[0].model_copy(update={"entity": entity})
    return result.model_copy(update={"matches": (match, *result.matches[1:])})


def changed_listing(entity: Entity, **update: object) -> Entity:
    first = entity.listings[0].model_copy(update=update)
    return entity.model_copy(update={"listings": (first, *entity.listings[1:])})


CHANGES: dict[str, tuple[Callable[[Entity], Entity], str]] = {
    "new listing": (
        lambda e: e.model_copy(
            update={
                "listings": (*e.listings, Listing(list_id="us-ofac-sdn", program="CHINA-EO13936"))
            }
        ),
        "new listing on us-ofac-sdn",
    ),
    "name on list": (
        lambda e: changed_listing(e, name_on_list="Hikvision Hotel Group"),
        "names changed; listing on us-bis-entity-list changed",
    ),
    "program": (
        lambda e: changed_listing(e, program="EAR 744.11"),
        "listing on us-bis-entity-list changed",
    ),
    "delisted": (
        lambda e: changed_listing(e, delisted_on=dt.date(2027, 1, 1)),
        "listing on us-bis-entity-list changed",
    ),
    "removed": (
        lambda e: e.model_copy(
            update={"listings": tuple(x for x in e.listings if x.list_id != "us-ofac-cmic")}
        ),
        "no longer on us-ofac-cmic",
    ),
    "alias": (
        lambda e: e.model_copy(update={"aliases": (*e.aliases, Alias(name="Hik Hotels"))}),
        "names changed",
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=str)
def test_changed_listings_reopen_with_a_reason(
    hotel: ScreeningResult, tmp_path: Path, change: str
) -> None:
    entity = hotel.matches[0].entity
    assert entity.listings[0].list_id == "us-bis-entity-list"
    allowlist = one(entry(fingerprint=f'"{entity_fingerprint(entity)}"'), tmp_path)
    counterparty = Counterparty(id="C-1", name="Hikvision Hotel")
    assert allowlist.apply(hotel, counterparty, today=DAY).decision is Decision.CLEAR
    modify, said = CHANGES[change]
    out = allowlist.apply(with_entity(hotel, modify(entity)), counterparty, today=DAY)
    review = out.matches[0].review
    assert review is not None
    assert review.status == "reopened"
    assert review.reopened_because is not None
    assert review.reopened_because.startswith("listings changed since the decision (")
    assert said in review.reopened_because
    assert all(f.review == review for f in out.flags)
    assert out.decision is not Decision.CLEAR


def test_expired_and_changed_gives_both_reasons(hotel: ScreeningResult, tmp_path: Path) -> None:
    entity = hotel.matches[0].entity
    fields = {"fingerprint": f'"{entity_fingerprint(entity)}"', "expires_on": "2026-11-30"}
    allowlist = one(entry(**fields), tmp_path)
    changed = with_entity(hotel, changed_listing(entity, program="x"))
    review = allowlist.apply(changed, Counterparty(id="C-1", name="x"), today=DAY).matches[0].review
    assert review is not None
    assert review.reopened_because == (
        "expired on 2026-11-30; listings changed since the decision "
        "(listing on us-bis-entity-list changed)"
    )


# --- fingerprints -------------------------------------------------------------------------


def test_fingerprint_ignores_order_and_unrelated_fields(hotel: ScreeningResult) -> None:
    entity = hotel.matches[0].entity
    assert len(entity.listings) > 1
    assert len(entity.aliases) > 1
    shuffled = entity.model_copy(
        update={
            "listings": tuple(reversed(entity.listings)),
            "aliases": tuple(reversed(entity.aliases)),
            "notes": "edited",
            "addresses": ("somewhere",),
        }
    )
    reasoned = changed_listing(entity, reason="reworded", notes="x", url="https://example.org")
    fingerprint = entity_fingerprint(entity)
    assert entity_fingerprint(shuffled) == fingerprint == entity_fingerprint(reasoned)
    assert re.fullmatch(FINGERPRINT_PATTERN, fingerprint)
    assert fingerprint.split()[1].startswith("names=")
    assert [p.split("=")[0] for p in fingerprint.split()[2:]] == sorted(
        {x.list_id for x in entity.listings}
    )


# --- templates ----------------------------------------------------------------------------


def test_template_round_trips(hotel: ScreeningResult, tmp_path: Path) -> None:
    counterparty = Counterparty(id="C-5", name="Hikvision Hotel: Lisbon", country="PT")
    text = decision_template(
        hotel,
        counterparty,
        entity_id="hikvision",
        judgement="false_positive",
        reason="A hotel, not the camera maker",
        decided_by="j.doe",
        today=dt.date(2026, 11, 2),
    )
    assert text.startswith("  - counterparty: {id: C-5, ")
    assert f"fingerprint: {entity_fingerprint(hotel.matches[0].entity)}\n" in text
    allowlist = load_allowlist(write(tmp_path, "decisions:\n" + text))
    decision = allowlist.decisions[0]
    assert decision.counterparty.name == "Hikvision Hotel: Lisbon"
    assert allowlist.apply(hotel, counterparty, today=DAY).decision is Decision.CLEAR


@pytest.mark.parametrize(
    ("entity_id", "rule", "message"),
    [
        ("huawei-technologies", None, "not among the matches"),
        (None, "surveillance/surveillance-link", "would cover no match or flag"),
        (None, None, "names an entity, a rule, or both"),
    ],
)
def test_template_refuses_decisions_that_cover_nothing(
    hotel: ScreeningResult, entity_id: str | None, rule: str | None, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        decision_template(
            hotel,
            HOTEL,
            entity_id=entity_id,
            rule=rule,
            judgement=Judgement.CONFIRMED,
            reason="r",
            decided_by="j",
            today=DAY,
        )


# --- validation ---------------------------------------------------------------------------

BAD = [
    ("unknown-key", {"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ("missing-reason", {"reason": "<omit>"}, "reason", "Field required"),
    ("blank-reason", {"reason": '"  "'}, "reason", "at least 1 character"),
    ("impossible-date", {"decided_on": "2026-02-30"}, "decided_on", "day value is outside"),
    ("bad-month", {"decided_on": "2026-13-02"}, "decided_on", "month value is outside"),
    ("quoted-bad-date", {"decided_on": '"2026-13-02"'}, "decided_on", "month value"),
    ("number-date", {"decided_on": "20261102"}, "decided_on", "YYYY-MM-DD"),
    ("datetime", {"decided_on": "2026-11-02 10:30:00"}, "decided_on", "zero time"),
    ("judgement", {"judgement": "maybe"}, "judgement", "'false_positive' or 'confirmed'"),
    ("neither", {"entity": "<omit>"}, "rule", "names an entity, a rule, or both"),
    ("no-id-no-name", {"counterparty": "{country: CN}"}, "counterparty", "id, or a name"),
    ("legal-form-name", {"counterparty": '{name: "Co., Ltd."}'}, "counterparty", "legal forms"),
    ("counterparty-key", {"counterparty": "{id: C-1, email: x}"}, "counterparty.email", "Extra"),
    ("numeric-id", {"counterparty": "{id: 1001}"}, "counterparty.id", "valid string"),
    ("entity-id", {"entity": "Hikvision Hotel"}, "entity", "should match pattern"),
    ("rule-id", {"rule": "Surveillance / link"}, "rule", "should match pattern"),
    ("expires", {"expires_on": "2026-11-01"}, "expires_on", "expires before it was decided"),
    ("fingerprint", {"fingerprint": "abc"}, "fingerprint", "should match pattern"),
    (
        "fingerprint-no-entity",
        {"entity": "<omit>", "rule": "x", "fingerprint": '"fp1 names=0123456789"'},
        "fingerprint",
        "give 'entity' too",
    ),
    ("python-tag", {"reason": '!!python/object/apply:os.system ["true"]'}, "reason", "constructor"),
]


@pytest.mark.parametrize(
    ("fields", "field", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_decision_names_file_line_decision_and_field(
    tmp_path: Path, fields: dict[str, str], field: str, message: str
) -> None:
    path = write(
        tmp_path,
        "# my decisions\ndecisions:\n"
        + entry()
        + "\n"
        + entry(**{"counterparty": "{id: C-2}", **fields}),
    )
    with pytest.raises(ConfigError) as caught:
        load_allowlist(path)
    error = caught.value
    assert (error.file, error.line, error.entry, error.field) == (
        str(path),
        10,
        "decision 2",
        field,
    )
    assert message in error.message
    assert str(error).startswith(f"{path}:10, decision 2, field '{field}': ")


def test_duplicate_decision_names_both(tmp_path: Path) -> None:
    path = write(tmp_path, "decisions:\n" + entry() + entry(judgement="confirmed"))
    with pytest.raises(ConfigError) as caught:
        load_allowlist(path)
    error = caught.value
    assert (error.line, error.entry, error.field) == (8, "decision 2", "counterparty+entity+rule")
    assert "as decision 1 (line 2)" in error.message


def test_same_name_spelled_differently_is_a_duplicate(tmp_path: Path) -> None:
    first = entry(counterparty='{name: "Hua Xia Bank Co., Ltd.", country: CN}')
    second = entry(counterparty='{name: "HUA XIA BANK CO LTD", country: cn}')
    with pytest.raises(ConfigError, match="as decision 1"):
        load_allowlist(write(tmp_path, "decisions:\n" + first + second))
    other_country = entry(counterparty='{name: "HUA XIA BANK CO LTD", country: HK}')
    assert (
        len(load_allowlist(write(tmp_path, "decisions:\n" + first + other_country)).decisions) == 2
    )


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    tag = f'!!python/object/apply:os.system ["touch {marker}"]'
    with pytest.raises(ConfigError, match="invalid YAML"):
        one(entry(reason=tag), tmp_path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("decisions: [\n", 2, None, "invalid YAML"),
        ("", 1, None, "a mapping with a list 'decisions'"),
        ("- a\n", 1, None, "a mapping with a list 'decisions'"),
        ("decision: []\n", 1, None, "a mapping with a list 'decisions'"),
        ("decisions: []\nowner: j.doe\n", 1, "owner", "Extra inputs are not permitted"),
    ],
)
def test_bad_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, field: str | None, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_allowlist(path)
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(path), line, field)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read allowlist"):
        load_allowlist(tmp_path / "nope.yaml")


def test_empty_allowlist_changes_nothing(tmp_path: Path, hotel: ScreeningResult) -> None:
    allowlist = load_allowlist(write(tmp_path, "decisions: []\n"))
    assert allowlist.apply(hotel, HOTEL) == hotel


def test_decisions_validate_in_python_too() -> None:
    with pytest.raises(ValueError, match="names an entity, a rule, or both"):
        AllowDecision.model_validate(
            {
                "counterparty": {"id": "C-1"},
                "judgement": "confirmed",
                "reason": "r",
                "decided_by": "j",
                "decided_on": DAY,
            }
        )


def test_check_command_applies_an_allowlist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from riskscreen.cli import main

    allow = tmp_path / "allow.yaml"
    allow.write_text(
        "decisions:\n  - counterparty: {id: C-1}\n    rule: partnership/partner-of-listed-entity\n"
        "    judgement: false_positive\n    reason: reviewed\n    decided_by: tester\n"
        "    decided_on: 2026-01-01\n"
    )
    assert main(["check", "Baidu"]) == 1
    capsys.readouterr()
    assert main(["check", "Baidu", "--id", "C-1", "--allowlist", str(allow)]) == 0
    out = capsys.readouterr().out
    assert "CLEAR" in out
    assert "[SUPPRESSED] false positive by tester on 2026-01-01: reviewed" in out
