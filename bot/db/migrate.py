"""Alembic, driven from code: ``opsbot db upgrade`` applies the migrations; everything else checks they are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from bot.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"
# The key of PostgreSQL's advisory lock that migrating takes: any fixed number no other program on the server uses.
MIGRATION_LOCK_KEY = 0x0B5B_0D0B_0000_0001


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> set[str]:
    """Apply every pending migration; the revisions this call applied. Replicas starting at once each call this:
    one migrates, under the lock, and the others wait for it and then find nothing left to do."""
    with migration_lock(engine):
        applying = pending(engine)
        command.upgrade(alembic_config(engine), "head")
    return applying


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held while migrating, by whoever migrates, across processes and threads."""
    if engine.dialect.name == "postgresql":
        # Session-level, on a connection of its own outside any transaction: Alembic's connection commits
        # its work while this one still holds the lock.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK_KEY)))
            try:
                yield
            finally:
                connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK_KEY)))
    elif engine.url.database and engine.url.database != ":memory:":
        import fcntl

        # SQLite: a file beside the database (SQLite writes its -wal there already), not the database itself:
        # closing a descriptor of the database file would drop the locks SQLite holds on it.
        with Path(f"{engine.url.database}-migrate.lock").open("a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
            yield
    else:
        yield  # an in-memory database belongs to one connection: nobody else can migrate it


def pending(engine: Engine) -> set[str]:
    """Revisions in the code that the database has not applied yet (empty when current)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        applied = MigrationContext.configure(connection).get_current_heads()
    # A database at a revision has applied everything below it, whichever branch it came through.
    done = {r.revision for r in script.iterate_revisions(applied, "base")} if applied else set()
    return {r.revision for r in script.walk_revisions()} - done


def require_current(engine: Engine) -> None:
    """For what must not run on an older schema (serving Slack, the data commands): one line saying what to do."""
    missing = pending(engine)
    if missing:
        count = f"{len(missing)} migration{'' if len(missing) == 1 else 's'}"
        raise ConfigError([f"the database {engine.url.render_as_string(hide_password=True)} has {count} pending: "
                           "run `opsbot db upgrade`"])
