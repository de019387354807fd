"""Hypothesis strategies for the matcher's property tests, in one place."""

from __future__ import annotations

from hypothesis import strategies as st

from riskscreen import Entity, EntityKind, Listing

# Made-up distinctive words (never in riskscreen's vocabulary) and real generic ones.
_SYLLABLES = ("zor", "vex", "quil", "bram", "tesk", "ulm", "pryn", "dax", "mor", "kelv", "nix")
distinctive_words = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map("".join)
generic_words = st.sampled_from(
    ("Technology", "Digital", "Information", "Trading", "Holding", "Group", "Network")
)
places = st.sampled_from(("Beijing", "Shanghai", "Shenzhen", "Hangzhou"))
legal_forms = st.sampled_from(
    ("Co., Ltd.", "Company Limited", "CO LTD", "Co. Ltd", "Limited", "Inc.", "Corp.", "")
)


@st.composite
def company_names(draw: st.DrawFn) -> str:
    """A plausible company name: [place] distinctive [generic …] [legal form]."""
    parts = []
    if draw(st.booleans()):
        parts.append(draw(places))
    parts.append(draw(distinctive_words).capitalize())
    parts.extend(draw(st.lists(generic_words, max_size=2, unique=True)))
    return " ".join(parts)


@st.composite
def entities(draw: st.DrawFn, prefix: str = "synthetic") -> Entity:
    """A list entity with a made-up name, on a made-up list."""
    name = draw(company_names())
    number = draw(st.integers(min_value=0, max_value=10**9))
    return Entity(
        id=f"{prefix}-{number}",
        kind=EntityKind.ORGANIZATION,
        name=name,
        listings=(Listing(list_id="synthetic-list"),),
    )


@st.composite
def punctuated(draw: st.DrawFn, name: str) -> str:
    """``name`` with punctuation and extra spaces at word boundaries."""
    words = name.split(" ")
    out = []
    for word in words:
        out.append(word)
        out.append(draw(st.sampled_from((" ", "  ", ", ", " - ", " / ", " · ", ". "))))
    return draw(st.sampled_from(("", " ", "\u3000"))) + "".join(out).rstrip(" ") + " "


_odd_chars = st.sampled_from(("\x00", "\ud800", "\u200b", "\ufeff", "科", "華", "(", ")", "\u3000"))
any_text = st.lists(
    st.text(alphabet=st.characters(codec="utf-8") | _odd_chars, max_size=8)
    | st.sampled_from((" Co., Ltd.", " Ltd", "股份有限公司", " (Huawei)", "Hikvision")),
    max_size=8,
).map("".join)
"""Arbitrary Unicode, with lone surrogates, NUL, format characters and name fragments mixed in."""
