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


def test_a_home_button_is_clicked_by_its_text_and_an_invitation_shows(console: ConsoleSlack) -> None:
    """After !home, a button of the Home is found by its text as a message's is; inviting people shows as a line."""
    from tests.home.test_launch_home_e2e import redate_sampling
    from tests.launch.test_launch_e2e import start_launch

    shown = start_launch(console)
    invitation = next(line for line in shown.splitlines() if line.startswith("── invited "))
    assert invitation.endswith(" to #launch-led-desk-lamp") and "@Chen Jie" in invitation
    redate_sampling(console)
    converse(console, [("!as U0BUYER\n!home", ["── App Home of Chen Jie", "Done ✓"])])
    converse(console, [("!click Done ✓", ["“Open dependencies”", "Tick anyway"])])
