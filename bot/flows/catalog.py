"""The seller's SKU catalogue (supplier, unit cost, MOQ, carton) imported from a file, live on every replica.

restock.yml is read once at start; a catalogue imported since (a file shared in Slack and confirmed, or
``opsbot catalog import``) is kept in the database, one ``catalog_skus`` row per team and SKU and one
``catalog_imports`` row per import, so every replica sees it on the next question: ``live_restock`` lays the
imported SKUs over restock.yml's, checking only how many imports there are (and the newest's id) on each call.
The audit trail records who changed which SKU, but nothing reads it back: pruning it loses no setting. An import
is applied whole, in one transaction, and once: its key (the shared file and the message it came with) is claimed
first.
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
from bot.db.catalog import CatalogImport as ImportRow
from bot.db.catalog import CatalogSku
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.ops.restock_playbook import RestockPlaybook, SkuSettings
from bot.ops.team import Role, Team
from bot.reports.catalog import CatalogImport, read_catalog

ENTITY = "catalog"  # one audit line per SKU imported (new or changed, to what): the record, not the store
IMPORT = "catalog_import"  # one audit line per import applied: who, when, which file, how many
MAY_IMPORT = (Role.purchasing, Role.manager)  # who may change suppliers and costs
EVERY_TEAM = "*"  # the team of an import made with `opsbot catalog import` (restock.yml is every team's)
# (database, restock.yml as loaded) -> ((imports, newest import), restock.yml with them laid over)
_cache: dict[tuple[int, int], tuple[tuple[int, int], RestockPlaybook]] = {}


def imported(session: Session, teams: list[str], currency: str) -> dict[str, SkuSettings]:
    """Every imported SKU's settings, the newest import of each winning; a cost given in another currency than
    restock.yml's now is left out (restock.yml's own settings stand)."""
    rows = session.scalars(select(CatalogSku).where(CatalogSku.team_id.in_(teams))
                           .order_by(CatalogSku.import_id, CatalogSku.team_id)).all()
    return {r.sku: SkuSettings(supplier=r.supplier, unit_cost=r.unit_cost, moq=r.moq, carton=r.carton)
            for r in rows if r.currency in (None, currency)}


def live_restock(ctx: Context, base: RestockPlaybook) -> RestockPlaybook:
    """restock.yml as loaded at start with every SKU imported since laid over it: the same on every replica."""
    teams = [EVERY_TEAM, *(t.id for t in ctx.teams.teams)]
    with ctx.db.transaction() as session:
        # The count too: ids are handed out when an import starts, so a slower one may commit a lower id later.
        count, newest = session.execute(select(func.count(ImportRow.id), func.max(ImportRow.id))
                                        .where(ImportRow.team_id.in_(teams))).one()
        version = (int(count or 0), int(newest or 0))
        key = (id(ctx.db), id(base))
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        if version[0] == 0:
            return base
        skus = imported(session, teams, base.approval.currency)
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


def record(session: Session, audit: Audit, found: CatalogImport, file: str, key: str, currency: str) -> None:
    """The import stored (one row per SKU, what every replica reads) and audited (who changed which SKU to what,
    and the import itself), in the caller's transaction. A second import with the same key fails on its unique
    index before anything is written."""
    row = ImportRow(team_id=audit.team_id, key=key[:255], file=file[:255], actor=audit.actor, at=audit.at,
                    added=len(found.added), updated=len(found.updated))
    session.add(row)
    session.flush()  # the key claimed here; the id the SKU rows point at
    stored = {r.sku: r for r in session.scalars(select(CatalogSku).where(
        CatalogSku.team_id == audit.team_id, CatalogSku.sku.in_(list(found.skus))))}
    for sku, settings in found.skus.items():
        values = {"supplier": settings.supplier, "unit_cost": settings.unit_cost, "currency": currency,
                  "moq": settings.moq, "carton": settings.carton, "updated_at": audit.at,
                  "updated_by": audit.actor, "import_id": row.id}
        if sku in stored:
            for name, value in values.items():
                setattr(stored[sku], name, value)
        else:
            session.add(CatalogSku(team_id=audit.team_id, sku=sku, **values))
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
                record(session, Audit(team.id, user, now), found, name, key, self.restock().approval.currency)
        except IntegrityError:
            with self.ctx.db.transaction() as session:
                first = session.scalars(select(ImportRow).where(
                    ImportRow.team_id == team.id, ImportRow.key == key[:255])).first()
            if first is None:
                raise
            return Applied(found, first.actor, first.at, already=True)
        return Applied(found, user, now)
