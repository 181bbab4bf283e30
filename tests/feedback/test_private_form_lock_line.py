"""Tester round (s10): feedback typed in the form opened from a DM, with "OK to repost it in team channels" left
unticked, reached the manager alone but her card had no 🔒 line — unlike the one-liner's — so she could not see it
was private (and might re-route or share it by mistake). Its card keeps the same 🔒 line: its writer chose to keep
it private; only the manager sees it."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.support.seen import everything_in

SECRET = "supplier says LED-200 has a quality problem"


def test_an_unticked_form_item_from_a_dm_shows_its_lock_line(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback", ["“Market feedback”", "OK to repost it in team channels"]),
        (f"!fill \"What happened?={SECRET}\"\n!submit", ["── DM with Li Wei · Opsbot", SECRET,
                                                      "🔒 来自私密对话：@Amy Lin 选择不公开，只有主管能看到。"]),
    ])
    for channel in ("C0PURCHASING", "C0MANAGER", "C0OPS"):
        assert SECRET not in everything_in(console, channel)


def test_a_ticked_form_item_from_a_dm_has_no_lock_line(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback", ["OK to repost it in team channels"]),
        (f"!fill \"What happened?={SECRET}\"\n!fill \"This came from a private conversation=yes\"\n!submit", [SECRET]),
    ])
    assert "🔒" not in shown
