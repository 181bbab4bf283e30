"""The imported SKU catalogue in its own tables (catalog_imports, catalog_skus) instead of the audit trail's notes;
every catalogue already imported is copied over, so nothing a team imported is lost.

Revision ID: 0032_catalog_skus
Revises: 0031_fire_leases
"""

import json
import re

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0032_catalog_skus"
down_revision = "0031_fire_leases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    imports = op.create_table(
        "catalog_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.UniqueConstraint("team_id", "key", name="uq_catalog_imports_team_key"),
    )
    skus = op.create_table(
        "catalog_skus",
        sa.Column("team_id", sa.String(64), primary_key=True),
        sa.Column("sku", sa.String(255), primary_key=True),
        sa.Column("supplier", sa.String(255), nullable=True),
        sa.Column("unit_cost", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("moq", sa.Integer, nullable=False),
        sa.Column("carton", sa.Integer, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(32), nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("catalog_imports.id"), nullable=False),
    )
    op.create_index("ix_catalog_skus_import_id", "catalog_skus", ["import_id"])
    _copy_from_the_audit_trail(imports, skus)


def _copy_from_the_audit_trail(imports: sa.Table, skus: sa.Table) -> None:
    """Each earlier import's SKU lines (one team, actor and moment) become one import; the newest wins per SKU.
    The currency stays unknown (None: as restock.yml's): the audit notes carried none."""
    audit = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("team_id", sa.String),
                     sa.column("entity", sa.String), sa.column("entity_id", sa.String), sa.column("actor", sa.String),
                     sa.column("at", UTCDateTime()), sa.column("note", sa.Text))
    bind = op.get_bind()
    lines = bind.execute(sa.select(audit).where(audit.c.entity.in_(("catalog", "catalog_import")))
                         .order_by(audit.c.id)).all()
    keys = {(r.team_id, r.actor, r.at): r for r in lines if r.entity == "catalog_import"}
    made: dict[tuple[str, str, object], int] = {}
    latest: dict[tuple[str, str], dict[str, object]] = {}
    for line in (r for r in lines if r.entity == "catalog"):
        group = (line.team_id, line.actor, line.at)
        if group not in made:
            named = keys.get(group)
            note = (named.note or "") if named else ""  # "skus.csv: 1 new, 2 changed"
            counts = re.search(r"(\d+) new, (\d+) changed$", note)
            result = bind.execute(imports.insert().values(
                team_id=line.team_id, key=(named.entity_id if named else f"audit:{line.id}")[:255],
                file=note.rsplit(":", 1)[0][:255] or "?", actor=line.actor, at=line.at,
                added=int(counts.group(1)) if counts else 0, updated=int(counts.group(2)) if counts else 0))
            inserted = result.inserted_primary_key
            assert inserted is not None
            made[group] = int(inserted[0])
        settings = json.loads(line.note or "{}")
        latest[(line.team_id, line.entity_id)] = {
            "team_id": line.team_id, "sku": line.entity_id, "supplier": settings.get("supplier"),
            "unit_cost": float(settings.get("unit_cost", 1)), "currency": None, "moq": int(settings.get("moq", 1)),
            "carton": int(settings.get("carton", 1)), "updated_at": line.at, "updated_by": line.actor,
            "import_id": made[group]}
    if latest:
        bind.execute(skus.insert(), list(latest.values()))


def downgrade() -> None:
    op.drop_index("ix_catalog_skus_import_id", table_name="catalog_skus")
    op.drop_table("catalog_skus")
    op.drop_table("catalog_imports")
