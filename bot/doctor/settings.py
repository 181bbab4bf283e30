"""``opsbot doctor --slack``'s settings checks: a real workspace's credentials, and no example value or example
Slack id left in the settings and team.yml."""

from __future__ import annotations

from bot.config import Settings, example_values_left, packaged_playbooks
from bot.doctor.check import Check
from bot.errors import ConfigError
from bot.ops.team import TeamDirectory
from bot.playbooks import load_teams


def real_workspace_settings(settings: Settings, teams: TeamDirectory | None) -> list[Check]:
    """What a real workspace needs that the console does not: credentials, and no example values left."""
    try:
        if settings.several_workspaces:
            settings.require("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
        else:
            settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
        left = example_values_left(settings)
        credentials = Check(
            "credentials",
            not left,
            "set"
            if not left
            else f"{', '.join(left)} still hold the example's placeholder (.env.example): put in the "
            "values from your Slack app's pages",
        )
    except ConfigError as exc:
        credentials = Check("credentials", False, "; ".join(exc.problems))
    checks = [credentials]
    if teams is not None:
        placeholders = example_ids_left(teams)
        checks.append(
            Check(
                "team ids",
                not placeholders,
                "your workspace's own"
                if not placeholders
                else f"team.yml still holds the example's ids ({', '.join(placeholders)}): put in your "
                "people and channels (as @name, an email or #channel-name)",
            )
        )
    return checks


def example_ids_left(teams: TeamDirectory) -> list[str]:
    """Slack ids in the teams that are the example team.yml's placeholders (U0MANAGER, C0OPS, T0DEMO…)."""
    example = load_teams(packaged_playbooks(), env={}).teams[0]
    placeholders = {example.slack_team_id, *(m.user for m in example.members), *example.channels.values()}
    found: list[str] = []
    for team in teams.teams:
        for value in (team.slack_team_id, *(m.user for m in team.members), *team.channels.values()):
            if value in placeholders and value not in found:
                found.append(value)
    return found
