"""mention attribution

Who the sentence says reported an event ("..., police said", "according to X"): `attributed_*` actor
columns on `mentions` and `canonical_mentions`. Rows stored before this revision keep NULL there;
re-running the pipeline fills them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("mentions", "canonical_mentions")
FIELDS = ("text", "name", "country", "sector", "actor_id", "kind", "code")


def upgrade() -> None:
    for table in TABLES:
        for field in FIELDS:
            kind = sa.Text() if field in ("text", "name") else sa.String()
            op.add_column(table, sa.Column(f"attributed_{field}", kind, nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE DROP COLUMN, as in 0004: no index or trigger reads these columns.
    for table in TABLES:
        for field in FIELDS:
            op.execute(f"ALTER TABLE {table} DROP COLUMN attributed_{field}")
