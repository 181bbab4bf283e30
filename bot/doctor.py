"""``opsbot doctor``: one line per check, each failure with its fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import URL, text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, example_values_left, load_settings, packaged_playbooks
from bot.db import Database
from bot.db.migrate import pending
from bot.errors import ConfigError
from bot.manifest import bot_scopes
from bot.ops.team import TeamDirectory
from bot.outbox import outbox_status
from bot.playbooks import load_teams
from bot.reports.chart import font_check
from bot.wiring import FEATURES, load_playbooks

STUCK = timedelta(minutes=10)  # a message waiting longer than this: nobody is sending, or Slack is unreachable


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


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

    checks += _database(chosen)

    teams: TeamDirectory | None = None
    try:
        teams, _ = load_playbooks(chosen, FEATURES, client)
        names = ", ".join(t.id for t in teams.teams)
        checks.append(Check("playbooks", True, f"valid in {chosen.playbooks_dir} (teams: {names})"))
    except ConfigError as exc:
        checks.append(Check("playbooks", False, "; ".join(exc.problems)))
    checks.append(Check("chart font", *font_check()))

    if real_workspace:
        checks += _real_workspace_settings(chosen, teams)
    if chosen.several_workspaces:
        if teams is not None:
            checks.append(_installations(chosen, teams))
    elif chosen.slack_bot_token is None:
        if not real_workspace:
            checks.append(Check("slack", True, "skipped: SLACK_BOT_TOKEN is not set (the console and demo need none)"))
    else:
        web = client or WebClient(token=chosen.slack_bot_token.get_secret_value(), base_url=chosen.slack_api_url)
        checks += _slack(chosen, web, teams if real_workspace else None)
    return checks


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
    if teams is None:
        return checks
    granted = identity.headers.get("x-oauth-scopes") if identity.headers else None
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


def _real_workspace_settings(settings: Settings, teams: TeamDirectory | None) -> list[Check]:
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


def _database(settings: Settings) -> list[Check]:
    """Reachable, current, its outbox flowing. Never creates anything: a SQLite file that is not there yet is
    reported, not made (connecting would make it)."""
    database = Database(settings.database_url)
    url = database.engine.url
    shown_url = url.render_as_string(hide_password=True)
    if sqlite_folder_missing(url) is not None:
        return [Check("database", False, database_problem(url))]
    if (
        url.get_backend_name() == "sqlite"
        and url.database not in (None, "", ":memory:")
        and not Path(str(url.database)).exists()
    ):
        return [Check("database", False, f"no database at {shown_url} yet: `opsbot db upgrade` creates it")]
    checks: list[Check] = []
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks.append(Check("database", True, f"reachable at {shown_url}"))
        missing = pending(database.engine)
        checks.append(
            Check(
                "migrations",
                not missing,
                "current" if not missing else f"{len(missing)} pending: run `opsbot db upgrade`",
            )
        )
        if not missing:
            checks.append(_outbox(database))
    except SQLAlchemyError as exc:
        checks.append(Check("database", False, database_problem(url, exc)))
    finally:
        database.dispose()
    return checks


def sqlite_folder_missing(url: URL) -> Path | None:
    """The folder a SQLite file would be in, when it does not exist: connecting would fail (or, for the file
    itself, quietly create it), so this is asked before connecting."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    folder = Path(url.database).parent
    return None if folder.is_dir() else folder


def database_problem(url: URL, error: Exception | None = None) -> str:
    """Why a database cannot be used, in one line that says which and what to do."""
    folder = sqlite_folder_missing(url)
    if folder is not None:
        return (
            f"the folder {folder} of the SQLite database does not exist: create it, or point DATABASE_URL at a "
            "file in a folder that does"
        )
    reason = str(getattr(error, "orig", None) or error or "")
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    name = url.database or ""
    if f'database "{name}" does not exist' in reason:
        return (
            f"the database {name} does not exist on {where}: create it (`createdb {name}` there), then run "
            "`opsbot db upgrade`; or fix the database name in DATABASE_URL"
        )
    if "authentication failed" in reason or ("role " in reason and "does not exist" in reason):
        return (
            f"the database server at {where} refused user {url.username or '(none)'}: fix the user and "
            "password in DATABASE_URL"
        )
    if "failed to resolve host" in reason:
        return f"the database host {url.host} is unknown: fix the host in DATABASE_URL"
    if url.get_backend_name() == "postgresql":
        return (
            f"cannot reach the database server at {where} ({_first_line(reason)}): start it, or fix the "
            "host and port in DATABASE_URL"
        )
    shown = url.render_as_string(hide_password=True)
    return f"cannot open the database {shown} ({_first_line(reason)}): check the file's permissions and DATABASE_URL"


def _first_line(reason: str) -> str:
    line = reason.strip().splitlines()[0] if reason.strip() else "no reason given"
    return line.rsplit(" failed: ", 1)[-1]


def _outbox(database: Database) -> Check:
    now = datetime.now(UTC)
    status = outbox_status(database, now - timedelta(days=1))
    stuck = status.oldest_waiting is not None and now - status.oldest_waiting > STUCK
    refused = ", ".join(f"{lane}: {error}" for lane, error in status.given_up[:5])
    detail = f"{status.waiting} message(s) waiting"
    if status.oldest_waiting is not None:
        detail += f", the oldest since {status.oldest_waiting:%Y-%m-%d %H:%M} UTC"
    if stuck:
        detail += " — is `opsbot serve` (or `run`) running, and can it reach Slack?"
    if status.given_up:
        detail += (
            f"; {len(status.given_up)} given up in the last day ({refused}): invite the bot to those "
            "channels, or fix what Slack names"
        )
    return Check("outbox", not stuck and not status.given_up, detail)


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
