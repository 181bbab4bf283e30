"""The imported catalogue is kept in its own table, not in the audit trail: a replica that never restarted uses each
new import at once (even two in the same second), pruning the audit log loses no setting, and catalogues imported
before the table existed are copied into it by the migration."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import delete, select

from bot.console.session import ConsoleSlack
from bot.db import Database
from bot.db.audit import record as audit
from bot.db.catalog import CatalogImport, CatalogSku
from bot.db.core import AuditEntry
from bot.db.migrate import alembic_config, upgrade
from bot.flows.catalog import CatalogImports
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def _share(console: ConsoleSlack, path: Path, rows: str) -> None:
    path.write_text("SKU,Supplier,Unit cost,MOQ,Carton\n" + rows, encoding="utf-8")
    converse(console, [(f"!as U0BUYER\n!in C0DATA\n!upload {path}", ["Confirm to apply it."]),
                       ("!click Confirm", [f"@Chen Jie applied {path.name}"])])


def test_the_catalogue_lives_in_its_table_and_survives_a_pruned_audit_log(
    console: ConsoleSlack, playbooks_dir: Path, database_url: str, tmp_path: Path,
) -> None:
    replica = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                           as_user="U0BUYER", in_channel="C0PURCHASING")
    try:
        converse(replica, [("/restock LED-900 120", ["I don't know the SKU LED-900"])])
        _share(console, tmp_path / "first.csv", "LED-900,shenzhen-lighting,12.5,300,50\n")
        converse(replica, [("/restock LED-900 120", ["LED-900 ships at least 300, in cartons of 50"])])
        # A second import at the same frozen moment: the replica that read the first one sees the second too.
        _share(console, tmp_path / "second.csv", "LED-900,shenzhen-lighting,12.5,400,80\n")
        converse(replica, [("/restock LED-900 120", ["LED-900 ships at least 400, in cartons of 80"])])
        with console.services.db.transaction() as session:
            rows = session.scalars(select(CatalogSku)).all()
            assert [(r.sku, r.supplier, r.unit_cost, r.currency, r.moq, r.carton, r.updated_by) for r in rows] == [
                ("LED-900", "shenzhen-lighting", 12.5, "CNY", 400, 80, "U0BUYER")]
            newest = session.scalars(select(CatalogImport).order_by(CatalogImport.id.desc())).first()
            assert newest is not None and rows[0].import_id == newest.id and newest.file == "second.csv"
            session.execute(delete(AuditEntry))  # the audit log pruned: who changed what, gone
        fresh = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                             as_user="U0BUYER", in_channel="C0PURCHASING")
        try:
            for slack in (replica, fresh):
                converse(slack, [("/restock LED-900 120", ["LED-900 ships at least 400, in cartons of 80"])])
        finally:
            fresh.close()
    finally:
        replica.close()


def test_a_cost_stored_in_another_currency_than_restock_yml_now_is_not_mixed_in(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    _share(console, tmp_path / "skus.csv", "LED-900,shenzhen-lighting,12.5,300,50\n")
    with console.services.db.transaction() as session:
        row = session.scalars(select(CatalogSku)).one()
        row.currency = "USD"  # as if restock.yml's currency had changed since the import
        session.add(CatalogImport(team_id="*", key="k", file="f", actor="cli", at=datetime.now(UTC), added=0,
                                  updated=0))
    assert "LED-900" not in CatalogImports(console.services.context).restock().skus


@pytest.mark.parametrize("url_fixture", ["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_catalogues_imported_into_the_audit_trail_are_copied_into_the_table(
    url_fixture: str, request: pytest.FixtureRequest,
) -> None:
    database = Database(request.getfixturevalue(url_fixture))
    command.upgrade(alembic_config(database.engine), "0027_meeting_canvases")
    first, second = datetime(2026, 12, 1, 2, 0, tzinfo=UTC), datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    with database.transaction() as session:
        for at, moq in ((first, 300), (second, 500)):
            settings = {"supplier": "shenzhen-lighting", "unit_cost": 12.5, "moq": moq, "carton": 50}
            audit(session, team_id="T0ACME", entity="catalog", entity_id="LED-900", actor="U0BUYER", at=at,
                  from_state=None, to_state="imported", note=json.dumps(settings))
            audit(session, team_id="T0ACME", entity="catalog_import", entity_id=f"catalog:F{moq}:abc", actor="U0BUYER",
                  at=at, from_state=None, to_state="applied", note="skus.csv: 1 new, 0 changed")
    upgrade(database.engine)
    with database.transaction() as session:
        row = session.scalars(select(CatalogSku)).one()
        assert (row.team_id, row.sku, row.moq, row.carton, row.unit_cost, row.currency, row.updated_at) == (
            "T0ACME", "LED-900", 500, 50, 12.5, None, second)
        imports = session.scalars(select(CatalogImport).order_by(CatalogImport.id)).all()
        assert [(i.key, i.file, i.actor, i.added, i.updated) for i in imports] == [
            ("catalog:F300:abc", "skus.csv", "U0BUYER", 1, 0), ("catalog:F500:abc", "skus.csv", "U0BUYER", 1, 0)]
        assert row.import_id == imports[-1].id
    database.dispose()
