"""The ``opsbot`` command, one module per concern.

console: demo, console · start: init, playbooks export · slack: run, serve, manifest, doctor ·
reports: ingest, kpi, digest, restock export ·
db: db upgrade · i18n: i18n missing. The order they register in is the order ``opsbot --help`` lists them in.
"""

from __future__ import annotations

import sys

import typer

from bot.cli import catalog, console, db, i18n, meetings, reports, slack, start
from bot.cli.support import fail
from bot.errors import ConfigError

cli = typer.Typer(
    help="Opsbot: the Slack bot a cross-border e-commerce operations team runs its day on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # typer's rich help shows a flag as `--json <bool>`; the plain one as `--json`
)
db.register(cli)
i18n.register(cli)
reports.register(cli)
catalog.register(cli)
console.register(cli)
start.register(cli)
slack.register(cli)
meetings.register(cli)


def main() -> None:
    try:
        cli()
    except ConfigError as exc:
        fail(exc.problems)
    except KeyboardInterrupt:
        sys.exit(130)
