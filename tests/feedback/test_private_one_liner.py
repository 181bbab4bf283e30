"""A one-liner typed in a private channel or a DM is as private as the form and the shortcut (issue 17, misuse):
the manager alone has its words, by DM, until the reporter says yes; wherever else it shows (a thread it joins,
the weekly agenda, ``/feedback list``, a follow-up's card) it is named without its words."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.support.seen import everything_in, everywhere_but

PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0RANDOM", "C0MANAGER")



def test_a_one_liner_in_a_private_channel_waits_for_its_reporter(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/feedback SECRET2 the supplier will raise LED-200 price by 8% next month", [
            "── DM with Li Wei · Opsbot", "SECRET2",
            "── DM with Chen Jie · Opsbot", "May it also go to #purchasing and #manager?", "Yes, share it",
            "Thanks! Feedback #1 went to the manager only, by DM."]),
    ])
    for channel in PUBLIC:
        assert "SECRET2" not in everything_in(console, channel)
    converse(console, [
        ("!in U0BUYER\n!click Yes, share it", [
            "── #purchasing · Opsbot", "SECRET2", "Feedback #1 was shared with the team. Thank you."]),
    ])


def test_a_one_liner_in_a_dm_kept_private_stays_with_the_manager(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n/feedback SECRET3 a competitor copies our LED-100 listing on Amazon", [
            "── DM with Li Wei · Opsbot", "SECRET3", "Yes, share it"]),
        ("!click No, keep it private", ["Feedback #1 stays private: only the manager sees it."]),
    ])
    for channel in PUBLIC:
        assert "SECRET3" not in everything_in(console, channel)


def test_a_private_one_liner_joining_an_open_item_keeps_its_words_out_of_the_thread(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n/feedback LED-200 arrived broken, the second this week", ["Feedback #1 · Quality / defect"]),
        ("!as U0BUYER\n!in G0PRIVATE\n/feedback SECRETONELINER LED-200 batch 7 is defective, the factory admits", [
            "Joined the open feedback #1 on LED-200", "── #purchasing · in thread · Opsbot",
            "Another report from @Chen Jie, from a private conversation.", "── DM with Li Wei · Opsbot",
            "SECRETONELINER"]),
    ])
    for channel in PUBLIC:
        assert "SECRETONELINER" not in everything_in(console, channel)


def test_private_feedback_is_listed_without_its_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/feedback SECRET4 the supplier will raise LED-200 price by 8%",
         ["Feedback #1 went to the manager only"]),
        ("!as U0CS\n!in C0OPS\n/feedback list all",
         ["All market feedback", "#1 · Supplier / cost · new · from a private conversation"]),
        # The status agrees with the list: it is there, it is private, and who may read it is named (#17).
        ("/feedback status F-1", ["Feedback F-1 came from a private conversation: only @Chen Jie and the manager "
                                  "may read its words."]),
        # its reporter and the manager read it
        ("!as U0BUYER\n/feedback list all", ["#1 · Supplier / cost · new · LED-200 · SECRET4"]),
        ("!as U0MANAGER\n/feedback list all", ["SECRET4"]),
    ])
    console.send("!as U0CS")
    for scope in ("all", "open", "supplier"):
        assert "SECRET4" not in console.send(f"/feedback list {scope}")


def test_the_weekly_agenda_names_private_feedback_without_its_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/feedback AGENDASECRET customers complain LED-200 reviews are fake",
         ["Feedback #1 went to the manager only"]),
        ("!at 2026-11-29 16:00", ["*Feedback open past its SLA*", "Feedback #1 · ", "from a private conversation"]),
    ])
    assert "AGENDASECRET" not in everywhere_but(console, "U0MANAGER", "U0BUYER")


def test_a_restock_started_from_private_feedback_names_it_without_its_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n!in G0PRIVATE\n/feedback PRIVKEPT LED-100 will be out of stock in the US in 10 days",
         ["Feedback #1 went to the manager only"]),
        ("!in U0CS\n!click No, keep it private", ["Feedback #1 stays private: only the manager sees it."]),
        ("!as U0MANAGER\n!in U0MANAGER\n!click 调整补货", ["补货"]),
        # Filed for feedback kept private, the request waits for its requester too (and is posted when they say).
        ("!fill quantity=500\n!submit", ["── DM with Li Wei · Opsbot", "R-1（500 × LED-100）还没有发出"]),
        ("!click 发到采购频道", ["── #purchasing · Opsbot", "📦 补货 R-1", "F-1"]),
    ])
    assert "PRIVKEPT" not in everywhere_but(console, "U0MANAGER", "U0CS")


def test_the_reminder_on_private_feedback_reads_in_the_managers_language_and_names_only_who_can_see_it(
        console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback REMINDSECRET buyers say the LED-200 photos look fake",
         ["Feedback #1 went to the manager only"]),
        ("!at 2026-11-24 10:00", ["── DM with Li Wei · in thread · Opsbot",
                                  "⏰ 还没有人确认这条反馈：请 @Li Wei 看一下。"]),
    ])
    reminders = [r for r in console.emulator.records if r.thread_ts and "⏰" in (r.text or "")]
    assert reminders and all("Amy Lin" not in r.text and "U0MARKET" not in r.text for r in reminders)


def test_a_launch_task_started_from_private_feedback_is_not_titled_with_its_words(console: ConsoleSlack) -> None:
    """The add-a-task form is prefilled from the feedback; a task lands on the launch's checklist in the team's
    channels, so words kept private prefill nothing but the reference."""
    from bot.flows.feedback_actions import FeedbackActions, Rerouting
    from bot.flows.feedback_cards import FeedbackCards
    from bot.ops.feedback_playbook import FeedbackPlaybook
    from bot.ops.team import Role
    from tests.feedback.test_feedback_links_e2e import press
    from tests.launch.test_launch_e2e import start_launch

    start_launch(console)
    converse(console, [
        ("!as U0CS\n!in G0PRIVATE\n/feedback PRIVTASK LED-100 arrived with a cracked base",
         ["Feedback #1 went to the manager only"]),
        ("!in U0CS\n!click No, keep it private", ["Feedback #1 stays private: only the manager sees it."]),
    ])
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook)).reroute(
        "U0MANAGER", 1, Rerouting("quality", (Role.purchasing,)))
    # Kept private, its one line is the manager's (the only one who sees it), offering its route's follow-ups.
    shown = press(console, "U0MANAGER", "feedback_add_launch_task", {"feedback": 1, "sku": "LED-100",
                                                                     "marketplace": None})
    form = shown[shown.index("modal opened for Li Wei"):]
    assert "✎ 任务: 反馈 F-1 的跟进" in form and "PRIVTASK" not in form
