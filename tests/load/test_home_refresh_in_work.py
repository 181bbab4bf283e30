"""Under ``opsbot serve`` an App Home a form's answer changed is built and published by the work process, not by
the process that answers (issue 17): its build (the goals section's KPI report, pandas work) would hold the
interpreter lock the next answer needs. The refresh is a row of the work queue written in the form's own
transaction: one waits per person at a time, it shows the latest state when it runs, and it is not lost if the
answering replica stops before anything ran it.

Home building is held at a gate (shared across the fork) until the test opens it: an answer that waited on it
would wait for a release that comes only after the answer, and fail on the HTTP client's timeout.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.console.emulator import SlackEmulator
from bot.db import Database
from bot.db.outbox import WorkItem
from bot.flows import home
from bot.outbox.work import HOME, Request, WorkQueue
from bot.outbox.work_threads import WorkProcess, WorkWorker
from tests.e2e.test_form_answer_first import standup_form, submit
from tests.load.conftest import Served, eventually

BLOCKERS = ("Factory QC report missing", "Carrier claim form lost")


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Path]]:
    """Every Home build waits at the gate; who built which Home (process id, person) is written to a file."""
    opened = multiprocessing.get_context("fork").Event()
    built_by = tmp_path / "built_by"
    real = home.home_view_for

    def held(ctx: Any, user: str, slack_team_id: str | None = None) -> dict[str, Any]:
        with built_by.open("a") as record:
            record.write(f"{os.getpid()} {threading.current_thread().name} {user}\n")
        opened.wait(60)
        return real(ctx, user, slack_team_id)

    monkeypatch.setattr(home, "home_view_for", held)
    yield opened, built_by
    opened.set()


def forms(served: Served) -> tuple[dict[str, Any], dict[str, Any]]:
    for member in served.services.context.teams.teams[0].members:  # who everyone is, known before answering
        served.services.context.people.profile(member.user)
    buyer = standup_form(served.services, "U0BUYER", yesterday="PO 4711 sent", today="Call the supplier",
                         blockers=BLOCKERS[0])
    cs = standup_form(served.services, "U0CS", yesterday="Answered tickets", today="Refund queue",
                      blockers=BLOCKERS[1])
    return buyer, cs


def waiting_refreshes(served: Served) -> Counter[str]:
    """Home refreshes queued and not yet taken, by person."""
    with served.services.db.engine.connect() as connection:
        rows = connection.execute(
            select(WorkItem.body).where(WorkItem.lane == HOME, WorkItem.owner.is_(None))
        ).scalars().all()
    return Counter(json.loads(body)["user"] for body in rows)


def shows(slack: SlackEmulator, user: str, *blockers: str) -> bool:
    """The last Home published for ``user`` shows these blockers."""
    published = [r for r in slack.records if r.kind == "home" and r.user == user]
    return bool(published) and all(b in json.dumps(published[-1].view, ensure_ascii=False) for b in blockers)


def built(built_by: Path) -> list[tuple[int, str, str]]:
    """Each Home build: the process, the thread and whose Home."""
    if not built_by.exists():
        return []
    lines = (line.split() for line in built_by.read_text().splitlines())
    return [(int(pid), thread, user) for pid, thread, user in lines]


def test_two_answers_while_homes_are_slow_are_answered_at_once_and_the_work_process_publishes_the_latest(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, gate: tuple[Any, Path]
) -> None:
    opened, built_by = gate
    served = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
    try:
        buyer, cs = forms(served)
        assert submit(served, "U0BUYER", buyer) == {}  # closed, with every Home build held
        assert submit(served, "U0CS", cs) == {}
        assert not [r for r in emulator.records if r.kind == "home"]  # every build still held
        assert all(n == 1 for n in waiting_refreshes(served).values())  # never two waiting for one person

        opened.set()
        assert eventually(lambda: served.front.depth()[0] == 0 and shows(emulator, "U0MANAGER", *BLOCKERS)
                          and shows(emulator, "U0BUYER", BLOCKERS[0]) and shows(emulator, "U0CS", BLOCKERS[1]),
                          timeout=60)
        assert served.front.settle(timeout=30)
        by_work = Counter(user for pid, _, user in built(built_by) if pid != os.getpid())
        assert 1 <= by_work["U0MANAGER"] <= 2  # one refresh, or two if the first was taken in between
        assert by_work["U0BUYER"] == by_work["U0CS"] == 1
        # The answering process built none: only its scheduler may have (the frozen clock's 9 a.m. KPI digest).
        assert not [b for b in built(built_by) if b[0] == os.getpid() and b[1].startswith("opsbot-")]
    finally:
        opened.set()
        served.stop()


def test_a_refresh_queued_by_an_answer_is_published_after_the_answering_replica_stops(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str, gate: tuple[Any, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened, built_by = gate
    opened.set()
    with monkeypatch.context() as patch:
        patch.setattr(WorkProcess, "start", lambda self: None)  # its work process never runs: it died
        first = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
        try:
            buyer, cs = forms(first)
            assert submit(first, "U0BUYER", buyer) == {}
            assert submit(first, "U0CS", cs) == {}
            assert first.front.settle(timeout=30)
            assert waiting_refreshes(first) == Counter({"U0BUYER": 1, "U0CS": 1, "U0MANAGER": 1})
        finally:
            first.stop()
    assert not [b for b in built(built_by) if b[1].startswith("opsbot-")]  # the answering side built none

    second = Served(emulator, playbooks_dir, database_url, work_threads=1, work_process=True)
    try:
        assert eventually(lambda: second.front.depth()[0] == 0 and shows(emulator, "U0MANAGER", *BLOCKERS)
                          and shows(emulator, "U0CS", BLOCKERS[1]), timeout=60)
        by_work = Counter(user for pid, _, user in built(built_by) if pid != os.getpid())
        assert by_work == Counter({"U0BUYER": 1, "U0CS": 1, "U0MANAGER": 1})  # each once, by the new work process
        assert waiting_refreshes(second) == Counter()
    finally:
        second.stop()


def test_one_home_is_built_at_a_time_while_the_others_wait_unclaimed_and_gather_changes(
    database_on_both: Database,
) -> None:
    """A work process builds one Home at a time (CPU work under one interpreter lock); the refreshes behind it wait
    unclaimed, so a change asked for meanwhile joins the one waiting instead of queuing a second."""
    queue = WorkQueue(database_on_both)
    with database_on_both.engine.begin() as connection:
        for user in ("U0MANAGER", "U0BUYER", "U0CS"):
            assert queue.add_home_within(connection, "T0DEMO", json.dumps({"user": user}))
    assert queue.add("T0DEMO", "trigger:1.U0BUYER", "command=/ops&text=help", "application/x-www-form-urlencoded")
    gate, running, seen, lock = threading.Event(), Counter[str](), Counter[str](), threading.Lock()
    most = [0]

    def run(request: Request) -> None:
        kind = "home" if request.lane == HOME else "request"
        with lock:
            running[kind] += 1
            seen[kind] += 1
            most[0] = max(most[0], running["home"])
        if kind == "home":
            gate.wait(30)
        with lock:
            running[kind] -= 1

    worker = WorkWorker(queue, run, threads=4, idle_seconds=0.05)
    worker.start()
    try:
        assert eventually(lambda: seen["request"] == 1 and seen["home"] == 1)  # the command is not held back
        with database_on_both.engine.begin() as connection:  # the manager's Home changes again meanwhile
            waiting = connection.execute(
                select(WorkItem.body).where(WorkItem.lane == HOME, WorkItem.owner.is_(None))
            ).scalars().all()
            again = queue.add_home_within(connection, "T0DEMO", json.dumps({"user": "U0MANAGER"}))
        assert len(waiting) == 2  # two wait unclaimed behind the one being built
        assert again is (json.dumps({"user": "U0MANAGER"}) not in waiting)  # joins the manager's if it waits
        gate.set()
        assert eventually(lambda: queue.depth()[0] == 0)
    finally:
        gate.set()
        worker.stop()
    assert most[0] == 1 and seen["home"] == 3 + again
