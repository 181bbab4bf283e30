"""The console's seat and what it shows: who speaks when nobody said, buttons found by their text wherever
they show, and Slack effects (invitations) shown as lines."""

from __future__ import annotations

from pathlib import Path

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def test_a_team_yml_with_nobody_in_it_starts_as_the_workspace_first_person(
    playbooks_dir: Path, database_url: str
) -> None:
    """The /ops setup case: team.yml names nobody yet and no --as was given; the console starts, not a traceback."""
    (playbooks_dir / "team.yml").write_text(
        "id: shenzhen-ops\nname: Shenzhen Ops\nslack_team_id: T0DEMO\n", encoding="utf-8"
    )
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        first = next(u for u in slack.emulator.users.values() if not u.is_bot)
        assert slack.user == first.id
        converse(slack, [("/ops setup", ["modal opened for Li Wei"])])
    finally:
        slack.close()
