"""Full-text search over articles (title, text) and events (actors, predicate, evidence sentences):
FTS5 on SQLite, tsvector GIN indexes on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from eventwire.store.queries.derived import PG_ARTICLE_DOC, pg_event_doc, tsvector
from eventwire.store.queries.layers import (
    Layer,
    below,
    condition_sql,
    confident,
    event_layer,
    threshold_fields,
    threshold_or_default,
)
from eventwire.store.queries.rows import (
    LEAD_CHARS,
    article_row,
    clamp_limit,
    event_list_query,
    event_summary,
    page_of,
)

#: Markers around matched terms in search snippets (split into segments before leaving here).
MATCH_START, MATCH_END = "\x02", "\x03"


_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 12
#: Matches counted and ranked by relevance; beyond this, a search lists the newest matches.
RANKED_MATCHES = 5000


def search_terms(q: str) -> list[str]:
    """The words of a search box query (operators and punctuation are ignored)."""
    return _WORD.findall(q or "")[:MAX_QUERY_TERMS]


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query requiring every term; a last term of 3+ characters also matches as a prefix."""
    quoted = [f'"{term}"' for term in terms]
    if len(terms[-1]) >= 3:
        quoted[-1] += "*"
    return " ".join(quoted)


def snippet_segments(snippet: str | None) -> list[dict[str, Any]]:
    """A snippet with match markers → [{"text", "match"}] segments."""
    segments = []
    for i, part in enumerate(re.split(f"[{MATCH_START}{MATCH_END}]", snippet or "")):
        if part:
            segments.append({"text": part, "match": i % 2 == 1})
    return segments


def _capped_count(connection: sa.Connection, fts: str, params: dict[str, Any], joined: str = "") -> int:
    """Matches in an FTS5 table, counted up to RANKED_MATCHES + 1 (`joined`: a JOIN … ON … AND condition)."""
    query = f"SELECT count(*) FROM (SELECT 1 FROM {fts} {joined} WHERE {fts} MATCH :q LIMIT {RANKED_MATCHES + 1})"
    return int(connection.execute(sa.text(query), params).scalar_one())


def _fts_order(fts: str, weights: str, total: int) -> str:
    """Best matches first (bm25); newest first when too many match to rank them quickly."""
    return f"bm25({fts}, {weights})" if total <= RANKED_MATCHES else f"{fts}.rowid DESC"


def _search_page(items: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    page = page_of(items, min(total, RANKED_MATCHES), limit, offset)
    page["more"] = total > RANKED_MATCHES
    return page


def _search_sqlite(
    connection: sa.Connection, layer: Layer, terms: Sequence[str], limit: int, offset: int, threshold: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    params = {"q": fts_query(terms), "limit": limit, "offset": offset}
    marks = f"'{MATCH_START}', '{MATCH_END}', '…', 24"
    total_articles = _capped_count(connection, "search_articles", params)
    order = _fts_order("search_articles", "4.0, 1.0", total_articles)
    article_rows = connection.execute(
        sa.text(
            "SELECT a.article_id, a.title, a.outlet, a.url, a.published, a.language, "
            f"substr(a.text, 1, {LEAD_CHARS}) AS lead_text, "
            f"snippet(search_articles, -1, {marks}) AS snippet FROM search_articles "
            "JOIN articles a ON a.rowid = search_articles.rowid WHERE search_articles MATCH :q "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        ),
        params,
    ).mappings()
    found_articles = [{**article_row(row), "snippet": snippet_segments(row["snippet"])} for row in article_rows]
    fts, table = layer.search_table, layer.events
    join = f"JOIN {table.name} ON {table.name}.rowid = {fts}.rowid AND "
    shown = join + condition_sql(connection, confident(table, threshold))
    total_events = _capped_count(connection, fts, params, shown)
    hidden = 0
    if threshold > 0:
        hidden = _capped_count(connection, fts, params, join + condition_sql(connection, below(table, threshold)))
    event_query = (
        f"SELECT {fts}.rowid AS fts_rowid, snippet({fts}, -1, {marks}) AS snippet FROM {fts} {shown} "
        f"WHERE {fts} MATCH :q ORDER BY {_fts_order(fts, '3.0, 2.0, 1.0', total_events)} LIMIT :limit OFFSET :offset"
    )
    hits = [(row[0], row[1]) for row in connection.execute(sa.text(event_query), params)]
    events_page = _search_page(_events_by_rowid(connection, layer, hits), total_events, limit, offset)
    events_page.update(threshold_fields(threshold, hidden))
    return _search_page(found_articles, total_articles, limit, offset), events_page


def _events_by_rowid(connection: sa.Connection, layer: Layer, hits: list[tuple[int, str]]) -> list[dict[str, Any]]:
    table = layer.events
    rowid = sa.literal_column(f"{table.name}.rowid")
    query = event_list_query(layer).add_columns(rowid.label("row_number")).where(rowid.in_([h[0] for h in hits]))
    by_rowid = {row["row_number"]: row for row in connection.execute(query).mappings()}
    found = []
    for number, snippet in hits:
        if number in by_rowid:
            found.append({**event_summary(by_rowid[number], layer), "snippet": snippet_segments(snippet)})
    return found


#: PostgreSQL search looks at most this many matches per kind; beyond, the page is the newest of them.
PG_SEARCH_CANDIDATES = 2000
#: Up to this many matches are ranked by ts_rank (it re-reads each match's text); more are ordered by date.
PG_RANKED_MATCHES = 300


def _search_postgres(
    connection: sa.Connection, layer: Layer, q: str, limit: int, offset: int, threshold: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Matches capped at PG_SEARCH_CANDIDATES per kind, so a word found everywhere costs no more than a rare one."""
    params = {"q": q, "cap": PG_SEARCH_CANDIDATES + 1}
    articles_page = _pg_article_hits(connection, params, limit, offset)
    events_page = _pg_event_hits(connection, layer, params, limit, offset, threshold)
    return articles_page, events_page


_PG_TSQUERY = "websearch_to_tsquery('english', :q)"
_PG_HEADLINE = f"'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=12, MaxFragments=1'"


def _pg_capped_page(total: int, items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    page = page_of(items, min(total, PG_SEARCH_CANDIDATES), limit, offset)
    page["more"] = total > PG_SEARCH_CANDIDATES
    return page


def _ids_newest_first(candidates: Sequence[Any]) -> list[str]:
    """Ids of (id, date) rows, newest date first, undated last, ties by id (descending)."""
    newest = sorted(candidates, key=lambda c: (c[1] is not None, c[1] or dt.date.min, c[0]), reverse=True)
    return [c[0] for c in newest]


def _pg_article_hits(connection: sa.Connection, params: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    doc = tsvector(PG_ARTICLE_DOC)
    candidates = connection.execute(
        sa.text(f"SELECT article_id, published FROM articles WHERE {doc} @@ {_PG_TSQUERY} LIMIT :cap"), params
    ).all()
    total = len(candidates)
    candidates = candidates[:PG_SEARCH_CANDIDATES]
    if total <= PG_RANKED_MATCHES:
        ranked = connection.execute(
            sa.text(
                f"SELECT article_id FROM articles WHERE article_id = ANY(:ids) "
                f"ORDER BY ts_rank({doc}, {_PG_TSQUERY}) DESC, article_id"
            ),
            {**params, "ids": [c[0] for c in candidates]},
        ).scalars()
        order = list(ranked)
    else:
        order = _ids_newest_first(candidates)
    page_ids = order[offset : offset + limit]
    rows = connection.execute(
        sa.text(
            "SELECT article_id, title, outlet, url, published, language, "
            f"substr(text, 1, {LEAD_CHARS}) AS lead_text, "
            f"ts_headline('english', {PG_ARTICLE_DOC}, {_PG_TSQUERY}, {_PG_HEADLINE}) AS snippet "
            "FROM articles WHERE article_id = ANY(:ids)"
        ),
        {**params, "ids": page_ids},
    ).mappings()
    by_id = {row["article_id"]: row for row in rows}
    items = [
        {**article_row(by_id[a]), "snippet": snippet_segments(by_id[a]["snippet"])} for a in page_ids if a in by_id
    ]
    return _pg_capped_page(total, items, limit, offset)


def _pg_event_hits(
    connection: sa.Connection, layer: Layer, params: dict[str, Any], limit: int, offset: int, threshold: float
) -> dict[str, Any]:
    table, mention_table = layer.events.name, layer.mentions.name
    matching = (
        f"(SELECT m.event_id FROM {mention_table} m WHERE {tsvector('m.sentence')} @@ {_PG_TSQUERY} LIMIT :cap) "
        f"UNION (SELECT e.event_id FROM {table} e WHERE {tsvector(pg_event_doc('e'))} @@ {_PG_TSQUERY} LIMIT :cap)"
    )
    matched = f"SELECT {table}.event_id, {table}.date FROM {table} WHERE {table}.event_id IN ({matching}) AND "
    candidates = connection.execute(
        sa.text(matched + condition_sql(connection, confident(layer.events, threshold))), params
    ).all()
    hidden = 0
    if threshold > 0:
        below_sql = condition_sql(connection, below(layer.events, threshold))
        hidden = len(connection.execute(sa.text(matched + below_sql), params).all())
    total = len(candidates)
    page_ids = _ids_newest_first(candidates)[:PG_SEARCH_CANDIDATES][offset : offset + limit]
    hits = connection.execute(
        sa.text(
            f"SELECT e.event_id, ts_headline('english', {pg_event_doc('e')} || ' ' || coalesce(("
            f"SELECT string_agg(sentence, ' ') FROM {mention_table} WHERE event_id = e.event_id), ''), "
            f"{_PG_TSQUERY}, {_PG_HEADLINE}) AS snippet FROM {table} e WHERE e.event_id = ANY(:ids)"
        ),
        {**params, "ids": page_ids},
    ).all()
    snippets = dict(hits)
    query = event_list_query(layer).where(layer.events.c.event_id.in_(page_ids))
    by_id = {row["event_id"]: row for row in connection.execute(query).mappings()}
    items = [
        {**event_summary(by_id[event_id], layer), "snippet": snippet_segments(snippets.get(event_id))}
        for event_id in page_ids
        if event_id in by_id
    ]
    return {**_pg_capped_page(total, items, limit, offset), **threshold_fields(threshold, hidden)}


def search(
    engine: sa.Engine, q: str, limit: int = 20, offset: int = 0, min_confidence: float | None = None
) -> dict[str, Any]:
    """Full-text search over articles (title, text) and events (actors, predicate, sentences) at or
    above the confidence threshold (the events page says how many matches fell below it)."""
    limit = clamp_limit(limit)
    terms = search_terms(q)
    threshold = threshold_or_default(min_confidence)
    with engine.connect() as connection:
        layer = event_layer(connection)
        if not terms:
            empty = _search_page([], 0, limit, offset)
            found = (empty, {**empty, **threshold_fields(threshold, 0)})
        elif connection.dialect.name == "sqlite":
            found = _search_sqlite(connection, layer, terms, limit, offset, threshold)
        else:
            found = _search_postgres(connection, layer, " ".join(terms), limit, offset, threshold)
    return {"q": q, "terms": terms, "layer": layer.name, "articles": found[0], "events": found[1]}
