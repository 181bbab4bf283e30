"""A migrated database per test and the fixture files in each real export format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


