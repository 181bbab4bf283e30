"""``opsbot doctor``'s Slack checks: the token (auth.test), for a real workspace its scopes and channels, and with
several workspaces the app installed in every team's."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.db import Database
from bot.doctor.canvases import canvas_check, latest_refusal
from bot.doctor.check import Check
from bot.manifest import bot_scopes
from bot.ops.team import TeamDirectory
from bot.wiring import FEATURES


def slack_checks(
    settings: Settings, client: WebClient | None, teams: TeamDirectory | None, *, real_workspace: bool
) -> list[Check]:
    if settings.several_workspaces:
        return [_installations(settings, teams)] if teams is not None else []
    if settings.slack_bot_token is None:
        if real_workspace:
            return []
        return [Check("slack", True, "skipped: SLACK_BOT_TOKEN is not set (the console and demo need none)")]
    web = client or WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=settings.slack_api_url)
    return _slack(settings, web, teams if real_workspace else None)


def _slack(settings: Settings, web: WebClient, teams: TeamDirectory | None) -> list[Check]:
    """auth.test with the bot token; for a real workspace (``teams``) also its scopes and its channels."""
    try:
        identity = web.auth_test()
    except SlackApiError as exc:
        return [
            Check(
                "slack",
                False,
                f"auth.test failed ({exc.response.get('error')}): reinstall the app and copy "
                "its Bot User OAuth Token into SLACK_BOT_TOKEN",
            )
        ]
    except OSError as exc:
        return [
            Check(
                "slack",
                False,
                f"cannot reach {settings.slack_api_url} ({exc.__class__.__name__}): check "
                "SLACK_API_URL and the network",
            )
        ]
    checks = [Check("slack", True, f"auth.test ok: bot {identity.get('user')} in {identity.get('team')}")]
    granted = identity.headers.get("x-oauth-scopes") if identity.headers else None
    scopes = {s.strip() for s in str(granted).split(",")} if granted is not None else None
    checks.append(canvas_check(scopes, latest_refusal(settings.database_url)))
    if teams is None:
        return checks
    if granted is None:
        checks.append(Check("scopes", False, "Slack did not say which scopes the token has (no x-oauth-scopes)"))
    else:
        have = {s.strip() for s in str(granted).split(",")}
        missing = [s for s in bot_scopes(FEATURES) if s not in have]
        checks.append(
            Check(
                "scopes",
                not missing,
                "every scope the features need"
                if not missing
                else f"the app was not granted {', '.join(missing)}: reinstall it from the output of "
                "`opsbot manifest` (or add them under OAuth & Permissions and reinstall)",
            )
        )
    checks.append(_channels(web, teams))
    return checks


def _channels(web: WebClient, teams: TeamDirectory) -> Check:
    """Is the bot in every channel team.yml names? A public one it joins itself; a private one needs an invite."""
    problems: list[str] = []
    seen: set[str] = set()
    for team in teams.teams:
        for key, channel_id in team.channels.items():
            if channel_id in seen:
                continue
            seen.add(channel_id)
            try:
                channel = web.conversations_info(channel=channel_id)["channel"]
            except SlackApiError as exc:
                problems.append(f"{key.value}: {channel_id} ({exc.response.get('error')}): check the id in team.yml")
                continue
            if channel.get("is_member"):
                continue
            name = channel.get("name") or key.value
            if channel.get("is_private"):
                problems.append(f"not in the private #{name}: type /invite @Opsbot in #{name}")
            else:
                problems.append(f"not in #{name} (it joins public channels itself when it starts)")
    if problems:
        return Check("channels", False, "; ".join(problems))
    return Check("channels", True, f"the bot is in all {len(seen)} channels")


def _installations(settings: Settings, teams: TeamDirectory) -> Check:
    """Several workspaces: is the app installed in the workspace of every team in team.yml?"""
    assert settings.slack_client_id is not None
    wanted = sorted({t.slack_team_id for t in teams.teams})
    database = Database(settings.database_url)
    store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=database.engine)
    try:
        missing = [w for w in wanted if store.find_bot(enterprise_id=None, team_id=w) is None]
    except SQLAlchemyError as exc:
        return Check(
            "slack", False, f"cannot read the installations ({exc.__class__.__name__}): run `opsbot db upgrade`"
        )
    finally:
        database.dispose()
    if missing:
        return Check(
            "slack",
            False,
            f"not installed in workspace {', '.join(missing)}: open "
            f"{settings.slack_install_path} on your server and add the app there",
        )
    return Check("slack", True, f"installed in every team's workspace ({', '.join(wanted)})")
