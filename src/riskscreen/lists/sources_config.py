"""Source configuration: ``sources.yaml`` → the download sources ``riskscreen lists update`` reads.

riskscreen ships no download URLs (none is recorded among the project's verified facts): each
user lists the official files they screen against, with the URL the publisher gives.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveFloat,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from riskscreen.errors import ConfigError
from riskscreen.lists import snapshots
from riskscreen.lists.snapshots import SOURCE_ID
from riskscreen.yamlio import load_yaml, yaml_error

# Prefixes of the Content-Type a format may arrive with, by the format's last dash-part.
CONTENT_TYPES: dict[str, tuple[str, ...]] = {
    "csv": ("text/csv", "application/csv", "text/plain", "application/octet-stream"),
    "json": ("application/json",),
    "xml": ("application/xml", "text/xml"),
}


class SourceConfig(BaseModel):
    """One downloadable list, as configured in ``sources.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=SOURCE_ID)
    url: str
    format: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")  # the lead maps it to an adapter
    max_bytes: int = Field(default=200 * 2**20, gt=0)
    timeout: tuple[PositiveFloat, PositiveFloat] = (
        10.0,
        60.0,
    )  # seconds: connect, then between bytes read
    retries: int = Field(default=3, ge=0, le=10)  # further attempts after the first
    backoff: float = Field(default=0.5, ge=0, le=60)  # first delay; doubles per retry
    accepted_types: tuple[str, ...] = Field(default=(), validate_default=True)
    filename: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("timeout", mode="before")
    @classmethod
    def _one_or_two(cls, value: Any) -> Any:
        return (value, value) if isinstance(value, int | float) else value

    @field_validator("accepted_types")
    @classmethod
    def _types_for_format(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        fmt = info.data.get("format")
        if value or fmt is None:  # given, or the format itself is invalid (reported there)
            return tuple(prefix.lower() for prefix in value)
        derived = CONTENT_TYPES.get(fmt.rsplit("-", 1)[-1])
        if derived is None:
            raise ValueError(
                f"cannot tell which content types format '{fmt}' arrives as; "
                "list them, e.g. accepted_types: [text/csv, text/plain]"
            )
        return derived

    @field_validator("filename")
    @classmethod
    def _not_reserved(cls, value: str | None) -> str | None:
        if value in (snapshots.META, snapshots.POINTER):
            raise ValueError(f"'{value}' is reserved for the snapshot's own files")
        return value

    @property
    def data_filename(self) -> str:
        """The stored file's name: ``filename``, else the URL's last path segment, made safe."""
        if self.filename:
            return self.filename
        last = urlsplit(self.url).path.rsplit("/", 1)[-1]
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", last).lstrip("._-")[:128]
        return safe if safe and safe not in (snapshots.META, snapshots.POINTER) else "data"


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/riskscreen`` (when absolute), else ``~/.config/riskscreen``."""
    xdg = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "riskscreen"


def default_sources_path() -> Path:
    """``$RISKSCREEN_SOURCES`` if set, else ``<config dir>/sources.yaml``."""
    explicit = os.environ.get("RISKSCREEN_SOURCES")
    return Path(explicit).expanduser() if explicit else config_dir() / "sources.yaml"


def load_source_configs(path: Path | None = None) -> list[SourceConfig]:
    """Read ``sources: [{id, url, format, …}, …]``; errors name file, line, source and field."""
    path = path or default_sources_path()
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no sources file; riskscreen ships no download URLs, so create it with a "
            "'sources:' list of entries with id, url and format (or set $RISKSCREEN_SOURCES)",
            file=file,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", file=file) from None
    try:
        document, root = load_yaml(text)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, ConfigError, file) from None
    items = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(items, list) or set(document) != {"sources"} or not items:
        raise ConfigError("expected a mapping with one key, 'sources', listing sources", file=file)
    configs: dict[str, SourceConfig] = {}
    for index, item in enumerate(items):
        ident = item.get("id") if isinstance(item, dict) else None
        entry = f"source '{ident}'" if ident else f"source {index + 1}"
        try:
            config = SourceConfig.model_validate(item)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or None
            line = _line(root, index, str(error["loc"][0]) if error["loc"] else None)
            raise ConfigError(
                error["msg"].removeprefix("Value error, "),
                file=file,
                line=line,
                entry=entry,
                field=field,
            ) from None
        if config.id in configs:
            raise ConfigError(
                "duplicate source id", file=file, line=_line(root, index), entry=entry
            )
        configs[config.id] = config
    return list(configs.values())


def _line(root: yaml.Node | None, index: int, key: str | None = None) -> int | None:
    """1-based line of source ``index`` in the YAML tree, or of its field ``key`` if present."""
    if not isinstance(root, yaml.MappingNode):
        return None
    for name, value in root.value:
        if name.value == "sources" and isinstance(value, yaml.SequenceNode):
            if index >= len(value.value):
                return None
            item = value.value[index]
            if key and isinstance(item, yaml.MappingNode):
                for field, _ in item.value:
                    if field.value == key:
                        return int(field.start_mark.line) + 1
            return int(item.start_mark.line) + 1
    return None
