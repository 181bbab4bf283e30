"""Stand-up under misuse (issue 17): mood stays out of the channel; a Slack whose users.info never answers costs
a few calls, not the whole team's on every command, and the manager still reads Chinese."""

from __future__ import annotations

from bot.console.faults import Faults
from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_mood_is_not_posted_in_the_public_summary_thread(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!at 2026-11-23 09:30", ["Fill in"]),
        ("!click Fill in", ["modal opened for Chen Jie"]),
        ('!fill today="Call the LED-100 supplier" yesterday="PO 4711 sent" mood=1\n!submit', ["Thanks"]),
        ("!at 2026-11-23 11:00", ["── #ops · in thread · Opsbot", "*Chen Jie*", "Call the LED-100 supplier"]),
    ])
    posted = [r for r in console.emulator.records if r.kind != "ephemeral" and r.channel == "C0OPS"]
    assert posted and not any("Mood" in f"{r.text} {r.blocks}" or "1/5" in str(r.blocks) for r in posted)


def users_calls(console: ConsoleSlack) -> int:
    return sum(1 for a in console.emulator.attempts if str(a).startswith("users."))


def test_a_slack_that_stops_answering_profile_lookups_costs_a_few_calls_and_changes_nobodys_day(
        console: ConsoleSlack) -> None:
    # A normal morning first: Slack answers, the profiles are read (Amy is in Los Angeles, where it is Sunday).
    converse(console, [("/standup status", ["今天的晨会进度", "💤 休息日：Amy Lin"])])
    # An hour and more later the profiles are due again, and Slack's users.info and users.list never answer.
    people = console.services.context.people
    for key, (at, profile) in list(people._profiles.items()):
        people._profiles[key] = (at - 3700, profile)
    people._listed = {workspace: at - 3700 for workspace, at in people._listed.items()}
    console.emulator.faults = Faults(rate_limited=0.0, lost_methods=frozenset({"users.info", "users.list"}))
    before = users_calls(console)
    # The zh-CN manager still reads Chinese (her last known language); Amy is still off on her Sunday.
    converse(console, [("/standup status", ["今天的晨会进度", "💤 休息日：Amy Lin"])])
    first = users_calls(console) - before
    assert first <= 10, first  # users.list and one users.info (each with the client's retries), not 8 people's
    converse(console, [("/standup status", ["今天的晨会进度", "💤 休息日：Amy Lin"]),
                       ("!as U0BUYER\n/standup status", ["Today's stand-up so far", "💤 Day off: Amy Lin"])])
    assert users_calls(console) - before == first  # remembered: nobody is asked again meanwhile
