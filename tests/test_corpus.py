"""The evidence corpus: bundled articles verbatim with metadata; users' directories and JSONL."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from riskscreen import CorpusError
from riskscreen.evidence.corpus import bundled_corpus_dir, load_bundled_corpus, load_corpus


def test_bundled_corpus_has_the_five_articles() -> None:
    articles = load_bundled_corpus()
    assert len(articles) == 5
    languages = sorted(a.language for a in articles)
    assert languages == ["en", "en", "en", "en", "zh"]
    by_id = {a.id: a for a in articles}
    may = by_id["34b1e06c64847454"]
    assert may.published_on is not None
    assert may.published_on.isoformat() == "2020-05-21"
    assert may.author == "Laura Stotler"
    assert by_id["933ef53ab809d555"].url
    assert "baijiahao.baidu.com" in by_id["933ef53ab809d555"].url
    assert all(a.sha256 == hashlib.sha256(a.text.encode()).hexdigest() for a in articles)


def test_bundled_text_is_the_seed_text_byte_for_byte(shared_data: Path) -> None:
    seeds = shared_data.parent / "seeds"
    for article in load_bundled_corpus():
        assert article.source_file
        original = (seeds / Path(article.source_file).name).read_bytes()
        assert article.text.encode("utf-8") == original


def test_directory_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\nid: a1\ntitle: A\nlanguage: en\n---\nAcme met Zorvex.\n")
    record = {"id": "b1", "title": "B", "language": "zh", "text": "华为与百度合作。"}
    (tmp_path / "more.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n\n")
    articles = load_corpus([tmp_path])
    assert [a.id for a in articles] == ["a1", "b1"]
    assert articles[0].text == "Acme met Zorvex.\n"
    assert articles[1].text == "华为与百度合作。"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no front matter\n", "front matter"),
        ("---\nid: x\ntitle: T\nlanguage: en\nbody", "not closed"),
        ("---\nid: x\ntitle: [unclosed\n---\ntext", "invalid YAML"),
        ("---\nid: x\nlanguage: en\n---\ntext", "Field required"),
        ("---\nid: x\ntitle: T\nlanguage: en\ncolour: red\n---\ntext", "Extra inputs"),
    ],
)
def test_malformed_article(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.txt").write_text(content)
    with pytest.raises(CorpusError, match=message) as info:
        load_corpus([tmp_path])
    assert info.value.file
    assert info.value.file.endswith("bad.txt")


def test_malformed_jsonl_names_line(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "title": "A", "language": "en", "text": "x"})
    (tmp_path / "c.jsonl").write_text(good + "\n{not json\n")
    with pytest.raises(CorpusError, match="invalid JSON") as info:
        load_corpus([tmp_path / "c.jsonl"])
    assert info.value.line == 2


def test_duplicate_article_ids(tmp_path: Path) -> None:
    body = "---\nid: same\ntitle: T\nlanguage: en\n---\ntext"
    (tmp_path / "a.txt").write_text(body)
    (tmp_path / "b.txt").write_text(body)
    with pytest.raises(CorpusError, match="duplicate article id"):
        load_corpus([tmp_path])


def test_bundled_dir_exists() -> None:
    assert bundled_corpus_dir().is_dir()


def test_windows_line_endings_and_raw_line_separator(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes(
        b"---\r\nid: w\r\ntitle: W\r\nlanguage: en\r\n---\r\nLine one.\r\n"
    )
    (tmp_path / "s.jsonl").write_text(
        json.dumps(
            {"id": "s", "title": "S", "language": "en", "text": "a\u2028b"}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    articles = {a.id: a for a in load_corpus([tmp_path])}
    assert articles["w"].text == "Line one.\r\n"
    assert articles["s"].text == "a\u2028b"
