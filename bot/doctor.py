"""``opsbot doctor``: one line per check, each failure with its fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, load_settings
from bot.db import Database
from bot.db.migrate import pending
from bot.errors import ConfigError
from bot.ops.team import TeamDirectory
from bot.outbox import outbox_status
from bot.reports.chart import font_check
from bot.wiring import FEATURES, load_playbooks

STUCK = timedelta(minutes=10)  # a message waiting longer than this: nobody is sending, or Slack is unreachable


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(settings: Settings | None = None, client: WebClient | None = None) -> list[Check]:
    checks: list[Check] = []
    try:
        chosen = settings or load_settings()
    except ConfigError as exc:
        return [Check("settings", False, "; ".join(exc.problems))]
    checks.append(Check("settings", True, "loaded"))

    database = Database(chosen.database_url)
    shown_url = database.engine.url.render_as_string(hide_password=True)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks.append(Check("database", True, f"reachable at {shown_url}"))
        missing = pending(database.engine)
        checks.append(
            Check("migrations", not missing,
                  "current" if not missing else f"{len(missing)} pending: run `opsbot db upgrade`")
        )
        if not missing:
            checks.append(_outbox(database))
    except SQLAlchemyError as exc:
        checks.append(Check("database", False, f"cannot connect to {shown_url} ({exc.__class__.__name__}): "
                                               "check DATABASE_URL and that the server is running"))
    finally:
        database.dispose()

    teams: TeamDirectory | None = None
    try:
        teams, _ = load_playbooks(chosen, FEATURES)
        names = ", ".join(t.id for t in teams.teams)
        checks.append(Check("playbooks", True, f"valid in {chosen.playbooks_dir} (teams: {names})"))
    except ConfigError as exc:
        checks.append(Check("playbooks", False, "; ".join(exc.problems)))
    checks.append(Check("chart font", *font_check()))

    if chosen.several_workspaces:
        if teams is not None:
            checks.append(_installations(chosen, teams))
    elif chosen.slack_bot_token is None:
        checks.append(Check("slack", True, "skipped: SLACK_BOT_TOKEN is not set (the console and demo need none)"))
    else:
        web = client or WebClient(token=chosen.slack_bot_token.get_secret_value(), base_url=chosen.slack_api_url)
        try:
            identity = web.auth_test()
            checks.append(Check("slack", True, f"auth.test ok: bot {identity.get('user')} in {identity.get('team')}"))
        except SlackApiError as exc:
            checks.append(Check("slack", False, f"auth.test failed ({exc.response.get('error')}): reinstall the app "
                                                "and copy its Bot User OAuth Token into SLACK_BOT_TOKEN"))
        except OSError as exc:
            checks.append(Check("slack", False, f"cannot reach {chosen.slack_api_url} ({exc.__class__.__name__}): "
                                                "check SLACK_API_URL and the network"))
    return checks


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
        detail += f"; {len(status.given_up)} given up in the last day ({refused}): invite the bot to those " \
                  "channels, or fix what Slack names"
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
        return Check("slack", False, f"cannot read the installations ({exc.__class__.__name__}): "
                                     "run `opsbot db upgrade`")
    finally:
        database.dispose()
    if missing:
        return Check("slack", False, f"not installed in workspace {', '.join(missing)}: open "
                                     f"{settings.slack_install_path} on your server and add the app there")
    return Check("slack", True, f"installed in every team's workspace ({', '.join(wanted)})")
