"""SQLite: acks are committed to a journal file of their own, and moved into ``work`` exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.outbox import WorkItem
from bot.outbox.acks import Ack, AckWriter, Outcome
from bot.outbox.journal import JOURNAL_WORK, Mover, journal_url, open_journal
from bot.outbox.work import TRIGGER, WorkQueue


def _ack(n: int) -> Ack:
    return Ack(f"v0=sig{n}", "1795000000", "T0DEMO", f"trigger:{n}", f"n={n}", "form", queue=True, lane=TRIGGER)


def _work(db: Database) -> list[tuple[str, int]]:
    with db.engine.connect() as connection:
        rows = connection.execute(select(WorkItem.body, WorkItem.lane).order_by(WorkItem.id))
        return [(r.body, r.lane) for r in rows]


def test_the_journal_sits_next_to_a_sqlite_file_only(tmp_path: Path) -> None:
    assert journal_url(f"sqlite:///{tmp_path}/opsbot.sqlite3") == f"sqlite:///{tmp_path}/opsbot.sqlite3-acks"
    assert journal_url("postgresql+psycopg://postgres@127.0.0.1/opsbot") is None
    assert journal_url("sqlite:///:memory:") is None


def test_acks_in_the_journal_are_moved_once_even_when_the_journal_kept_them_after_a_crash(tmp_path: Path) -> None:
    main = Database(f"sqlite:///{tmp_path}/opsbot.sqlite3")
    upgrade(main.engine)
    journal, identity = open_journal(f"sqlite:///{tmp_path}/opsbot.sqlite3-acks")
    writer = AckWriter(journal, WorkQueue(journal))  # no mover thread: moved by hand
    mover = Mover(journal, identity, main, wake=lambda: None)
    try:
        assert [writer.write_now(_ack(n)) for n in range(3)] == [Outcome.QUEUED] * 3
        assert mover.waiting()[0] == 3 and _work(main) == []
        # Moved, then "crashed" before the journal forgot them: the rows are put back and moved again.
        with journal.engine.connect() as connection:
            kept = [dict(r._mapping) for r in connection.execute(select(JOURNAL_WORK))]
        assert mover.move() == 3
        with journal.engine.begin() as connection:
            connection.execute(JOURNAL_WORK.insert(), kept)
        assert mover.move() == 3
        assert _work(main) == [("n=0", TRIGGER), ("n=1", TRIGGER), ("n=2", TRIGGER)]  # once each, lane kept
        assert mover.waiting()[0] == 0
        # The journal never reuses an id, so a later request is not mistaken for one moved before.
        with main.engine.begin() as connection:
            connection.execute(delete(WorkItem))
        assert writer.write_now(_ack(3)) is Outcome.QUEUED
        assert mover.move() == 1
        assert _work(main) == [("n=3", TRIGGER)]
    finally:
        writer.stop()
        journal.dispose()
        main.dispose()


@pytest.mark.parametrize("replica", [1, 2])
def test_two_replicas_on_one_sqlite_file_share_the_journal_so_a_replay_to_either_is_refused(
    tmp_path: Path, replica: int
) -> None:
    url = f"sqlite:///{tmp_path}/opsbot.sqlite3-acks"
    first, _ = open_journal(url)
    second, _ = open_journal(url)
    writers = [AckWriter(db, WorkQueue(db)) for db in (first, second)]
    try:
        assert writers[0].write_now(_ack(1)) is Outcome.QUEUED
        assert writers[replica - 1].write_now(_ack(1)) is Outcome.REPLAYED
        with first.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(JOURNAL_WORK)) == 1
    finally:
        for writer in writers:
            writer.stop()
        first.dispose()
        second.dispose()


def test_the_ack_writer_never_checkpoints_the_journal_the_mover_does_and_the_wal_is_reused(tmp_path: Path) -> None:
    # A checkpoint copies the WAL into the file and waits for the disk: taken inside the ack writer's commit (SQLite's
    # automatic one, every 1,000 pages) it held a whole batch of acks. Each ack here is about four pages.
    path = tmp_path / "opsbot.sqlite3-acks"
    journal, identity = open_journal(f"sqlite:///{path}")
    writer = AckWriter(journal, WorkQueue(journal))
    mover = Mover(journal, identity, journal, wake=lambda: None)  # only its checkpoint is used here
    wal = Path(f"{path}-wal")
    body = "x" * 15_000

    def ack(n: int) -> Ack:
        return Ack(f"v0=sig{n}", "1795000000", "T0DEMO", f"trigger:{n}", body, "form", queue=True, lane=TRIGGER)

    try:
        file_before = path.stat().st_size
        for n in range(600):  # about 2,400 pages: SQLite's own checkpoint would have run twice
            assert writer.write_now(ack(n)) is Outcome.QUEUED
        written = wal.stat().st_size
        assert written > 2_000 * 4096  # the WAL holds every commit: nothing was checkpointed by the writer
        assert path.stat().st_size == file_before  # and nothing was copied into the file
        mover.checkpoint()
        assert path.stat().st_size > 600 * 15_000  # the mover copied it
        for n in range(600, 1200):
            assert writer.write_now(ack(n)) is Outcome.QUEUED
        # The WAL started again from its beginning (its size would have doubled): it does not grow for ever.
        assert wal.stat().st_size < 1.2 * written
    finally:
        writer.stop()
        journal.dispose()
