"""Render: results and list summaries → human-readable text for the terminal."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from urllib.parse import urlsplit

from riskscreen.lists.snapshots import SnapshotMeta, snapshot_age
from riskscreen.models import (
    ArticleEvidence,
    Flag,
    Listing,
    ListingEvidence,
    ListUsed,
    Match,
    Review,
    ScreeningResult,
)

QUOTE_WIDTH = 400
"""Characters of a quote shown in text output; JSON output always carries the whole quote."""


def _listing_line(listing: Listing, titles: dict[str, str]) -> str:
    parts = [f"{titles.get(listing.list_id, listing.list_id)} ({listing.list_id})"]
    if listing.name_on_list:
        parts.append(f'as "{listing.name_on_list}"')
    if listing.program:
        parts.append(f"program {listing.program}")
    if listing.listed_on:
        parts.append(f"listed {listing.listed_on.isoformat()}")
    if listing.effective_on and listing.effective_on != listing.listed_on:
        parts.append(f"effective {listing.effective_on.isoformat()}")
    if listing.delisted_on:
        parts.append(f"REMOVED {listing.delisted_on.isoformat()}")
    citation = listing.citation
    if citation:
        parts.extend(p for p in (citation.document, citation.page, citation.title) if p)
        if citation.url:
            parts.append(citation.url)
    elif listing.url:
        parts.append(listing.url)
    if listing.confidence.value != "verified":
        parts.append(f"[{listing.confidence.value}]")
    return " · ".join(parts)


def _review_line(review: Review | None) -> list[str]:
    if review is None:
        return []
    text = (
        f"  [{review.status.upper()}] {review.judgement.value.replace('_', ' ')} "
        f"by {review.decided_by} on {review.decided_on.isoformat()}: {review.reason}"
    )
    if review.reopened_because:
        text += f" — reopened: {review.reopened_because}"
    return [text]


def _match_lines(match: Match, titles: dict[str, str]) -> list[str]:
    entity = match.entity
    facts = [entity.kind.value, *entity.countries]
    lines = [f"{entity.name}  [{', '.join(facts)}]  score {match.score:.2f}  id {entity.id}"]
    lines.extend(_review_line(match.review))
    explanation = match.explanation
    lines.append(f'  matched "{explanation.list_name}": {explanation.summary}')
    lines.append("  listings:")
    lines.extend(f"    - {_listing_line(listing, titles)}" for listing in entity.listings)
    return lines


def _evidence_lines(item: ArticleEvidence | ListingEvidence) -> list[str]:
    if isinstance(item, ListingEvidence):
        notice = item.citation.document or item.citation.page if item.citation else None
        when = item.listed_on.isoformat() if item.listed_on else "date unknown"
        parts = [f'{item.list_title}: "{item.entry_name}"', f"listed {when}"]
        if item.delisted_on:
            parts.append(f"REMOVED {item.delisted_on.isoformat()}")
        parts.append(notice or "no official citation on record")
        return ["      [listing] " + " · ".join(parts)]
    source = " · ".join(
        p
        for p in (
            item.title,
            item.publisher,
            item.date.isoformat() if item.date else None,
            item.url,
        )
        if p
    )
    quote = " ".join(item.quote.split())
    if len(quote) > QUOTE_WIDTH:  # by characters: Chinese text has no spaces to cut at
        quote = quote[:QUOTE_WIDTH] + " …"
    return [
        f"      [article {item.article_id} {item.start}:{item.end}] {source}",
        *textwrap.wrap(
            f"“{quote}”", width=96, initial_indent="        ", subsequent_indent="        "
        ),
    ]


def _flag_lines(flag: Flag) -> list[str]:
    lines = [
        f"  [{flag.severity.value.upper()}] {flag.title} ({flag.pack_id}/{flag.rule_id}, "
        f"{flag.category})"
    ]
    lines.extend(
        textwrap.wrap(flag.message, width=96, initial_indent="    ", subsequent_indent="    ")
    )
    lines.extend(_review_line(flag.review))
    for item in flag.citations:
        lines.extend(_evidence_lines(item))
    return lines


def result_text(result: ScreeningResult) -> str:
    titles = {used.id: used.title for used in result.lists}
    count = len(result.matches)
    head = "no match" if not count else f"{count} match{'es' if count > 1 else ''}"
    flags = len(result.flags)
    lines = [
        f"{result.query}: {result.decision.value.upper()} — {head}, "
        f"{flags} flag{'' if flags == 1 else 's'} (threshold {result.threshold:.2f})"
    ]
    for match in result.matches:
        lines.append("")
        lines.extend(_match_lines(match, titles))
    if result.mentions:
        per_article: dict[str, int] = {}
        for mention in result.mentions:
            per_article[mention.article_id] = per_article.get(mention.article_id, 0) + 1
        listed = ", ".join(f"{a} ({n})" for a, n in per_article.items())
        lines.append("")
        lines.append(f"mentioned in {len(per_article)} article(s): {listed}")
    if result.flags:
        lines.append("")
        lines.append("flags:")
        for flag in result.flags:
            lines.extend(_flag_lines(flag))
    lines.append("")
    used = ", ".join(
        f"{u.id} ({u.as_of.isoformat() if u.as_of else 'date unknown'})" for u in result.lists
    )
    lines.append(f"lists: {used}")
    if result.rule_packs:
        packs = ", ".join(f"{p.id} {p.version}" for p in result.rule_packs)
        lines.append(f"rule packs: {packs}")
    return "\n".join(lines)


def lists_text(
    lists: tuple[ListUsed, ...], authorities: dict[str, str], urls: dict[str, str | None]
) -> str:
    rows = [("LIST", "AS OF", "ENTITIES", "FROM", "SHA-256", "AUTHORITY", "SOURCE URL")]
    for used in lists:
        origins = ", ".join(
            f"{o.kind}:{o.name}" if o.kind != "bundled" else "bundled" for o in used.origins
        )
        rows.append(
            (
                used.id,
                used.as_of.isoformat() if used.as_of else "unknown",
                str(used.entity_count),
                origins or "—",
                (used.content_hash or "")[:12],
                authorities.get(used.id, ""),
                urls.get(used.id) or "—",
            )
        )
    return _table(rows)


def snapshots_text(
    snapshots: Sequence[SnapshotMeta], *, max_age_days: float, now: dt.datetime | None = None
) -> tuple[str, list[SnapshotMeta]]:
    """The downloaded snapshots as a table, and those older than ``max_age_days``."""
    now = now or dt.datetime.now(dt.UTC)
    rows = [("SNAPSHOT", "FORMAT", "FETCHED (UTC)", "AGE", "ENTITIES", "SHA-256", "URL")]
    stale = []
    for meta in sorted(snapshots, key=lambda m: m.source_id):
        age = snapshot_age(meta, now)
        if age > dt.timedelta(days=max_age_days):
            stale.append(meta)
        rows.append(
            (
                meta.source_id,
                meta.format,
                f"{meta.fetched_at:%Y-%m-%d %H:%M}",
                f"{age.days}d {age.seconds // 3600}h" + (" STALE" if meta in stale else ""),
                "—" if meta.entity_count is None else str(meta.entity_count),
                meta.sha256[:12],
                meta.url,
            )
        )
    return _table(rows), stale


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl()


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    )
