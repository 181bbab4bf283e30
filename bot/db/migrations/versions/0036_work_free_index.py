"""The work queue's free requests, lane by lane: an index a claim reads one entry of.

A work thread claims the next request nobody holds: the trigger lane first, then the rest, then the App Home
refreshes, oldest first within each. ``ix_work_lane`` (lane, id) held every row, those being worked on too, and
one query over "no owner, or a lease run out" in that order could not use it: PostgreSQL read the whole queue
for every claim. This partial index holds only the requests nobody holds, so a claim reads a lane's first entry
however long the backlog, and a request leaves it when it is taken. It also serves the Home lane's "is this
refresh already waiting" check. (Ascending, not ``lane DESC``: SQLite does not report an index's order back,
so the schema could not be checked against the models; the claim reads one lane at a time.)

Revision ID: 0036_work_free_index
Revises: 0035_restock_private_note
"""

import sqlalchemy as sa
from alembic import op

revision = "0036_work_free_index"
down_revision = "0035_restock_private_note"
branch_labels = None
depends_on = None

_FREE = sa.text("owner IS NULL")


def upgrade() -> None:
    op.create_index("ix_work_free", "work", ["lane", "id"], postgresql_where=_FREE, sqlite_where=_FREE)
    op.drop_index("ix_work_lane", table_name="work")


def downgrade() -> None:
    op.create_index("ix_work_lane", "work", ["lane", "id"])
    op.drop_index("ix_work_free", table_name="work")
