"""A day has one stand-up summary. A team whose time zone moved west after today's summary went out (in /ops setup)
has the summary fall due again on the same local day: it is not posted twice, and nothing fails."""

from __future__ import annotations

from datetime import timedelta

from bot.flows.standup_rounds import StandupRounds
from bot.ops.standup_playbook import StandupPlaybook
from tests.conftest import ConsoleSlack


def test_a_summary_due_twice_on_one_day_is_posted_once(console: ConsoleSlack) -> None:
    console.send("!at 2026-11-23 11:00")  # Monday's summary goes out at the cut-off
    ctx = console.services.context
    rounds = StandupRounds(ctx, ctx.playbook(StandupPlaybook))
    posted = [r for r in console.emulator.records if r.kind == "message" and (r.text or "").startswith("Stand-up Nov")]
    assert len(posted) == 1, [r.text for r in posted]
    # Due again the same local day (the zone moved west): nothing new, and no error.
    rounds.post_summary(console.team, ctx.clock.now() + timedelta(hours=2))
    console.services.delivery.outbox.drain()
    again = [r for r in console.emulator.records if r.kind == "message" and (r.text or "").startswith("Stand-up Nov")]
    assert again == posted
