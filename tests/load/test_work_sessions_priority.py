"""The work process runs at a lower CPU priority so that acks come first when cores are short; on a machine where
PostgreSQL shares those cores, the queries it sends are its work too, done by PostgreSQL's own processes, which
must not compete with the acks' commits at full priority (issue 17: PostgreSQL's rows of the ack benchmark)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.console.emulator import SlackEmulator
from bot.outbox.work_threads import WORK_NICE
from tests.load.conftest import Served, eventually

WORK_PROCESS = """
import os, sys
os.nice(7)  # as the work process lowers itself (WorkProcess.nice)
from bot.db.base import make_engine, sessions_at_this_priority
engine = make_engine(sys.argv[1])
sessions_at_this_priority(engine)
with engine.connect() as connection:
    print(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar(), flush=True)
    sys.stdin.readline()  # the session stays open until the test has looked at it
"""


@pytest.mark.postgres
def test_the_work_processs_postgresql_sessions_run_at_its_lower_priority(postgres_url: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", WORK_PROCESS, postgres_url], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdin is not None
        backend = int(child.stdout.readline())
        assert os.getpriority(os.PRIO_PROCESS, backend) == os.getpriority(os.PRIO_PROCESS, 0) + 7
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(30) == 0
    finally:
        child.kill()


def _priorities_of_sessions(url: str) -> set[int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            backends = connection.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            ).scalars().all()
    finally:
        engine.dispose()
    found = set()
    for backend in backends:
        try:
            found.add(os.getpriority(os.PRIO_PROCESS, backend))
        except ProcessLookupError:  # a session that ended meanwhile
            continue
    return found


@pytest.mark.postgres
def test_a_served_replicas_work_process_sends_its_queries_at_its_priority_and_the_acks_at_theirs(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str
) -> None:
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=1, work_process=True)
    try:
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        # The work process (niced) runs the 09:00 jobs of the frozen clock at once: its sessions show up.
        lowered = min(mine + WORK_NICE, 19)  # the OS's lowest priority is 19
        assert eventually(lambda: lowered in _priorities_of_sessions(postgres_url))
        assert mine in _priorities_of_sessions(postgres_url)  # the answering process's own: at full priority
    finally:
        served.stop()
