"""The outbox: every message Opsbot announces, written in the transaction of the change it announces.

``outbox`` holds one row per Slack call to make (a post, an edit, a file, a pin), in the order written;
``outbox_lanes`` one row per conversation, the lock that lets one sender at a time, on any replica, work
through that conversation's rows in order and at Slack's pace. Created by migration 0011_outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, LargeBinary, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base

PENDING, SENT, FAILED = "pending", "sent", "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_due", "state", "due_at"),
        Index("ix_outbox_lane_id", "lane", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The idempotency key: unique here, and carried to Slack in the message's metadata, so a send whose answer
    # was lost is found in the conversation instead of being sent again (a file is found by its id).
    key: Mapped[str] = mapped_column(String(64), unique=True)
    workspace: Mapped[str | None] = mapped_column(String(32))
    lane: Mapped[str] = mapped_column(String(64))  # the conversation: a channel id, or a user id for a DM
    kind: Mapped[str] = mapped_column(String(16))  # post | update | upload | pin
    channel: Mapped[str | None] = mapped_column(String(32))  # the channel, once known (a DM's is opened first)
    payload: Mapped[str] = mapped_column(Text)  # JSON: text, blocks, ts, file name, title, comment, file id
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # an upload's bytes
    # The key of an earlier message this one needs the ts of: the thread it replies in, the message it
    # edits or pins. It is sent first (same conversation, earlier row), so its ts is known by then.
    after: Mapped[str | None] = mapped_column(String(64))
    receipt: Mapped[str | None] = mapped_column(String(64))  # who records the sent message's ts, and for what
    receipt_ref: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # A previous attempt may have reached Slack (its answer was lost, or its sender died): look before resending.
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    first_tried_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    sent_ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))


class OutboxLane(Base):
    __tablename__ = "outbox_lanes"

    lane: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    next_send_at: Mapped[datetime | None]  # Slack's pace: one message a second per conversation


class WorkItem(Base):
    """A Slack request acknowledged and waiting for its work: a slash command, a button, a shortcut, an event.

    The ack path writes it (with the delivery's de-duplication row, in one transaction) and answers Slack; any
    replica's work threads take it under a lease, run the feature's listener on it and delete it. A replica
    killed mid-work leaves its lease to run out, and a live one takes the request over: the work done again
    writes the same outbox keys (``set_key_scope``), so what reached Slack is not sent twice. Created by
    migration 0019_work_queue.
    """

    __tablename__ = "work"
    __table_args__ = (
        Index("ix_work_lease", "lease_until", "id"),
        # The requests nobody holds, in the order they are claimed (0036_work_free_index).
        Index(
            "ix_work_free", "lane", "id", postgresql_where=text("owner IS NULL"),
            sqlite_where=text("owner IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # the request body as Slack signed it (a form or JSON)
    content_type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime]
    owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    # 1: it carries a trigger_id (a form can be opened within 3 s), taken first; 0: the rest (0033_work_lanes)
    lane: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
