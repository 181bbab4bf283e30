"""Market feedback as the team sends it, through the terminal Slack (Mon 2026-11-23, 09:00 Shenzhen)."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def cards(console: ConsoleSlack, channel: str) -> list[str]:
    return [str(r.blocks) for r in console.emulator.channel_messages(channel) if not r.thread_ts]


def test_one_line_feedback_is_routed_acknowledged_worked_on_and_closed(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback Customer says LED-100 arrived with a cracked base", [
            "── #purchasing · Opsbot", "Feedback #1 · Quality / defect", "From @Wang Fang · SKU LED-100",
            "── #manager · Opsbot", "Routed to #purchasing and #manager", "Add launch task",
            "only visible to Wang Fang", "Thanks! Feedback #1 (Quality / defect) went to #purchasing and #manager."]),
        # Amy (marketing) was not sent this one: she cannot act on it, and nothing changes. She has no line of her
        # own on it, so she is told whose line it is (#17: not "yours has its own buttons").
        ("!as U0MARKET\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: I'm on it", ["only visible to Amy Lin",
                                          "Only the people of that line (Purchasing) can move it."]),
        ("!click Purchasing: Acknowledge", ["Only the people of that line (Purchasing) can move it."]),
        ("!as U0BUYER\n"
         "!click Purchasing: Acknowledge", ["#purchasing · message updated", "#manager · message updated",
                                            "👀 acknowledged", "*Purchasing* · 👀 acknowledged · @Chen Jie",
                                            "DM with Wang Fang",
                                            "Your feedback #1: Purchasing · acknowledged (@Chen Jie)."]),
        ("!click Purchasing: I'm on it", ["modal opened for Chen Jie: “I'm on it”"]),
        ("!submit", ["✗ note: Please add a short note."]),
        ('!fill note="Asking the factory for photos of the packing"\n'
         "!submit", ["🛠 in progress", "*Purchasing* · 🛠 on it · @Chen Jie",
                     "Action: Asking the factory for photos of the packing"]),
        ("!click Purchasing: Done", ["modal opened for Chen Jie: “Done”", "✎ What was the outcome?"]),
        ('!fill note="Factory adds corner protectors from the next batch"\n'
         "!submit", ["*Purchasing* · ✅ done · @Chen Jie",
                     "Outcome: Factory adds corner protectors from the next batch",
                     "Your feedback #1: Purchasing · done (@Chen Jie)."]),
        # The manager's line is still open: the item is closed once it is finished too.
        ("!as U0MANAGER\n"
         "!click Operations manager: Not ours", ["✅ closed", "*Operations manager* · ↪️ not ours · @Li Wei",
                                                 "Your feedback #1 is closed: every team it went to has finished"]),
    ])
    assert "Purchasing: Done" not in cards(console, "C0PURCHASING")[-1]  # a closed card has no buttons left
    # The audit trail (who changed it, from what, to what) is the record kept for later; no Slack surface shows it.
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, from_state, to_state from audit_log where entity = 'feedback' order by id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("U0CS", None, "new"), ("U0BUYER", "new", "acknowledged"), ("U0BUYER", "acknowledged", "in_progress"),
        ("U0MANAGER", "in_progress", "closed"),
    ]


def test_the_same_sku_and_category_within_24_hours_joins_the_open_item(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback LED-100 arrived broken, buyer in Hamburg", ["Feedback #1"]),
        ("!as U0WAREHOUSE\n"
         "/feedback another LED-100 came in damaged at the warehouse", [
            "Joined the open feedback #1 on LED-100 (2 reports so far).", "#purchasing · in thread · Opsbot",
            "Another report from @Klaus Becker: another LED-100 came in damaged at the warehouse", "· 2 reports"]),
        # A day later #1 is still open, but unacknowledged past its SLA: reminded in its thread ...
        ("!at 2026-11-24 10:00", ["#purchasing · in thread · Opsbot",
                                  "⏰ Nobody has acknowledged this yet: @Chen Jie and @Li Wei, please take a look."]),
        # ... and more than 24 hours after it, the same SKU and category is a new item.
        ("/feedback LED-100 damaged again", ["Thanks! Feedback #2"]),
    ])
    assert len(cards(console, "C0PURCHASING")) == 2


def test_re_route_sends_it_to_the_new_destination_and_updates_the_old_cards(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback Buyers say LED-200 looks different from the photos", ["Feedback #1 · Listing / content",
                                                                          "── #marketing · Opsbot"]),
        ("!as U0MANAGER\n"
         "!in C0MARKETING\n"
         "!click Re-route", ["modal opened for Li Wei: “转交反馈”"]),
        ("!fill category=quality\n"
         "!submit", ["#marketing · message updated", "Feedback #1 · Quality / defect", "── #purchasing · Opsbot",
                     "Routed to #purchasing and #manager",
                     "Your feedback #1 was re-routed as Quality / defect to #purchasing and #manager (@Li Wei)."]),
    ])
    converse(console, [
        ("!as U0MARKET\n"
         "!click Re-route", ["Only the people this feedback was sent to"]),  # no longer marketing's
    ])


def test_urgent_feedback_from_the_form_also_goes_to_the_manager_by_dm(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/feedback", ["modal opened for Amy Lin: “Market feedback”", "✎ Category: Let Opsbot decide"]),
        ("!submit", ["✗ what: Say what happened"]),
        ('!fill what="We will be out of stock in the US on Friday" marketplace=US sku=led-100 urgency=yes\n'
         "!submit", ["── #purchasing · Opsbot", "🚨 Feedback #1 · Stock / demand", "SKU LED-100 · US",
                     "── DM with Li Wei · Opsbot", "DM with Amy Lin",
                     "Thanks! Feedback #1 (Stock / demand) went to #purchasing and @Li Wei."]),
    ])


def test_a_message_shortcut_files_a_public_message_with_its_link(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "!in C0RANDOM\n"
         "!say A competitor is undercutting us on USB-C-60W by 20%\n"
         "!shortcut feedback.from_message", ["Feedback #1 · Price / competitor", "── #marketing · Opsbot",
                                             "Source: https://opsbot-demo.slack.com/archives/C0RANDOM/p",
                                             "only visible to Wang Fang"]),
    ])
    # Messages from private places wait for their author's consent: tests/feedback/test_feedback_private.py.


def test_unacknowledged_feedback_gets_one_reminder_after_the_sla(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback tracking stuck for 9 days on order 123", ["Feedback #1 · Logistics / delivery", "#ops"]),
    ])
    assert "Nobody has acknowledged" not in console.send("!at 2026-11-23 12:00")  # within the 4-hour SLA
    converse(console, [
        ("!at 2026-11-23 14:00", ["#ops · in thread · Opsbot",
                                  "⏰ Nobody has acknowledged this yet: @Klaus Becker, please take a look."]),
    ])
    assert "Nobody has acknowledged" not in console.send("!at 2026-11-23 18:00")


def test_lists_and_the_weekly_summary(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback LED-100 arrived cracked", [
            "Thanks! Feedback #1 (Quality / defect) went to #purchasing and #manager."]),
        ("/feedback Competitor cut the price of the lamp", [
            "Thanks! Feedback #2 (Price / competitor) went to #marketing and #purchasing."]),
        ("/feedback list", ["Open market feedback", "#2 · Price / competitor · new", "#1 · Quality / defect · new"]),
        ("/feedback list quality", ["Market feedback: Quality / defect", "#1 · Quality / defect"]),
        ("/feedback list mine", ["Market feedback you sent or work on", "#1", "#2"]),
        ("/feedback list nonsense", ["Use /feedback list with one of: open, mine, all, Price / competitor, Quality"]),
        ("!at 2026-11-30 09:00", ["── #manager · Opsbot", "Market feedback this week",
                                  "Price / competitor: 1 (+1 vs last week)", "Quality / defect: 1 (+1 vs last week)",
                                  "SKUs: LED-100 1 (+1)", "#1 Quality / defect · open 7 days · new",
                                  "#2 Price / competitor · open 7 days · new"]),
        ("/feedback #stock DESK-FAN-01 is selling fast in the US", [
            "Thanks! Feedback #3 (Stock / demand) went to #purchasing."]),
        ("/feedback #stock LED-200 sold out on Amazon.de", [
            "Thanks! Feedback #4 (Stock / demand) went to #purchasing."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: Done", ["modal opened for Chen Jie: “Done”"]),  # the newest card in #purchasing: #4
        ('!fill note="Stock arrives in Germany on Friday"\n'
         "!submit", ["#purchasing · message updated", "Feedback #4 · Stock / demand", "✅ closed",
                     "Your feedback #4 is closed: every team it went to has finished with it."]),
        ("!at 2026-12-07 09:00", ["Stock / demand: 2 (+2 vs last week)", "Price / competitor: 0 (-1 vs last week)",
                                  "Quality / defect: 0 (-1 vs last week)",
                                  "SKUs: DESK-FAN-01 1 (+1), LED-200 1 (+1), and LED-100 0 (-1)",
                                  "#2 Price / competitor · open 14 days · new",
                                  "#3 Stock / demand · open 7 days · new"]),
    ])
    weekly = console.emulator.channel_messages("C0MANAGER")[-1]
    assert "#4 Stock" not in str(weekly.blocks)  # closed items are no longer listed as open


def test_chinese_feedback_in_a_chinese_team(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!as U0FINANCE\n"
         "/feedback 收到专利侵权投诉，LED-100 被下架了", [
            "反馈 #1 · 合规 / 政策", "来自 @Liu Yang · SKU LED-100", "已发送到 #manager和#purchasing",
            "谢谢！反馈 #1（合规 / 政策）已发送给 #manager和#purchasing。"]),
        ("/feedback", ["“市场反馈”", "✎ 类别: 让 Opsbot 判断"]),
        ("!close\n"
         "/feedback 紧急！LED-100-EU 在德国站断货了", ["🚨 反馈 #2 · 库存 / 需求", "DM with Li Wei"]),
    ])
