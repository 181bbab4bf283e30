"""Launch storage: launches, their tasks, the posts made once (T+7/T+14 reviews), and go/no-go asks with
their decisions and every copy of them (a DM per manager, the launch channel)."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base
from bot.ops.launch import TaskState, name_key


class Launch(Base):
    __tablename__ = "launches"
    __table_args__ = (UniqueConstraint("team_id", "slug", name="uq_launch_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    skus_json: Mapped[str] = mapped_column(Text)
    marketplaces_json: Mapped[str] = mapped_column(Text)
    launch_date: Mapped[date] = mapped_column(Date)
    playbook: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    checklist_ts: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="active")
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]

    @property
    def skus(self) -> list[str]:
        return list(json.loads(self.skus_json))

    @property
    def marketplaces(self) -> list[str]:
        return list(json.loads(self.marketplaces_json))


class LaunchTask(Base):
    __tablename__ = "launch_tasks"
    __table_args__ = (UniqueConstraint("launch_id", "key", name="uq_launch_task_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id"))
    key: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(64))
    title_json: Mapped[str] = mapped_column(Text)  # the playbook's title, {en, zh-CN} or a string
    role: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(32))
    stand_in: Mapped[bool] = mapped_column(Boolean, default=False)
    offset: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(16))
    due: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="open")
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    depends_json: Mapped[str] = mapped_column(Text, default="[]")
    gate: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by: Mapped[str | None] = mapped_column(String(32))
    done_at: Mapped[datetime | None]

    @property
    def title(self) -> str | dict[str, str]:
        value: str | dict[str, str] = json.loads(self.title_json)
        return value

    def as_state(self) -> TaskState:
        return TaskState(self.key, self.owner, self.state, self.due, tuple(json.loads(self.depends_json)), self.gate)


class LaunchPost(Base):
    """Something posted once per launch: the ask for a gate's decision, the T+7 and T+14 reviews."""

    __tablename__ = "launch_posts"
    __table_args__ = (UniqueConstraint("launch_id", "kind", name="uq_launch_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id"))
    kind: Mapped[str] = mapped_column(String(64))
    posted_at: Mapped[datetime]


class GateAsk(Base):
    """A gate's go/no-go asked on one due date, and its decision: final until a manager reopens it."""

    __tablename__ = "launch_gate_asks"
    __table_args__ = (UniqueConstraint("task_id", "due", name="uq_launch_gate_ask"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("launch_tasks.id"))
    due: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(16))  # go | no-go | None while open
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime]


class GateCopy(Base):
    """One copy of a gate's ask: a manager's DM (``reader`` is that manager) or the launch channel's (reader
    empty); its channel and ts arrive once Slack has them, so every copy can show the decision."""

    __tablename__ = "launch_gate_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    ask_id: Mapped[int] = mapped_column(ForeignKey("launch_gate_asks.id"))
    reader: Mapped[str] = mapped_column(String(32), default="")
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))


def claim_decision(session: Session, ask_id: int, decision: str, user: str, at: datetime, reason: str | None) -> bool:
    """Record the decision unless one is recorded: a single conditional UPDATE, so of two managers clicking at
    the same moment exactly one wins, on SQLite and PostgreSQL alike."""
    result = session.execute(
        update(GateAsk)
        .where(GateAsk.id == ask_id, GateAsk.decision.is_(None))
        .values(decision=decision, decided_by=user, decided_at=at, reason=reason)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def ask_for(session: Session, task_id: int, due: date) -> GateAsk:
    found = session.scalar(select(GateAsk).where(GateAsk.task_id == task_id, GateAsk.due == due))
    assert found is not None
    return found


def asks_of(session: Session, task_id: int) -> list[GateAsk]:
    return list(session.scalars(select(GateAsk).where(GateAsk.task_id == task_id)))


def remove_task(session: Session, task: LaunchTask) -> None:
    """A task taken off the checklist, with any go/no-go asks it had."""
    for ask in asks_of(session, task.id):
        for copy in copies_of(session, ask.id):
            session.delete(copy)
        session.flush()
        session.delete(ask)
    session.flush()
    session.delete(task)


def copies_of(session: Session, ask_id: int) -> list[GateCopy]:
    return list(session.scalars(select(GateCopy).where(GateCopy.ask_id == ask_id).order_by(GateCopy.id)))


def closed_launches(session: Session, team_id: str) -> list[Launch]:
    return list(
        session.scalars(
            select(Launch).where(Launch.team_id == team_id, Launch.state != "active").order_by(Launch.launch_date)
        )
    )


def all_launches(session: Session, team_id: str) -> list[Launch]:
    return list(session.scalars(select(Launch).where(Launch.team_id == team_id).order_by(Launch.launch_date)))


def active_launches(session: Session, team_id: str) -> list[Launch]:
    return list(
        session.scalars(
            select(Launch).where(Launch.team_id == team_id, Launch.state == "active").order_by(Launch.launch_date)
        )
    )


def tasks_of(session: Session, launch_id: int) -> list[LaunchTask]:
    return list(session.scalars(select(LaunchTask).where(LaunchTask.launch_id == launch_id).order_by(LaunchTask.id)))


def find_launch(session: Session, team_id: str, name: str) -> Launch | None:
    """The launch with that name (as :func:`bot.ops.launch.name_key` compares names), else the one with that key
    (``led-desk-lamp``, ``#launch-led-desk-lamp``): a name wins, as two launches' keys may look like a name."""
    return launch_named(session, team_id, name) or launch_keyed(session, team_id, name)


def launch_named(session: Session, team_id: str, name: str) -> Launch | None:
    wanted = name_key(name)
    return next((launch for launch in all_launches(session, team_id) if name_key(launch.name) == wanted), None)


def launch_keyed(session: Session, team_id: str, key: str) -> Launch | None:
    wanted = key.strip().lower().removeprefix("#").removeprefix("launch-")
    return session.scalar(select(Launch).where(Launch.team_id == team_id, Launch.slug == wanted))


def slugs_of(session: Session, team_id: str) -> set[str]:
    return set(session.scalars(select(Launch.slug).where(Launch.team_id == team_id)))


def launch_in_channel(session: Session, team_id: str, channel: str) -> Launch | None:
    return session.scalar(
        select(Launch).where(Launch.team_id == team_id, Launch.channel == channel, Launch.state == "active")
    )
