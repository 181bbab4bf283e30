"""The SKU catalogue imported since start (a file shared in Slack, or ``opsbot catalog import``): what every
replica lays over restock.yml. One row per team and SKU, as the newest import left it; one row per import, whose
count and newest id tell a replica cheaply whether anything changed since it last read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class CatalogImport(Base):
    """One import applied: who, when, which file; ``key`` (the shared file and its digest) makes it apply once."""

    __tablename__ = "catalog_imports"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_catalog_imports_team_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    file: Mapped[str] = mapped_column(String(255))
    actor: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    added: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)


class CatalogSku(Base):
    """One SKU's settings as its team's newest import set them (the unit cost in ``currency``)."""

    __tablename__ = "catalog_skus"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(255), primary_key=True)
    supplier: Mapped[str | None] = mapped_column(String(255))
    unit_cost: Mapped[float] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))  # None: copied from the audit trail, as restock.yml's
    moq: Mapped[int] = mapped_column(Integer)
    carton: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(32))
    import_id: Mapped[int] = mapped_column(ForeignKey("catalog_imports.id"), index=True)
