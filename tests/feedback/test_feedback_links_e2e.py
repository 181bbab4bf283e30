"""Issue 18, item 3 (the feedback side): a feedback card shows what it started (R-3, P-2, T-40) with their states,
updated in place; a line whose consequences have all finished is done by itself, and the item closes when every
line is. The restock and promotion kinds are declared here by the test, as those features declare theirs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.flows import links
from bot.flows.context import Context, LinkKind
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_tasks import LaunchTasks, TaskUpdate
from bot.i18n import Translator
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.links import LinkState, Ref
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.feedback.test_feedback_lines_e2e import MARKETING_ACTION, PURCHASING_ACTION, both_on_it, card
from tests.launch.test_launch_e2e import start_launch

TEAM = "shenzhen-ops"


class Fakes:
    """Restock requests and promotions as their features would describe them: title, state, finished."""

    def __init__(self, ctx: Context) -> None:
        self.objects: dict[Ref, tuple[str, str, bool]] = {}
        for kind in ("restock", "promo"):
            ctx.link_kinds[kind] = LinkKind(kind, self.describe)  # type: ignore[index]

    def describe(self, _ctx: Context, ref: Ref, _tr: Translator) -> LinkState | None:
        found = self.objects.get(ref)
        return LinkState(ref, found[0], found[1], finished=found[2]) if found else None


def told_to_the_reporter(console: ConsoleSlack) -> list[str]:
    dm = console.emulator.dm_channel_of("U0CS")
    return [r.text for r in console.emulator.records if r.kind == "message" and r.channel == dm]


def test_the_card_shows_what_it_started_and_closes_itself_when_all_of_it_is_finished(console: ConsoleSlack) -> None:
    both_on_it(console)
    ctx = console.services.context
    fakes = Fakes(ctx)
    posted = len(console.emulator.channel_messages("C0PURCHASING"))
    fakes.objects[Ref("restock", 3)] = ("LED-100 ×900", "requested", False)
    links.link(ctx, TEAM, Ref("feedback", 1), Ref("restock", 3), by="U0BUYER")
    links.moved(ctx, Ref("restock", 3))
    fakes.objects[Ref("promo", 2)] = ("LED-100 15% coupon", "planned", False)
    links.link(ctx, TEAM, Ref("feedback", 1), Ref("promo", 2), by="U0MARKET")
    links.moved(ctx, Ref("promo", 2))
    for channel in ("C0PURCHASING", "C0MARKETING"):
        assert "R-3 LED-100 ×900 · requested" in card(console, channel)
        assert "P-2 LED-100 15% coupon · planned" in card(console, channel)
    fakes.objects[Ref("restock", 3)] = ("LED-100 ×900", "approved", False)
    links.moved(ctx, Ref("restock", 3))
    assert "R-3 LED-100 ×900 · approved" in card(console, "C0PURCHASING")
    assert len(console.emulator.channel_messages("C0PURCHASING")) == posted  # updated in place, nothing new posted
    # The coupon ends: marketing's line is done by itself; purchasing's stays on it.
    fakes.objects[Ref("promo", 2)] = ("LED-100 15% coupon", "ended", True)
    links.moved(ctx, Ref("promo", 2))
    shown = card(console, "C0MARKETING")
    assert "✅ P-2 LED-100 15% coupon · ended" in shown and "*Marketing &amp; ads* · ✅ done · <@U0MARKET>" in shown
    assert f"Action: {MARKETING_ACTION}" in shown and "Purchasing: Done" in shown
    told = told_to_the_reporter(console)
    assert told[-1] == "Your feedback #1: Marketing &amp; ads · done, as everything it started has finished."
    # The restock is received: purchasing's line is done too, and the item closes itself.
    fakes.objects[Ref("restock", 3)] = ("LED-100 ×900", "received", True)
    links.moved(ctx, Ref("restock", 3))
    shown = card(console, "C0PURCHASING")
    assert "✅ closed" in shown and "✅ R-3 LED-100 ×900 · received" in shown
    assert f"Action: {PURCHASING_ACTION}" in shown and "Purchasing: Done" not in shown
    told = told_to_the_reporter(console)
    assert told[-1] == "Your feedback #1 is closed: every team it went to has finished with it."
    # /feedback status: the whole thread, each reader in their own zone.
    reader_zone = format_datetime(MONDAY_9AM_SHENZHEN.astimezone(ZoneInfo("America/Los_Angeles")), "short",
                                  locale="en_US")
    converse(console, [
        ("!as U0MARKET\n"
         "/feedback status F-1", ["Feedback F-1 · Price / competitor", "✅ closed",
                                  "*Purchasing* · ✅ done · @Chen Jie", f"Action: {PURCHASING_ACTION}",
                                  "R-3 LED-100 ×900 · received", "P-2 LED-100 15% coupon · ended", "*History*",
                                  f"{reader_zone} · @Wang Fang · filed it",
                                  f"{reader_zone} · @Chen Jie · Purchasing: on it — {PURCHASING_ACTION}",
                                  f"{reader_zone} · Opsbot · Marketing & ads: done"]),
        ("!as U0BUYER\n"
         "/feedback status 1", [format_datetime(MONDAY_9AM_SHENZHEN.astimezone(ZoneInfo("Asia/Shanghai")), "short",
                                                locale="en_US") + " · @Wang Fang · filed it"]),
        ("/feedback status F-77", ["There is no feedback F-77 in your team."]),
    ])
    assert MONDAY_9AM_SHENZHEN.astimezone(UTC) == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # LA is on the day before


def task_id_linked(console: ConsoleSlack) -> int:
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select target_id from links where source_kind = 'feedback' and source_id = 1 and target_kind = 'launch_task'"
    ).fetchall()
    assert len(rows) == 1
    return int(rows[0][0])


def test_add_launch_task_from_the_card_links_the_task_and_its_tick_finishes_the_line(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [
        ("!as U0CS\n"
         "/feedback LED-100 arrived with a cracked base", ["Feedback #1 · Quality / defect", "Add launch task"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Add launch task", ["modal opened for Chen Jie: “Add launch task”", "✎ Launch: LED Desk Lamp",
                                    "LED-100 arrived with a cracked base"]),
        ('!fill phase=Listing owner="Chen Jie" due=2026-12-01\n'
         "!submit", ["⬜ LED-100 arrived with a cracked base · @Chen Jie · Dec 1, 2026",
                     "#purchasing · message updated",
                     "LED-100 arrived with a cracked base (Chen Jie) · to do"]),
    ])
    task = task_id_linked(console)
    assert f"T-{task} LED-100 arrived with a cracked base (Chen Jie) · to do" in card(console, "C0PURCHASING")
    ctx = console.services.context
    playbooks = ctx.playbook(LaunchPlaybooks)
    LaunchTasks(ctx, playbooks, LaunchChecklist(ctx, playbooks)).save("U0BUYER", task, TaskUpdate("done"),
                                                                        confirmed=True)
    shown = card(console, "C0PURCHASING")
    assert f"✅ T-{task} LED-100 arrived with a cracked base (Chen Jie) · done" in shown
    assert "*Purchasing* · ✅ done" in shown
    assert "🛠 in progress" in shown and "Operations manager: Acknowledge" in shown  # the manager's line is open


def press(console: ConsoleSlack, user: str, action: str, value: dict[str, object]) -> str:
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0PURCHASING", container={"type": "message"},
        action={"action_id": action, "type": "button", "value": json.dumps(value)},
        response_url=console.emulator.new_response_url("C0PURCHASING", user)))
    return console.seat.new_output()


def test_add_launch_task_is_for_the_lines_that_offer_it(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [("!as U0CS\n/feedback LED-100 arrived with a cracked base", ["Feedback #1"])])
    value = {"feedback": 1, "sku": "LED-100", "marketplace": None}
    # Marketing has no line on it; the manager's line does not offer it (feedback.yml); a forged item id.
    for user in ("U0MARKET", "U0MANAGER"):
        shown = press(console, user, "feedback_add_launch_task", value)
        assert "That follow-up is for the people of the line that offers it." in shown or (
            "这个后续操作只属于提供它的那一行的负责人。" in shown)  # Li Wei reads Chinese
        assert "“Add launch task”" not in shown
    assert "That feedback no longer exists." in press(console, "U0BUYER", "feedback_add_launch_task",
                                                      {**value, "feedback": 42})
    assert "“Add launch task”" in press(console, "U0BUYER", "feedback_add_launch_task", value)


def buttons_by_line(blocks: list[dict[str, object]]) -> dict[str, list[tuple[str, str]]]:
    """Each line's buttons (action id, value), by the line's heading."""
    found: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    for block in blocks:
        if block["type"] == "section":
            heading = str(block["text"]["text"]).split(" · ")[0]  # type: ignore[index]
        elif block["type"] == "context":
            heading = "(card)"
        elif block["type"] == "actions":
            found[heading] = [(e["action_id"], e["value"]) for e in block["elements"]]  # type: ignore[attr-defined]
    return found


def test_follow_ups_are_offered_by_category_on_the_lines_of_the_roles_that_take_them(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n/feedback Customer says LED-100 is too expensive on Amazon DE", ["Feedback #1"]),
        ("/feedback tracking stuck for 9 days on order 123", ["Feedback #2 · Logistics / delivery"]),
    ])
    price = [r for r in console.emulator.channel_messages("C0MARKETING") if not r.thread_ts][-1]
    lines = buttons_by_line(price.blocks)
    value = json.dumps({"feedback": 1, "sku": "LED-100", "marketplace": "DE"})
    assert ("feedback_plan_promo", value) in lines["*Marketing &amp; ads*"]
    assert ("feedback_adjust_restock", value) in lines["*Purchasing*"]
    assert "feedback_plan_promo" not in [a for a, _ in lines["*Purchasing*"]]
    assert "feedback_adjust_restock" not in [a for a, _ in lines["*Marketing &amp; ads*"]]
    logistics = buttons_by_line([r for r in console.emulator.channel_messages("C0OPS") if not r.thread_ts][-1].blocks)
    assert not any(a.startswith("feedback_") for buttons in logistics.values() for a, _ in buttons)
