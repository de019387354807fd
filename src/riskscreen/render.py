"""Render: results and list summaries → human-readable text for the terminal."""

from __future__ import annotations

from riskscreen.models import Listing, ListUsed, Match, ScreeningResult


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


def _match_lines(match: Match, titles: dict[str, str]) -> list[str]:
    entity = match.entity
    facts = [entity.kind.value, *entity.countries]
    lines = [f"{entity.name}  [{', '.join(facts)}]  score {match.score:.2f}  id {entity.id}"]
    explanation = match.explanation
    lines.append(f'  matched "{explanation.list_name}": {explanation.summary}')
    lines.append("  listings:")
    lines.extend(f"    - {_listing_line(listing, titles)}" for listing in entity.listings)
    return lines


def result_text(result: ScreeningResult) -> str:
    titles = {used.id: used.title for used in result.lists}
    count = len(result.matches)
    head = "no match" if not count else f"{count} match{'es' if count > 1 else ''}"
    lines = [f"{result.query}: {head} (threshold {result.threshold:.2f})"]
    for match in result.matches:
        lines.append("")
        lines.extend(_match_lines(match, titles))
    lines.append("")
    used = ", ".join(
        f"{u.id} ({u.as_of.isoformat() if u.as_of else 'date unknown'})" for u in result.lists
    )
    lines.append(f"lists: {used}")
    return "\n".join(lines)


def lists_text(
    lists: tuple[ListUsed, ...], authorities: dict[str, str], urls: dict[str, str | None]
) -> str:
    rows = [("LIST", "AS OF", "ENTITIES", "AUTHORITY", "SOURCE URL")]
    for used in lists:
        rows.append(
            (
                used.id,
                used.as_of.isoformat() if used.as_of else "unknown",
                str(used.entity_count),
                authorities.get(used.id, ""),
                urls.get(used.id) or "—",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True))
        + "  "
        + row[-1]
        for row in rows
    )
