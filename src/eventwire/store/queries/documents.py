"""Views with article text: a story (articles, summary, events, claims) and an article, with their
evidence sentences located in the text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from eventwire.store.contracts import claim_json
from eventwire.store.queries.layers import (
    CANONICAL,
    Layer,
    confidence_report,
    confident,
    event_layer,
    threshold_or_default,
)
from eventwire.store.queries.rows import (
    MAX_LIMIT,
    article_row,
    event_list_query,
    event_summary,
    iso_date,
    outlet_of,
    story_row,
)
from eventwire.store.schema import articles, claims, stories, story_articles

# ---------------------------------------------------------------- evidence in article text


def _mention_spans(
    connection: sa.Connection, layer: Layer, article_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Evidence sentences per article: {start, end, event_ids} with overlapping events pooled."""
    if not article_ids:
        return {}
    table = layer.mentions
    query = (
        sa.select(table.c.article_id, table.c.start, table.c.end, table.c.event_id, table.c.sentence)
        .where(table.c.article_id.in_(article_ids))
        .order_by(table.c.article_id, table.c.start, table.c.event_id)
    )
    spans: dict[tuple[str, int, int], dict[str, Any]] = {}
    for row in connection.execute(query).mappings():
        key = (row["article_id"], row["start"], row["end"])
        span = spans.setdefault(
            key, {"start": row["start"], "end": row["end"], "sentence": row["sentence"], "event_ids": []}
        )
        if row["event_id"] not in span["event_ids"]:
            span["event_ids"].append(row["event_id"])
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (article_id, _, _), span in spans.items():
        by_article[article_id].append(span)
    return by_article


def locate_sentence(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of an evidence sentence in `text`: the stored ones if they match, else found by search."""
    if 0 <= start < end <= len(text) and text[start:end] == sentence:
        return start, end
    found = text.find(sentence) if sentence else -1
    return (found, found + len(sentence)) if found >= 0 else None


def _checked_spans(text: str, spans: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spans whose sentence is found in the text, with corrected offsets, in text order."""
    checked = []
    for span in spans:
        where = locate_sentence(text, span["sentence"], span["start"], span["end"])
        if where:
            checked.append({**span, "start": where[0], "end": where[1]})
    return sorted(checked, key=lambda span: (span["start"], span["end"]))


def _article_with_text(row: sa.RowMapping, spans: list[dict[str, Any]]) -> dict[str, Any]:
    text = row["text"]
    return {**article_row(row), "url": row["url"], "text": text, "highlights": _checked_spans(text, spans)}


# ---------------------------------------------------------------- story


def _story_articles(connection: sa.Connection, story_id: str) -> list[sa.RowMapping]:
    query = (
        sa.select(
            articles,
            story_articles.c.duplicate_group,
            story_articles.c.inferred_date,
            story_articles.c.inferred_precision,
        )
        .join(story_articles, story_articles.c.article_id == articles.c.article_id)
        .where(story_articles.c.story_id == story_id)
        .order_by(sa.nulls_last(articles.c.published), articles.c.article_id)
    )
    return list(connection.execute(query).mappings())


def _near_duplicates(rows: Sequence[sa.RowMapping]) -> dict[str, list[str]]:
    """Article id → the other articles of the story in its near-duplicate group (empty for most: every
    article is stored in a group, usually of itself alone)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        groups[row["duplicate_group"] or row["article_id"]].append(row["article_id"])
    return {
        row["article_id"]: [
            other for other in groups[row["duplicate_group"] or row["article_id"]] if other != row["article_id"]
        ]
        for row in rows
    }


def _story_events(
    connection: sa.Connection, layer: Layer, story_id: str, article_ids: Sequence[str], threshold: float
) -> dict[str, Any]:
    """The story's events at or above the threshold, oldest first, and the confidence report."""
    table = layer.events
    where = table.c.story_id == story_id if layer is CANONICAL else table.c.article_id.in_(article_ids)
    query = (
        event_list_query(layer)
        .where(where, confident(table, threshold))
        .order_by(sa.nulls_last(table.c.date), table.c.event_id)
        .limit(MAX_LIMIT * 5)
    )
    found = [event_summary(row, layer) for row in connection.execute(query).mappings()]
    return {"events": found, **confidence_report(connection, table, [where], threshold)}


def _claim_json(row: sa.RowMapping, outlets: dict[str, str | None]) -> dict[str, Any]:
    """A claim as exported (its speaker an actor object), with its outlet and its group's verdict."""
    return claim_json(row, outlet=outlets.get(row["article_id"]), status=row["status"], note=row["note"])


def _story_claims(
    connection: sa.Connection, article_ids: Sequence[str], outlets: dict[str, str | None]
) -> list[dict[str, Any]]:
    """Claims of the story's articles in groups: figures about the same thing, agreeing or not."""
    if not article_ids:
        return []
    query = (
        sa.select(claims)
        .where(claims.c.article_id.in_(article_ids))
        .order_by(sa.nulls_last(claims.c.group_id), claims.c.article_id, claims.c.start)
    )
    groups: dict[str, dict[str, Any]] = {}
    for row in connection.execute(query).mappings():
        key = row["group_id"] or f"single:{row['claim_id']}"
        group = groups.setdefault(
            key,
            {
                "group_id": row["group_id"],
                "status": row["status"] or "single",
                "subject": row["subject"],
                "note": row["note"],
                "claims": [],
            },
        )
        group["claims"].append(_claim_json(row, outlets))
        if row["status"] == "disagree":
            group["status"] = "disagree"
        group["note"] = group["note"] or row["note"]
    return sorted(groups.values(), key=lambda group: (group["status"] != "disagree", -len(group["claims"])))


def _summary_sentences(summary: Any, titles: dict[str, tuple[str | None, str | None]]) -> list[dict[str, Any]]:
    items = summary if isinstance(summary, list) else []
    out = []
    for item in items:
        if isinstance(item, dict):
            sentence, article_id = item.get("sentence"), item.get("article_id")
        elif isinstance(item, list | tuple) and len(item) == 2:
            sentence, article_id = item
        else:
            continue
        outlet, title = titles.get(article_id, (None, None))
        out.append({"sentence": sentence, "article_id": article_id, "outlet": outlet, "title": title})
    return out


def story(engine: sa.Engine, story_id: str, min_confidence: float | None = None) -> dict[str, Any] | None:
    """A story: its articles with highlighted evidence, summary, events at or above the confidence
    threshold, and claims (None if unknown)."""
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        row = connection.execute(sa.select(stories).where(stories.c.story_id == story_id)).mappings().first()
        if row is None:
            return None
        layer = event_layer(connection)
        article_rows = _story_articles(connection, story_id)
        article_ids = [r["article_id"] for r in article_rows]
        spans = _mention_spans(connection, layer, article_ids)
        outlets = {r["article_id"]: outlet_of(r["outlet"], r["url"]) for r in article_rows}
        story_articles_json = []
        copies = _near_duplicates(article_rows)
        for article_row in article_rows:
            article = _article_with_text(article_row, spans.get(article_row["article_id"], []))
            article.update(
                duplicate_group=article_row["duplicate_group"],
                duplicates=copies[article_row["article_id"]],
                inferred_date=iso_date(article_row["inferred_date"]),
                inferred_precision=article_row["inferred_precision"],
            )
            story_articles_json.append(article)
        titles = {r["article_id"]: (outlets[r["article_id"]], r["title"]) for r in article_rows}
        return {
            **story_row(row),
            "layer": layer.name,
            "summary": _summary_sentences(row["summary"], titles),
            "articles": story_articles_json,
            **_story_events(connection, layer, story_id, article_ids, threshold),
            "claims": _story_claims(connection, article_ids, outlets),
        }


def stories_of_articles(connection: sa.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    if not article_ids:
        return {}
    query = sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
        story_articles.c.article_id.in_(article_ids)
    )
    return {article_id: story_id for article_id, story_id in connection.execute(query)}


def article(engine: sa.Engine, article_id: str, min_confidence: float | None = None) -> dict[str, Any] | None:
    """An article with its evidence sentences highlighted (every event's) and its events at or above
    the confidence threshold (None if unknown)."""
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        row = connection.execute(sa.select(articles).where(articles.c.article_id == article_id)).mappings().first()
        if row is None:
            return None
        layer = event_layer(connection)
        spans = _mention_spans(connection, layer, [article_id]).get(article_id, [])
        event_ids = sorted({event_id for span in spans for event_id in span["event_ids"]})
        table = layer.events
        mentioned = table.c.event_id.in_(event_ids)
        query = (
            event_list_query(layer)
            .where(mentioned, confident(table, threshold))
            .order_by(sa.nulls_last(table.c.date), table.c.event_id)
        )
        return {
            **_article_with_text(row, spans),
            "path": row["path"],
            "source_format": row["source_format"],
            "story_id": stories_of_articles(connection, [article_id]).get(article_id),
            "layer": layer.name,
            "events": [event_summary(r, layer) for r in connection.execute(query).mappings()],
            **confidence_report(connection, table, [mentioned], threshold),
        }
