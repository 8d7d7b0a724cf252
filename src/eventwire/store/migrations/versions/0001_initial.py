"""Initial schema: runs, articles, removed_lines, events, mentions, failures.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _actor_columns(role: str, nullable: bool) -> list[sa.Column]:
    return [
        sa.Column(f"{role}_text", sa.Text, nullable=nullable),
        sa.Column(f"{role}_name", sa.Text),
        sa.Column(f"{role}_country", sa.String),
        sa.Column(f"{role}_sector", sa.String),
        sa.Column(f"{role}_actor_id", sa.String),
        sa.Column(f"{role}_kind", sa.String),
    ]


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String, primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("stats", sa.JSON),
    )
    op.create_table(
        "articles",
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
    )
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_run_id", "articles", ["run_id"])
    op.create_table(
        "removed_lines",
        sa.Column("article_id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("rule", sa.String, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], ondelete="CASCADE"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, nullable=False),
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
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], ondelete="CASCADE"),
    )
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_dyad", "events", ["source_country", "target_country"])
    op.create_index("ix_events_article_id", "events", ["article_id"])
    op.create_table(
        "mentions",
        sa.Column("event_id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("article_id", sa.String, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], ondelete="CASCADE"),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("stage", sa.String, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_failures_run_id", "failures", ["run_id"])


def downgrade() -> None:
    for table in ("failures", "mentions", "events", "removed_lines", "articles", "runs"):
        op.drop_table(table)
