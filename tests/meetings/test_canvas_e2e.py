"""Issue 19, line 7: "where the workspace allows Slack canvases, the agenda and record are also a canvas in the
channel". The canvas is made once per meeting when its agenda goes out and rewritten as its record changes; what
people typed cannot mention, link or head anything in it. A workspace that refuses (free plan, canvases off, the
scope not granted) gets the agenda as messages only, silently, and `opsbot doctor` says canvases are off and why."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import load_settings
from bot.console.session import ConsoleSlack
from bot.doctor import run_checks
from bot.manifest import build_manifest
from bot.wiring import FEATURES
from tests.conftest import converse

HOSTILE = "<!channel> win a [prize](https://evil.example) ![](@U0MANAGER) @here # Heading **now**"


def doctor_canvases(console: ConsoleSlack) -> str:
    settings = console.settings
    assert settings.slack_bot_token is not None
    checked = load_settings(SLACK_BOT_TOKEN=settings.slack_bot_token.get_secret_value(),
                            SLACK_API_URL=console.emulator.api_url, OPSBOT_PLAYBOOKS=settings.playbooks_dir,
                            DATABASE_URL=settings.database_url)
    web = WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=console.emulator.api_url)
    check = {c.name: c for c in run_checks(checked, web)}["canvases"]
    assert check.ok  # canvases off is a workspace's choice, never a failure
    return check.detail


def test_the_meeting_is_a_canvas_made_once_and_kept_up_to_date(console: ConsoleSlack) -> None:
    canvases = console.emulator.canvases
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MARKET\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        (f"/agenda add {HOSTILE}", ["Added to the agenda"]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026",
                                  "📄 The agenda is also a canvas in this channel; it keeps the record."]),
    ])
    assert [(c.channel, c.title) for c in canvases.documents.values()] == [("C0OPS", "Weekly meeting · Nov 30, 2026")]
    canvas = next(iter(canvases.documents.values()))
    assert canvas.markdown.startswith("# Weekly meeting · Nov 30, 2026\n")
    assert "## Items added\n- \\@Amy Lin\\: Photos for the DE listing\n" in canvas.markdown
    assert "## Decisions\nNo decisions recorded\\.\n" in canvas.markdown
    # What Amy typed reads as typed, but mentions no one, links nowhere and heads nothing.
    hostile = next(line for line in canvas.markdown.splitlines() if "prize" in line)
    for live in ("<!channel>", "](", "https://", "![](@", "\n#", "**"):
        assert live not in hostile, live
    assert hostile.startswith("- \\@Amy Lin\\: \\<\\!channel\\> win a \\[prize\\]\\(https\\:")
    # Only the channel's agenda says so: the attendees' DMs are not in the channel.
    dms = [r for r in console.emulator.records if r.kind == "message" and r.channel != "C0OPS"
           and "Weekly meeting · Nov 30" in r.text]
    assert dms and not any("canvas" in str(r.blocks) for r in dms)

    converse(console, [
        ("!at 2026-11-30 10:10\n"
         "!as U0ANALYST\n"
         "/action <@U0MARKET> by 12-04 Shoot the new DE photos", ["recorded for @Amy Lin, due Dec 4, 2026."]),
        ("/decision Photos by a studio", ["Decision recorded in the Weekly meeting of Nov 30, 2026."]),
        ("!at 2026-11-30 11:05", ["Weekly meeting · Nov 30, 2026: summary"]),
    ])
    assert len(canvases.documents) == 1  # made once for the meeting; edited since
    assert len(canvas.edits) == 3 and all(c[0]["operation"] == "replace" for c in canvas.edits)
    assert "## Actions\n- ◻️ A\\-3 · \\@Amy Lin · open · due Dec 4, 2026 · Shoot the new DE photos" in canvas.markdown
    assert "- 🔷 Photos by a studio (\\@Sara Kim)" in canvas.markdown.replace("\\(", "(").replace("\\)", ")")
    # The owner marks it done after the meeting: the canvas follows.
    converse(console, [
        ("!at 2026-12-02 10:00\n"
         "!as U0MARKET\n"
         "!home", ["My actions", "A-3"]),
        ("!click Done", ["A-3 done"]),
        ('!fill note="Studio booked"\n'
         "!submit", ["A-3 is now done."]),
    ])
    assert "✅ A\\-3 · \\@Amy Lin · done" in canvas.markdown and "Studio booked" in canvas.markdown
    assert "on: each meeting's agenda and record are also a canvas" in doctor_canvases(console)
    # Next week's meeting has its own canvas (and the monthly review its own, in #manager).
    converse(console, [("!at 2026-12-06 16:00", ["Weekly meeting · Dec 7, 2026", "📄"])])
    assert [c.title for c in canvases.in_channel("C0OPS")] == ["Weekly meeting · Nov 30, 2026",
                                                              "Weekly meeting · Dec 7, 2026"]
    assert [c.title for c in canvases.in_channel("C0MANAGER")] == ["Monthly review · Dec 1, 2026"]


def test_without_the_canvas_scope_the_agenda_is_messages_only_and_doctor_says_why(console: ConsoleSlack) -> None:
    scopes = build_manifest(FEATURES)["oauth_config"]["scopes"]
    assert "canvases:write" in scopes["bot_optional"] and "canvases:write" not in scopes["bot"]
    console.emulator.granted_scopes = tuple(scopes["bot"])  # installed without the optional scope
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MARKET\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda"]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026", "@Amy Lin: Photos for the DE listing"]),
        ("!at 2026-11-30 10:10\n"
         "!as U0ANALYST\n"
         "/decision Photos by a studio", ["Decision recorded in the Weekly meeting of Nov 30, 2026."]),
    ])
    assert console.emulator.canvases.documents == {}
    assert not any("canvas" in str(r.blocks) for r in console.emulator.records if r.kind == "message")
    detail = doctor_canvases(console)
    assert detail.startswith("off: the app was not granted canvases:write (optional)")
    assert "messages only" in detail


def test_a_free_workspace_gets_one_canvas_tab_then_messages_in_chinese(chinese_team: ConsoleSlack) -> None:
    canvases = chinese_team.emulator.canvases
    canvases.plan = "free"  # a free plan: one canvas tab per channel
    converse(chinese_team, [
        ("!at 2026-11-23 11:30\n"
         "/agenda 添加 检查 DE 价格", ["已加入议程：每周例会，2026年11月30日。"]),
        ("!at 2026-11-29 16:00", ["每周例会 · 2026年11月30日", "📄 本议程也以画布形式放在本频道"]),
    ])
    (canvas,) = canvases.documents.values()
    assert canvas.title == "每周例会 · 2026年11月30日" and "## 新增议题\n" in canvas.markdown
    assert "检查 DE 价格" in canvas.markdown
    # The week after, Slack refuses a second tab in the channel: the agenda goes out as before, without it.
    converse(chinese_team, [("!at 2026-12-06 16:00", ["每周例会 · 2026年12月7日"])])
    agenda = [r for r in chinese_team.emulator.channel_messages("C0OPS") if "2026年12月7日" in r.text][-1]
    assert "📄" not in str(agenda.blocks) and "检查" not in str(agenda.blocks)
    assert [c.title for c in canvases.in_channel("C0OPS")] == ["每周例会 · 2026年11月30日"]
    detail = doctor_canvases(chinese_team)
    assert detail.startswith("off: the workspace is on Slack's free plan (one canvas tab per channel) "
                             "(free_team_canvas_tab_already_exists)")
