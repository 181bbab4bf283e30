"""The console with the team and every person in one language (as tests/i18n's ``speakers``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from bot.console.session import WORKSPACE_FILE, ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN

Speakers = Callable[[str], ConsoleSlack]


@pytest.fixture
def speakers(playbooks_dir: Path, tmp_path: Path) -> Iterator[Speakers]:
    """``speakers("zh-TW")``: the team's language and every person's Slack locale set to it."""
    opened: list[ConsoleSlack] = []

    def start(language: str) -> ConsoleSlack:
        team_file = playbooks_dir / "team.yml"
        team = yaml.safe_load(team_file.read_text(encoding="utf-8"))
        team["language"] = language
        team_file.write_text(yaml.safe_dump(team, allow_unicode=True), encoding="utf-8")
        workspace = yaml.safe_load(WORKSPACE_FILE.read_text(encoding="utf-8"))
        for user in workspace["users"]:
            user["locale"] = language
        workspace_file = tmp_path / f"workspace-{language}.yml"
        workspace_file.write_text(yaml.safe_dump(workspace, allow_unicode=True), encoding="utf-8")
        slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=f"sqlite:///{tmp_path / language}.sqlite3",
                             start=MONDAY_9AM_SHENZHEN, workspace_file=workspace_file)
        opened.append(slack)
        return slack

    yield start
    for slack in opened:
        slack.close()
