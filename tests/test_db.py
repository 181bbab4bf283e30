"""Storage: migrations on a real SQLite file and a real PostgreSQL; audit rows; aware UTC times."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text

from bot.db import Database
from bot.db.audit import history, record
from bot.db.core import JobFire
from bot.db.migrate import pending, upgrade

FOUNDATION_TABLES = {"processed_deliveries", "job_fires", "audit_log", "alembic_version"}


def _migrated(url: str) -> Database:
    database = Database(url)
    assert pending(database.engine)  # a new database has everything to apply
    upgrade(database.engine)
    assert pending(database.engine) == set()
    return database


def _audit_round_trip(database: Database) -> None:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    with database.transaction() as session:
        record(session, team_id="shenzhen-ops", entity="restock", entity_id="R-1", actor="U0BUYER", at=at,
               from_state="requested", to_state="approved", note="within budget")
    with database.transaction() as session:
        rows = history(session, "shenzhen-ops", "restock", "R-1")
        assert [(r.actor, r.from_state, r.to_state, r.note) for r in rows] == [
            ("U0BUYER", "requested", "approved", "within budget")
        ]
        assert rows[0].at == at and rows[0].at.tzinfo is not None
        assert rows[0].at.utcoffset() == timedelta(0)


def test_sqlite_file_migrates_in_wal_mode_and_keeps_audit_rows(database_url: str) -> None:
    database = _migrated(database_url)
    assert set(inspect(database.engine).get_table_names()) >= FOUNDATION_TABLES
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    _audit_round_trip(database)
    upgrade(database.engine)  # applying again is harmless
    database.dispose()


@pytest.mark.postgres
def test_postgresql_migrates_and_keeps_audit_rows(postgres_url: str) -> None:
    database = _migrated(postgres_url)
    assert set(inspect(database.engine).get_table_names()) >= FOUNDATION_TABLES
    _audit_round_trip(database)
    database.dispose()


def test_a_failed_transaction_leaves_nothing_behind(database_url: str) -> None:
    database = _migrated(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with pytest.raises(RuntimeError), database.transaction() as session:
        session.add(JobFire(team_id="t", job_id="j", fire_time=now, claimed_at=now, claimed_by="me"))
        session.flush()
        raise RuntimeError("boom")
    with database.transaction() as session:
        assert session.scalars(select(JobFire)).all() == []
    database.dispose()


def test_a_transaction_opened_inside_another_joins_it_and_what_waits_for_the_commit_runs_once_after(
    database_url: str,
) -> None:
    database = _migrated(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    ran: list[str] = []

    def fire(job: str) -> JobFire:
        return JobFire(team_id="t", job_id=job, fire_time=now, claimed_at=now, claimed_by="me")

    with database.transaction() as outer:
        outer.add(fire("a"))
        with database.transaction() as inner:  # a helper that opens its own: the same transaction
            assert inner is outer
            inner.add(fire("b"))
            database.after_commit(lambda: ran.append("announce"), once="announce")
            database.after_commit(lambda: ran.append("announce again"), once="announce")
        assert ran == []  # the inner block's end commits nothing
        elsewhere: list[object] = []
        thread = threading.Thread(target=lambda: elsewhere.append(database.current()))
        thread.start()
        thread.join()
        assert elsewhere == [None]  # another thread never joins it
    assert ran == ["announce"]

    with pytest.raises(RuntimeError), database.transaction() as outer:
        outer.add(fire("c"))
        with database.transaction() as inner:
            inner.add(fire("d"))
            database.after_commit(lambda: ran.append("never"))
        raise RuntimeError("the change failed after its helper finished")
    with database.transaction() as session:
        assert sorted(session.scalars(select(JobFire.job_id))) == ["a", "b"]
    assert ran == ["announce"] and database.current() is None and not database.after_commit(lambda: None)
    database.dispose()


def test_naive_datetimes_are_refused_rather_than_guessed(database_url: str) -> None:
    database = _migrated(database_url)
    with pytest.raises(Exception, match="naive datetime"), database.transaction() as session:
        naive = datetime(2026, 11, 23, 9, 0)
        session.add(JobFire(team_id="t", job_id="j", fire_time=naive, claimed_at=naive, claimed_by="me"))
        session.flush()
    database.dispose()


def _schema_drift(database: Database) -> list[object]:
    """What the migrated database lacks or has beyond the models the code queries (empty when in step)."""
    import importlib
    import pkgutil

    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import bot.db
    from bot.db.base import Base

    for module in pkgutil.iter_modules(bot.db.__path__):
        importlib.import_module(f"bot.db.{module.name}")
    with database.engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_the_migrations_build_exactly_the_tables_the_code_uses_on_sqlite(database_url: str) -> None:
    database = _migrated(database_url)
    assert _schema_drift(database) == []
    database.dispose()


@pytest.mark.postgres
def test_the_migrations_build_exactly_the_tables_the_code_uses_on_postgresql(postgres_url: str) -> None:
    database = _migrated(postgres_url)
    assert _schema_drift(database) == []
    database.dispose()


def test_feedback_cards_posted_before_destinations_were_kept_get_their_channel(database_url: str) -> None:
    from alembic import command

    from bot.db.migrate import alembic_config

    database = Database(database_url)
    command.upgrade(alembic_config(database.engine), "0006_feedback")
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO feedback_items (id, team_id, reporter, text, source_private, share_publicly, category, urgent,"
            " roles_json, state, count, created_at, updated_at) VALUES (1, 't', 'U1', 'cracked', 0, 1, 'quality', 0,"
            " '[\"purchasing\"]', 'new', 1, '2026-11-23 01:00:00', '2026-11-23 01:00:00')"))
        connection.execute(text(
            "INSERT INTO feedback_cards (team_id, item_id, channel, ts) VALUES ('t', 1, 'C0PURCHASING', '1.0')"))
    upgrade(database.engine)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT destination FROM feedback_cards")).scalar() == "#C0PURCHASING"
    database.dispose()
