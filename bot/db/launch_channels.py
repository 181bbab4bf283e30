"""A new launch's own channel, owed after the form's answer: stored with the launch, so that the step survives the
process that owed it (kill -9, a deploy) and is taken over once, by one live replica, when its lease runs out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base
from bot.db.launch import Launch

_OWED = text("done_at IS NULL")


class LaunchChannelStep(Base):
    """The channel step of a launch asked for with "create a channel": owed until ``done_at``. Held by
    ``claimed_by`` until ``lease_until``; a replica takes it over only after that, with a conditional update (of
    two, one wins), and only its holder may mark it done, in the transaction that announces the launch."""

    __tablename__ = "launch_channel_steps"
    # Every scheduler tick looks for steps whose holder's lease ran out: only the owed ones are in the index.
    __table_args__ = (
        Index("ix_launch_channel_steps_owed", "lease_until", postgresql_where=_OWED, sqlite_where=_OWED),
    )

    launch_id: Mapped[int] = mapped_column(ForeignKey("launches.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    claimed_by: Mapped[str] = mapped_column(String(100))
    lease_until: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=1)  # how many holders took it on, the first included
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


def owe(session: Session, launch: Launch, node: str, now: datetime, until: datetime) -> None:
    """The step, owed and held by ``node`` (the process answering the form), in the launch's own transaction."""
    session.add(
        LaunchChannelStep(
            launch_id=launch.id, team_id=launch.team_id, claimed_by=node, lease_until=until, attempts=1,
            created_at=now,
        )
    )


def hold(session: Session, launch_id: int, node: str, until: datetime) -> bool:
    """Keep holding the step; False when it is done or another replica took it over (its lease ran out)."""
    return _while_held(session, launch_id, node, lease_until=until)


def _while_held(session: Session, launch_id: int, node: str, **values: datetime) -> bool:
    """Change the step only while ``node`` holds it and it is not done; False when it no longer does."""
    changed = session.execute(
        update(LaunchChannelStep)
        .where(
            LaunchChannelStep.launch_id == launch_id,
            LaunchChannelStep.claimed_by == node,
            LaunchChannelStep.done_at.is_(None),
        )
        .values(**values)
        .returning(LaunchChannelStep.launch_id)
    ).first()
    return changed is not None


def left_behind(session: Session, team_id: str, now: datetime) -> list[int]:
    """The team's launches whose step is owed by a holder whose lease ran out (it died, or stopped trying)."""
    return list(
        session.execute(
            select(LaunchChannelStep.launch_id)
            .where(
                LaunchChannelStep.team_id == team_id,
                LaunchChannelStep.done_at.is_(None),
                LaunchChannelStep.lease_until < now,
            )
            .order_by(LaunchChannelStep.lease_until)
        ).scalars()
    )


def take_over(session: Session, launch_id: int, node: str, now: datetime, until: datetime) -> int | None:
    """Take the step over from a holder whose lease ran out: the conditions are in the update itself and the row
    comes back only to the one replica whose update matched (rowcount is not trusted: some drivers give -1).
    Returns how many holders have taken it on, this one included; None when it was not taken."""
    taken = session.execute(
        update(LaunchChannelStep)
        .where(
            LaunchChannelStep.launch_id == launch_id,
            LaunchChannelStep.done_at.is_(None),
            LaunchChannelStep.lease_until < now,
        )
        .values(claimed_by=node, lease_until=until, attempts=LaunchChannelStep.attempts + 1)
        .returning(LaunchChannelStep.attempts)
    ).first()
    return None if taken is None else int(taken.attempts)


def finish(session: Session, launch_id: int, node: str, now: datetime) -> bool:
    """Mark the step done, in the transaction that announces the launch; False when ``node`` no longer holds it
    (it was taken over: the new holder announces it, so this one must write nothing)."""
    return _while_held(session, launch_id, node, done_at=now)


def channel_in_use(session: Session, channel: str) -> bool:
    """Some launch (of any team) is followed in ``channel``: it is not a new launch's to take."""
    return session.execute(select(Launch.id).where(Launch.channel == channel).limit(1)).first() is not None
