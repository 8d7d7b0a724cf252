"""Corpus-level tables: claims and quotes of articles, stories, canonical events.

Per-article claims and quotes are written with their article (`claim_rows`, `quote_rows`,
used by the repository). The stories stage reads stored articles back as records a page at a
time (`article_dates`, `load_results`), clears the corpus-level tables and writes them
again story by story inside one transaction (`clear_corpus`, `write_stories`), then
judges the claim groups those stories touch (`claim_groups_of`, `claim_groups`, `set_claim_status`).
Readers stream the export shapes of stories, canonical events,
claims and quotes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from eventwire.records import (
    Article,
    ArticleResult,
    CanonicalEvent,
    Claim,
    DateEvidence,
    Event,
    Mention,
    StoryAssignment,
)
from eventwire.store.contracts import canonical_event_json, claim_json, mention_columns, mention_json, quote_json
from eventwire.store.contracts import iso as _iso
from eventwire.store.rows import canonical_id, canonical_row, from_row, to_row
from eventwire.store.schema import (
    articles,
    canonical_events,
    canonical_mentions,
    claims,
    corpus_state,
    events,
    mentions,
    quotes,
    stories,
    story_articles,
    story_keys,
    story_profiles,
    undated_keys,
)

# ---------------------------------------------------------------- records -> rows


def mention_row(event_id: str, position: int, mention: Mention) -> dict[str, Any]:
    """The `mentions` / `canonical_mentions` row of one mention of an event."""
    return {"event_id": event_id, "position": position, **to_row(mention)}


def claim_row(claim: Claim, group_id: str | None = None) -> dict[str, Any]:
    """A claims row; status and note of its group are set once groups are judged (`set_claim_status`)."""
    return {**to_row(claim), "group_id": group_id, "status": None, "note": None}


def claim_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """Rows of one article's claims, unique by id."""
    unique = {c.claim_id: c for c in result.claims}
    return [claim_row(c) for c in unique.values()]


def quote_rows(result: ArticleResult) -> list[dict[str, Any]]:
    """Rows of one article's quotes, unique by id."""
    unique = {q.quote_id: q for q in result.quotes}
    return [to_row(q) for q in unique.values()]


def _story_rows(assignment: StoryAssignment) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    story_rows = [
        {
            **to_row(story),
            "article_count": len(story.article_ids),
            "summary": [{"sentence": s, "article_id": a} for s, a in story.summary],
        }
        for story in assignment.stories
    ]
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


def _date_evidence_json(evidence: DateEvidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "event_id": evidence.event_id,
        "sibling_article_id": evidence.sibling_article_id,
        "sibling_event_id": evidence.sibling_event_id,
        "score": round(float(evidence.score), 3),
    }


def clear_corpus(connection: sa.Connection) -> None:
    """Delete stories, memberships, canonical events and what the incremental stage keeps.

    Claims stay: they belong to their articles and are rewritten story by story.
    """
    for table in (
        canonical_mentions,
        canonical_events,
        story_articles,
        stories,
        story_profiles,
        story_keys,
        undated_keys,
        corpus_state,
    ):
        connection.execute(table.delete())


# ---------------------------------------------------------------- incremental stage state

_CLUSTERER = "clusterer"  # checkpoint rows are named "clusterer:<day>" (revision 0005 wrote one, "clusterer")


def _checkpoints() -> sa.ColumnElement[bool]:
    return sa.or_(corpus_state.c.name == _CLUSTERER, corpus_state.c.name.like(f"{_CLUSTERER}:%"))


def load_checkpoint(connection: sa.Connection, before: dt.date | None = None) -> tuple[dt.date | None, bytes | None]:
    """(day, clusterer state) of the newest checkpoint of a day before `before` (any day if None), or (None, None)."""
    query = sa.select(corpus_state.c.position, corpus_state.c.state).where(_checkpoints())
    if before is not None:
        query = query.where(corpus_state.c.position < before)
    row = connection.execute(query.order_by(corpus_state.c.position.desc()).limit(1)).first()
    return (row[0], bytes(row[1])) if row else (None, None)


def save_checkpoint(connection: sa.Connection, position: dt.date, state: bytes) -> None:
    """Save the clusterer's state after every dated article up to `position` (replacing that day's)."""
    connection.execute(corpus_state.delete().where(_checkpoints(), corpus_state.c.position == position))
    connection.execute(
        corpus_state.insert().values(name=f"{_CLUSTERER}:{position.isoformat()}", position=position, state=state)
    )


def drop_checkpoints(connection: sa.Connection, since: dt.date | None = None, before: dt.date | None = None) -> None:
    """Delete the checkpoints of days on or after `since` (they miss new articles) and those before `before`."""
    if since is not None:
        connection.execute(corpus_state.delete().where(_checkpoints(), corpus_state.c.position >= since))
    if before is not None:
        connection.execute(corpus_state.delete().where(_checkpoints(), corpus_state.c.position < before))


def checkpoint_days(connection: sa.Connection) -> list[dt.date]:
    """Days with a saved clusterer state, oldest first."""
    query = sa.select(corpus_state.c.position).where(_checkpoints()).order_by(corpus_state.c.position)
    return list(connection.execute(query).scalars())


def _english() -> sa.ColumnElement[bool]:
    return sa.or_(articles.c.language.is_(None), articles.c.language == "en")


def unassigned_articles(connection: sa.Connection) -> list[tuple[str, dt.date | None]]:
    """(id, publication date) of stored English articles in no story yet: the new ones.

    The ids are found on the two tables' primary-key indexes alone: only new articles' rows are read.
    """
    stored = articles.alias("stored")
    assigned = sa.exists().where(story_articles.c.article_id == stored.c.article_id)
    new_ids = sa.select(stored.c.article_id).where(~assigned)
    rows = connection.execute(
        sa.select(articles.c.article_id, articles.c.published)
        .where(articles.c.article_id.in_(new_ids), _english())
        .order_by(articles.c.article_id)
    )
    return [(row[0], row[1]) for row in rows]


def latest_publication(connection: sa.Connection) -> dt.date | None:
    """The newest publication date of a stored English article."""
    return connection.execute(sa.select(sa.func.max(articles.c.published)).where(_english())).scalar()


def dated_articles_after(connection: sa.Connection, after: dt.date | None) -> list[str]:
    """Ids of English articles published after `after` (all dated ones if None), by date then id."""
    query = sa.select(articles.c.article_id).where(_english(), articles.c.published.is_not(None))
    if after is not None:
        query = query.where(articles.c.published > after)
    return list(connection.execute(query.order_by(articles.c.published, articles.c.article_id)).scalars())


def undated_articles(connection: sa.Connection) -> list[str]:
    """Ids of every English article without a publication date."""
    query = sa.select(articles.c.article_id).where(_english(), articles.c.published.is_(None))
    return list(connection.execute(query.order_by(articles.c.article_id)).scalars())


def stories_of(connection: sa.Connection, article_ids: Sequence[str]) -> dict[str, str]:
    """Article id -> its stored story id, for those of these articles that have one."""
    out: dict[str, str] = {}
    for chunk in _chunked(article_ids):
        rows = connection.execute(
            sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
                story_articles.c.article_id.in_(chunk)
            )
        )
        out.update((row[0], row[1]) for row in rows)
    return out


def story_members(connection: sa.Connection, story_ids: Sequence[str]) -> dict[str, list[tuple[str, bool, str | None]]]:
    """Story id -> its stored members as (article id, dated?, duplicate group), by date then id."""
    out: dict[str, list[tuple[str, bool, str | None]]] = {}
    for chunk in _chunked(story_ids):
        rows = connection.execute(
            sa.select(
                story_articles.c.story_id,
                story_articles.c.article_id,
                articles.c.published,
                story_articles.c.duplicate_group,
            )
            .join(articles, articles.c.article_id == story_articles.c.article_id)
            .where(story_articles.c.story_id.in_(chunk))
            .order_by(sa.nulls_last(articles.c.published), story_articles.c.article_id)
        )
        for story_id, article_id, published, group in rows:
            out.setdefault(story_id, []).append((article_id, published is not None, group))
    return out


def save_profiles(connection: sa.Connection, profiles: dict[str, tuple[dict[str, Any], list[str]]]) -> None:
    """Store dated stories' profiles and blocking keys (replacing what they had)."""
    delete_profiles(connection, list(profiles))
    if profiles:
        connection.execute(story_profiles.insert(), [{"story_id": s, "profile": p} for s, (p, _) in profiles.items()])
        keys = [{"key": k, "story_id": s} for s, (_, ks) in profiles.items() for k in ks]
        if keys:
            connection.execute(story_keys.insert(), keys)


def delete_profiles(connection: sa.Connection, story_ids: Sequence[str]) -> None:
    """Forget these stories' profiles and keys."""
    for chunk in _chunked(story_ids):
        connection.execute(story_profiles.delete().where(story_profiles.c.story_id.in_(chunk)))
        connection.execute(story_keys.delete().where(story_keys.c.story_id.in_(chunk)))


def load_profiles(connection: sa.Connection, story_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Story id -> stored profile."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunked(story_ids):
        rows = connection.execute(
            sa.select(story_profiles.c.story_id, story_profiles.c.profile).where(story_profiles.c.story_id.in_(chunk))
        )
        out.update((row[0], row[1]) for row in rows)
    return out


def keys_of_stories(connection: sa.Connection, story_ids: Sequence[str]) -> set[str]:
    """Every blocking key of these stories."""
    out: set[str] = set()
    for chunk in _chunked(story_ids):
        out.update(connection.execute(sa.select(story_keys.c.key).where(story_keys.c.story_id.in_(chunk))).scalars())
    return out


def stories_with_keys(connection: sa.Connection, keys: Sequence[str]) -> dict[str, list[str]]:
    """Key -> stories having it (the postings undated articles are matched through)."""
    out: dict[str, list[str]] = {}
    for chunk in _chunked(keys):
        rows = connection.execute(sa.select(story_keys.c.key, story_keys.c.story_id).where(story_keys.c.key.in_(chunk)))
        for key, story_id in rows:
            out.setdefault(key, []).append(story_id)
    return out


def undated_with_keys(connection: sa.Connection, keys: Sequence[str]) -> set[str]:
    """Undated articles sharing any of these keys."""
    out: set[str] = set()
    for chunk in _chunked(keys):
        query = sa.select(undated_keys.c.article_id).where(undated_keys.c.key.in_(chunk)).distinct()
        out.update(connection.execute(query).scalars())
    return out


def save_undated_keys(connection: sa.Connection, keys: dict[str, list[str]]) -> None:
    """Store undated articles' blocking keys (replacing what they had)."""
    for chunk in _chunked(list(keys)):
        connection.execute(undated_keys.delete().where(undated_keys.c.article_id.in_(chunk)))
    rows = [{"key": k, "article_id": a} for a, ks in keys.items() for k in ks]
    if rows:
        connection.execute(undated_keys.insert(), rows)


def delete_stories(connection: sa.Connection, story_ids: Sequence[str]) -> None:
    """Delete these stories with their memberships and canonical events (claims stay with their articles)."""
    for chunk in _chunked(story_ids):
        event_ids = sa.select(canonical_events.c.event_id).where(canonical_events.c.story_id.in_(chunk))
        connection.execute(canonical_mentions.delete().where(canonical_mentions.c.event_id.in_(event_ids)))
        connection.execute(canonical_events.delete().where(canonical_events.c.story_id.in_(chunk)))
        connection.execute(story_articles.delete().where(story_articles.c.story_id.in_(chunk)))
        connection.execute(stories.delete().where(stories.c.story_id.in_(chunk)))


def claim_groups_of(connection: sa.Connection, article_ids: Sequence[str]) -> set[str]:
    """Claim group ids of these articles' stored claims."""
    out: set[str] = set()
    for chunk in _chunked(article_ids):
        query = sa.select(claims.c.group_id).where(claims.c.article_id.in_(chunk), claims.c.group_id.is_not(None))
        out.update(connection.execute(query.distinct()).scalars())
    return out


def claim_groups(connection: sa.Connection, group_ids: Sequence[str]) -> Iterator[tuple[str, list[Claim]]]:
    """(group id, its claims) for these groups, by group id."""
    for chunk in _chunked(sorted(group_ids)):
        rows = connection.execute(
            sa.select(claims)
            .where(claims.c.group_id.in_(chunk))
            .order_by(claims.c.group_id, claims.c.article_id, claims.c.start, claims.c.claim_id)
        ).mappings()
        for group_id, members in itertools.groupby(rows, key=lambda row: row["group_id"]):
            yield group_id, [_claim(row) for row in members]


def corpus_totals(connection: sa.Connection) -> dict[str, int]:
    """Counts over the whole corpus view: articles in stories, stories, events, canonical events, claims."""
    count = sa.func.count()
    grouped = (
        sa.select(claims.c.group_id).where(claims.c.group_id.is_not(None)).group_by(claims.c.group_id).having(count > 1)
    )
    return {
        "articles": connection.execute(sa.select(count).select_from(story_articles)).scalar_one(),
        "stories": connection.execute(sa.select(count).select_from(stories)).scalar_one(),
        "events": connection.execute(
            sa.select(count)
            .select_from(events)
            .join(story_articles, story_articles.c.article_id == events.c.article_id)
        ).scalar_one(),
        "canonical_events": connection.execute(sa.select(count).select_from(canonical_events)).scalar_one(),
        "claims": connection.execute(sa.select(count).select_from(claims)).scalar_one(),
        "claim_groups": connection.execute(sa.select(count).select_from(grouped.subquery())).scalar_one(),
        "inferred_dates": connection.execute(
            sa.select(count).select_from(story_articles).where(story_articles.c.inferred_date.is_not(None))
        ).scalar_one(),
    }


def _chunked(items: Sequence[Any], size: int = 500) -> Iterator[list[Any]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_stories(
    connection: sa.Connection,
    assignment: StoryAssignment,
    canonical: Sequence[CanonicalEvent],
    story_claims: Sequence[Claim],
    group_ids: dict[str, str | None],
) -> None:
    """Insert stories with their memberships and canonical events; replace their articles' claims."""
    story_rows, member_rows = _story_rows(assignment)
    canonical_rows = [canonical_row(c) for c in canonical]
    mention_rows = [mention_row(canonical_id(c), i, m) for c in canonical for i, m in enumerate(c.event.mentions)]
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


def set_claim_status(connection: sa.Connection, statuses: Sequence[tuple[str, str, str]]) -> None:
    """Store (group id, status, note) for compared groups."""
    if statuses:
        connection.execute(
            claims.update()
            .where(claims.c.group_id == sa.bindparam("gid"))
            .values(status=sa.bindparam("st"), note=sa.bindparam("nt")),
            [{"gid": g, "st": s, "nt": n} for g, s, n in statuses],
        )


# ---------------------------------------------------------------- rows -> records


def _event(row: sa.RowMapping, event_mentions: list[Mention]) -> Event:
    event = from_row(row, Event, mentions=event_mentions)
    event.code.confidence = event.confidence  # as stored events have always been read back
    return event


def _claim(row: sa.RowMapping) -> Claim:
    return from_row(row, Claim)


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
        mentions_of.setdefault(row["event_id"], []).append(from_row(row, Mention))
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
        article = from_row(row, Article)
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
            *mention_columns(canonical_mentions),
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
            yield canonical_event_json(row, event_mentions)


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
            extras = {key: row[key] for key in ("outlet", "story_id", "group_id", "status", "note")}
            yield claim_json(row, **extras)


def iter_quotes(engine: sa.Engine) -> Iterator[dict[str, Any]]:
    """Direct quotations with their resolved speaker."""
    with engine.connect() as connection:
        for row in connection.execute(sa.select(quotes).order_by(quotes.c.article_id, quotes.c.start)).mappings():
            yield quote_json(row)
