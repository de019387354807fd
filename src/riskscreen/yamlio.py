"""YAML reading: text → (data, node tree with line marks), parsed once, safely.

Uses libyaml's C parser when PyYAML ships it (several times faster: bundled lists load at
every ``riskscreen check``), else the pure-Python one. Safe loaders only: YAML never
constructs Python objects here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from riskscreen.errors import RiskscreenError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BadValueError(yaml.constructor.ConstructorError):
    """A well-formed scalar that is no valid value, e.g. the date 2026-02-30."""


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document; raises ``yaml.YAMLError`` on bad input."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        try:
            data = loader.construct_document(node) if node is not None else None
        except (ValueError, TypeError, OverflowError) as exc:
            # A well-formed scalar that is no valid value (2026-02-30): a YAML error, so every
            # caller reports it with the file like any other.
            mark = node.start_mark if node is not None else None
            raise BadValueError(None, None, str(exc), mark) from None
    finally:
        loader.dispose()
    return data, node


def item_lines(root: yaml.Node | None, key: str) -> dict[int, int]:
    """1-based line of each item of the top-level sequence ``key``."""
    if isinstance(root, yaml.MappingNode):
        for k, value in root.value:
            if k.value == key and isinstance(value, yaml.SequenceNode):
                return {i: node.start_mark.line + 1 for i, node in enumerate(value.value)}
    return {}


def yaml_error(exc: yaml.YAMLError, error: type[RiskscreenError], file: str) -> RiskscreenError:
    """A YAML problem as riskscreen's error of kind ``error``, with the file and line."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return error(f"invalid YAML: {problem}", file=file, line=mark.line + 1 if mark else None)


def read_yaml_file(path: Path, error: type[RiskscreenError]) -> tuple[Any, yaml.Node | None, bytes]:
    """Read, decode (UTF-8) and parse a YAML file: (data, node tree, raw bytes). Every
    problem is an ``error`` naming the file (and the line, for bad YAML)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read: {exc}", file=str(path)) from None
    try:
        document, root = load_yaml(text)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, error, str(path)) from None
    return document, root, raw
