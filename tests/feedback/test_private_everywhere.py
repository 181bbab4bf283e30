"""Issue 17, "private stays private": wherever else an unshared private item shows — the thread of a second report
that joins it, the card once its first author shares it, ``/feedback list`` typed in a public channel, the weekly
summary, the weekly and monthly agendas and their Markdown export — its words are not quoted to those who may not
read them."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_history import MeetingHistory
from bot.i18n import translator
from tests.conftest import converse
from tests.support.seen import everything_in, everywhere_but

PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0RANDOM", "C0MANAGER")


def test_a_second_private_report_is_quoted_to_the_manager_alone_even_once_the_first_is_shared(
        console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/feedback FIRSTSECRET supplier raises LED-200 unit price 8% next month",
         ["Feedback #1 went to the manager only"]),
        ("!as U0CS\n!in U0CS\n/feedback SECONDSECRET the factory says LED-200 unit price goes up again",
         ["Joined the open feedback #1 on LED-200 (2 reports so far).", "── DM with Li Wei · in thread · Opsbot",
          "SECONDSECRET"]),
    ])
    for channel in PUBLIC:
        assert "FIRSTSECRET" not in everything_in(console, channel)
        assert "SECONDSECRET" not in everything_in(console, channel)
    # Chen Jie shares his words: the cards go to the team's channels with them, and with the second report counted
    # but never quoted; Wang Fang did not share hers.
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n!click Yes, share it",
         ["── #purchasing · Opsbot", "FIRSTSECRET", "2 reports", "Feedback #1 was shared with the team."]),
    ])
    assert "FIRSTSECRET" in everything_in(console, "C0PURCHASING")
    assert "SECONDSECRET" not in everywhere_but(console, "U0MANAGER", "U0CS")


def test_an_item_kept_private_stays_out_of_lists_summaries_agendas_and_exports(console: ConsoleSlack) -> None:
    secret = "EXPORTSECRET"
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n/feedback EXPORTSECRET supplier raises LED-100 unit price 8% next month",
         ["Feedback #1 went to the manager only"]),
        ("!click No, keep it private", ["Feedback #1 stays private"]),
        # Typed in a public channel, the list answers its reader alone: the manager reads the words, others do not.
        ("!as U0MANAGER\n!in C0OPS\n/feedback list all", ["only visible to Li Wei", secret]),
        ("!as U0WAREHOUSE\n/feedback list all", ["only visible to Klaus Becker", "#1 · Supplier / cost · new · "
                                                 "from a private conversation"]),
        # The weekly agenda (Sunday), the weekly summary (Monday 09:00), the monthly review's agenda (Monday 16:00).
        ("!at 2026-11-30 17:00", ["Market feedback this week", "Feedback open past its SLA"]),
    ])
    assert secret not in everywhere_but(console, "U0MANAGER", "U0BUYER")
    ctx = console.services.context
    history = MeetingHistory(ctx, MeetingCalendar(ctx))
    for month in ("2026-11", "2026-12"):
        for locale in ("en", "zh_CN", "zh_TW"):
            assert secret not in history.export_markdown(console.team, month, translator(locale))
    assert "Feedback #1 · Supplier / cost" in history.export_markdown(console.team, "2026-11", translator("en"))
