"""Logs an operator can ship: JSON on request, and no secrets in them."""

from __future__ import annotations

import json
import logging
import math
import threading
from pathlib import Path

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


def test_work_queue_depth_and_age_read_nan_while_the_database_is_away(tmp_path: Path) -> None:
    from bot.db import Database
    from bot.observability import REGISTRY, watch_work
    from bot.outbox.work import WorkQueue

    away = WorkQueue(Database(f"sqlite:///{tmp_path / 'no-such-dir' / 'opsbot.sqlite3'}"))
    watch_work(away.depth)
    assert math.isnan(REGISTRY.get_sample_value("opsbot_work_depth") or 0.0)
    assert math.isnan(REGISTRY.get_sample_value("opsbot_work_oldest_seconds") or 0.0)


def test_work_threads_say_the_database_is_away_in_one_line_not_a_traceback_a_pass(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.db import Database
    from bot.outbox.work import WorkQueue
    from bot.outbox.work_threads import WorkWorker

    away = WorkQueue(Database(f"sqlite:///{tmp_path / 'no-such-dir' / 'opsbot.sqlite3'}"))
    worker = WorkWorker(away, lambda _request: None, threads=2, idle_seconds=0.01)
    passes = threading.Semaphore(0)
    claim = away.claim

    def counted(finished: object = None, **kwargs: bool) -> object:
        passes.release()
        return claim(**kwargs)

    away.claim = counted  # type: ignore[method-assign,assignment]
    with caplog.at_level(logging.WARNING):
        worker.start()
        assert all(passes.acquire(timeout=10) for _ in range(20))  # twenty passes, each finding it away
        worker.stop()
    lines = [r for r in caplog.records if r.name == "bot.outbox.work"]
    assert len(lines) == 1 and "database is unreachable" in lines[0].getMessage()
    assert lines[0].exc_info is None
