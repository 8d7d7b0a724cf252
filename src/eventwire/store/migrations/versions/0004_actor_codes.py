"""actor codes

A CAMEO-style code beside each actor's country and sector (`USAGOV`, `RUSMIL`, `IGOUNO`, `REB`):
`source_code` and `target_code` on events and canonical events, `speaker_code` on quotes. Rows
stored before this revision keep NULL there; re-running the pipeline fills them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Table -> the actor roles (column prefixes) it describes.
ACTOR_ROLES = {
    "events": ("source", "target"),
    "canonical_events": ("source", "target"),
    "quotes": ("speaker",),
}


def upgrade() -> None:
    for table, roles in ACTOR_ROLES.items():
        for role in roles:
            op.add_column(table, sa.Column(f"{role}_code", sa.String(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of the table would trip
    # over the search triggers of revision 0003, and no index or trigger reads these columns.
    for table, roles in ACTOR_ROLES.items():
        for role in roles:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {role}_code")
