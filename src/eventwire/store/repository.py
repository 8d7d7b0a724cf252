"""The event store: saving pipeline results and reading them back in the export shapes.

`open_repository` accepts a file path (SQLite) or an SQLAlchemy URL (SQLite or PostgreSQL),
creates or migrates the schema, and returns a `Repository`. Writes are idempotent per
article: an article already stored is skipped with its events. Reads stream rows in the
documented output contracts (docs/schema.md) so exports never hold a whole table in memory.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.pool import StaticPool

from eventwire.ingest.files import path_text
from eventwire.records import ArticleResult, Event, Failure, Mention
from eventwire.store import migrate
from eventwire.store.contracts import article_json, event_json, failure_json, iso_utc, mention_columns, mention_json
from eventwire.store.corpus import claim_rows, mention_row, quote_rows
from eventwire.store.rows import to_row
from eventwire.store.schema import articles, claims, events, failures, mentions, quotes, removed_lines, runs

#: Articles saved per transaction by `save_results`.
BATCH_SIZE = 50
#: Rows fetched per round trip when streaming reads.
STREAM_CHUNK = 1000
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


#: Seconds to wait for a PostgreSQL server to accept a connection.
CONNECT_TIMEOUT = 10


class StoreError(RuntimeError):
    """The store could not be opened or written (the message is one line)."""


def describe_error(error: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's background notes."""
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Turn a lost or failing database (connection refused or dropped, disk full, read-only) into a StoreError."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.InternalError) as error:
        raise StoreError(f"{action}: database unavailable or failing: {describe_error(error)}") from error


# ---------------------------------------------------------------- opening


def database_url(db: str | Path) -> sa.URL:
    """The SQLAlchemy URL for `db`: a file path or ":memory:" (SQLite) or a URL."""
    text = str(db)
    if text == ":memory:":
        return sa.URL.create("sqlite", database=":memory:")
    if "://" not in text:
        return sa.URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    for scheme in _POSTGRES_SCHEMES:
        if text.startswith(scheme):
            text = "postgresql+psycopg://" + text[len(scheme) :]
    return sa.make_url(text)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly (see _begin_sqlite)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_sqlite(connection: sa.Connection) -> None:
    """Begin every transaction explicitly, so DDL (migrations) is transactional on SQLite too.

    Writers begin IMMEDIATE (take the write lock up front, waiting up to the busy timeout)
    so concurrent writers queue instead of failing on a lock upgrade.
    """
    immediate = connection.get_execution_options().get(migrate.WRITER_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _quiet_driver_warnings() -> None:
    """psycopg's own warnings (e.g. on cleanup after a lost connection) go to the application's logging
    only: without a handler they would be printed to stderr next to the one-line StoreError."""
    logger = logging.getLogger("psycopg")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _create_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() != "sqlite":
        _quiet_driver_warnings()
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT}
        return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
    sa.event.listen(engine, "connect", _set_sqlite_pragmas)
    sa.event.listen(engine, "begin", _begin_sqlite)
    return engine


def open_repository(db: str | Path) -> Repository:
    """Open (creating or migrating the schema if needed) the store at `db`."""
    url = database_url(db)
    engine = _create_engine(url)
    try:
        migrate.upgrade(engine)
    except (sa.exc.SQLAlchemyError, migrate.SchemaError) as error:
        engine.dispose()
        where = url.render_as_string(hide_password=True)
        raise StoreError(f"cannot open store {where}: {describe_error(error)}") from error
    return Repository(engine)


# ---------------------------------------------------------------- records -> rows


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _article_row(result: ArticleResult, run_id: str | None, now: dt.datetime) -> dict[str, Any]:
    return {**to_row(result.article), "created_at": now, "run_id": run_id}


def _removed_rows(result: ArticleResult) -> list[dict[str, Any]]:
    article_id = result.article.article_id
    return [{"article_id": article_id, "position": i, **to_row(line)} for i, line in enumerate(result.article.removed)]


def _event_row(event: Event, article_id: str) -> dict[str, Any]:
    return {**to_row(event), "article_id": article_id}


def _mention_rows(event_id: str, event_mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    return [mention_row(event_id, i, m) for i, m in enumerate(event_mentions)]


def _merged_events(result: ArticleResult) -> list[tuple[Event, list[Mention]]]:
    """Events of one article with duplicate ids merged: first occurrence wins, mentions are pooled."""
    merged: dict[str, tuple[Event, list[Mention]]] = {}
    for event in result.events:
        if event.event_id not in merged:
            merged[event.event_id] = (event, list(event.mentions))
            continue
        pooled = merged[event.event_id][1]
        pooled.extend(m for m in event.mentions if m not in pooled)
    return list(merged.values())


def _failure_row(failure: Failure, run_id: str | None, now: dt.datetime) -> dict[str, Any]:
    return {"run_id": run_id, **to_row(failure), "created_at": now}


#: NUL (refused by PostgreSQL) and lone surrogates (undecodable bytes of a file name, refused by both databases).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with unstorable characters (see `_UNSTORABLE`) as U+FFFD, keeping string lengths and offsets."""
    for key, value in row.items():
        if isinstance(value, str) and _UNSTORABLE.search(value):
            row[key] = _UNSTORABLE.sub("\ufffd", value)
    return row


def _rows_for(results: Sequence[ArticleResult], run_id: str | None) -> dict[sa.Table, list[dict[str, Any]]]:
    """All rows to insert for `results`, per table, in foreign-key order."""
    now = _utcnow()
    rows: dict[sa.Table, list[dict[str, Any]]] = {
        articles: [],
        removed_lines: [],
        events: [],
        mentions: [],
        claims: [],
        quotes: [],
    }
    for position, result in enumerate(results):
        article_id = result.article.article_id
        # one microsecond apart: created_at keeps the input order (undated articles are placed by it)
        rows[articles].append(_article_row(result, run_id, now + dt.timedelta(microseconds=position)))
        rows[removed_lines].extend(_removed_rows(result))
        for event, event_mentions in _merged_events(result):
            rows[events].append(_event_row(event, article_id))
            rows[mentions].extend(_mention_rows(event.event_id, event_mentions))
        rows[claims].extend(claim_rows(result))
        rows[quotes].extend(quote_rows(result))
    return {table: [_storable(row) for row in table_rows] for table, table_rows in rows.items()}


# ---------------------------------------------------------------- rows -> contracts


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _unique_articles(results: Sequence[ArticleResult]) -> list[ArticleResult]:
    seen: set[str] = set()
    unique = []
    for result in results:
        if result.article.article_id not in seen:
            seen.add(result.article.article_id)
            unique.append(result)
    return unique


_MENTION_COLUMNS = mention_columns(mentions)


# ---------------------------------------------------------------- repository


class Repository:
    """Articles, events, failures and runs in one SQL database (SQLite or PostgreSQL)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{migrate.WRITER_OPTION: True})

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def backend(self) -> str:
        """The database backend: sqlite or postgresql."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release all connections."""
        self.engine.dispose()

    # ------------------------------------------------------------ writes

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        query = sa.select(articles.c.article_id).where(articles.c.article_id == article_id)
        with store_errors("cannot read articles"), self.engine.connect() as connection:
            return connection.execute(query).first() is not None

    def save_result(self, result: ArticleResult, run_id: str | None = None) -> bool:
        """Store one article with its removed lines, events and mentions in one transaction.

        Returns False when the article was already stored (nothing is written) or could not be
        stored (a `store` failure is recorded instead). `result.failures` are not stored here:
        record them with `record_failure`.
        """
        return self.save_results([result], run_id=run_id, batch_size=1) == 1

    def save_results(
        self, results: Iterable[ArticleResult], run_id: str | None = None, batch_size: int = BATCH_SIZE
    ) -> int:
        """Store many results, `batch_size` articles per transaction; return how many were new.

        Raises StoreError when the database fails (e.g. goes away): batches already committed stay.
        """
        with store_errors("cannot store articles"):
            return sum(self._save_batch(batch, run_id) for batch in _batched(results, batch_size))

    def _save_batch(self, batch: list[ArticleResult], run_id: str | None) -> int:
        batch = _unique_articles(batch)
        try:
            with self._writer.begin() as connection:
                new = self._not_stored(connection, batch)
                for table, rows in _rows_for(new, run_id).items():
                    if rows:
                        connection.execute(table.insert(), rows)
                return len(new)
        except (IntegrityError, DataError) as error:
            if len(batch) > 1:
                return sum(self._save_batch([result], run_id) for result in batch)
            return self._report_unsaved(batch[0], run_id, error)

    def _not_stored(self, connection: sa.Connection, batch: list[ArticleResult]) -> list[ArticleResult]:
        ids = [result.article.article_id for result in batch]
        query = sa.select(articles.c.article_id).where(articles.c.article_id.in_(ids))
        stored = set(connection.execute(query).scalars())
        return [result for result in batch if result.article.article_id not in stored]

    def _report_unsaved(self, result: ArticleResult, run_id: str | None, error: sa.exc.DBAPIError) -> int:
        """An article the database rejects (e.g. an event id already used by another article)."""
        article_id = result.article.article_id
        if self.has_article(article_id):  # stored meanwhile by another writer
            return 0
        reason = str(error.orig).splitlines()[0] if error.orig else str(error)
        self.record_failure(Failure(article_id, f"not stored: {reason}", stage="store"), run_id)
        return 0

    def record_failure(self, failure: Failure, run_id: str | None = None) -> None:
        """Store a problem with one input."""
        with store_errors("cannot record a problem"), self._writer.begin() as connection:
            connection.execute(failures.insert(), [_storable(_failure_row(failure, run_id, _utcnow()))])

    def start_run(self, inputs: list[str]) -> str:
        """Register a processing run over `inputs`; return its id."""
        run_id = uuid.uuid4().hex
        row = {"run_id": run_id, "started_at": _utcnow(), "inputs": [path_text(i) for i in inputs]}
        with store_errors("cannot start a run"), self._writer.begin() as connection:
            connection.execute(runs.insert(), [row])
        return run_id

    def finish_run(self, run_id: str, stats: dict) -> None:
        """Mark a run finished with its statistics (any JSON-serialisable dict)."""
        update = runs.update().where(runs.c.run_id == run_id).values(finished_at=_utcnow(), stats=_json_safe(stats))
        with store_errors("cannot finish the run"), self._writer.begin() as connection:
            if connection.execute(update).rowcount == 0:
                raise StoreError(f"unknown run {run_id!r}")

    # ------------------------------------------------------------ reads

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """A run: id, start and finish times, inputs and stats."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(runs).where(runs.c.run_id == run_id)).mappings().first()
        if row is None:
            return None
        return {
            "run_id": row["run_id"],
            "started_at": iso_utc(row["started_at"]),
            "finished_at": iso_utc(row["finished_at"]),
            "inputs": row["inputs"],
            "stats": row["stats"],
        }

    def get_article(self, article_id: str) -> dict[str, Any] | None:
        """An article in the export shape plus url, source_format, run_id and created_at."""
        removed_query = (
            sa.select(removed_lines.c.text, removed_lines.c.rule)
            .where(removed_lines.c.article_id == article_id)
            .order_by(removed_lines.c.position)
        )
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(articles).where(articles.c.article_id == article_id)).mappings().first()
            if row is None:
                return None
            removed = [dict(r) for r in connection.execute(removed_query).mappings()]
        return {
            **article_json(row, removed),
            "url": row["url"],
            "source_format": row["source_format"],
            "run_id": row["run_id"],
            "created_at": iso_utc(row["created_at"]),
        }

    def find_articles(self, prefix: str, limit: int | None = None) -> list[str]:
        """Ids of stored articles starting with `prefix`, sorted."""
        query = (
            sa.select(articles.c.article_id)
            .where(articles.c.article_id.startswith(prefix, autoescape=True))
            .order_by(articles.c.article_id)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def _stream(self, query: sa.Select) -> Iterator[sa.RowMapping]:
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=STREAM_CHUNK).execute(query)
            yield from result.mappings()

    def iter_articles(self) -> Iterator[dict[str, Any]]:
        """All articles in the export shape, by publication date (unknown last) then id."""
        query = (
            sa.select(
                articles,
                removed_lines.c.position.label("r_position"),
                removed_lines.c.text.label("r_text"),
                removed_lines.c.rule.label("r_rule"),
            )
            .outerjoin(removed_lines, removed_lines.c.article_id == articles.c.article_id)
            .order_by(sa.nulls_last(articles.c.published), articles.c.article_id, removed_lines.c.position)
        )
        for _, group in itertools.groupby(self._stream(query), key=lambda row: row["article_id"]):
            rows = list(group)
            removed = [{"text": r["r_text"], "rule": r["r_rule"]} for r in rows if r["r_position"] is not None]
            yield article_json(rows[0], removed)

    def iter_events(self, article_id: str | None = None) -> Iterator[dict[str, Any]]:
        """All events (or one article's) in the export shape, by date (unknown last) then id."""
        query = (
            sa.select(events, mentions.c.position.label("m_position"), *_MENTION_COLUMNS)
            .outerjoin(mentions, mentions.c.event_id == events.c.event_id)
            .order_by(sa.nulls_last(events.c.date), events.c.event_id, mentions.c.position)
        )
        if article_id is not None:
            query = query.where(events.c.article_id == article_id)
        for _, group in itertools.groupby(self._stream(query), key=lambda row: row["event_id"]):
            rows = list(group)
            event_mentions = [mention_json(r) for r in rows if r["m_position"] is not None]
            yield event_json(rows[0], event_mentions)

    def iter_failures(self) -> Iterator[dict[str, Any]]:
        """All recorded failures, oldest first."""
        for row in self._stream(sa.select(failures).order_by(failures.c.id)):
            yield failure_json(row)

    def counts(self) -> dict[str, int]:
        """Row counts: articles, english (language en or unknown), events, mentions, failures."""
        count = sa.func.count()
        english = sa.or_(articles.c.language.is_(None), articles.c.language == "en")
        query = sa.select(
            sa.select(count).select_from(articles).scalar_subquery().label("articles"),
            sa.select(count).select_from(articles).where(english).scalar_subquery().label("english"),
            sa.select(count).select_from(events).scalar_subquery().label("events"),
            sa.select(count).select_from(mentions).scalar_subquery().label("mentions"),
            sa.select(count).select_from(failures).scalar_subquery().label("failures"),
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().one()
        return {key: int(value) for key, value in row.items()}
