"""A new launch's form is answered before its channel is created (issue 17): the launch, its tasks and its Home
entries exist at once; the #launch- channel, its invitations, the pinned checklist and the "set up" DM follow once
Slack answers, once each. A name Slack already has takes the next free one (#launch-desk-fan-2) and the DM says
so; a channel Slack will not create leaves the launch in the channel it was asked in, and the DM says why.

No sleeping and no clock: a submission that waited on conversations.create would wait for a release that comes
only after the answer, and the test would fail on its HTTP client's timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FrozenClock
from bot.console.http_server import Answer
from bot.flows.launch_channel import LEASE
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_setup import LaunchSetup
from bot.handlers import launch
from bot.ops.launch_playbook import LaunchPlaybooks
from tests.conftest import MONDAY_9AM_SHENZHEN
from tests.e2e.test_form_answer_first import filled, settle, submit
from tests.load.conftest import TOKEN, Served
from tests.support.held_slack import HeldSlack, held_slack

OWNERS = {"U0SELECT", "U0BUYER", "U0MARKET", "U0MANAGER", "U0WAREHOUSE"}


class RefusingSlack(HeldSlack):
    """Slack that will not create channels in this workspace (an admin allows only some people to)."""

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> Answer | None:
        if method == "conversations.create":
            self._wait()
            return 200, {"ok": False, "error": "restricted_action"}, {}
        return super().answer(method, args, authorization)


@pytest.fixture
def slack() -> Iterator[HeldSlack]:
    yield from held_slack(TOKEN)


def serve(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Served]:
    replica = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    for member in replica.services.context.teams.teams[0].members:  # who everyone is, read before Slack is held
        replica.services.context.people.profile(member.user)
    try:
        yield replica
    finally:
        slack.release()
        replica.stop()


@pytest.fixture
def served(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Served]:
    yield from serve(slack, playbooks_dir, database_url)


def launch_form(served: Served, name: str, **values: str) -> dict[str, Any]:
    context = served.services.context
    playbooks = context.playbook(LaunchPlaybooks)
    view = LaunchSetup(context, playbooks, LaunchChecklist(context, playbooks)).new_modal("U0SELECT", "C0OPS")
    typed = {
        "name": name,
        "skus": "LED-100",
        "marketplaces": "US",
        "launch_date": "2027-03-01",
        "playbook": "standard",
        "channel": "create",
        **values,
    }
    return filled(view, **typed)


def created_channels(slack: HeldSlack) -> list[str]:
    return [str(r.text) for r in slack.records if r.kind == "channel"]


def channel_named(slack: HeldSlack, name: str) -> str:
    return next(c.id for c in slack.channels.values() if c.name == name)


def messages(slack: HeldSlack, channel: str, words: str) -> list[str]:
    return [
        f"{r.text} {r.blocks}"
        for r in slack.records
        if r.kind == "message" and r.channel == channel and words in f"{r.text} {r.blocks}"
    ]


def pins(slack: HeldSlack, channel: str) -> int:
    return len([r for r in slack.records if r.kind == "pin" and r.channel == channel])


def active_launches(served: Served) -> list[tuple[str, str]]:
    with served.services.db.engine.connect() as connection:
        return [
            (str(slug), str(channel))
            for slug, channel in connection.exec_driver_sql(
                "select slug, channel from launches where state = 'active' order by id"
            )
        ]


def test_the_launch_form_is_answered_before_its_channel_is_created_and_the_channel_follows_once(
    served: Served, slack: HeldSlack
) -> None:
    form = launch_form(served, "Desk Fan")
    slack.hold()

    assert submit(served, "U0SELECT", form) == {}  # closed, with Slack holding conversations.create
    assert [slug for slug, _ in active_launches(served)] == ["desk-fan"]  # the launch exists at once
    assert not created_channels(slack)

    slack.release()
    settle(served)
    assert created_channels(slack) == ["launch-desk-fan"]  # created once
    channel = channel_named(slack, "launch-desk-fan")
    assert slack.channels[channel].members >= OWNERS  # the owners invited
    assert active_launches(served) == [("desk-fan", channel)]  # the launch is followed there
    assert len(messages(slack, channel, "Launch: Desk Fan")) == 1 and pins(slack, channel) == 1
    assert not messages(slack, "C0OPS", "Launch: Desk Fan")
    set_up = messages(slack, slack.dm_channel_of("U0SELECT"), "Desk Fan is set up in")
    assert len(set_up) == 1 and f"<#{channel}>" in set_up[0]


def test_a_channel_name_slack_already_has_takes_the_next_free_one_and_the_dm_says_so(
    served: Served, slack: HeldSlack
) -> None:
    slack.call("conversations.create", {"name": "launch-desk-fan"})  # e.g. an archived earlier launch's
    form = launch_form(served, "Desk Fan")
    slack.hold()

    assert submit(served, "U0SELECT", form) == {}

    slack.release()
    settle(served)
    assert created_channels(slack) == ["launch-desk-fan", "launch-desk-fan-2"]
    channel = channel_named(slack, "launch-desk-fan-2")
    assert active_launches(served) == [("desk-fan", channel)]
    assert slack.channels[channel].members >= OWNERS
    assert len(messages(slack, channel, "Launch: Desk Fan")) == 1 and pins(slack, channel) == 1
    told = messages(slack, slack.dm_channel_of("U0SELECT"), "Desk Fan is set up in")
    assert len(told) == 1 and f"<#{channel}>" in told[0] and "#launch-desk-fan" in told[0]


@pytest.fixture
def refusing(playbooks_dir: Path, database_url: str) -> Iterator[tuple[Served, HeldSlack]]:
    for slack in held_slack(TOKEN, RefusingSlack):
        for replica in serve(slack, playbooks_dir, database_url):
            yield replica, slack


def test_a_channel_slack_will_not_create_leaves_the_launch_where_it_was_asked_and_says_why(
    refusing: tuple[Served, HeldSlack],
) -> None:
    served, slack = refusing
    form = launch_form(served, "Desk Fan")
    slack.hold()

    assert submit(served, "U0SELECT", form) == {}

    slack.release()
    settle(served)
    assert active_launches(served) == [("desk-fan", "C0OPS")]  # its reminders and gates go where it was asked
    assert len(messages(slack, "C0OPS", "Launch: Desk Fan")) == 1 and pins(slack, "C0OPS") == 1
    told = messages(slack, slack.dm_channel_of("U0SELECT"), "Desk Fan")
    assert len(told) == 1 and "<#C0OPS>" in told[0] and "restricted_action" in told[0]


def test_a_replica_on_the_same_database_takes_over_a_stalled_channel_step_and_the_launch_is_set_up_once(
    served: Served, slack: HeldSlack, playbooks_dir: Path, database_url: str
) -> None:
    """Replica A answers the form and stalls in conversations.create (as a process paused, or dying, would); once
    its lease has run out, replica B — another app on the same database — takes the step over. Slack then answers
    both: whichever creates the channel, the other finds it as Opsbot's own, and only B, the holder, announces."""
    for replica_b in serve(slack, playbooks_dir, database_url):
        form = launch_form(served, "Desk Fan")
        slack.hold()
        assert submit(served, "U0SELECT", form) == {}  # answered; A's channel step waits on Slack

        context = replica_b.services.context
        assert isinstance(context.clock, FrozenClock)
        context.clock.set(MONDAY_9AM_SHENZHEN + LEASE + timedelta(minutes=1))  # A's lease has run out
        taking_over = threading.Thread(target=launch.owed, args=(context, context.teams.teams[0]))
        taking_over.start()
        assert taken_over(served), "replica B did not take the step over while A waited on Slack"

        slack.release()
        taking_over.join(60)
        settle(served)
        assert replica_b.services.delivery.outbox.drain(timeout=60)
        assert created_channels(slack) == ["launch-desk-fan"]  # one channel, whoever created it
        channel = channel_named(slack, "launch-desk-fan")
        assert active_launches(served) == [("desk-fan", channel)]
        assert slack.channels[channel].members >= OWNERS
        checklists = [r for r in slack.records if r.kind == "message" and "Launch: Desk Fan" in f"{r.text} {r.blocks}"]
        assert [r.channel for r in checklists] == [channel]
        assert pins(slack, channel) == 1
        assert len(messages(slack, slack.dm_channel_of("U0SELECT"), "Desk Fan is set up in")) == 1
        with served.services.db.engine.connect() as connection:  # done once, by B: A, back, found it taken
            done = connection.exec_driver_sql("select attempts, done_at is not null from launch_channel_steps").all()
        assert [tuple(row) for row in done] == [(2, True)]


def taken_over(served: Served, timeout: float = 30.0) -> bool:
    """Wait until a second holder has taken the launch's channel step (a state in the database, polled)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with served.services.db.engine.connect() as connection:
            if connection.exec_driver_sql("select attempts from launch_channel_steps").scalar() == 2:
                return True
        time.sleep(0.01)
    return False
