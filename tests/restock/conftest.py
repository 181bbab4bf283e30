"""Restock tests also run as a Chinese-speaking team (the fixture lives with the i18n tests)."""

from tests.i18n.conftest import speakers  # noqa: F401
