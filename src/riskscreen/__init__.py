"""riskscreen: screen counterparties against sanction and export-control lists.

>>> from riskscreen import Screener
>>> screener = Screener.bundled()          # load and index the bundled lists once
>>> result = screener.screen("科大讯飞")     # then screen as many names as you like
>>> [m.entity.name for m in result.matches]
['IFLYTEK']
"""

from riskscreen.errors import ConfigError, InputError, ListDataError, RiskscreenError
from riskscreen.lists import ListData, load_lists
from riskscreen.models import (
    Alias,
    Citation,
    Confidence,
    Entity,
    EntityKind,
    Feature,
    Identifier,
    Listing,
    ListSource,
    ListUsed,
    Match,
    MatchExplanation,
    NameScore,
    ScreeningResult,
)
from riskscreen.normalize import normalize
from riskscreen.screen import DEFAULT_THRESHOLD, Screener, score_names
from riskscreen.validate import MAX_NAME_LENGTH

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_THRESHOLD",
    "MAX_NAME_LENGTH",
    "Alias",
    "Citation",
    "Confidence",
    "ConfigError",
    "Entity",
    "EntityKind",
    "Feature",
    "Identifier",
    "InputError",
    "ListData",
    "ListDataError",
    "ListSource",
    "ListUsed",
    "Listing",
    "Match",
    "MatchExplanation",
    "NameScore",
    "RiskscreenError",
    "Screener",
    "ScreeningResult",
    "__version__",
    "load_lists",
    "normalize",
    "score_names",
]
