"""A migrated database per test and the fixture files in each real export format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import Database
from bot.db.migrate import upgrade

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


@pytest.fixture
def database(database_url: str) -> Database:
    db = Database(database_url)
    upgrade(db.engine)
    return db
