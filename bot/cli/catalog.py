"""`opsbot catalog import FILE`: the seller's SKU list into restock.yml's skus: (supplier, unit cost, MOQ, carton)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from bot.cli.support import fail, settings_from_env
from bot.errors import OpsError
from bot.i18n import translator

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.reports.catalog import CatalogImport

out = Console(highlight=False, soft_wrap=True)


def import_catalog(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV, TSV or XLSX: SKU, Supplier, Unit cost, MOQ, Carton "
            "(English or Chinese headers; blank cells keep restock.yml's value)"
        ),
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing")] = False,
) -> None:
    """Add or update SKUs under skus: in restock.yml from the seller's own list; the rest of the file is kept.

    Lead times come from each supplier's legs under suppliers: in restock.yml. When the bot's database is
    reachable the import is recorded there too, so every running replica uses it at once (no restart)."""
    from bot.ops.restock_playbook import load_playbook
    from bot.reports.catalog import checked, merged_yaml, read_catalog

    settings = settings_from_env()
    target = settings.playbooks_dir / "restock.yml"
    if not file.is_file():
        fail([f"{file}: no such file"])
    try:
        playbook = load_playbook(settings.playbooks_dir)
        found = read_catalog(file, file.name, playbook)
        if found.problems:
            tr = translator("en")
            fail([tr._(p.message, **p.params) for p in found.problems] + [f"{file.name}: nothing was imported."])
        text = merged_yaml(target.read_text(encoding="utf-8") if target.exists() else "", found.skus)
        checked(text, file.name)
    except OpsError as exc:
        fail([translator("en")._(exc.message, **exc.params)])
    if found.skus and not dry_run:
        partial = target.with_name(f".{target.name}.importing")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # whole or not at all, even if the disk fills up halfway
        live = _record(settings, found, file.name)
    else:
        live = False
    added, updated = len(found.added), len(found.updated)
    out.print(
        f"{file.name}: {added} SKU{'' if added == 1 else 's'} added, {updated} updated in {target}"
        + (" (dry run: nothing written)" if dry_run else ""),
        markup=False,
    )
    for sku in found.skus:
        settings_of = found.skus[sku]
        out.print(
            f"  {sku}: supplier {settings_of.supplier or '—'}, unit cost {settings_of.unit_cost:g}, "
            f"MOQ {settings_of.moq}, carton {settings_of.carton}",
            markup=False,
        )
    if found.ignored:
        out.print(f"ignored columns: {', '.join(found.ignored)}", markup=False)
    if found.skus and not dry_run:
        out.print("the running bot uses it now" if live else "no database reachable: the bot uses it at its next start",
                  markup=False)


def _record(settings: Settings, found: CatalogImport, name: str) -> bool:
    """The import in the bot's database (what running replicas read), when there is one that is current."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db import Database
    from bot.db.audit import Audit
    from bot.db.migrate import pending
    from bot.flows.catalog import EVERY_TEAM, record
    from bot.ops.restock_playbook import load_playbook

    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return False  # no database here: creating one would be a surprise
    database = Database(url)
    try:
        if pending(database.engine):
            return False
        now = datetime.now(UTC)
        with database.transaction() as session:
            record(session, Audit(EVERY_TEAM, "cli", now), found, name, f"cli:{name}:{now.isoformat()}",
                   load_playbook(settings.playbooks_dir).approval.currency)
        return True
    except (SQLAlchemyError, OSError):
        return False
    finally:
        database.dispose()


def register(cli: typer.Typer) -> None:
    catalog_cli = typer.Typer(help="The SKU catalogue restock suggests from.", no_args_is_help=True)
    catalog_cli.command("import")(import_catalog)
    cli.add_typer(catalog_cli, name="catalog")
