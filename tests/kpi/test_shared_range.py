"""A Business Report shared in Slack under Seller Central's download-day name: the bot asks for its range (the
usual presets, or a form with from/to and the marketplace), then loads it as one period; the team's default
marketplace applies to reports that name none."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from bot.console.session import ConsoleSlack
from bot.console.slack_state import User
from tests.conftest import converse
from tests.kpi.conftest import FIXTURES

CHILD = FIXTURES / "BusinessReport-11-20-26.csv"


def _skus() -> int:
    return int(pd.read_csv(CHILD, dtype=str)["SKU"].str.strip().nunique())


@pytest.fixture
def us_by_default(playbooks_dir: Path) -> None:
    kpi = playbooks_dir / "kpi.yml"
    text = kpi.read_text(encoding="utf-8")
    assert "default_marketplace: {}" in text
    kpi.write_text(text.replace("default_marketplace: {}", "default_marketplace: {shenzhen-ops: US}"), encoding="utf-8")


def test_a_preset_range_loads_the_shared_report_with_the_teams_marketplace(
    us_by_default: None, console: ConsoleSlack, tmp_path: Path
) -> None:
    shared = tmp_path / "BusinessReport-11-21-26.csv"  # downloaded Nov 21: the name says nothing of the range
    shared.write_bytes(CHILD.read_bytes())
    downloaded = date(2026, 11, 21)
    first, last = downloaded - timedelta(days=7), downloaded - timedelta(days=1)
    converse(
        console,
        [
            (
                f"!as U0ANALYST\n!in C0DATA\n!upload {shared}",
                [
                    "BusinessReport-11-21-26.csv covers a range of days",
                    "Which range did you choose in Seller Central?",
                    ": Yesterday]",
                    ": Last 7 days]",
                    ": Last 30 days]",
                    ": Other dates…]",
                ],
            ),
            (
                "!click Last 7 days",
                [
                    f"Loaded BusinessReport-11-21-26.csv (Amazon Business Report by child item): "
                    f"{first:%b} {first.day}, {first.year} to {last:%b} {last.day}, {last.year}, "
                    f"US, {_skus()} SKUs — {_skus()} new"
                ],
            ),
        ],
    )


def test_the_form_takes_from_to_and_the_marketplace_when_nothing_says_it(console: ConsoleSlack, tmp_path: Path) -> None:
    shared = tmp_path / "BusinessReport-11-21-26.csv"
    shared.write_bytes(CHILD.read_bytes())
    converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {shared}", ["Which range did you choose in Seller Central?"]),
            ("!click Other dates…", ["modal opened for Sara Kim", "Marketplace", "From", "To"]),
            ("!fill marketplace=DE from=2026-11-20 to=2026-10-22\n!submit", ["must not end before it starts"]),
            (
                "!fill marketplace=DE from=2026-10-22 to=2026-11-20\n!submit",
                [f"Oct 22, 2026 to Nov 20, 2026, DE, {_skus()} SKUs — {_skus()} new"],
            ),
        ],
    )


def test_a_preset_without_a_marketplace_asks_for_it(console: ConsoleSlack, tmp_path: Path) -> None:
    shared = tmp_path / "BusinessReport-11-21-26.csv"
    shared.write_bytes(CHILD.read_bytes())
    converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {shared}", ["Which range did you choose in Seller Central?"]),
            ("!click Yesterday", ["does not say which marketplace it is for", ": Other dates…]"]),
            (
                "!click Other dates…\n!fill marketplace=US\n!submit",
                ["Nov 20, 2026 to Nov 20, 2026, US"],
            ),  # the form starts at the range chosen
        ],
    )


def test_someone_outside_the_team_cannot_load_through_the_buttons(console: ConsoleSlack, tmp_path: Path) -> None:
    shared = tmp_path / "BusinessReport-11-21-26.csv"
    shared.write_bytes(CHILD.read_bytes())
    converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {shared}", ["Which range did you choose in Seller Central?"]),
        ],
    )
    console.emulator.add_user(User("U0GUEST", "Guest", "UTC", "en-US"))  # in the workspace, in no team
    converse(console, [("!as U0GUEST\n!click Last 7 days", ["You are not in any Opsbot team yet"])])
    assert not any("Loaded" in str(r.text) for r in console.emulator.records)


def _share_with_words(console: ConsoleSlack, path: Path, words: str) -> str:
    """Share a file with a comment typed beside it, as Slack's file_share message carries it."""
    from bot.console import payloads
    from bot.console.slack_state import BOT_USER_ID

    shared = console.emulator.share_file(path.name, path.read_bytes())
    event = {
        "type": "message",
        "subtype": "file_share",
        "user": "U0ANALYST",
        "text": words,
        "ts": "1600000999.000100",
        "channel": "C0DATA",
        "channel_type": "channel",
        "files": [shared],
    }
    console.seat.app.dispatch(
        payloads.event(team=console.team.slack_team_id, event_body=event, bot_user=BOT_USER_ID), "application/json"
    )
    return console.seat.new_output()


def test_the_words_shared_with_a_file_give_its_marketplace_and_range(console: ConsoleSlack, tmp_path: Path) -> None:
    shared = tmp_path / "BusinessReport-11-21-26.csv"
    shared.write_bytes(CHILD.read_bytes())
    shown = _share_with_words(console, shared, "child report --marketplace de 2026-10-22..2026-11-20")
    assert f"Oct 22, 2026 to Nov 20, 2026, DE, {_skus()} SKUs — {_skus()} new" in shown, shown
    again = tmp_path / "BusinessReport-11-22-26.csv"
    again.write_bytes(CHILD.read_bytes())
    shown = _share_with_words(console, again, "UK, last week's numbers")
    assert "Which range did you choose in Seller Central?" in shown, shown
    converse(console, [("!as U0ANALYST\n!in C0DATA\n!click Last 7 days", ["Nov 15, 2026 to Nov 21, 2026, UK"])])


def test_a_button_for_another_teams_file_loads_nothing(console: ConsoleSlack) -> None:
    from bot.blocks.kpi import range_prompt
    from bot.i18n import translator
    from bot.reports.loaders import Period

    shared = console.emulator.share_file(CHILD.name, CHILD.read_bytes())
    theirs = {**shared, "team": "another-team"}  # a prompt posted for another team's data channel
    day = date(2026, 11, 20)
    blocks = range_prompt(translator("en"), CHILD.name, theirs, {"7d": Period(day, day)}, Period(day, day), "US")
    console.emulator._api_chat_postMessage({"channel": "C0DATA", "text": "range?", "blocks": blocks})
    converse(console, [("!as U0ANALYST\n!in C0DATA\n!click Last 7 days", ["shared with another team"])])
    assert not any("Loaded" in str(r.text) for r in console.emulator.records)
