"""Logs an operator can ship: JSON on request, and no secrets in them."""

from __future__ import annotations

import json
import logging

import pytest

from bot.config import load_settings
from bot.observability import configure_logging


def test_json_logs_are_one_object_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(load_settings(OPSBOT_LOG_FORMAT="json", SLACK_BOT_TOKEN="xoxb-never-logged"))
    try:
        logging.getLogger("bot.test").warning("digest posted for %s", "shenzhen-ops")
        line = capsys.readouterr().err.strip().splitlines()[-1]
        record = json.loads(line)
        assert record["message"] == "digest posted for shenzhen-ops"
        assert record["levelname"] == "WARNING" and record["name"] == "bot.test"
        assert "xoxb-never-logged" not in line
    finally:
        logging.getLogger().handlers.clear()


def test_an_unknown_log_format_is_a_settings_error() -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="OPSBOT_LOG_FORMAT"):
        load_settings(OPSBOT_LOG_FORMAT="xml")
