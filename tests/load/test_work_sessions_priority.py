"""The work process runs at a lower CPU priority so that acks come first when cores are short; on a machine where
PostgreSQL shares those cores, the queries it sends are its work too, done by PostgreSQL's own processes, which
must not compete with the acks' commits at full priority (issue 17: PostgreSQL's rows of the ack benchmark)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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
