"""Audit manifest: what a batch run screened, against which data, with which options, and when.

Written beside the output (``OUTPUT.manifest.json``) when the run starts and again when it
ends or is interrupted; with the same snapshots, rule packs and options a run can be repeated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from riskscreen.models import ListUsed, PackUsed


class InputRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    path: str | None  # None: standard input
    sha256: str | None  # of the input bytes (a file is hashed before screening)
    format: str
    columns: dict[str, object]


class Manifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    riskscreen_version: str
    status: Literal["running", "complete", "interrupted"]
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    input: InputRecord
    output: str
    output_format: str
    lists: tuple[ListUsed, ...]
    rule_packs: tuple[PackUsed, ...]
    corpus_sha256: str | None
    allowlist: dict[str, str] | None = None  # file and sha256
    threshold: float
    options: dict[str, object] = Field(default_factory=dict)
    rows_in: int = 0
    rows_out: int = 0
    decisions: dict[str, int] = Field(default_factory=dict)  # clear/review/hit/error → rows
    resumed_at_row: int | None = None
    changed_decisions: int | None = None  # with --changed-since


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(output: Path, manifest: Manifest) -> None:
    """Atomically, so an interrupted run never leaves half a manifest."""
    target = manifest_path(output)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(manifest.model_dump(mode="json"), indent=2) + "\n", "utf-8")
    os.replace(tmp, target)


def read_manifest(output: Path) -> Manifest | None:
    target = manifest_path(output)
    if not target.is_file():
        return None
    return Manifest.model_validate_json(target.read_text(encoding="utf-8"))
