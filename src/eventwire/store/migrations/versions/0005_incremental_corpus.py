"""incremental corpus

Tables the incremental corpus stage keeps between runs: `story_profiles` and `story_keys` (each
dated story's centroid and blocking keys, which undated articles are compared with),
`undated_keys` (which undated articles to re-check when a story changes) and `corpus_state` (the
story clusterer's state after the last day a run no longer re-opens). A store from revision 0004
has none of them: its next run rebuilds the corpus stage once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_profiles",
        sa.Column("story_id", sa.String(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("story_id"),
    )
    op.create_table(
        "story_keys",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("story_id", sa.String(), nullable=False),
    )
    op.create_index("ix_story_keys_key", "story_keys", ["key"], unique=False)
    op.create_index("ix_story_keys_story_id", "story_keys", ["story_id"], unique=False)
    op.create_table(
        "undated_keys",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("article_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], ondelete="CASCADE"),
    )
    op.create_index("ix_undated_keys_key", "undated_keys", ["key"], unique=False)
    op.create_index("ix_undated_keys_article_id", "undated_keys", ["article_id"], unique=False)
    op.create_table(
        "corpus_state",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("position", sa.Date(), nullable=True),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("corpus_state")
    op.drop_index("ix_undated_keys_article_id", table_name="undated_keys")
    op.drop_index("ix_undated_keys_key", table_name="undated_keys")
    op.drop_table("undated_keys")
    op.drop_index("ix_story_keys_story_id", table_name="story_keys")
    op.drop_index("ix_story_keys_key", table_name="story_keys")
    op.drop_table("story_keys")
    op.drop_table("story_profiles")
