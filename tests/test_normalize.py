"""Normalization: scripts, legal forms, generic words, abbreviations."""

from __future__ import annotations

import pytest

from riskscreen import normalize
from riskscreen.normalize import name_forms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IFLYTEK CO., LTD.", "iflytek"),
        ("iFLYTEK Company Limited", "iflytek"),
        ("Siemens AG", "siemens"),
        ("Huawei Technologies Co., Ltd. (Huawei)", "huawei technology ltd huawei"),
        ("Huawei Technologies (Australia) Pty Ltd.", "huawei technology australia"),
        ("AERO ENGINE CORP OF CHINA", "aero engine corporation of china"),
        ("Hotan Prefecture PSB", "hotan prefecture psb"),
        ("Hotan Prefecture Public Security Bureau", "hotan prefecture psb"),
        ("Gui'an New District Huawei Investment Co., Ltd.", "guian new district huawei investment"),
        ("Ürümqi  Municipal", "urumqi municipality"),
        ("C.E.T.C.", "cetc"),
        ("Intl. Research & Development Corp", "international rnd"),
        ("ＩＦＬＹＴＥＫ", "iflytek"),  # fullwidth Latin
        ("Hua\u200bwei", "huawei"),  # zero-width space
        # Han: legal form glued to the name, traditional → simplified
        ("科大讯飞股份有限公司", "科大讯飞"),
        ("華為技術有限公司", "华为技术"),
        ("杭州海康威视数字技术股份有限公司", "杭州海康威视数字技术"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_han_name_has_pinyin_form_with_canonical_generic_words() -> None:
    forms = {f.script: f for f in name_forms("和田地区公安局")}
    assert forms["han"].text == "和田地区公安局"
    assert forms["pinyin"].text == "hetian prefecture psb"
    assert forms["pinyin"].key == "hetian"


def test_token_kinds_separate_distinctive_from_generic() -> None:
    (form,) = name_forms("Hangzhou Hikvision Digital Technology Co., Ltd.")
    kinds = {t.text: t.kind for t in form.tokens}
    assert kinds == {
        "hangzhou": "place",
        "hikvision": "core",
        "digital": "generic",
        "technology": "generic",
    }
    assert form.key == "hikvision"


def test_bracketed_alias_gives_forms_with_without_and_alone() -> None:
    texts = [f.text for f in name_forms("Huawei Technologies Co., Ltd. (Huawei)")]
    assert texts == ["huawei technology ltd huawei", "huawei technology", "huawei"]


def test_bracketed_place_stays_part_of_the_name() -> None:
    # "(Australia)" tells this subsidiary from its siblings; it is not an alias.
    texts = [f.text for f in name_forms("Huawei Technologies (Australia) Pty Ltd.")]
    assert texts == ["huawei technology australia"]


def test_csl_affiliate_row_is_the_affiliate() -> None:
    name = "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Device Co., Ltd."
    assert [f.text for f in name_forms(name)] == ["huawei device"]


def test_other_scripts_are_transliterated() -> None:
    assert normalize("Хуавей") == "khuavei"


def test_only_legal_forms_leaves_nothing() -> None:
    assert name_forms("Co., Ltd.") == ()
    assert name_forms("股份有限公司") != ()  # a bare legal form is kept rather than emptied
