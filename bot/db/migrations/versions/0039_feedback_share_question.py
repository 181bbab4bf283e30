"""Feedback from a private conversation: the share question kept, and the manager's line alone.

``consent_question`` numbers the author's share question (each question's buttons carry their number, so a
press on one that a newer question replaced is told apart), and ``consent_channel`` / ``consent_ts`` say where
the latest one landed, so that asking again edits the one before to say it was replaced. Questions asked before
this have number 0 and no ts: they stay current until the next one is asked.

An item its team may not see (``share_publicly`` false: from a private conversation, not shared) works on the
manager's line alone. Older code made lines for its whole route (marketing, purchasing, ...) when it first read
them; those are put aside here (kept with their state, as a re-route does: they come back as they were if the
author shares it), and the manager gets her line, made from the item's one state, so the item is on her App Home
and its state follows her line. The flows leave such lines out wherever lines are read as well
(``bot/db/feedback_lines.py``), whatever wrote them. Downgrading drops the columns; lines put aside stay aside.

Revision ID: 0039_feedback_share_question
Revises: 0038_launch_channel_step
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0039_feedback_share_question"
down_revision = "0038_launch_channel_step"
branch_labels = None
depends_on = None

MANAGER = "manager"
# A line made later from the item's one state (as bot/ops/feedback_lines.line_from_item_state, as of now).
LINE_STATE = {"new": "new", "acknowledged": "acknowledged", "in_progress": "on_it", "closed": "done"}


def upgrade() -> None:
    op.add_column("feedback_items", sa.Column("consent_question", sa.Integer, nullable=False, server_default="0"))
    op.add_column("feedback_items", sa.Column("consent_channel", sa.String(32), nullable=True))
    op.add_column("feedback_items", sa.Column("consent_ts", sa.String(32), nullable=True))
    _private_items_keep_the_managers_line_alone()


def _private_items_keep_the_managers_line_alone() -> None:
    items = sa.table("feedback_items", sa.column("id", sa.Integer), sa.column("team_id", sa.String),
                     sa.column("share_publicly", sa.Boolean), sa.column("state", sa.String),
                     sa.column("owner", sa.String), sa.column("note", sa.Text), sa.column("updated_at", UTCDateTime()))
    lines = sa.table("feedback_lines", sa.column("id", sa.Integer), sa.column("team_id", sa.String),
                     sa.column("item_id", sa.Integer), sa.column("role", sa.String), sa.column("state", sa.String),
                     sa.column("actor", sa.String), sa.column("note", sa.Text), sa.column("active", sa.Boolean),
                     sa.column("updated_at", UTCDateTime()))
    bind = op.get_bind()
    private = bind.execute(sa.select(items).where(items.c.share_publicly.is_(False)).order_by(items.c.id)).all()
    for item in private:
        bind.execute(lines.update().where(lines.c.item_id == item.id, lines.c.role != MANAGER, lines.c.active.is_(True))
                     .values(active=False))
        managers = bind.execute(sa.select(lines.c.id).where(lines.c.item_id == item.id, lines.c.role == MANAGER)).all()
        if managers:
            bind.execute(lines.update().where(lines.c.item_id == item.id, lines.c.role == MANAGER).values(active=True))
            continue
        state = LINE_STATE.get(item.state, "new")
        working = state == "on_it"
        bind.execute(lines.insert().values(
            team_id=item.team_id, item_id=item.id, role=MANAGER, state=state, active=True,
            actor=item.owner if working else None, note=item.note if working else None, updated_at=item.updated_at))


def downgrade() -> None:
    for column in ("consent_ts", "consent_channel", "consent_question"):
        op.drop_column("feedback_items", column)
