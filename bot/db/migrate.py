"""Alembic, driven from code: ``opsbot db upgrade``, the demo's and console's own databases, doctor's check."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def pending(engine: Engine) -> set[str]:
    """Revisions in the code that the database has not applied yet (empty when current)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        applied = MigrationContext.configure(connection).get_current_heads()
    # A database at a revision has applied everything below it, whichever branch it came through.
    done = {r.revision for r in script.iterate_revisions(applied, "base")} if applied else set()
    return {r.revision for r in script.walk_revisions()} - done
