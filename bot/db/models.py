"""Imports every table module so Alembic and the tests see the whole schema. A feature adds one line."""

from bot.db import (  # noqa: F401
    ad_campaigns,
    catalog,
    core,
    feedback,
    feedback_lines,
    goals,
    installations,
    kpi,
    launch,
    launch_channels,
    links,
    meetings,
    outbox,
    people,
    promo,
    restock,
    setup,
    standup,
)
