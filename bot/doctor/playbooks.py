"""``opsbot doctor``'s playbook checks: every playbook valid (people and channels named in team.yml resolved, or
waiting for their workspace's install, said here), and the chart's font for Chinese legends."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings
from bot.doctor.check import Check
from bot.errors import ConfigError
from bot.ops.goals_playbook import load_playbook as load_goals
from bot.ops.goals_playbook import unknown_owners
from bot.ops.team import TeamDirectory
from bot.people import TeamNames
from bot.reports.chart import font_check
from bot.wiring import FEATURES, load_playbooks


def playbook_checks(settings: Settings, client: WebClient | None) -> tuple[TeamDirectory | None, list[Check]]:
    """The teams when the playbooks are valid (None when not), and the lines to show."""
    teams: TeamDirectory | None = None
    checks: list[Check] = []
    names = TeamNames.for_settings(settings, client)
    try:
        teams, _ = load_playbooks(settings, FEATURES, client, names)
        ids = ", ".join(t.id for t in teams.teams)
        waiting = "".join(f"; {line}" for line in names.waiting())
        checks.append(Check("playbooks", True, f"valid in {settings.playbooks_dir} (teams: {ids}){waiting}"))
        goals = load_goals(settings.playbooks_dir)
        waiting_goals = unknown_owners(goals, teams)
        if waiting_goals:  # not a failure: people set up in Slack join after team.yml is read
            checks.append(Check("goals", True, "waiting for their owners to join a team: " + "; ".join(waiting_goals)))
    except ConfigError as exc:
        checks.append(Check("playbooks", False, "; ".join(exc.problems)))
    checks.append(Check("chart font", *font_check()))
    return teams, checks
