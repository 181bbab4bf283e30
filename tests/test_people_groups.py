"""Who is in a Slack user group that gives a role (issue 17, bot/people_groups.py), on SQLite and PostgreSQL.

Kept as profiles are: in memory, then stored (usergroup_members) with when Slack said it. Outside a form's answer a
list Slack gave more than an hour ago never decides before Slack is asked again; while an answer is prepared Slack
is not asked, what is known answers and the group is read after; Slack's events take who left out at once, in the
process that got the event and, through the store, in every other.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot import people_groups
from bot.answering import answering
from bot.clock import FrozenClock
from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.console.http_server import Answer
from bot.db import Database
from bot.db.people import StoredGroup, stored_group
from bot.people import People

TOKEN = "xoxb-groups"
AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
GROUP = "S0MANAGERS"
SLACK_HANGS = Faults(lost_methods=frozenset({"usergroups.users.list"}))


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    emulator = SlackEmulator(TOKEN).start()
    emulator.usergroups[GROUP] = ["U0MANAGER", "U0ANALYST"]
    yield emulator
    emulator.stop()


def process(slack: SlackEmulator, database: Database, clock: FrozenClock) -> People:
    """One process's People (a replica, or the next process after a restart) on the shared database."""
    return People(WebClient(token=TOKEN, base_url=slack.api_url), db=database, clock=clock)


def asked(slack: SlackEmulator) -> int:
    return slack.attempts.count("usergroups.users.list")


def stored(database: Database) -> StoredGroup | None:
    with database.transaction() as session:
        return stored_group(session, "", GROUP)


def test_outside_an_answer_a_list_older_than_an_hour_is_asked_of_slack_before_it_decides(
    slack: SlackEmulator, database: Database
) -> None:
    clock = FrozenClock(AT)
    people = process(slack, database, clock)
    assert people.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}
    assert stored(database) == StoredGroup(frozenset({"U0MANAGER", "U0ANALYST"}), AT)
    slack.usergroups[GROUP] = ["U0MANAGER"]  # Sara left the group; no event reached Opsbot

    clock.set(AT + timedelta(minutes=59))
    assert people.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}  # within the hour: what was read
    assert process(slack, database, clock).group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}  # stored, not asked
    assert asked(slack) == 1

    clock.set(AT + timedelta(minutes=61))
    assert people.group_members(GROUP) == {"U0MANAGER"}  # older than an hour: Slack first
    assert asked(slack) == 2
    assert stored(database) == StoredGroup(frozenset({"U0MANAGER"}), AT + timedelta(minutes=61))
    another = process(slack, database, clock)
    assert another.group_members(GROUP) == {"U0MANAGER"} and asked(slack) == 2  # another process reads it stored


def test_while_an_answer_is_prepared_slack_is_not_asked_and_the_group_is_read_after(
    slack: SlackEmulator, database: Database
) -> None:
    clock = FrozenClock(AT)
    process(slack, database, clock).group_members(GROUP)  # an earlier process read it
    slack.usergroups[GROUP] = ["U0MANAGER"]
    clock.set(AT + timedelta(hours=3))
    restarted = process(slack, database, clock)
    before = asked(slack)
    with answering() as put_off:
        assert restarted.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}  # what is known, however old
        assert restarted.group_members("S0NEVERREAD") is None  # never read: not guessed
    assert asked(slack) == before and put_off

    for work in put_off:
        work()
    assert asked(slack) == before + 2
    assert stored(database) == StoredGroup(frozenset({"U0MANAGER"}), AT + timedelta(hours=3))
    with answering() as put_off:
        assert restarted.group_members("S0NEVERREAD") == frozenset()  # read now: nobody is in it
        assert restarted.group_members(GROUP) == {"U0MANAGER"}
    assert not put_off


def test_a_slack_that_does_not_answer_leaves_the_last_list_and_is_not_asked_again_meanwhile(
    slack: SlackEmulator, database: Database
) -> None:
    clock = FrozenClock(AT)
    people = process(slack, database, clock)
    people.group_members(GROUP)
    clock.set(AT + timedelta(hours=2))
    slack.faults = SLACK_HANGS
    assert people.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}  # the checks work as before the outage
    tried = asked(slack)
    assert people.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"} and asked(slack) == tried


class RefusingSlack(SlackEmulator):
    """Slack answering usergroups.users.list with an error once ``refusing`` is set (status, error)."""

    refusing: tuple[int, str] | None = None

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> Answer | None:
        if method == "usergroups.users.list" and self.refusing is not None:
            self.attempts.append(method)
            status, error = self.refusing
            return status, {"ok": False, "error": error}, {"Retry-After": "1"} if status == 429 else {}
        return super().answer(method, args, authorization)


@pytest.mark.parametrize(("refusal", "left"), [
    ((200, "no_such_subteam"), frozenset()),  # Slack says the group is gone: nobody holds the role through it
    ((429, "ratelimited"), frozenset({"U0MANAGER", "U0ANALYST"})),  # busy is no answer: the last list stands in
])
def test_what_slack_refusing_the_group_leaves(
    database: Database, refusal: tuple[int, str], left: frozenset[str]
) -> None:
    slack = RefusingSlack(TOKEN).start()
    slack.usergroups[GROUP] = ["U0MANAGER", "U0ANALYST"]
    try:
        clock = FrozenClock(AT)
        people = process(slack, database, clock)
        people.group_members(GROUP)
        clock.set(AT + timedelta(hours=2))
        slack.refusing = refusal
        assert people.group_members(GROUP) == left
    finally:
        slack.stop()


def test_an_event_takes_who_left_out_at_once_even_while_slack_hangs_and_every_process_follows(
    slack: SlackEmulator, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FrozenClock(AT)
    receiving, other = process(slack, database, clock), process(slack, database, clock)
    assert receiving.group_members(GROUP) == other.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}
    slack.faults = SLACK_HANGS  # Slack's event arrives, but reading the group again does not answer

    receiving.group_changed(GROUP, removed=["U0ANALYST"])
    assert receiving.group_members(GROUP) == {"U0MANAGER"}
    assert stored(database) == StoredGroup(frozenset({"U0MANAGER"}), AT)
    assert other.group_members(GROUP) == {"U0MANAGER", "U0ANALYST"}  # held for RECHECK_STORED_SECONDS…
    monkeypatch.setattr(people_groups, "RECHECK_STORED_SECONDS", 0.0)  # …which have passed
    assert other.group_members(GROUP) == {"U0MANAGER"}

    clock.set(AT + timedelta(minutes=5))
    receiving.group_changed(GROUP, users=["U0MANAGER", "U0FINANCE"])  # subteam_updated carries the whole list
    assert stored(database) == StoredGroup(frozenset({"U0MANAGER", "U0FINANCE"}), AT + timedelta(minutes=5))
    with answering():
        assert other.group_members(GROUP) == {"U0MANAGER", "U0FINANCE"}
