"""``opsbot doctor``: one line per check, each failure with its fix.

The checks by concern: the settings a real workspace needs (``settings``), the database (``database``), the
playbooks (``playbooks``) and Slack (``slack``)."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.config import Settings, load_settings
from bot.doctor.check import Check
from bot.doctor.database import database_checks, database_problem, sqlite_folder_missing
from bot.doctor.playbooks import playbook_checks
from bot.doctor.settings import example_ids_left, real_workspace_settings
from bot.doctor.slack import slack_checks
from bot.errors import ConfigError

__all__ = ["Check", "database_problem", "example_ids_left", "run_checks", "sqlite_folder_missing"]


def run_checks(
    settings: Settings | None = None, client: WebClient | None = None, *, real_workspace: bool = False
) -> list[Check]:
    """Every check, in order. ``real_workspace`` (``doctor --slack``): the settings must be for a real Slack, with
    no example value left, and the token's scopes and the bot's channels are checked there too."""
    checks: list[Check] = []
    try:
        chosen = settings or load_settings()
    except ConfigError as exc:
        return [Check("settings", False, "; ".join(exc.problems))]
    checks.append(Check("settings", True, "loaded"))
    checks += database_checks(chosen)
    teams, found = playbook_checks(chosen, client)
    checks += found
    if real_workspace:
        checks += real_workspace_settings(chosen, teams)
    checks += slack_checks(chosen, client, teams, real_workspace=real_workspace)
    return checks
