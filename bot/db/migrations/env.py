"""Alembic environment: the engine comes from the caller (bot.db.migrate), never from alembic.ini."""

from alembic import context

import bot.db.models  # noqa: F401 - registers every table on Base.metadata
from bot.db.base import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
