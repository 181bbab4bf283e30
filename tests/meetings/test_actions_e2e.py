"""Who may change an action (its owner or a manager, checked on the server for every button), the agenda's "Add
action" button, and the commands in Chinese words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.errors import OpsError
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_record import MeetingRecord, Update
from tests.conftest import converse


def press(console: ConsoleSlack, user: str, action_id: str, value: str) -> str:
    """A button press as Slack would send it, whatever the person's screen showed (a forged or replayed one too)."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0OPS", response_url=None,
        action={"type": "button", "action_id": action_id, "value": value, "block_id": "b"},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0OPS"},
    ))
    return console.send("!as " + user)


def opened_views(console: ConsoleSlack, user: str) -> int:
    return sum(1 for r in console.emulator.records if r.kind == "view_open" and r.user == user)


def action_state(console: ConsoleSlack, action_id: int) -> tuple[str, int]:
    with console.services.db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            f"select state, version from meeting_entries where id = {action_id}").one()
    return str(row[0]), int(row[1])


def test_only_the_owner_or_a_manager_changes_an_action(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by fri Confirm the PO date", ["A-1 recorded for @Chen Jie, due Nov 27, 2026."]),
    ])
    for button in ("meetings.action_done", "meetings.action_blocked", "meetings.action_move"):
        before = opened_views(console, "U0MARKET")
        shown = press(console, "U0MARKET", button, "1")  # Amy is neither its owner nor a manager
        assert opened_views(console, "U0MARKET") == before, button
        assert any("Only the action's owner or a manager can change it." in r.text for r in console.emulator.records)
        del shown
    assert action_state(console, 1) == ("open", 1)
    # A value naming no action of this team changes nothing either.
    for value in ("999", "1; drop table meetings", ""):
        press(console, "U0BUYER", "meetings.action_done", value)
    assert sum("That action is not your team's." in r.text for r in console.emulator.records) == 3
    # The manager may (Li Wei reads Chinese): she moves it with a note.
    record = MeetingRecord(console.services.context, MeetingCalendar(console.services.context))
    answer = record.update("U0MANAGER", 1, Update("moved", "Factory closed for a holiday", date(2026, 12, 2), 1))
    assert answer == "A-1 已改到 2026年12月2日。"
    converse(console, [("!as U0BUYER\n!home", ["A-1", "due Dec 2, 2026", "Note: Factory closed for a holiday"])])
    assert action_state(console, 1) == ("open", 2)


def test_a_stale_or_replayed_form_changes_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by fri Confirm the PO date", ["A-1 recorded"]),
        ("!as U0BUYER\n"
         "!home", ["My actions", "A-1"]),
        ("!click Done", ["A-1 done"]),
        ("!submit", ["A-1 is now done."]),
    ])
    # The form Chen submitted, sent again: it names version 1, and the action has moved on.
    record = MeetingRecord(console.services.context, MeetingCalendar(console.services.context))
    with pytest.raises(OpsError, match="changed since you opened it"):
        record.update("U0BUYER", 1, Update("blocked", "replayed", None, version=1))
    assert action_state(console, 1) == ("done", 2)


def test_the_agenda_button_records_an_action_on_its_section(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MARKET\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026", "*Items added*",
                                  "@Amy Lin: Photos for the DE listing"]),
        ("!at 2026-11-30 10:10\n"
         "!as U0ANALYST\n"
         "!in C0OPS\n"
         "!click Add action", ["modal opened for Sara Kim: “New action”", "On the agenda's Items added"]),
        ("!fill owner=U0MARKET due=2026-12-04 text=\"Shoot the new DE photos\"\n"
         "!submit", ["A-2 recorded for @Amy Lin, due Dec 4, 2026.", "On the agenda's Items added"]),
    ])
    # A forged meeting id is refused.
    press(console, "U0ANALYST", "meetings.add_action", "999:items")
    assert any("That meeting is not your team's." in r.text for r in console.emulator.records)


def test_hostile_text_in_a_decision_is_escaped(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/decision <!channel> pay <https://evil.example|amazon.com> now", ["Decision recorded in the Weekly meeting"]),
    ])
    posted = [r for r in console.emulator.channel_messages("C0OPS") if "Decision recorded" in r.text][-1]
    raw = str(posted.blocks)
    assert "&lt;!channel&gt;" in raw and "<!channel>" not in raw and "<https://evil" not in raw
    # A #section links to a part of the agenda people saw; this meeting had no agenda sent.
    converse(console, [("/decision #promotions Run a sale", [
        "The agenda of this meeting has no section #promotions; it has: –."])])


def test_chinese_words_for_the_commands(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MANAGER\n"
         "/agenda 添加 检查 DE 价格", ["已加入议程：每周例会，2026年11月30日。"]),
        ("/agenda 查看", ["每周例会 · 2026年11月30日", "新增议题", "检查 DE 价格"]),
        ("!at 2026-11-30 10:05\n"
         "/action <@U0BUYER> 截止 周五 确认采购单日期", ["已为 @Chen Jie 记录 A-2，截止 2026年12月4日。"]),
        ("/meeting 列表", ["会议", "2026年11月30日 · 每周例会"]),
        ("/action <@U0BUYER> 明天 没有截止", ["格式：/action @负责人 截止 日期 内容"]),
    ])


def test_a_message_becomes_an_agenda_item_by_shortcut(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0CS\n"
         "!in C0OPS\n"
         "!say Three buyers asked for a US plug version of LED-100 <!here>\n"
         "!as U0SELECT\n"
         "!shortcut meetings.add_to_agenda", ["only visible to Zhang Min",
                                              "Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("/agenda show", ["*Items added*", "@Zhang Min: Three buyers asked for a US plug version of LED-100"]),
    ])
