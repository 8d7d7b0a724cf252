"""The relational schema of the event store, as SQLAlchemy Core tables.

This module owns the *current* shape of the database. Migrations in
`eventwire/store/migrations/versions/` turn an older database into this shape;
`tests/test_store.py` checks that the migrated schema and these tables agree.
Only portable column types are used, so the same schema runs on SQLite and PostgreSQL.

The columns of stored records (articles, events, mentions, claims, quotes, stories, canonical events,
failures) are derived from their declaration in `eventwire.records` (`eventwire.store.rows.columns`);
only the columns that are not record fields (parent ids, positions, run bookkeeping) are written here.
"""

from __future__ import annotations

import sqlalchemy as sa

from eventwire.records import Article, CanonicalEvent, Claim, Event, Failure, Mention, Quote, RemovedLine, Story
from eventwire.store.rows import columns

metadata = sa.MetaData()

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.String, primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("inputs", sa.JSON, nullable=False),
    sa.Column("stats", sa.JSON),
)

articles = sa.Table(
    "articles",
    metadata,
    *columns(Article),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("run_id", sa.String),
    sa.Index("ix_articles_published", "published"),
    sa.Index("ix_articles_run_id", "run_id"),
)

removed_lines = sa.Table(
    "removed_lines",
    metadata,
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    *columns(RemovedLine),
)


events = sa.Table(
    "events",
    metadata,
    *columns(Event),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Index("ix_events_date", "date"),
    sa.Index("ix_events_dyad", "source_country", "target_country"),
    sa.Index("ix_events_article_id", "article_id"),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column(
        "event_id",
        sa.String,
        sa.ForeignKey("events.event_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    *columns(Mention),  # attributed_* (who the sentence says reported it) are NULL before 0006
    sa.Index("ix_mentions_article_id", "article_id"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String),
    *columns(Failure),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_failures_run_id", "run_id"),
)


# Corpus-level results (stories, canonical events, claims, quotes): recomputed by the
# stories stage after each run, from the per-article records above.

stories = sa.Table(
    "stories",
    metadata,
    *columns(Story),
    sa.Column("article_count", sa.Integer, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),  # [{"sentence", "article_id"}]
    sa.Index("ix_stories_last_seen", "last_seen"),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("story_id", sa.String, nullable=False),
    sa.Column("duplicate_group", sa.String),
    sa.Column("inferred_date", sa.Date),
    sa.Column("inferred_precision", sa.String),
    sa.Column("inferred_evidence", sa.JSON),
    sa.Index("ix_story_articles_story_id", "story_id"),
)

canonical_events = sa.Table(
    "canonical_events",
    metadata,
    *columns(CanonicalEvent),  # the event's columns but date_text, code_rule and is_main
    sa.Index("ix_canonical_events_date", "date"),
    sa.Index("ix_canonical_events_dyad", "source_country", "target_country"),
    sa.Index("ix_canonical_events_story_id", "story_id"),
)

canonical_mentions = sa.Table(
    "canonical_mentions",
    metadata,
    sa.Column(
        "event_id",
        sa.String,
        sa.ForeignKey("canonical_events.event_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    *columns(Mention),
    sa.Index("ix_canonical_mentions_article_id", "article_id"),
)

claims = sa.Table(
    "claims",
    metadata,
    *columns(Claim, foreign_keys={"article_id": "articles.article_id"}),
    sa.Column("group_id", sa.String),
    sa.Column("status", sa.String),  # agree | disagree | single
    sa.Column("note", sa.Text),
    sa.Index("ix_claims_article_id", "article_id"),
    sa.Index("ix_claims_group_id", "group_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    *columns(Quote, foreign_keys={"article_id": "articles.article_id"}),
    sa.Index("ix_quotes_article_id", "article_id"),
)

# What the incremental corpus stage keeps between runs: each dated story's profile and blocking
# keys (undated articles are compared with them), undated articles' keys, and the story clusterer's
# state after the last day that is no longer re-opened.

story_profiles = sa.Table(
    "story_profiles",
    metadata,
    sa.Column("story_id", sa.String, primary_key=True),
    sa.Column("profile", sa.JSON, nullable=False),
)

story_keys = sa.Table(
    "story_keys",
    metadata,
    sa.Column("key", sa.String, nullable=False),
    sa.Column("story_id", sa.String, nullable=False),
    sa.Index("ix_story_keys_key", "key"),
    sa.Index("ix_story_keys_story_id", "story_id"),
)

undated_keys = sa.Table(
    "undated_keys",
    metadata,
    sa.Column("key", sa.String, nullable=False),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Index("ix_undated_keys_key", "key"),
    sa.Index("ix_undated_keys_article_id", "article_id"),
)

corpus_state = sa.Table(
    "corpus_state",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("position", sa.Date),  # the state covers every dated article published up to this day
    sa.Column("state", sa.LargeBinary, nullable=False),
)
