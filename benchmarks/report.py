"""Report: sections of measurements → Markdown tables for docs/benchmarks.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value).replace("|", "\\|")


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.2f}"


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}×"


@dataclass(frozen=True)
class Target:
    what: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run
    note: str = ""


@dataclass
class Section:
    title: str
    body: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def add(self, *parts: str) -> None:
        self.body.extend(parts)

    def text(self) -> str:
        return "\n".join([f"## {self.title}", "", *(f"{p}\n" for p in self.body)])


def targets_table(targets: Sequence[Target]) -> str:
    def mark(met: bool | None) -> str:
        return {True: "**met**", False: "**missed**", None: "not measured"}[met]

    return table(
        ["target", "goal", "measured", "status", "note"],
        [(t.what, t.goal, t.measured, mark(t.met), t.note) for t in targets],
    )
