"""What Slack said about a workspace's people (people_profiles: language, time zone, name) goes when the app is
uninstalled there or its bot token is revoked; the other workspace's stays (issue 17)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.console.slack_state import BOT_USER_ID
from bot.db.people import PersonProfileRow
from tests.conftest import converse
from tests.e2e.test_workspaces import BERLIN, SHENZHEN, _event, two_workspaces  # noqa: F401 - the fixture

EVENTS = {
    "uninstalled": {"type": "app_uninstalled"},
    "bot token revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER_ID]}},
}


def _stored_people(console: ConsoleSlack) -> dict[str, set[str]]:
    with console.services.db.transaction() as session:
        rows = session.scalars(select(PersonProfileRow)).all()
        return {w: {r.user_id for r in rows if r.workspace == w} for w in (SHENZHEN, BERLIN)}


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_a_workspaces_stored_profiles_go_with_its_installation(two_workspaces: ConsoleSlack, event: str) -> None:  # noqa: F811
    console = two_workspaces
    converse(console, [
        ("!as U1MANAGER\n!in C1OPS\n!home", ["Anna Schmidt"]),
        ("!as U0MANAGER\n!in C0OPS\n!home", ["Li Wei，你好"]),
    ])
    before = _stored_people(console)
    assert "U1MANAGER" in before[BERLIN] and "U0MANAGER" in before[SHENZHEN]

    console.emulator.revoke(BERLIN)
    assert _event(console, BERLIN, EVENTS[event]) == 200

    after = _stored_people(console)
    assert after[BERLIN] == set()
    assert after[SHENZHEN] == before[SHENZHEN]
