"""Issue 16, stand-ups 3-7: restated blockers, leave that `back` must not wipe, the manager resolving and the
stand-in taking escalations, the next stand-up day, and every blocker one click away — through the terminal Slack.

The clock starts Monday 23 November 2026, 09:00 in Shenzhen; `!at` is Shenzhen time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.console.session import ConsoleSlack
from bot.ops import standup as ops
from bot.ops.team import Member, Team
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def answer(user: str, today: str, blockers: str = "") -> str:
    extra = f' blockers="{blockers}"' if blockers else ""
    return f'!as {user}\n/standup\n!fill today="{today}" yesterday="done"{extra}\n!submit'


def test_a_restated_blocker_is_the_same_blocker_and_the_form_asks_if_it_still_blocks(console: ConsoleSlack) -> None:
    """3."""
    converse(
        console,
        [
            (
                answer("U0BUYER", "Chase QC", blockers="Waiting for the QC report from the factory"),
                ["Monday, November 23, 2026 is in"],
            ),
            ("!at 2026-11-24 09:30", ["DM with Chen Jie"]),
            # Tuesday's form offers Monday's blocker as a keep / resolved choice.
            (
                "!as U0BUYER\n/standup",
                ["Still blocked? Waiting for the QC report from the factory (since Nov 23, 2026)", ": Still blocked"],
            ),
            # He restates it in other words anyway: it is the same blocker, one day old, not a new one.
            (
                '!fill today="Chase QC again" yesterday="Chased QC" blockers="waiting for QC report from factory"\n'
                "!submit",
                ["Tuesday, November 24, 2026 is in"],
            ),
            (
                "!at 2026-11-24 11:00",
                ["*1 open blocker*", "Waiting for the QC report from the factory — @Chen Jie · open 1 workday"],
            ),
            # Wednesday he says it no longer blocks him, in the form.
            (
                "!at 2026-11-25 09:30\n!as U0BUYER\n/standup",
                ["Still blocked? Waiting for the QC report from the factory"],
            ),
            (
                '!fill today="Book freight" yesterday="Got the QC report" still_blocked_1=Resolved\n!submit',
                ["Wednesday, November 25, 2026 is in"],
            ),
            ("!at 2026-11-25 11:00", ["*0 open blockers*"]),
        ],
    )


def test_blockers_naming_different_orders_stay_different() -> None:
    assert ops.same_blocker("waiting for QC report from factory", "Waiting for the QC report from the factory")
    assert not ops.same_blocker("PO 4711 stuck at customs", "PO 4712 stuck at customs")
    assert not ops.same_blocker("Waiting for the QC report", "Amazon listing suppressed")


def test_back_ends_only_the_leave_in_progress_and_planned_leave_is_listed_and_cancelled(
    console: ConsoleSlack,
) -> None:
    """4."""
    converse(
        console,
        [
            ("!as U0SELECT\n/standup ooo 2026-11-23..2026-11-24 sick", ["Away from Nov 23, 2026 to Nov 24, 2026"]),
            ("/standup ooo 2026-12-07..2026-12-11 annual leave", ["Away from Dec 7, 2026 to Dec 11, 2026"]),
            ("/standup back", ["Welcome back!"]),
            ("/standup ooo list", ["1. Dec 7, 2026 to Dec 11, 2026 · annual leave", "/standup ooo cancel N"]),
            ("!at 2026-11-24 09:30", ["DM with Zhang Min"]),  # back: prompted again from the next day
            ("!as U0SELECT\n/standup ooo cancel 2", ["There is no time away number 2"]),
            ("/standup ooo cancel 1", ["Cancelled your time away from Dec 7, 2026 to Dec 11, 2026."]),
            ("/standup ooo list", ["You have no time away planned."]),
        ],
    )


def test_the_manager_resolves_any_blocker_saying_why_and_the_owner_is_told(console: ConsoleSlack) -> None:
    """5, first half."""
    converse(
        console,
        [
            (answer("U0BUYER", "Chase QC", blockers="Factory QC report missing"), ["is in"]),
            ("!at 2026-11-23 11:00", ["Factory QC report missing — @Chen Jie · open 0 workdays"]),
            ("!as U0MANAGER\n!click Resolved", ["modal opened for Li Wei", "Chen Jie", "Factory QC report missing"]),
            ("!submit", ["not submitted"]),  # a reason is required
            (
                '!fill reason="The factory emailed it to me"\n!submit',
                [
                    "DM with Chen Jie",
                    "@Li Wei marked your blocker resolved: Factory QC report missing",
                    "Reason: The factory emailed it to me",
                    "#ops · message updated",
                    "*0 open blockers*",
                ],
            ),
        ],
    )


def test_escalation_skips_an_away_manager_for_the_stand_in(playbooks_dir: Path, database_url: str) -> None:
    """5, second half: Li Wei is on leave; Zhang Min is the team's stand-in in team.yml."""
    team_file = playbooks_dir / "team.yml"
    team_file.write_text(
        team_file.read_text(encoding="utf-8").replace("usergroups: {}", "stand_in: U0SELECT\nusergroups: {}"),
        encoding="utf-8",
    )
    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        converse(
            console,
            [
                ("!as U0MANAGER\n/standup ooo 2026-11-24..2026-11-27 leave", ["休假"]),
                (answer("U0BUYER", "Chase QC", blockers="Factory QC report missing"), ["is in"]),
            ],
        )
        wednesday = converse(
            console,
            [
                ("!at 2026-11-25 11:00", ["open 2 workdays", "⚠️ Open too long: @Zhang Min, please help."]),
                # The stand-in acts for the away manager: she may resolve it, saying why.
                ("!as U0SELECT\n!click Resolved", ["modal opened for Zhang Min"]),
                (
                    '!fill reason="Supplier resent it"\n!submit',
                    ["DM with Chen Jie", "Reason: Supplier resent it", "*0 open blockers*"],
                ),
            ],
        )
        assert "@Li Wei, please help" not in wednesday
    finally:
        console.close()


def test_skip_and_open_act_on_the_next_stand_up_day_and_ooo_3d_is_three_workdays(console: ConsoleSlack) -> None:
    """6. Saturday 28 November is not a stand-up day in Shenzhen."""
    converse(
        console,
        [
            (
                "!at 2026-11-28 10:00\n!as U0BUYER\n/standup skip supplier visit",
                ["Today is not a stand-up day for you: skipped your next one, Monday, November 30, 2026."],
            ),
            (
                "!as U0CS\n/standup",
                ["Today is not a stand-up day for you: this is your stand-up for Monday, November 30, 2026."],
            ),
            ('!fill today="Returns" yesterday="FAQ"\n!submit', ["your stand-up for Monday, November 30, 2026 is in"]),
            ("!as U0SELECT\n/standup ooo 3d trade fair", ["Away from Nov 30, 2026 to Dec 2, 2026"]),
        ],
    )


def test_ooo_3d_counts_workdays_over_national_day() -> None:
    team = Team(
        id="sz",
        name="SZ",
        timezone="Asia/Shanghai",
        holiday_countries=("CN",),
        members=(Member(user="U1", name="Chen", country="CN"),),
    )
    chen = ops.person_for(team, team.members[0], None)
    # 30 September, then the holiday week 1-7 October, then 8 and 9 October.
    assert ops.next_workdays(chen, date(2026, 9, 30), 3) == (date(2026, 9, 30), date(2026, 10, 9))
    assert ops.next_round(chen, date(2026, 10, 3)) == date(2026, 10, 8)


def test_every_blocker_is_one_click_away_when_the_summary_lists_only_the_first(console: ConsoleSlack) -> None:
    """7. Seventeen blockers; the summary shows fifteen."""
    lines = "\n".join(f"PO {4700 + n} stuck at customs" for n in range(17))
    console.send("!as U0BUYER")
    console.send("/standup")
    console.send(f'!fill today="Customs" yesterday="Customs" blockers="{lines}"')
    console.send("!submit")
    converse(
        console,
        [
            ("!at 2026-11-23 11:00", ["*17 open blockers*", "…and 2 more open blockers", "Show all"]),
        ],
    )
    summary = next(
        r for r in console.emulator.records if r.kind == "message" and r.channel == "C0OPS" and not r.thread_ts
    )
    listed = [b["text"]["text"] for b in summary.blocks if str(b.get("block_id", "")).startswith("blocker-")]
    assert len(listed) == 15 and not any("PO 4716" in text for text in listed)
    status = converse(
        console,
        [
            (
                "/standup status",
                [
                    "Today's stand-up so far",
                    "*17 open blockers*",
                    "PO 4700 stuck at customs",
                    "PO 4716 stuck at customs",
                ],
            ),
        ],
    )
    assert status.count("Resolved") == 17
    converse(
        console,
        [
            (
                "!as U0MANAGER\n!click Show all",
                ["only visible to Li Wei", "PO 4715 stuck at customs", "PO 4716 stuck at customs"],
            ),
        ],
    )
