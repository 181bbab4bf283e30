"""Migrations: one linear history that databases at the old branch heads join, applied once under a lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.db import Database
from bot.db.audit import history, record
from bot.db.migrate import alembic_config, pending, require_current, upgrade
from bot.errors import ConfigError
from tests.test_db import _schema_drift

# Where every deployed database stood before the history became one line: each feature's branch applied.
OLD_HEADS = ("0003_standup", "0004_restock", "0005_launch", "0008_installations", "0009_replays", "0010_fact_keys",
             "0011_outbox")
# The migrations after the join, in a line.
AFTER = ("0013_sales_periods", "0014_sku_first_day", "0015_standup_record", "0016_launch_decisions", "0017_numbers",
         "0018_feedback_consent", "0019_work_queue", "0020_setup", "0021_links", "0022_feedback_lines",
         "0024_promotions", "0025_meetings", "0026_goal_reports", "0027_meeting_canvases", "0029_ad_campaigns",
         "0031_fire_leases", "0032_catalog_skus", "0033_work_lanes", "0034_people_profiles",
         "0035_restock_private_note", "0036_work_free_index", "0037_usergroup_members",
         "0038_launch_channel_step", "0039_feedback_share_question")
HEAD = AFTER[-1]
DATABASES = ["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)]


def test_the_history_has_exactly_one_head(database_url: str) -> None:
    database = Database(database_url)
    assert ScriptDirectory.from_config(alembic_config(database.engine)).get_heads() == [HEAD]
    database.dispose()


@pytest.mark.parametrize("url_fixture", DATABASES)
def test_a_database_at_the_old_heads_upgrades_to_the_one_head_and_keeps_its_rows(
    url_fixture: str, request: pytest.FixtureRequest
) -> None:
    database = Database(request.getfixturevalue(url_fixture))
    config = alembic_config(database.engine)
    for head in OLD_HEADS:  # as `upgrade` to "heads" left them
        command.upgrade(config, head)
    with database.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert sorted(versions) == sorted(OLD_HEADS)
    assert pending(database.engine) == {"0012_one_history", *AFTER}
    with pytest.raises(ConfigError) as behind:
        require_current(database.engine)
    shown = database.engine.url.render_as_string(hide_password=True)
    assert behind.value.problems == [
        f"the database {shown} has {1 + len(AFTER)} migrations pending: run `opsbot db upgrade`"]
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    with database.transaction() as session:
        record(session, team_id="t", entity="restock", entity_id="R-1", actor="U0BUYER", at=at, from_state=None,
               to_state="requested")

    upgrade(database.engine)

    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [HEAD]
    assert pending(database.engine) == set()
    require_current(database.engine)
    assert _schema_drift(database) == []
    with database.transaction() as session:
        assert [r.to_state for r in history(session, "t", "restock", "R-1")] == ["requested"]
    upgrade(database.engine)  # and again: nothing to do
    database.dispose()


@pytest.mark.parametrize("url_fixture", DATABASES)
def test_replicas_starting_at_once_migrate_a_fresh_database_once(
    url_fixture: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(url_fixture)
    replicas = [Database(url) for _ in range(3)]
    ready = threading.Barrier(len(replicas))
    failures: list[BaseException] = []

    def start(database: Database) -> None:
        ready.wait()
        try:
            upgrade(database.engine)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(database,)) for database in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert [repr(f) for f in failures] == []  # before the lock: "table alembic_version already exists"
    assert pending(replicas[0].engine) == set()
    assert _schema_drift(replicas[0]) == []
    for database in replicas:
        database.dispose()
