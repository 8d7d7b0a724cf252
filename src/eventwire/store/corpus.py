"""Corpus-level tables: claims and quotes of articles, stories, canonical events.

Per-article claims and quotes are written with their article (`claim_rows`, `quote_rows`,
used by the repository). The stories stage reads stored articles back as records a page at a
time (`article_dates`, `load_results`), clears the corpus-level tables and writes them
again story by story inside one transaction (`clear_corpus`, `write_stories`), then
judges claim groups a page of groups at a time (`claim_group_pages`, `set_claim_status`).
Readers stream the export shapes of stories, canonical events,
claims and quotes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from eventwire.records import (
    ActorRef,
    Article,
    ArticleResult,
    Claim,
    DateValue,
    Event,
    EventCode,
    Location,
    Mention,
)
from eventwire.store.contracts import actor_json, event_contract, mention_json
from eventwire.store.contracts import iso as _iso
from eventwire.store.schema import (
    articles,
    canonical_events,
    canonical_mentions,
    claims,
    events,
    mentions,
    quotes,
    stories,
    story_articles,
)

_ACTOR_FIELDS = ("text", "name", "country", "sector", "actor_id", "kind", "code")


# ---------------------------------------------------------------- records -> rows


def _actor_values(role: str, actor: ActorRef | None) -> dict[str, Any]:
    return {f"{role}_{name}": getattr(actor, name, None) if actor else None for name in _ACTOR_FIELDS}


def claim_row(claim: Claim, group_id: str | None = None) -> dict[str, Any]:
    """A claims row; status and note of its group are set once groups are judged (`set_claim_status`)."""
    speaker = claim.speaker
    return {
        "claim_id": claim.claim_id,
        "article_id": claim.article_id,
        "kind": claim.kind,
        "value": float(claim.value),
        "unit": claim.unit,
        "text": claim.text,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "subject": claim.subject,
        "period_start": claim.period_start,
        "period_end": claim.period_end,
        "period_text": claim.period_text,
        "is_change": bool(claim.is_change),
        "speaker_text": speaker.text if speaker else None,
        "speaker_name": speaker.name if speaker else None,
        "speaker_country": speaker.country if speaker else None,
        "converted_from": claim.converted_from,
        "group_id": group_id,
        "status": None,
        "note": None,
    }


def claim_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """Rows of one article's claims, unique by id."""
    unique = {c.claim_id: c for c in result.claims}
    return [claim_row(c) for c in unique.values()]


def quote_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """Rows of one article's quotes, unique by id."""
    unique = {q.quote_id: q for q in result.quotes}
    return [
        {
            "quote_id": q.quote_id,
            "article_id": q.article_id,
            "text": q.text,
            "start": q.start,
            "end": q.end,
            **_actor_values("speaker", q.speaker),
        }
        for q in unique.values()
    ]


def canonical_id(canonical: Any) -> str:
    """A canonical event's own id, derived from the per-article events merged into it."""
    members = sorted(canonical.member_event_ids) or [canonical.event.event_id]
    return "ce-" + hashlib.sha1("|".join(members).encode("utf-8")).hexdigest()[:16]


def _canonical_row(canonical: Any) -> dict[str, Any]:
    event: Event = canonical.event
    location = event.location
    return {
        "event_id": canonical_id(canonical),
        "story_id": canonical.story_id,
        "sources": int(canonical.sources),
        "member_ids": list(canonical.member_event_ids),
        "date": event.date.date,
        "date_precision": event.date.precision,
        "date_method": event.date.method,
        "plover": event.code.plover,
        "mode": event.code.mode,
        "cameo": event.code.cameo,
        "goldstein": float(event.code.goldstein),
        "quad_class": int(event.code.quad_class),
        "confidence": float(event.confidence),
        "predicate": event.predicate,
        **_actor_values("source", event.source),
        **_actor_values("target", event.target),
        "location_text": location.text if location else None,
        "location_country": location.country if location else None,
        "location_lat": location.lat if location else None,
        "location_lon": location.lon if location else None,
    }


def _story_rows(assignment: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    story_rows = []
    for story in assignment.stories:
        story_rows.append(
            {
                "story_id": story.story_id,
                "title": story.title,
                "first_seen": story.first_seen,
                "last_seen": story.last_seen,
                "article_count": len(story.article_ids),
                "summary": [{"sentence": s, "article_id": a} for s, a in story.summary],
            }
        )
    member_rows = []
    for article_id, story_id in assignment.story_of.items():
        inferred = assignment.inferred_dates.get(article_id)
        evidence = assignment.date_evidence.get(article_id)
        member_rows.append(
            {
                "article_id": article_id,
                "story_id": story_id,
                "duplicate_group": assignment.duplicate_group.get(article_id),
                "inferred_date": inferred.date if inferred else None,
                "inferred_precision": inferred.precision if inferred else None,
                "inferred_evidence": _date_evidence_json(evidence),
            }
        )
    return story_rows, member_rows


def _date_evidence_json(evidence: Any) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "event_id": evidence.event_id,
        "sibling_article_id": evidence.sibling_article_id,
        "sibling_event_id": evidence.sibling_event_id,
        "score": round(float(evidence.score), 3),
    }


def clear_corpus(connection: sa.Connection) -> None:
    """Delete stories, memberships and canonical events (inside the caller's transaction).

    Claims stay: they belong to their articles and are rewritten story by story.
    """
    for table in (canonical_mentions, canonical_events, story_articles, stories):
        connection.execute(table.delete())


def write_stories(
    connection: sa.Connection,
    assignment: Any,
    canonical: Sequence[Any],
    story_claims: Sequence[Claim],
    group_ids: dict[str, str | None],
) -> None:
    """Insert stories with their memberships and canonical events; replace their articles' claims."""
    story_rows, member_rows = _story_rows(assignment)
    canonical_rows = [_canonical_row(c) for c in canonical]
    mention_rows = [
        {"event_id": canonical_id(c), "position": i, **m.to_json()}
        for c in canonical
        for i, m in enumerate(c.event.mentions)
    ]
    unique_claims = {c.claim_id: c for c in story_claims}.values()
    claim_rows_ = [claim_row(c, group_ids.get(c.claim_id)) for c in unique_claims]
    connection.execute(claims.delete().where(claims.c.article_id.in_(list(assignment.story_of))))
    for table, rows in (
        (stories, story_rows),
        (story_articles, member_rows),
        (canonical_events, canonical_rows),
        (canonical_mentions, mention_rows),
        (claims, claim_rows_),
    ):
        if rows:
            connection.execute(table.insert(), rows)


def claim_group_pages(connection: sa.Connection, page: int = 500) -> Iterator[list[tuple[str, list[Claim]]]]:
    """Every claim group with more than one member as (group id, its claims), a page of groups at a time.

    Each page is read in full before it is yielded, so the caller may write (`set_claim_status`) between pages.
    """
    last = ""
    while True:
        group_ids = (
            connection.execute(
                sa.select(claims.c.group_id)
                .where(claims.c.group_id > last)
                .group_by(claims.c.group_id)
                .having(sa.func.count() > 1)
                .order_by(claims.c.group_id)
                .limit(page)
            )
            .scalars()
            .all()
        )
        if not group_ids:
            return
        rows = connection.execute(
            sa.select(claims)
            .where(claims.c.group_id.in_(group_ids))
            .order_by(claims.c.group_id, claims.c.article_id, claims.c.start, claims.c.claim_id)
        ).mappings()
        yield [
            (group_id, [_claim(row) for row in members])
            for group_id, members in itertools.groupby(rows, key=lambda row: row["group_id"])
        ]
        last = group_ids[-1]


def set_claim_status(connection: sa.Connection, statuses: Sequence[tuple[str, str, str]]) -> None:
    """Store (group id, status, note) for compared groups."""
    if statuses:
        connection.execute(
            claims.update()
            .where(claims.c.group_id == sa.bindparam("gid"))
            .values(status=sa.bindparam("st"), note=sa.bindparam("nt")),
            [{"gid": g, "st": s, "nt": n} for g, s, n in statuses],
        )


def mark_single_claims(connection: sa.Connection, note: str) -> None:
    """Claims in a group of their own: status 'single'."""
    connection.execute(
        claims.update()
        .where(claims.c.group_id.is_not(None), claims.c.status.is_(None))
        .values(status="single", note=note)
    )


# ---------------------------------------------------------------- rows -> records


def _actor(row: sa.RowMapping, role: str) -> ActorRef | None:
    if row[f"{role}_text"] is None:
        return None
    return ActorRef(**{name: row[f"{role}_{name}"] for name in _ACTOR_FIELDS})


def _event(row: sa.RowMapping, event_mentions: list[Mention]) -> Event:
    location = None
    if row["location_text"] is not None:
        location = Location(row["location_text"], row["location_country"], row["location_lat"], row["location_lon"])
    source = _actor(row, "source")
    assert source is not None
    return Event(
        event_id=row["event_id"],
        source=source,
        target=_actor(row, "target"),
        code=EventCode(
            cameo=row["cameo"],
            plover=row["plover"],
            mode=row["mode"],
            goldstein=row["goldstein"],
            quad_class=row["quad_class"],
            confidence=row["confidence"],
            rule=row["code_rule"] or "",
        ),
        date=DateValue(row["date"], row["date_precision"], row["date_text"], row["date_method"]),
        predicate=row["predicate"],
        mentions=event_mentions,
        location=location,
        confidence=row["confidence"],
        is_main=bool(row["is_main"]),
    )


def _claim(row: sa.RowMapping) -> Claim:
    speaker = None
    if row["speaker_text"] is not None:
        speaker = ActorRef(text=row["speaker_text"], name=row["speaker_name"], country=row["speaker_country"])
    return Claim(
        claim_id=row["claim_id"],
        article_id=row["article_id"],
        kind=row["kind"],
        value=row["value"],
        unit=row["unit"],
        text=row["text"],
        sentence=row["sentence"],
        start=row["start"],
        end=row["end"],
        subject=row["subject"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        period_text=row["period_text"],
        is_change=bool(row["is_change"]),
        speaker=speaker,
        converted_from=row["converted_from"],
    )


def article_dates(connection: sa.Connection) -> list[tuple[str, dt.date | None]]:
    """(article id, publication date) of every stored English article, in the order they were stored."""
    english = sa.or_(articles.c.language.is_(None), articles.c.language == "en")
    rows = connection.execute(
        sa.select(articles.c.article_id, articles.c.published)
        .where(english)
        .order_by(articles.c.created_at, articles.c.article_id)
    )
    return [(row[0], row[1]) for row in rows]


def load_results(connection: sa.Connection, article_ids: Sequence[str]) -> list[ArticleResult]:
    """These stored articles with their events and claims, as pipeline records, in the order asked."""
    ids = list(article_ids)
    mentions_of: dict[str, list[Mention]] = {}
    for row in connection.execute(
        sa.select(mentions).where(mentions.c.article_id.in_(ids)).order_by(mentions.c.event_id, mentions.c.position)
    ).mappings():
        mentions_of.setdefault(row["event_id"], []).append(
            Mention(row["article_id"], row["sentence"], row["start"], row["end"])
        )
    events_of: dict[str, list[Event]] = {}
    for row in connection.execute(
        sa.select(events).where(events.c.article_id.in_(ids)).order_by(events.c.article_id, events.c.event_id)
    ).mappings():
        events_of.setdefault(row["article_id"], []).append(_event(row, mentions_of.get(row["event_id"], [])))
    claims_of: dict[str, list[Claim]] = {}
    for row in connection.execute(
        sa.select(claims)
        .where(claims.c.article_id.in_(ids))
        .order_by(claims.c.article_id, claims.c.start, claims.c.end, claims.c.claim_id)
    ).mappings():
        claims_of.setdefault(row["article_id"], []).append(_claim(row))
    found = {}
    for row in connection.execute(sa.select(articles).where(articles.c.article_id.in_(ids))).mappings():
        article = Article(
            article_id=row["article_id"],
            text=row["text"],
            path=row["path"],
            url=row["url"],
            title=row["title"],
            outlet=row["outlet"],
            published=row["published"],
            language=row["language"],
            source_format=row["source_format"],
        )
        found[article.article_id] = ArticleResult(
            article=article, events=events_of.get(article.article_id, []), claims=claims_of.get(article.article_id, [])
        )
    return [found[article_id] for article_id in ids if article_id in found]


# ---------------------------------------------------------------- readers (export shapes)


def has_canonical_events(engine: sa.Engine) -> bool:
    """Whether the stories stage has produced canonical events."""
    with engine.connect() as connection:
        return connection.execute(sa.select(canonical_events.c.event_id).limit(1)).first() is not None


def iter_canonical_events(engine: sa.Engine) -> Iterator[dict[str, Any]]:
    """Canonical events in the event export shape plus story_id and sources, by date then id."""
    query = (
        sa.select(
            canonical_events,
            canonical_mentions.c.position.label("m_position"),
            canonical_mentions.c.article_id.label("m_article_id"),
            canonical_mentions.c.sentence.label("m_sentence"),
            canonical_mentions.c.start.label("m_start"),
            canonical_mentions.c.end.label("m_end"),
        )
        .outerjoin(canonical_mentions, canonical_mentions.c.event_id == canonical_events.c.event_id)
        .order_by(sa.nulls_last(canonical_events.c.date), canonical_events.c.event_id, canonical_mentions.c.position)
    )
    with engine.connect() as connection:
        rows = connection.execution_options(yield_per=1000).execute(query).mappings()
        for _, group in itertools.groupby(rows, key=lambda row: row["event_id"]):
            members = list(group)
            row = members[0]
            event_mentions = [mention_json(m) for m in members if m["m_position"] is not None]
            yield {
                **event_contract(row, event_mentions),
                "story_id": row["story_id"],
                "sources": row["sources"],
                "predicate": row["predicate"],
                "date_method": row["date_method"],
                "member_event_ids": row["member_ids"],
            }


def iter_stories(engine: sa.Engine) -> Iterator[dict[str, Any]]:
    """Stories: {"story_id","title","first_seen","last_seen","article_ids","summary"}, newest first."""
    query = (
        sa.select(stories, story_articles.c.article_id)
        .join(story_articles, story_articles.c.story_id == stories.c.story_id)
        .order_by(sa.nulls_last(stories.c.first_seen), stories.c.story_id, story_articles.c.article_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).mappings()
        for _, group in itertools.groupby(rows, key=lambda row: row["story_id"]):
            members = list(group)
            row = members[0]
            yield {
                "story_id": row["story_id"],
                "title": row["title"],
                "first_seen": _iso(row["first_seen"]),
                "last_seen": _iso(row["last_seen"]),
                "article_ids": [m["article_id"] for m in members],
                "summary": row["summary"],
            }


def iter_claims(engine: sa.Engine, story_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Claims with their reconciliation group, status and story, grouped by group."""
    query = (
        sa.select(claims, story_articles.c.story_id, articles.c.outlet)
        .join(articles, articles.c.article_id == claims.c.article_id)
        .outerjoin(story_articles, story_articles.c.article_id == claims.c.article_id)
        .order_by(sa.nulls_last(claims.c.group_id), claims.c.article_id, claims.c.start)
    )
    if story_id is not None:
        query = query.where(story_articles.c.story_id == story_id)
    with engine.connect() as connection:
        for row in connection.execute(query).mappings():
            yield {
                "claim_id": row["claim_id"],
                "article_id": row["article_id"],
                "outlet": row["outlet"],
                "story_id": row["story_id"],
                "kind": row["kind"],
                "value": row["value"],
                "unit": row["unit"],
                "text": row["text"],
                "is_change": row["is_change"],
                "subject": row["subject"],
                "period_start": _iso(row["period_start"]),
                "period_end": _iso(row["period_end"]),
                "period_text": row["period_text"],
                "speaker": None
                if row["speaker_text"] is None
                else {"text": row["speaker_text"], "name": row["speaker_name"], "country": row["speaker_country"]},
                "converted_from": row["converted_from"],
                "group_id": row["group_id"],
                "status": row["status"],
                "note": row["note"],
                "sentence": row["sentence"],
                "start": row["start"],
                "end": row["end"],
            }


def iter_quotes(engine: sa.Engine) -> Iterator[dict[str, Any]]:
    """Direct quotations with their resolved speaker."""
    with engine.connect() as connection:
        for row in connection.execute(sa.select(quotes).order_by(quotes.c.article_id, quotes.c.start)).mappings():
            yield {
                "quote_id": row["quote_id"],
                "article_id": row["article_id"],
                "text": row["text"],
                "start": row["start"],
                "end": row["end"],
                "speaker": actor_json(row, "speaker"),
            }
