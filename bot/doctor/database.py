"""``opsbot doctor``'s database checks: reachable, its migrations current, its outbox flowing; and the one-line
reason a database cannot be used, which every command prints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import URL, text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.db import Database
from bot.db.migrate import pending
from bot.doctor.check import Check
from bot.outbox import outbox_status

STUCK = timedelta(minutes=10)  # a message waiting longer than this: nobody is sending, or Slack is unreachable


def database_checks(settings: Settings) -> list[Check]:
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
