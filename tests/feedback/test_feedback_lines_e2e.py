"""Issue 18, item 1: a feedback item is worked by every destination at once, each on its own line of the card.

The defect as reproduced on main: purchasing said "I'm on it" (cut the pending restock from 1,500 to 900), then
marketing said "I'm on it" (15% coupon): purchasing's action vanished from every card, marketing's Close closed
the item for everyone while purchasing's change was pending, and purchasing had no button left.
"""

from __future__ import annotations

import json

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from tests.conftest import converse

PRICE = "/feedback Customer says LED-100 is too expensive, a competitor is 20% cheaper"
PURCHASING_ACTION = "Cut the pending restock from 1,500 to 900"
MARKETING_ACTION = "15% coupon on LED-100 in the US for a week"


def card(console: ConsoleSlack, channel: str) -> str:
    """The newest card in a channel, as Slack shows it now (edits applied)."""
    return str([r for r in console.emulator.channel_messages(channel) if not r.thread_ts][-1].blocks)


def line_rows(console: ConsoleSlack) -> list[tuple[str, str, str | None]]:
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select role, state, note from feedback_lines where active order by id").fetchall()
    return [tuple(r) for r in rows]


def both_on_it(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n" + PRICE, ["── #marketing · Opsbot", "── #purchasing · Opsbot", "Feedback #1 · Price / competitor",
                                "*Marketing & ads* · 🆕 new", "*Purchasing* · 🆕 new",
                                "Thanks! Feedback #1 (Price / competitor) went to #marketing and #purchasing."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: I'm on it", ["modal opened for Chen Jie: “I'm on it”"]),
        (f'!fill note="{PURCHASING_ACTION}"\n'
         "!submit", ["*Purchasing* · 🛠 on it · @Chen Jie", f"Action: {PURCHASING_ACTION}",
                     "DM with Wang Fang", "Your feedback #1: Purchasing · on it (@Chen Jie).",
                     f"  {PURCHASING_ACTION}"]),
        ("!as U0MARKET\n"
         "!in C0MARKETING\n"
         "!click Marketing & ads: I'm on it", ["modal opened for Amy Lin: “I'm on it”"]),
        (f'!fill note="{MARKETING_ACTION}"\n'
         "!submit", ["*Marketing & ads* · 🛠 on it · @Amy Lin", f"Action: {MARKETING_ACTION}",
                     "Your feedback #1: Marketing & ads · on it (@Amy Lin)."]),
    ])


def test_two_destinations_on_it_keep_both_actions_and_their_own_buttons(console: ConsoleSlack) -> None:
    both_on_it(console)
    for channel in ("C0PURCHASING", "C0MARKETING"):  # every copy of the card shows both lines
        shown = card(console, channel)
        assert PURCHASING_ACTION in shown and MARKETING_ACTION in shown
        assert "Purchasing: Done" in shown and "Marketing & ads: Done" in shown
    converse(console, [
        ("!click Marketing & ads: Done", ["modal opened for Amy Lin: “Done”"]),
        ('!fill note="Coupon is live until Sunday"\n'
         "!submit", ["*Marketing & ads* · ✅ done · @Amy Lin", "Outcome: Coupon is live until Sunday",
                     "Your feedback #1: Marketing & ads · done (@Amy Lin)."]),
    ])
    # Only marketing's line closed: purchasing's change is still pending, with its action and its buttons.
    for channel in ("C0PURCHASING", "C0MARKETING"):
        shown = card(console, channel)
        assert "🛠 in progress" in shown and f"Action: {PURCHASING_ACTION}" in shown
        assert "Purchasing: Done" in shown and "Marketing & ads: Done" not in shown
    assert line_rows(console) == [("marketing", "done", MARKETING_ACTION), ("purchasing", "on_it", PURCHASING_ACTION)]
    converse(console, [
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: Done", ["“Done”"]),
        ('!fill note="Restock R-1 now 900"\n'
         "!submit", ["✅ closed", "*Purchasing* · ✅ done · @Chen Jie",
                     "Your feedback #1 is closed: every team it went to has finished with it."]),
    ])
    assert "Purchasing: Done" not in card(console, "C0PURCHASING")  # a closed card has no buttons left
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select entity, actor, from_state, to_state from audit_log where entity like 'feedback%' order by id")
    assert [tuple(r) for r in rows] == [
        ("feedback", "U0CS", None, "new"),
        ("feedback-line", "U0BUYER", "new", "on_it"), ("feedback", "U0BUYER", "new", "in_progress"),
        ("feedback-line", "U0MARKET", "new", "on_it"),
        ("feedback-line", "U0MARKET", "on_it", "done"),
        ("feedback-line", "U0BUYER", "on_it", "done"), ("feedback", "U0BUYER", "in_progress", "closed"),
    ]


def test_acknowledge_and_not_ours_are_one_click_and_finish_only_their_line(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n" + PRICE, ["Feedback #1"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: Acknowledge", ["*Purchasing* · 👀 acknowledged · @Chen Jie", "👀 acknowledged",
                                            "Your feedback #1: Purchasing · acknowledged (@Chen Jie)."]),
        ("!click Purchasing: Not ours", ["*Purchasing* · ↪️ not ours · @Chen Jie", "🆕 new"]),
        ("!as U0MARKET\n"
         "!in C0MARKETING\n"
         "!click Marketing & ads: Not ours", ["✅ closed",
                                              "Your feedback #1 is closed: every team it went to has finished"]),
    ])


def test_only_the_manager_closes_the_item_for_everyone(console: ConsoleSlack) -> None:
    both_on_it(console)
    converse(console, [
        ("!click Close", ["only visible to Amy Lin",
                          "Only the manager can close feedback #1 for everyone; close your own line with Done."]),
        ("!as U0MANAGER\n"
         "!click Close", ["modal opened for Li Wei"]),
        ('!fill note="Handled in the weekly meeting"\n'
         "!submit", ["✅ closed", "Outcome: Handled in the weekly meeting", f"Action: {PURCHASING_ACTION}",
                     "Your feedback #1 is now closed (@Li Wei).", "  Outcome: Handled in the weekly meeting"]),
    ])
    assert "Purchasing: Done" not in card(console, "C0PURCHASING")


def press(console: ConsoleSlack, user: str, action: str, value: dict[str, object] | int) -> str:
    """A button press straight to the server, as a forged or replayed payload would arrive."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0PURCHASING", container={"type": "message"},
        action={"action_id": action, "type": "button", "value": json.dumps(value)},
        response_url=console.emulator.new_response_url("C0PURCHASING", user)))
    return console.seat.new_output()


@pytest.mark.parametrize("action", ["acknowledge", "on_it", "done", "not_ours"])
def test_a_line_button_is_for_the_holders_of_its_role_only(console: ConsoleSlack, action: str) -> None:
    converse(console, [("!as U0CS\n" + PRICE, ["Feedback #1"])])
    before = (line_rows(console), card(console, "C0PURCHASING"))
    # Amy (marketing) presses purchasing's line; the manager too (a line is its role's); a forged role. Whoever
    # has a line of their own is pointed at it; the manager, who has none on this card, is told whose it is (#17).
    own_line = "Only the people of that line can move it; yours has its own buttons."
    for user, role, told in (("U0MARKET", "purchasing", own_line),
                             ("U0MANAGER", "purchasing", "只有那一行的负责人（采购）能更新它。"),  # Li Wei
                             ("U0BUYER", "marketing", own_line), ("U0BUYER", "nonsense", own_line)):
        shown = press(console, user, f"feedback.line.{action}", {"feedback": 1, "role": role})
        assert told in shown
    # Another team's item, or one that never was: nothing to see.
    shown = press(console, "U0BUYER", f"feedback.line.{action}", {"feedback": 99, "role": "purchasing"})
    assert "That feedback no longer exists." in shown
    assert (line_rows(console), card(console, "C0PURCHASING")) == before
    assert "modal opened" not in console.send("!as U0BUYER")  # no form was opened for a refused press


def test_a_replayed_press_on_a_finished_line_changes_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n" + PRICE, ["Feedback #1"]),
        ("!as U0BUYER\n!in C0PURCHASING\n!click Purchasing: Not ours", ["↪️ not ours"]),
    ])
    shown = press(console, "U0BUYER", "feedback.line.acknowledge", {"feedback": 1, "role": "purchasing"})
    assert "That line of feedback #1 is already finished." in shown
    assert line_rows(console) == [("marketing", "new", None), ("purchasing", "not_ours", None)]


def test_re_routing_adds_and_removes_lines_without_losing_any(console: ConsoleSlack) -> None:
    both_on_it(console)
    converse(console, [
        ("!as U0MANAGER\n"
         "!in C0PURCHASING\n"
         "!click Re-route", ["“转交反馈”"]),
        ("!fill category=price roles=purchasing,warehouse\n"
         "!submit", ["── #ops · Opsbot", "*Purchasing* · 🛠 on it · @Chen Jie", f"Action: {PURCHASING_ACTION}",
                     "*Warehouse* · 🆕 new"]),
    ])
    assert "Marketing & ads" not in card(console, "C0OPS")
    assert line_rows(console) == [("purchasing", "on_it", PURCHASING_ACTION), ("warehouse", "new", None)]
    converse(console, [
        ("!click Re-route", ["“转交反馈”"]),
        ("!fill category=price roles=marketing,purchasing\n"
         "!submit", ["*Marketing & ads* · 🛠 on it · @Amy Lin", f"Action: {MARKETING_ACTION}"]),
    ])
    assert line_rows(console) == [("marketing", "on_it", MARKETING_ACTION), ("purchasing", "on_it", PURCHASING_ACTION)]


def home_of(console: ConsoleSlack, user: str) -> str:
    """The App Home Opsbot last published for ``user``."""
    return str([r for r in console.emulator.records if r.kind == "home" and r.user == user][-1].blocks)


def test_app_home_shows_the_feedback_routed_to_me_with_my_lines_buttons(console: ConsoleSlack) -> None:
    converse(console, [("!as U0CS\n" + PRICE, ["Feedback #1"])])
    # Published when the item is filed, not only when opened.
    amy, chen = home_of(console, "U0MARKET"), home_of(console, "U0BUYER")
    assert "Feedback routed to me" in amy and "*F-1* · Price / competitor · LED-100" in amy
    assert "Marketing & ads: I'm on it" in amy and "Plan promotion" in amy and "Purchasing: I'm on it" not in amy
    assert "Purchasing: I'm on it" in chen and "Adjust restock" in chen and "Marketing & ads: " not in chen
    converse(console, [
        ("!as U0MARKET\n!in C0MARKETING\n!click Marketing & ads: Not ours", ["App Home of Amy Lin",
                                                                           "Nothing routed to you is open."]),
    ])
    assert "*F-1*" not in home_of(console, "U0MARKET") and "*F-1*" in home_of(console, "U0BUYER")


def test_a_card_from_before_lines_is_redrawn_with_them_when_its_old_button_is_pressed(console: ConsoleSlack) -> None:
    converse(console, [("!as U0CS\n" + PRICE, ["Feedback #1"])])
    shown = press(console, "U0BUYER", "feedback.ack", 1)
    assert "Feedback #1 now has a line for each team it went to: press your line's button." in shown
    assert "#purchasing · message updated" in shown and line_rows(console)[1] == ("purchasing", "new", None)


def test_a_role_chosen_twice_in_a_re_route_is_one_line(console: ConsoleSlack) -> None:
    from bot.flows.feedback_actions import FeedbackActions, Rerouting
    from bot.flows.feedback_cards import FeedbackCards
    from bot.ops.feedback_playbook import FeedbackPlaybook
    from bot.ops.team import Role

    converse(console, [("!as U0CS\n" + PRICE, ["Feedback #1"])])
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook)).reroute(
        "U0BUYER", 1, Rerouting("price", (Role.selection, Role.selection, Role.purchasing)))
    assert line_rows(console) == [("purchasing", "new", None), ("selection", "new", None)]
