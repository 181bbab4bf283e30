"""Issue 17, "nothing acknowledged is lost" and "replicas keep their promises": a new launch asked for with "create a
channel" gets its channel, its pinned checklist, its owners invited and the "set up" DM once — when the process that
answered the form dies before making the channel (kill -9, a deploy), and when Slack's answer to conversations.create
is lost and the client asks again.

The process dies here as it would in production: the form is answered, and what the answer put off
(``bot/answering.py``) never runs. A live replica's scheduler tick (the console's ``!at``) takes the step over
once the dead process's lease has run out — on SQLite and on PostgreSQL, since a claim decides who does it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.answering import answering
from bot.console.faults import Faults
from bot.console.session import ConsoleSlack
from bot.handlers import launch
from tests.conftest import MONDAY_9AM_SHENZHEN, converse

DATABASES = ["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)]
NEW = '!fill name="Desk Fan" skus=DESK-FAN-01 marketplaces=US launch_date=2027-03-01 playbook=standard'
OWNERS = {"U0SELECT", "U0BUYER", "U0MARKET", "U0MANAGER", "U0WAREHOUSE"}
SET_UP = [
    "channel #launch-desk-fan created",
    "── #launch-desk-fan · Opsbot",
    "🚀 Launch: Desk Fan · Mar 1, 2027",
    "message pinned",
    "Desk Fan is set up in #launch-desk-fan.",
]


def console_on(playbooks_dir: Path, database_url: str, faults: Faults | None = None) -> ConsoleSlack:
    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                           features=(launch.FEATURE,), faults=faults)
    # The client asks again after a lost answer at once, not after the SDK's 0.5, 1, 2 and 4 seconds.
    for handler in console.services.delivery.client.retry_handlers:
        if isinstance(handler, ConnectionErrorRetryHandler):
            handler.interval_calculator = FixedValueRetryIntervalCalculator(0)
    return console


@pytest.fixture(params=DATABASES)
def replica(request: pytest.FixtureRequest, playbooks_dir: Path) -> Iterator[ConsoleSlack]:
    slack = console_on(playbooks_dir, request.getfixturevalue(request.param))
    try:
        yield slack
    finally:
        slack.close()


def answered_then_died(console: ConsoleSlack) -> list[object]:
    """The form answered by a process that dies right after: what it put off until after the answer, never run."""
    converse(console, [("!as U0SELECT\n/launch new", ["modal opened for Zhang Min: “New launch”"])])
    with answering() as put_off:
        console.send(NEW)
        shown = console.send("!submit")
    assert "✗" not in shown, shown
    assert put_off, "the launch's channel was not put off until after the form's answer"
    assert not launch_channels(console)
    return list(put_off)


def launch_channels(console: ConsoleSlack) -> list[str]:
    return sorted(c.name for c in console.emulator.channels.values() if c.name.startswith("launch-"))


def channel_named(console: ConsoleSlack, name: str) -> str:
    return next(c.id for c in console.emulator.channels.values() if c.name == name)


def shown_once(console: ConsoleSlack, channel: str) -> None:
    """The launch set up in ``channel`` once: one pinned checklist there, one DM, the owners invited."""
    records = console.emulator.records
    checklists = [r for r in records if r.kind == "message" and "Launch: Desk Fan" in f"{r.text} {r.blocks}"]
    assert [r.channel for r in checklists] == [channel]
    assert [r.channel for r in records if r.kind == "pin"] == [channel]
    told = [r for r in records if r.kind == "message" and "Desk Fan is set up in" in r.text]
    assert [r.channel for r in told] == [console.emulator.dm_channel_of("U0SELECT")]
    assert console.emulator.channels[channel].members >= OWNERS


def test_a_launch_whose_process_died_after_the_answer_gets_its_channel_checklist_and_dm_once(
    replica: ConsoleSlack,
) -> None:
    put_off = answered_then_died(replica)
    # Followed where it was asked for now: nothing of it is lost, its channel is owed.
    converse(replica, [("/launch list", ["*Desk Fan* (`desk-fan`) · Mar 1, 2027 · #ops"])])

    # While the dead process's lease runs, a live replica's tick leaves the step alone (it may be merely slow) ...
    shown = replica.send("!at 2026-11-23 09:01")
    assert "#launch-desk-fan" not in shown and not launch_channels(replica)

    # ... and once it has run out, takes it over: the channel, the invitations, the pinned checklist, the DM.
    converse(replica, [("!at 2026-11-23 09:05", SET_UP)])
    converse(replica, [("/launch list", ["*Desk Fan* (`desk-fan`) · Mar 1, 2027 · #launch-desk-fan"])])

    # The process that owed it was only paused, and comes back: it finds the step taken over and does nothing.
    for work in put_off:
        assert callable(work)
        work()
    assert "Desk Fan" not in replica.seat.new_output()
    assert "Desk Fan" not in replica.send("!at 2026-11-23 09:30")  # and no tick does it again
    assert launch_channels(replica) == ["launch-desk-fan"]
    shown_once(replica, channel_named(replica, "launch-desk-fan"))


def test_two_live_replicas_taking_over_at_once_make_one_channel(replica: ConsoleSlack) -> None:
    answered_then_died(replica)
    replica.clock.set(MONDAY_9AM_SHENZHEN.replace(minute=5))  # the dead process's lease has run out
    context, team = replica.services.context, replica.team
    start = threading.Barrier(2)

    def tick() -> None:  # a replica's tick: the launch feature's take-over, a runner of its own each call
        start.wait()
        launch.owed(context, team)

    ticks = [threading.Thread(target=tick) for _ in range(2)]
    for thread in ticks:
        thread.start()
    for thread in ticks:
        thread.join(60)
    output = replica.seat.new_output()
    for snippet in SET_UP:
        assert snippet in output
    assert launch_channels(replica) == ["launch-desk-fan"]
    shown_once(replica, channel_named(replica, "launch-desk-fan"))


def test_a_lost_answer_to_conversations_create_leaves_exactly_one_channel(
    playbooks_dir: Path, database_url: str
) -> None:
    # Slack creates the channel and the answer never arrives; the client asks again and is told the name is taken.
    console = console_on(playbooks_dir, database_url, Faults(lost_once=frozenset({"conversations.create"})))
    try:
        shown = converse(console, [
            ("!as U0SELECT\n/launch new", ["modal opened for Zhang Min: “New launch”"]),
            (f"{NEW}\n!submit", SET_UP),
        ])
        assert "launch-desk-fan-2" not in shown
        assert console.emulator.attempts.count("conversations.create") == 2  # asked again, after the lost answer
        assert launch_channels(console) == ["launch-desk-fan"]
        shown_once(console, channel_named(console, "launch-desk-fan"))
    finally:
        console.close()


def test_a_slack_that_never_answers_conversations_create_leaves_the_step_owed_until_it_does(
    playbooks_dir: Path, database_url: str
) -> None:
    # Every answer lost: Slack made the channel at the first call, and the client gave up asking.
    console = console_on(playbooks_dir, database_url, Faults(lost_methods=frozenset({"conversations.create"})))
    try:
        converse(console, [("!as U0SELECT\n/launch new", ["modal opened for Zhang Min: “New launch”"])])
        shown = console.send(NEW) + console.send("!submit")
        assert "Desk Fan is set up" not in shown  # not "set up in #ops": Slack may yet answer
        assert launch_channels(console) == ["launch-desk-fan"]  # made, though Opsbot was never told
        console.emulator.faults = Faults()  # Slack answers again
        converse(console, [("!at 2026-11-23 09:05", SET_UP[1:])])  # the step, tried again once its lease ran out
        assert launch_channels(console) == ["launch-desk-fan"]
        shown_once(console, channel_named(console, "launch-desk-fan"))
    finally:
        console.close()


def test_a_slack_that_never_answers_three_holders_leaves_the_launch_where_it_was_asked_and_says_so(
    playbooks_dir: Path, database_url: str
) -> None:
    console = console_on(playbooks_dir, database_url, Faults(lost_methods=frozenset({"conversations.create"})))
    try:
        converse(console, [("!as U0SELECT\n/launch new", ["modal opened for Zhang Min: “New launch”"])])
        assert "Desk Fan is set up" not in console.send(NEW) + console.send("!submit")  # the first holder: no answer
        assert "Desk Fan is set up" not in console.send("!at 2026-11-23 09:05")  # the second: none either
        converse(console, [("!at 2026-11-23 09:10", [  # the third follows the launch where it was asked
            "── #ops · Opsbot", "🚀 Launch: Desk Fan", "message pinned",
            "Slack did not create #launch-desk-fan (", "so Desk Fan is set up in #ops, where you started it",
        ])])
        converse(console, [("/launch list", ["*Desk Fan* (`desk-fan`) · Mar 1, 2027 · #ops"])])
        assert "Desk Fan" not in console.send("!at 2026-11-23 09:30")  # done: no fourth holder
    finally:
        console.close()
