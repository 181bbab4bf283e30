"""Imports every table module so Alembic and the tests see the whole schema. A feature adds one line."""

import bot.db.meetings  # noqa: F401
from bot.db import core, feedback, installations, kpi, launch, links, outbox, restock, setup, standup  # noqa: F401
