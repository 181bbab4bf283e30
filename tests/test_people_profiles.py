"""The people_profiles table (issue 17): a row is written only when what Slack says differs from it, many at once
for a users.list, as an upsert (two replicas learning the same person both succeed), on SQLite and PostgreSQL.
The usergroup_members table beside it: a group's members with when Slack said so, the later reading kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import Database
from bot.db.people import StoredGroup, StoredProfile, forget_workspace, remember, remember_group, stored, stored_group

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def test_only_what_changed_is_written_and_a_workspace_goes_whole(database: Database) -> None:
    team = [StoredProfile(f"U{n:04}", f"Person {n}", "Asia/Shanghai", "zh-CN") for n in range(700)]
    with database.transaction() as session:
        assert remember(session, "T1", team, at=AT) == 700  # a users.list: more ids than one IN list holds
        assert remember(session, "T2", team[:1], at=AT) == 1  # ids are only unique within a workspace
    moved = StoredProfile("U0001", "Person 1", "Asia/Taipei", "zh-TW")
    with database.transaction() as session:
        assert remember(session, "T1", team, at=AT + timedelta(hours=1)) == 0  # Slack said the same again
        assert remember(session, "T1", [moved], at=AT + timedelta(hours=2)) == 1
    with database.transaction() as session:
        assert stored(session, "T1", ["U0001", "U0002"]) == {"U0001": moved, "U0002": team[2]}
        assert len(stored(session, "T1")) == 700
        assert stored(session, "T2") == {"U0000": team[0]}
        forget_workspace(session, "T1")
    with database.transaction() as session:
        assert stored(session, "T1") == {}
        assert stored(session, "T2") == {"U0000": team[0]}


def test_a_groups_later_reading_wins_and_a_workspace_goes_whole(database: Database) -> None:
    managers = StoredGroup(frozenset({"U0MANAGER", "U0ANALYST"}), AT)
    with database.transaction() as session:
        remember_group(session, "T1", "S0MANAGERS", managers)
        remember_group(session, "T2", "S0MANAGERS", StoredGroup(frozenset({"U0BOSS"}), AT))  # ids are per workspace
    left = StoredGroup(frozenset({"U0MANAGER"}), AT + timedelta(minutes=5))  # Sara left (an event, a new read)
    with database.transaction() as session:
        remember_group(session, "T1", "S0MANAGERS", left)
    with database.transaction() as session:  # a slower reader, who asked Slack before she left, finishes late
        remember_group(session, "T1", "S0MANAGERS", managers)
    with database.transaction() as session:
        assert stored_group(session, "T1", "S0MANAGERS") == left
        assert stored_group(session, "T1", "S0OTHER") is None
        remember_group(session, "T1", "S0EMPTY", StoredGroup(frozenset(), AT))
    with database.transaction() as session:
        assert stored_group(session, "T1", "S0EMPTY") == StoredGroup(frozenset(), AT)  # known to be empty
        forget_workspace(session, "T1")
    with database.transaction() as session:
        assert stored_group(session, "T1", "S0MANAGERS") is None
        assert stored_group(session, "T2", "S0MANAGERS") == StoredGroup(frozenset({"U0BOSS"}), AT)
