"""Alembic, driven from code: ``opsbot db upgrade``, the automatic upgrade at start, and doctor's check."""

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
    # "heads": each feature's migration may branch from the foundation; all are applied.
    command.upgrade(alembic_config(engine), "heads")


def pending(engine: Engine) -> set[str]:
    """Revisions in the code that the database has not applied yet (empty when current)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    wanted = set(script.get_heads())
    missing: set[str] = set()
    for head in wanted - applied:
        for revision in script.iterate_revisions(head, "base"):
            if revision.revision in applied:
                break
            missing.add(revision.revision)
    return missing
