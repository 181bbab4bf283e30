"""Issue 19, line 4: "a button on any agenda line". Every line of the agenda (an item someone added, an action from
an earlier meeting, a launch task, …) has its own menu — Add action / Record decision — that opens the form with
the line's words filled in; what is recorded keeps the line it came from, shown in the channel, /meeting show, the
summary and the export. A forged line is refused; a long agenda still fits Slack's 50 blocks."""

from __future__ import annotations

from bot.blocks.meeting_lines import LINE_MENU
from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_history import MeetingHistory
from bot.i18n import translator
from tests.conftest import converse
from tests.meetings.lines import menu_values, part_lines

FROM_LINE = "from agenda line “@Amy Lin: Photos for the DE listing”"


def agenda_in(console: ConsoleSlack, channel: str, title: str) -> list[dict]:
    return [r for r in console.emulator.channel_messages(channel) if title in r.text][-1].blocks


def test_an_action_and_a_decision_on_one_agenda_line(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MARKET\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!as U0SELECT\n"
         "/agenda add Price check on LED-100", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026", "@Amy Lin: Photos for the DE listing"]),
    ])
    blocks = agenda_in(console, "C0OPS", "Weekly meeting · Nov 30")
    lines = part_lines(blocks, "Items added")
    assert lines == ["• <@U0MARKET>: Photos for the DE listing", "• <@U0SELECT>: Price check on LED-100"]
    menus = menu_values(blocks, LINE_MENU)
    meeting = menus[0][0].split(":")[1]
    # One menu per line, each naming its own line; nothing else on the agenda takes a block of its own for it.
    assert [m[0] for m in menus[-2:]] == [f"a:{meeting}:items:0", f"a:{meeting}:items:1"]
    assert [m[1] for m in menus[-2:]] == [f"d:{meeting}:items:0", f"d:{meeting}:items:1"]
    assert not any(b.get("type") == "actions" for b in blocks)

    converse(console, [
        ("!at 2026-11-30 10:10\n"
         "!as U0ANALYST\n"
         "!in C0OPS\n"
         "!click Add action", ["modal opened for Sara Kim: “New action”", "On the agenda's Items added",
                               FROM_LINE, "What is to be done?: Photos for the DE listing"]),
        ("!fill owner=U0MARKET due=2026-12-04 text=\"Shoot the new DE photos\"\n"
         "!submit", ["A-3 recorded for @Amy Lin, due Dec 4, 2026.", "Action recorded", FROM_LINE]),
    ])
    # "Record decision" on the same line: the form names that line and holds its words.
    converse(console, [
        ("!click Record decision", ["modal opened for Sara Kim: “New decision”", FROM_LINE,
                                    "What was decided?: Photos for the DE listing"]),
        ("!fill text=\"Photos by a studio, not in-house\"\n"
         "!submit", ["Decision recorded in the Weekly meeting of Nov 30, 2026.", "Decision recorded: 🔷",
                     f"Photos by a studio, not in-house (@Sara Kim) · {FROM_LINE}"]),
        ("/meeting show 2026-11-30", ["Photos by a studio, not in-house", "Shoot the new DE photos", FROM_LINE]),
        ("!at 2026-11-30 11:05", ["Weekly meeting · Nov 30, 2026: summary", FROM_LINE]),
    ])
    history = MeetingHistory(console.services.context, MeetingCalendar(console.services.context))
    export = history.export_markdown(console.team, "2026-11", translator("en"))
    assert "Shoot the new DE photos · from agenda line “@Amy Lin: Photos for the DE listing”" in export
    assert f"Photos by a studio, not in-house (@Sara Kim) · {FROM_LINE}" in export

    # A line the agenda never had, or a meeting of no one's team, is refused and opens nothing.
    views = sum(r.kind == "view_open" for r in console.emulator.records)
    press_line(console, "U0ANALYST", f"a:{meeting}:items:7")
    press_line(console, "U0ANALYST", "a:999:items:0")
    press_line(console, "U0ANALYST", "x:1:items:0")
    assert sum(r.kind == "view_open" for r in console.emulator.records) == views
    texts = [r.text for r in console.emulator.records]
    assert "That line is not on this meeting's agenda." in texts
    assert texts.count("That meeting is not your team's.") == 2


def press_line(console: ConsoleSlack, user: str, value: str) -> str:
    """An agenda line's menu option as Slack would send it (a forged one too)."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0OPS", response_url=None,
        action={"type": "overflow", "action_id": LINE_MENU, "block_id": "b",
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value}},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0OPS"},
    ))
    return console.send("!as " + user)


def test_a_chinese_reader_records_an_action_on_a_line_of_her_agenda(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!at 2026-11-23 11:30\n"
         "!as U0FINANCE\n"
         "/agenda add 确认 DE 补货数量", ["已加入议程：每周例会，2026年11月30日。"]),
        ("!at 2026-11-29 16:00", ["每周例会 · 2026年11月30日", "确认 DE 补货数量"]),
        ("!at 2026-11-30 10:10\n"
         "!as U0MANAGER\n"
         "!in U0MANAGER\n"
         "!click 添加行动项", ["“新行动项”", "来自议程条目“@Liu Yang：确认 DE 补货数量”"]),
        ("!fill owner=U0BUYER due=2026-12-04 text=\"周三前报补货数量\"\n"
         "!submit", ["已为 @Chen Jie 记录 A-2，截止 2026年12月4日。"]),
        ("/meeting 查看 2026-11-30", ["周三前报补货数量", "来自议程条目“@Liu Yang：确认 DE 补货数量”"]),
    ])


def test_a_long_agenda_still_fits_and_shows_every_line(console: ConsoleSlack) -> None:
    people = ["U0MARKET", "U0SELECT", "U0BUYER", "U0ANALYST", "U0CS"]
    steps = []
    for n in range(64):
        steps.append((f"!as {people[n % len(people)]}\n/agenda add Point {n:02d} for the week", ["Added"]))
    converse(console, [("!at 2026-11-23 11:30\n" + steps[0][0], steps[0][1]), *steps[1:]])
    converse(console, [("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026"])])
    sent = [r for r in console.emulator.records if r.kind == "message" and "Weekly meeting · Nov 30" in r.text]
    assert sent and not any(r.text == "invalid_blocks" for r in console.emulator.records)
    for message in sent:  # the channel's and every attendee's
        assert len(message.blocks) <= 50
        text = "\n".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")
        assert all(f"Point {n:02d} for the week" in text for n in range(64))
        menus = menu_values(message.blocks, LINE_MENU)
        assert len(menus) >= 40  # most lines keep their own menu; the last ones are shown together
