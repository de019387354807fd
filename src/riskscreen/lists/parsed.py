"""Parsed lists: what a source adapter returns — sources, entities, and the rows it could not read.

Adapters (``lists/sources/``) map an official file format into the entity/listing model; they
never drop a row silently: a row that cannot be read becomes a ``RowProblem`` (file, line,
message), and in strict mode the first one raises ``ListDataError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskscreen.errors import ListDataError
from riskscreen.models import Entity, ListSource


@dataclass(frozen=True)
class RowProblem:
    file: str
    line: int  # 1-based physical line where the row starts
    message: str

    def error(self) -> ListDataError:
        return ListDataError(self.message, file=self.file, line=self.line)


@dataclass(frozen=True)
class ParsedList:
    sources: tuple[ListSource, ...]
    entities: tuple[Entity, ...]
    problems: tuple[RowProblem, ...] = field(default=())
    rows: int = 0  # data rows read, including those with problems


class ProblemLog:
    """Collects row problems; in strict mode the first one raises instead."""

    def __init__(self, file: str, *, strict: bool) -> None:
        self.file = file
        self.strict = strict
        self.problems: list[RowProblem] = []

    def add(self, line: int, message: str) -> None:
        problem = RowProblem(self.file, line, message)
        if self.strict:
            raise problem.error()
        self.problems.append(problem)


# The Consolidated Screening List's `source` values and the list ids riskscreen uses for them
# (the same ids as the curated lists where both exist).
CSL_SUBLISTS: dict[str, tuple[str, str, str]] = {
    # source (as published): (list id, title, authority)
    "Entity List (EL) - Bureau of Industry and Security": (
        "us-bis-entity-list", "Entity List",
        "US Department of Commerce, Bureau of Industry and Security"),
    "Military End User (MEU) List - Bureau of Industry and Security": (
        "us-bis-meu", "Military End User List",
        "US Department of Commerce, Bureau of Industry and Security"),
    "Unverified List (UVL) - Bureau of Industry and Security": (
        "us-bis-uvl", "Unverified List",
        "US Department of Commerce, Bureau of Industry and Security"),
    "Denied Persons List (DPL) - Bureau of Industry and Security": (
        "us-bis-dpl", "Denied Persons List",
        "US Department of Commerce, Bureau of Industry and Security"),
    "Specially Designated Nationals (SDN) - Treasury Department": (
        "us-ofac-sdn", "Specially Designated Nationals and Blocked Persons List (SDN)",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": (
        "us-ofac-ssi", "Sectoral Sanctions Identifications List",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": (
        "us-ofac-cmic", "Non-SDN Chinese Military-Industrial Complex Companies List (NS-CMIC List)",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Palestinian Legislative Council List (PLC) - Treasury Department": (
        "us-ofac-plc", "Non-SDN Palestinian Legislative Council List",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": (
        "us-ofac-nsmbs", "Non-SDN Menu-Based Sanctions List",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Capta List (CAP) - Treasury Department": (
        "us-ofac-capta", "CAPTA List",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Foreign Sanctions Evaders (FSE) - Treasury Department": (
        "us-ofac-fse", "Foreign Sanctions Evaders List",
        "US Department of the Treasury, Office of Foreign Assets Control"),
    "Nonproliferation Sanctions (ISN) - State Department": (
        "us-state-isn", "Nonproliferation Sanctions",
        "US Department of State, Bureau of International Security and Nonproliferation"),
    "ITAR Debarred (DTC) - State Department": (
        "us-state-dtc", "ITAR Debarred",
        "US Department of State, Directorate of Defense Trade Controls"),
}  # fmt: skip
