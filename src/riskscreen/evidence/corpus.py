"""Corpus loading: article files (YAML front matter + verbatim text) or JSON Lines → ``Article``.

The text after the front matter is stored byte for byte as provided; its SHA-256 and all
citation offsets refer to it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from riskscreen.bundled import bundled_dir
from riskscreen.errors import CorpusError
from riskscreen.models import Article
from riskscreen.yamlio import load_yaml

ARTICLE_SUFFIXES = (".txt", ".md")


def bundled_corpus_dir() -> Path:
    return bundled_dir("seeds", CorpusError)


@cache
def load_bundled_corpus() -> tuple[Article, ...]:
    return load_corpus([bundled_corpus_dir()])


def load_corpus(paths: Iterable[Path]) -> tuple[Article, ...]:
    """Articles from directories of article files, single article files and ``.jsonl`` files."""
    articles: dict[str, Article] = {}
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (*ARTICLE_SUFFIXES, ".jsonl"))
        elif path.is_file():
            files = [path]
        else:
            raise CorpusError("no such file or directory", file=str(path))
        for file in files:
            for article in _read_jsonl(file) if file.suffix == ".jsonl" else [_read_article(file)]:
                if article.id in articles:
                    raise CorpusError(f"duplicate article id '{article.id}'", file=str(file))
                articles[article.id] = article
    return tuple(sorted(articles.values(), key=lambda a: a.id))


def _read_article(file: Path) -> Article:
    try:
        raw = file.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read: {exc}", file=str(file)) from None
    newline = "\r\n" if raw.startswith("---\r\n") else "\n"
    fence = "---" + newline
    if not raw.startswith(fence):
        raise CorpusError(
            "missing front matter: the file must start with a '---' line", file=str(file), line=1
        )
    end = raw.find(newline + fence, len(fence) - len(newline))
    if end < 0:
        raise CorpusError("front matter is not closed by a '---' line", file=str(file))
    try:
        meta, _ = load_yaml(raw[len(fence) : end + len(newline)])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(
            f"invalid YAML in front matter: {getattr(exc, 'problem', exc)}",
            file=str(file),
            line=mark.line + 2 if mark else None,
        ) from None
    return _article(meta, raw[end + len(newline) + len(fence) :], str(file), None)


def _read_jsonl(file: Path) -> list[Article]:
    articles = []
    try:
        # JSON Lines are split at \n only: U+2028 and friends may sit raw inside JSON strings.
        lines = file.read_bytes().decode("utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read: {exc}", file=str(file)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"invalid JSON: {exc.msg}", file=str(file), line=number) from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise CorpusError(
                "each line must be an object with a 'text' string",
                file=str(file),
                line=number,
                field="text",
            )
        text = record.pop("text")
        articles.append(_article(record, text, str(file), number))
    return articles


def _article(meta: Any, text: str, file: str, line: int | None) -> Article:
    if not isinstance(meta, dict):
        raise CorpusError("metadata must be a mapping", file=file, line=line)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        return Article.model_validate({**meta, "text": text, "sha256": digest})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        entry = f"article '{meta['id']}'" if isinstance(meta.get("id"), str) else None
        raise CorpusError(error["msg"], file=file, line=line, entry=entry, field=field) from None
