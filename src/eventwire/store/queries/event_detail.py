"""One event's full record: every mention in context, its members or the canonical events it joined."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa

from eventwire.events.confidence import default_threshold
from eventwire.store.contracts import actor_json as actor_object
from eventwire.store.queries.documents import locate_sentence, stories_of_articles
from eventwire.store.queries.layers import CANONICAL, RAW, Layer, is_below_default
from eventwire.store.queries.rows import event_list_query, event_summary, iso_date, lead_of, outlet_of
from eventwire.store.schema import articles, canonical_events, canonical_mentions, events, mentions

#: Characters of article text shown around an evidence sentence.
CONTEXT_CHARS = 240


QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


@cache
def _cameo_label(code: str) -> str:
    from eventwire.events.tables import cameo_label

    try:
        return cameo_label(code)
    except (OSError, ValueError, KeyError):
        return ""


def _location(row: sa.RowMapping) -> dict[str, Any] | None:
    if row["location_text"] is None:
        return None
    return {name: row[f"location_{name}"] for name in ("text", "country", "lat", "lon")}


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of text before and after a sentence, cut at word boundaries."""
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return before, after


def _event_mentions(connection: sa.Connection, layer: Layer, event_id: str) -> list[dict[str, Any]]:
    table = layer.mentions
    query = (
        sa.select(
            table,
            articles.c.title,
            articles.c.outlet,
            articles.c.url,
            articles.c.published,
            articles.c.text.label("a_text"),
        )
        .outerjoin(articles, articles.c.article_id == table.c.article_id)
        .where(table.c.event_id == event_id)
        .order_by(table.c.position)
    )
    out = []
    for row in connection.execute(query).mappings():
        text = row["a_text"] or ""
        where = locate_sentence(text, row["sentence"], row["start"], row["end"])
        before, after = _context(text, *where) if where else ("", "")
        out.append(
            {
                "article_id": row["article_id"],
                "title": row["title"],
                "lead": lead_of(text),
                "outlet": outlet_of(row["outlet"], row["url"]),
                "published": iso_date(row["published"]),
                "sentence": row["sentence"],
                "start": row["start"],
                "end": row["end"],
                "before": before,
                "after": after,
                "attributed_to": actor_object(row, "attributed"),
            }
        )
    return out


def _event_record(row: sa.RowMapping, layer: Layer) -> dict[str, Any]:
    record = event_summary(row, layer)
    record.update(
        date_method=row["date_method"],
        date_text=row.get("date_text"),
        cameo_label=_cameo_label(row["cameo"]),
        quad_label=QUAD_LABELS.get(row["quad_class"]),
        location=_location(row),
        code_rule=row.get("code_rule"),
        is_main=row.get("is_main"),
        default_min_confidence=default_threshold(),
        below_default_confidence=is_below_default(row["confidence"]),
    )
    record.pop("sentence", None)
    return record


def _members(connection: sa.Connection, member_ids: Any) -> list[dict[str, Any]]:
    ids = [str(i) for i in member_ids] if isinstance(member_ids, list) else []
    if not ids:
        return []
    query = event_list_query(RAW).where(events.c.event_id.in_(ids)).order_by(events.c.event_id)
    return [event_summary(row, RAW) for row in connection.execute(query).mappings()]


def _merged_into(connection: sa.Connection, event_id: str) -> list[dict[str, Any]]:
    """Canonical events that share an evidence sentence with a per-article event (members first)."""
    raw_mentions = sa.select(mentions.c.article_id, mentions.c.start).where(mentions.c.event_id == event_id)
    sharing = sa.select(canonical_mentions.c.event_id).where(
        sa.tuple_(canonical_mentions.c.article_id, canonical_mentions.c.start).in_(raw_mentions)
    )
    query = sa.select(canonical_events.c.event_id, canonical_events.c.story_id, canonical_events.c.member_ids).where(
        canonical_events.c.event_id.in_(sharing)
    )
    rows = connection.execute(query).mappings().all()
    members_first = sorted(rows, key=lambda r: (event_id not in (r["member_ids"] or []), r["event_id"]))
    return [{"event_id": r["event_id"], "story_id": r["story_id"]} for r in members_first]


def event(engine: sa.Engine, event_id: str) -> dict[str, Any] | None:
    """An event's full coded record with every mention in context (canonical or per-article id); shown
    whatever its confidence, with `below_default_confidence` saying whether the lists hide it by default."""
    with engine.connect() as connection:
        for layer in (CANONICAL, RAW):
            table = layer.events
            row = connection.execute(sa.select(table).where(table.c.event_id == event_id)).mappings().first()
            if row is not None:
                break
        else:
            return None
        record = _event_record(row, layer)
        record["mentions"] = _event_mentions(connection, layer, event_id)
        if layer is CANONICAL:
            record["members"] = _members(connection, row["member_ids"])
        else:
            record["merged_into"] = _merged_into(connection, event_id)
            record["story_id"] = stories_of_articles(connection, [row["article_id"]]).get(row["article_id"])
        return record
