"""Sentence segmentation in English and Chinese."""

from __future__ import annotations

from riskscreen.evidence.segment import sentences


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_english_sentences_and_abbreviations() -> None:
    text = (
        "iFLYTEK Co., Ltd. (hereinafter “iFLYTEK”) signed it. It was added to a U.S. Commerce "
        "Department list! Was it? Yes.“Quoted,” he said."
    )
    assert split(text) == [
        "iFLYTEK Co., Ltd. (hereinafter “iFLYTEK”) signed it.",
        "It was added to a U.S. Commerce Department list!",
        "Was it?",
        "Yes.“Quoted,” he said.",
    ]


def test_run_together_and_lowercase_brand_starts() -> None:
    text = "It provides services.As a leader it grew. iFlytek's system listens."
    assert split(text) == [
        "It provides services.",
        "As a leader it grew.",
        "iFlytek's system listens.",
    ]


def test_lines_end_sentences() -> None:
    assert split("Headline without stop\n\nMay 21, 2020\nBody. More") == [
        "Headline without stop",
        "May 21, 2020",
        "Body.",
        "More",
    ]


def test_chinese_sentences() -> None:
    text = "科大讯飞与青岛合作。他说：“很好！”真的吗？是的；当然。"
    assert split(text) == ["科大讯飞与青岛合作。", "他说：“很好！”", "真的吗？", "是的；", "当然。"]


def test_offsets_slice_the_text() -> None:
    text = "  One. Two!  三。\n"
    for start, end in sentences(text):
        assert text[start:end].strip() == text[start:end]
        assert text[start:end]


def test_stop_before_only_whitespace_with_carriage_returns() -> None:
    assert split("Hello Baidu.\r\n") == ["Hello Baidu."]
    assert split("Hello Baidu.\u3000") == ["Hello Baidu."]
    assert split("One.\r\nTwo.") == ["One.", "Two."]
