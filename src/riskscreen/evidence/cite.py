"""Citations: a sentence span or a listing → evidence with a deterministic id.

Ids hash the source (article text SHA-256, or list and entity), the span and the claim, so
the same evidence for the same claim always has the same id.
"""

from __future__ import annotations

import hashlib

from riskscreen.models import Article, ArticleEvidence, Entity, Listing, ListingEvidence


def _id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]


def article_evidence(article: Article, start: int, end: int, claim: str) -> ArticleEvidence:
    """The sentence ``article.text[start:end]`` quoted as evidence for ``claim``."""
    return ArticleEvidence(
        id=_id(article.sha256, start, end, claim),
        claim=claim,
        article_id=article.id,
        title=article.title,
        publisher=article.publisher,
        date=article.published_on or article.event_date,
        url=article.url,
        quote=article.text[start:end],
        start=start,
        end=end,
        text_sha256=article.sha256,
    )


def listing_evidence(entity: Entity, listing: Listing, title: str, claim: str) -> ListingEvidence:
    """The official notice behind ``entity``'s ``listing``, as evidence for ``claim``."""
    return ListingEvidence(
        id=_id(listing.list_id, entity.id, listing.listed_on, listing.citation, claim),
        claim=claim,
        list_id=listing.list_id,
        list_title=title,
        entity_id=entity.id,
        entry_name=listing.name_on_list or entity.name,
        program=listing.program,
        listed_on=listing.listed_on,
        delisted_on=listing.delisted_on,
        citation=listing.citation,
        url=listing.url or (listing.citation.url if listing.citation else None),
        confidence=listing.confidence,
    )
