"""Under `opsbot serve` the scheduler and the outbox's senders run in the work process, not in the one that answers.

Issue 17: the ack never waits on slow work; everything else runs after the ack on its own capacity. The scheduler's
ticks (the 9 a.m. KPI digest, which republishes App Homes with pandas) and the senders' passes are Python work
under one interpreter lock: run in the answering process they competed with the acks of a rush. They now start in
the work process, after it opened its own database connections, and /readyz learns from that process whether they
run: a work process that died, or a scheduler that stopped in it, is a replica that is not ready.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.console.emulator import SlackEmulator
from bot.db.core import JobFire
from bot.db.outbox import SENT, OutboxMessage
from bot.observability import metrics_of_this_run
from bot.outbox.core import Outbox
from bot.outbox.work_threads import WorkProcess
from bot.scheduler import Scheduler
from tests.load.conftest import Served, eventually


def _noted(log: Path, what: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original``, noting in ``log`` which process (and whose child) ran it each time."""

    def noting(*args: Any, **kwargs: Any) -> Any:
        with log.open("a") as out:
            out.write(f"{what} {os.getpid()} {os.getppid()} {threading.current_thread().name}\n")
        return original(*args, **kwargs)

    return noting


def _runs(log: Path, what: str) -> list[tuple[int, int, str]]:
    if not log.exists():
        return []
    lines = (line.split() for line in log.read_text().splitlines())
    return [(int(pid), int(parent), thread) for kind, pid, parent, thread in lines if kind == what]


def _count(database_url: str, table: type[JobFire] | type[OutboxMessage], state: str | None = None) -> int:
    """Fires claimed, or messages (in ``state``), as the database has them."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(table)
            if state is not None:
                query = query.where(OutboxMessage.state == state)
            return int(connection.scalar(query) or 0)
    finally:
        engine.dispose()


def _work_process() -> multiprocessing.process.BaseProcess:
    (child,) = [c for c in multiprocessing.active_children() if c.name == "opsbot-work"]
    return child


def test_the_scheduler_ticks_and_the_outbox_sends_in_the_work_process_not_in_the_answering_one(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "ran-in"
    monkeypatch.setattr(Scheduler, "tick", _noted(log, "tick", Scheduler.tick))
    monkeypatch.setattr(Outbox, "send_due", _noted(log, "send", Outbox.send_due))
    served = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
    try:
        # The frozen clock stands at Monday 09:00 in Shenzhen: the first tick runs the 09:00 jobs.
        assert eventually(lambda: _runs(log, "tick") and _runs(log, "send"))
        child = _work_process()
        assert {pid for pid, _, _ in _runs(log, "tick")} == {child.pid}
        assert {pid for pid, _, _ in _runs(log, "send")} == {child.pid}
        assert all(parent == os.getpid() for _, parent, _ in _runs(log, "tick") + _runs(log, "send"))
        assert served.metric("opsbot_outbox_depth") >= 0  # still read when scraped, by the answering process
    finally:
        served.stop()
    assert not [pid for pid, _, _ in _runs(log, "tick") + _runs(log, "send") if pid == os.getpid()]


def test_readyz_says_not_ready_once_the_work_process_is_gone(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str
) -> None:
    served = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
    try:
        ready = httpx.get(f"{served.base}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json() == {"ok": True, "database": True, "migrations": True, "scheduler": True, "outbox": True}

        child = _work_process()
        os.kill(child.pid or 0, signal.SIGKILL)  # an out-of-memory kill, say
        child.join(30)

        ready = httpx.get(f"{served.base}/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json() == {"ok": False, "database": True, "migrations": True, "scheduler": False, "outbox": False}
    finally:
        served.stop()


class _Threads:
    """Work threads that take nothing: the work process's background is what is watched here."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


class _Background:
    """A scheduler and senders that note, in files, in which process they started and stopped; the scheduler
    stops when the test writes ``scheduler-stopped``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def start_background(self) -> None:
        (self.folder / "started").write_text(str(os.getpid()))

    def stop_background(self, wait: bool = False) -> None:
        (self.folder / "stopped").write_text(f"{os.getpid()} {wait}")

    def background_running(self) -> dict[str, bool]:
        started = (self.folder / "started").exists() and not (self.folder / "stopped").exists()
        return {"scheduler": started and not (self.folder / "scheduler-stopped").exists(), "outbox": started}


def test_the_work_process_reports_its_scheduler_stopping_and_stops_its_background_on_sigterm(tmp_path: Path) -> None:
    process = WorkProcess(_Threads(), after_fork=lambda: None, background=_Background(tmp_path))  # type: ignore[arg-type]
    assert process.background() == {"scheduler": False, "outbox": False}  # not started yet
    process.start()
    try:
        assert process.background() == {"scheduler": True, "outbox": True}  # started once start() returns
        assert int((tmp_path / "started").read_text()) != os.getpid()

        (tmp_path / "scheduler-stopped").touch()
        assert eventually(lambda: process.background() == {"scheduler": False, "outbox": True})
    finally:
        process.stop()  # SIGTERM
    stopped_in, waited = (tmp_path / "stopped").read_text().split()
    assert int(stopped_in) not in (0, os.getpid())  # stopped in the work process
    assert waited == "True"  # a tick at work finished before it exits, not cut off half-way
    assert process.background() == {"scheduler": False, "outbox": False}


def test_the_fires_and_sends_of_the_work_process_are_counted_on_metrics(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str
) -> None:
    with metrics_of_this_run():
        served = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
        try:
            # The 09:00 tick's fires and the messages they sent, counted in the work process, summed on /metrics
            # with what the answering process counted (none of either: it runs neither).
            assert eventually(
                lambda: _count(database_url, JobFire) > 0 and _count(database_url, OutboxMessage, SENT) > 0
            )
            assert eventually(lambda: served.metric("opsbot_scheduled_fires_total") == _count(database_url, JobFire))
            assert eventually(
                lambda: served.metric("opsbot_outbox_sent_total") == _count(database_url, OutboxMessage, SENT)
            )
        finally:
            served.stop()
