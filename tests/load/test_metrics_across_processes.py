"""/metrics under `opsbot serve` shows what the work process counted, summed with the serving process.

Issue 17: the listeners run in a forked work process, so the commands it handled, the errors it answered and
the messages it sent were counted there and never reached /metrics. `opsbot serve` now counts in a directory
of the run's own (prometheus_client's multiprocess mode) and /metrics sums every process's counts.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import generate_latest

from bot.console.emulator import SlackEmulator
from bot.observability import ERRORS, OUTBOX_SENT, REGISTRY, metrics_of_this_run
from tests.load.conftest import Served, command, eventually


@pytest.fixture
def run_directory() -> Iterator[str]:
    with metrics_of_this_run() as directory:
        yield directory
    assert not Path(directory).exists()  # the run's own directory goes with it


def shown(name: str, text: str) -> float | None:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


def _count_in_a_child() -> None:
    OUTBOX_SENT.inc(3)
    ERRORS.labels(kind="user").inc()


def test_a_counter_incremented_in_a_forked_child_shows_in_metrics_summed(run_directory: str) -> None:
    OUTBOX_SENT.inc(2)
    child = multiprocessing.get_context("fork").Process(target=_count_in_a_child)
    child.start()
    child.join(30)
    assert child.exitcode == 0
    metrics = generate_latest(REGISTRY).decode()
    assert shown("opsbot_outbox_sent_total", metrics) == 5.0  # 2 here and 3 in the child, which has ended
    assert shown('opsbot_errors_total{kind="user"}', metrics) == 1.0


def test_serve_shows_the_errors_its_work_process_answered(
    run_directory: str, emulator: SlackEmulator, playbooks_dir: Path, database_url: str
) -> None:
    served = Served(emulator, playbooks_dir, database_url, work_threads=2, work_process=True)
    try:
        for _ in range(3):  # refused in the work process: an OpsError answered privately
            assert served.post(command("NO-SUCH-SKU 40", emulator.new_response_url("C0OPS", "U0BUYER"),
                                       name="/restock")).status_code == 200
        assert eventually(lambda: len([r for r in emulator.records if r.kind == "ephemeral"]) == 3)
        assert eventually(lambda: served.metric('opsbot_errors_total{kind="user"}') == 3.0)
        assert served.metric('opsbot_commands_total{command="/restock"}') == 3.0  # counted at the ack, once each
    finally:
        served.stop()
