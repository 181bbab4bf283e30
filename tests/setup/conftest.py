"""A team that exists only by its id, name and workspace: what a team writes before it is set up with /ops setup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN

# Nothing a manager would need Slack ids for.
NEW_TEAM = """\
id: shenzhen-ops
name: Shenzhen Ops
slack_team_id: T0DEMO
"""


@pytest.fixture
def new_team(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """The console Slack on that team, the manager typing in #ops."""
    (playbooks_dir / "team.yml").write_text(NEW_TEAM, encoding="utf-8")
    slack = ConsoleSlack(
        playbooks_dir=playbooks_dir,
        database_url=database_url,
        start=MONDAY_9AM_SHENZHEN,
        as_user="U0MANAGER",
        in_channel="C0OPS",
    )
    try:
        yield slack
    finally:
        slack.close()
