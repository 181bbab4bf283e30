"""The people_profiles table (issue 17): a row is written only when what Slack says differs from it, many at once
for a users.list, as an upsert (two replicas learning the same person both succeed), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import Database
from bot.db.people import StoredProfile, forget_workspace, remember, stored

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
