"""Wording a fresh-eyes tester found wrong (issue 17, misuse): who a card waits for, a re-route's DM, and what
someone not on any team is told."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_the_managers_own_restock_card_says_it_waits_for_finance(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER\n/restock LED-100 500", ["── #purchasing · Opsbot", "waits for approval from @Liu Yang",
                                                 "等待 @Liu Yang 审批"]),
    ])
    card = [r for r in console.emulator.channel_messages("C0PURCHASING") if "Restock R-1" in str(r.blocks)][-1]
    assert "needs the manager's approval" not in str(card.blocks)


def test_someone_elses_big_restock_still_needs_the_manager(console: ConsoleSlack) -> None:
    converse(console, [("!as U0MARKET\n/restock LED-100 500", ["needs the manager's approval"])])


def test_a_private_item_re_routed_by_the_manager_names_them_once(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n/feedback buyers say the LED-200 photos look nothing like it",
         ["Feedback #1 went to the manager only"]),
        ("!as U0MANAGER\n!in U0MANAGER\n!click 转给其他人", ["modal opened for Li Wei"]),
        ("!fill category=quality\n!submit",
         ["── DM with Chen Jie", "Your feedback #1 was re-routed as Quality / defect by @Li Wei."]),
    ])
    told = [str(r.text) for r in console.emulator.records if "re-routed" in str(r.text)]
    assert told and all(text.count("Li Wei") + text.count("U0MANAGER") == 1 for text in told), told


def test_someone_not_on_any_team_is_told_whom_to_ask_and_no_server_path(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0GUEST\n/restock list", ["You are not in any Opsbot team yet. Ask the manager, @Li Wei, to add you."]),
        ("/feedback list", ["Ask the manager, @Li Wei, to add you."]),
    ])
    told = [str(r.text) for r in console.emulator.records if "Opsbot team" in str(r.text)]
    assert told and not any("/" in text.split("yet.", 1)[1] or "team.yml" in text for text in told), told
