"""The seller's SKU catalogue (supplier, unit cost, MOQ, carton) imported from a file, live on every replica.

restock.yml is read once at start; a catalogue imported since (a file shared in Slack and confirmed, or
``opsbot catalog import``) is kept in the database, in the audit trail that records each SKU's change (who, when,
from which file), so every replica sees it on the next question: ``live_restock`` lays the imported SKUs over
restock.yml's, checking only the newest import's id on each call. An import is applied whole, in one
transaction, and once: its key (the shared file and the message it came with) is claimed first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.audit import Audit
from bot.db.core import AuditEntry, ProcessedDelivery
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.ops.restock_playbook import RestockPlaybook, SkuSettings
from bot.ops.team import Role, Team
from bot.reports.catalog import CatalogImport, read_catalog

ENTITY = "catalog"  # one audit line per SKU imported: its settings as JSON in the note
IMPORT = "catalog_import"  # one audit line per import applied: who, when, which file
MAY_IMPORT = (Role.purchasing, Role.manager)  # who may change suppliers and costs
EVERY_TEAM = "*"  # the audit's team of an import made with `opsbot catalog import` (restock.yml is every team's)
_cache: dict[tuple[int, int], tuple[int, RestockPlaybook]] = {}


def imported(session: Session, teams: list[str]) -> tuple[int, dict[str, SkuSettings]]:
    """The newest import's id and every imported SKU's settings, the newest import of each winning."""
    rows = session.execute(select(AuditEntry.id, AuditEntry.entity_id, AuditEntry.note).where(
        AuditEntry.team_id.in_(teams), AuditEntry.entity == ENTITY).order_by(AuditEntry.id)).all()
    skus = {sku: SkuSettings.model_validate(json.loads(note or "{}")) for _, sku, note in rows}
    return (rows[-1][0] if rows else 0), skus


def live_restock(ctx: Context, base: RestockPlaybook) -> RestockPlaybook:
    """restock.yml as loaded at start with every SKU imported since laid over it: the same on every replica."""
    teams = [EVERY_TEAM, *(t.id for t in ctx.teams.teams)]
    with ctx.db.transaction() as session:
        newest = session.scalar(select(func.max(AuditEntry.id)).where(
            AuditEntry.team_id.in_(teams), AuditEntry.entity == ENTITY)) or 0
        key = (id(ctx.db), id(base))
        cached = _cache.get(key)
        if cached is not None and cached[0] == newest:
            return cached[1]
        if newest == 0:
            return base
        version, skus = imported(session, teams)
    # A supplier removed from restock.yml since the import: that SKU keeps restock.yml's own settings.
    usable = {sku: s for sku, s in skus.items() if s.supplier is None or s.supplier in base.suppliers}
    merged = base.model_copy(update={"skus": {**base.skus, **usable}})
    if len(_cache) > 64:
        _cache.clear()
    _cache[key] = (version, merged)
    return merged


def may_import(ctx: Context, team: Team, user: str) -> bool:
    return any(ctx.has_role(team, user, role) for role in MAY_IMPORT)


def check_may_import(ctx: Context, team: Team, user: str) -> None:
    """Refused with who may: changing suppliers and costs changes what restock orders and what it costs."""
    if may_import(ctx, team, user):
        return
    who = [m.name for m in team.members if m.active and any(r in m.roles for r in MAY_IMPORT)]
    raise OpsError(N_("Only purchasing or a manager may change suppliers and unit costs ({people}): ask one of them "
                      "to share the catalogue. Nothing was imported."), people=", ".join(who) or "—")


def record(session: Session, audit: Audit, found: CatalogImport, file: str, key: str) -> None:
    """The import in the audit trail: each SKU's new settings (what every replica reads) and the import itself."""
    for sku, settings in found.skus.items():
        audit(session, ENTITY, sku, "new" if sku in found.added else "changed", "imported",
              note=json.dumps(settings.model_dump(), ensure_ascii=False))
    audit(session, IMPORT, key[:100], None, "applied",
          note=f"{file}: {len(found.added)} new, {len(found.updated)} changed")


@dataclass(frozen=True)
class Applied:
    """An import applied now, or found applied already (by whom, when)."""

    found: CatalogImport
    actor: str
    at: datetime
    already: bool = False


class CatalogImports:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def restock(self) -> RestockPlaybook:
        try:
            base = self.ctx.playbook(RestockPlaybook)
        except LookupError:
            base = RestockPlaybook()
        return live_restock(self.ctx, base)

    def preview(self, team: Team, user: str, path: Path, name: str) -> CatalogImport:
        """What the file would change, with every bad row; nothing is written."""
        check_may_import(self.ctx, team, user)
        return read_catalog(path, name, self.restock())

    def apply(self, team: Team, user: str, path: Path, name: str, key: str) -> Applied:
        """All of it in one transaction, or nothing; a second confirmation of the same share changes nothing."""
        check_may_import(self.ctx, team, user)
        found = read_catalog(path, name, self.restock())
        if found.problems:
            raise OpsError(N_("{file} has rows to fix; nothing was imported. Share it again once they are fixed."),
                           file=name)
        now = self.ctx.clock.now()
        try:
            with self.ctx.db.transaction() as session:
                session.add(ProcessedDelivery(team_id=team.id, key=key[:255], received_at=now))
                session.flush()  # a second confirmation stops here, on the key's unique index
                record(session, Audit(team.id, user, now), found, name, key)
        except IntegrityError:
            with self.ctx.db.transaction() as session:
                first = session.scalars(select(AuditEntry).where(
                    AuditEntry.team_id == team.id, AuditEntry.entity == IMPORT,
                    AuditEntry.entity_id == key[:100]).order_by(AuditEntry.id)).first()
            if first is None:
                raise
            return Applied(found, first.actor, first.at, already=True)
        return Applied(found, user, now)
