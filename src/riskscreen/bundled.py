"""Bundled data: where the curated ``lists/``, ``rules/`` and ``seeds/`` are found.

Inside an installed wheel they sit in ``riskscreen/_data/``; in a source checkout they are the
top-level folders of the repository (the single source of truth, never copied by hand).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from riskscreen.errors import RiskscreenError


def bundled_dir(name: str, error: type[RiskscreenError]) -> Path:
    """The bundled folder ``name``; ``error`` is raised when the installation lacks it."""
    packaged = Path(str(resources.files("riskscreen"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise error(f"bundled {name}/ not found (broken installation?)", file=str(packaged))
