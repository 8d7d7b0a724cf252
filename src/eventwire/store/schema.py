"""The relational schema of the event store, as SQLAlchemy Core tables.

This module owns the *current* shape of the database. Migrations in
`eventwire/store/migrations/versions/` turn an older database into this shape;
`tests/test_store.py` checks that the migrated schema and these tables agree.
Only portable column types are used, so the same schema runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa

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
    sa.Column("article_id", sa.String, primary_key=True),
    sa.Column("path", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.Date),
    sa.Column("language", sa.String),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("source_format", sa.String, nullable=False),
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
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("rule", sa.String, nullable=False),
)


def _actor_columns(role: str, nullable: bool) -> list[sa.Column]:
    """The columns describing one actor of an event (`source_*`, `target_*`, a mention's `attributed_*`)."""
    return [
        sa.Column(f"{role}_text", sa.Text, nullable=nullable),
        sa.Column(f"{role}_name", sa.Text),
        sa.Column(f"{role}_country", sa.String),
        sa.Column(f"{role}_sector", sa.String),
        sa.Column(f"{role}_actor_id", sa.String),
        sa.Column(f"{role}_kind", sa.String),
        sa.Column(f"{role}_code", sa.String),  # CAMEO-style actor code (USAGOV, IGOUNO); NULL before 0004
    ]


events = sa.Table(
    "events",
    metadata,
    sa.Column("event_id", sa.String, primary_key=True),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.String, nullable=False),
    sa.Column("date_method", sa.String, nullable=False),
    sa.Column("date_text", sa.Text),
    sa.Column("plover", sa.String, nullable=False),
    sa.Column("mode", sa.String),
    sa.Column("cameo", sa.String, nullable=False),
    sa.Column("goldstein", sa.Float, nullable=False),
    sa.Column("quad_class", sa.Integer, nullable=False),
    sa.Column("code_rule", sa.Text),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("predicate", sa.Text, nullable=False),
    sa.Column("is_main", sa.Boolean, nullable=False),
    *_actor_columns("source", nullable=False),
    *_actor_columns("target", nullable=True),
    sa.Column("location_text", sa.Text),
    sa.Column("location_country", sa.String),
    sa.Column("location_lat", sa.Float),
    sa.Column("location_lon", sa.Float),
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
    sa.Column("article_id", sa.String, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    *_actor_columns("attributed", nullable=True),  # who the sentence says reported it; NULL before 0006
    sa.Index("ix_mentions_article_id", "article_id"),
)

failures = sa.Table(
    "failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("stage", sa.String, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_failures_run_id", "run_id"),
)


# Corpus-level results (stories, canonical events, claims, quotes): recomputed by the
# stories stage after each run, from the per-article records above.

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("story_id", sa.String, primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("first_seen", sa.Date),
    sa.Column("last_seen", sa.Date),
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
    sa.Column("event_id", sa.String, primary_key=True),
    sa.Column("story_id", sa.String),
    sa.Column("sources", sa.Integer, nullable=False),  # distinct outlets reporting it
    sa.Column("member_ids", sa.JSON, nullable=False),  # event_ids of the merged mentions' events
    sa.Column("date", sa.Date),
    sa.Column("date_precision", sa.String, nullable=False),
    sa.Column("date_method", sa.String, nullable=False),
    sa.Column("plover", sa.String, nullable=False),
    sa.Column("mode", sa.String),
    sa.Column("cameo", sa.String, nullable=False),
    sa.Column("goldstein", sa.Float, nullable=False),
    sa.Column("quad_class", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("predicate", sa.Text, nullable=False),
    *_actor_columns("source", nullable=False),
    *_actor_columns("target", nullable=True),
    sa.Column("location_text", sa.Text),
    sa.Column("location_country", sa.String),
    sa.Column("location_lat", sa.Float),
    sa.Column("location_lon", sa.Float),
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
    sa.Column("article_id", sa.String, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    *_actor_columns("attributed", nullable=True),
    sa.Index("ix_canonical_mentions_article_id", "article_id"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("claim_id", sa.String, primary_key=True),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("kind", sa.String, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("subject", sa.Text),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("period_text", sa.Text),
    sa.Column("is_change", sa.Boolean, nullable=False),
    sa.Column("speaker_text", sa.Text),
    sa.Column("speaker_name", sa.Text),
    sa.Column("speaker_country", sa.String),
    sa.Column("converted_from", sa.String),
    sa.Column("group_id", sa.String),
    sa.Column("status", sa.String),  # agree | disagree | single
    sa.Column("note", sa.Text),
    sa.Index("ix_claims_article_id", "article_id"),
    sa.Index("ix_claims_group_id", "group_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("quote_id", sa.String, primary_key=True),
    sa.Column(
        "article_id",
        sa.String,
        sa.ForeignKey("articles.article_id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    *_actor_columns("speaker", nullable=True),
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
