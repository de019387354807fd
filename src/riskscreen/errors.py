"""Errors: one base class carrying structured context, turned into one line by the CLI.

RiskscreenError
├── InputError          a counterparty name the engine cannot screen
├── ListDataError       a list file that is missing, unreadable or malformed
└── ConfigError         bad options (threshold out of range, unknown list id …)
"""

from __future__ import annotations


class RiskscreenError(Exception):
    """Base of every error riskscreen raises on purpose.

    Context fields are optional; ``str(error)`` renders the message with whatever is known,
    e.g. ``lists/huawei.yaml: entity 'huawei' (entry 3), field 'listings.0.listed_on': ...``.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.entry = entry
        self.field = field

    def __str__(self) -> str:
        where: list[str] = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.entry:
            where.append(self.entry)
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(RiskscreenError, ValueError):
    """A counterparty name that cannot be screened (empty, too long, control characters …)."""


class ListDataError(RiskscreenError):
    """A list file that is missing, unreadable or does not validate."""


class CorpusError(RiskscreenError):
    """An evidence article or corpus file that cannot be read or does not validate."""


class RulePackError(RiskscreenError):
    """A rule pack that cannot be read, does not validate, or fails its embedded tests."""

    def __init__(self, message: str, *, rule: str | None = None, **context: object) -> None:
        entry = f"rule '{rule}'" if rule else context.pop("entry", None)
        super().__init__(message, entry=entry, **context)  # type: ignore[arg-type]
        self.rule = rule


class FetchError(RiskscreenError):
    """A source that could not be downloaded or did not validate; its old snapshot is kept."""

    def __init__(self, message: str, *, source_id: str, url: str | None = None) -> None:
        super().__init__(message, entry=source_id)
        self.source_id = source_id
        self.url = url


class ConfigError(RiskscreenError, ValueError):
    """An option that makes no sense (threshold outside [0, 1], unknown list id …)."""
