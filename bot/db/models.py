"""Imports every table module so Alembic and the tests see the whole schema. A feature adds one line."""

from bot.db import core, feedback, feedback_lines, installations, kpi, launch, links, outbox, restock, setup, standup  # noqa: F401
