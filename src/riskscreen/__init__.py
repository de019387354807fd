"""riskscreen: screen counterparties against sanction and export-control lists, with evidence.

>>> from riskscreen import Screener
>>> screener = Screener.bundled()          # lists, rule packs and articles, loaded once
>>> result = screener.screen("科大讯飞")     # then screen as many names as you like
>>> [m.entity.name for m in result.matches]
['IFLYTEK']
>>> result.decision
<Decision.HIT: 'hit'>
"""

from riskscreen.errors import (
    ConfigError,
    CorpusError,
    InputError,
    ListDataError,
    RiskscreenError,
    RulePackError,
)
from riskscreen.evidence.corpus import load_corpus
from riskscreen.lists import ListData, load_lists
from riskscreen.models import (
    Alias,
    Article,
    ArticleEvidence,
    Citation,
    Confidence,
    Decision,
    Entity,
    EntityKind,
    Feature,
    Flag,
    Identifier,
    Listing,
    ListingEvidence,
    ListSource,
    ListUsed,
    Match,
    MatchExplanation,
    MentionRecord,
    NameScore,
    PackUsed,
    ScreeningResult,
    Severity,
)
from riskscreen.normalize import normalize
from riskscreen.rules.loader import LoadedPack, load_packs
from riskscreen.screen import DEFAULT_THRESHOLD, Screener, score_names
from riskscreen.validate import MAX_NAME_LENGTH

__version__ = "0.2.0"

__all__ = [
    "DEFAULT_THRESHOLD",
    "MAX_NAME_LENGTH",
    "Alias",
    "Article",
    "ArticleEvidence",
    "Citation",
    "Confidence",
    "ConfigError",
    "CorpusError",
    "Decision",
    "Entity",
    "EntityKind",
    "Feature",
    "Flag",
    "Identifier",
    "InputError",
    "ListData",
    "ListDataError",
    "ListSource",
    "ListUsed",
    "Listing",
    "ListingEvidence",
    "LoadedPack",
    "Match",
    "MatchExplanation",
    "MentionRecord",
    "NameScore",
    "PackUsed",
    "RiskscreenError",
    "RulePackError",
    "Screener",
    "ScreeningResult",
    "Severity",
    "__version__",
    "load_corpus",
    "load_lists",
    "load_packs",
    "normalize",
    "score_names",
]
