"""Each person's last profile Slack gave (``bot/people.py``): their language, time zone and name, per workspace;
and who is in each Slack user group that gives a role (``bot/people_groups.py``), with when Slack said so.

Kept so that a process started while Slack does not answer (a restart in a slow Slack minute), or a form's
answer that must not wait on Slack, still writes to a person in their own language on their own clock and still
knows who the managers are. Only what users.info / users.list say about that and the name Opsbot shows: no email,
no phone, nothing else of the profile; of a group, only its members' ids. A workspace's rows go when the app is
uninstalled there (``bot/flows/workspaces.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Text, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base

# Above this many people a workspace's rows are read whole rather than by a list of ids (SQLite's and the
# drivers' limits on bound parameters; a users.list page is 200).
_BY_ID_AT_MOST = 500


class PersonProfileRow(Base):
    __tablename__ = "people_profiles"

    workspace: Mapped[str] = mapped_column(String(32), primary_key=True)  # "" with a single bot token
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    tz: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(32))
    learned_at: Mapped[datetime]  # when Slack last said something different (the row is not rewritten otherwise)


@dataclass(frozen=True)
class StoredProfile:
    user_id: str
    name: str
    tz: str | None
    locale: str | None


def stored(session: Session, workspace: str, user_ids: Iterable[str] | None = None) -> dict[str, StoredProfile]:
    """The stored profiles of a workspace (of ``user_ids`` only, when given), by user id."""
    query = select(PersonProfileRow).where(PersonProfileRow.workspace == workspace)
    wanted = None if user_ids is None else set(user_ids)
    if wanted is not None and len(wanted) <= _BY_ID_AT_MOST:
        query = query.where(PersonProfileRow.user_id.in_(wanted))
    return {
        row.user_id: StoredProfile(row.user_id, row.name, row.tz, row.locale)
        for row in session.scalars(query)
        if wanted is None or row.user_id in wanted
    }


def remember(session: Session, workspace: str, profiles: Iterable[StoredProfile], *, at: datetime) -> int:
    """Store what differs from the rows there (one statement for a whole users.list); how many rows changed.

    An upsert, so two replicas learning the same person at once both succeed."""
    learned = {p.user_id: p for p in profiles}
    if not learned:
        return 0
    known = stored(session, workspace, learned)
    changed = [
        {"workspace": workspace, "user_id": p.user_id, "name": p.name, "tz": p.tz, "locale": p.locale,
         "learned_at": at}
        for p in learned.values() if known.get(p.user_id) != p
    ]
    if not changed:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(PersonProfileRow)
    statement = statement.on_conflict_do_update(
        index_elements=["workspace", "user_id"],
        set_={column: statement.excluded[column] for column in ("name", "tz", "locale", "learned_at")},
    )
    session.execute(statement, changed)
    return len(changed)


class UserGroupRow(Base):
    __tablename__ = "usergroup_members"

    workspace: Mapped[str] = mapped_column(String(32), primary_key=True)  # "" with a single bot token
    group_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    members: Mapped[str] = mapped_column(Text)  # the members' user ids, sorted, one space between
    # When Slack said so (usergroups.users.list, or an event carrying the whole list): the clock every process
    # shares, so one that did not read it itself knows how old it is.
    read_at: Mapped[datetime]


@dataclass(frozen=True)
class StoredGroup:
    members: frozenset[str]
    read_at: datetime


def stored_group(session: Session, workspace: str, group_id: str) -> StoredGroup | None:
    row = session.get(UserGroupRow, (workspace, group_id), populate_existing=True)
    return None if row is None else StoredGroup(frozenset(row.members.split()), row.read_at)


def remember_group(session: Session, workspace: str, group_id: str, group: StoredGroup) -> None:
    """Store a group's members unless the row there was read later (a slower reader finishing after an event
    must not bring back someone the event removed). An upsert: two replicas storing at once both succeed."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(UserGroupRow).values(
        workspace=workspace, group_id=group_id, members=" ".join(sorted(group.members)), read_at=group.read_at
    )
    statement = statement.on_conflict_do_update(
        index_elements=["workspace", "group_id"],
        set_={"members": statement.excluded.members, "read_at": statement.excluded.read_at},
        where=UserGroupRow.read_at <= statement.excluded.read_at,
    )
    session.execute(statement)


def forget_workspace(session: Session, workspace: str) -> None:
    """Delete a workspace's stored profiles and user groups: the app was uninstalled there."""
    session.execute(delete(PersonProfileRow).where(PersonProfileRow.workspace == workspace))
    session.execute(delete(UserGroupRow).where(UserGroupRow.workspace == workspace))
