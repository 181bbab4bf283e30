"""`opsbot i18n missing`: the translation catalogs."""

from __future__ import annotations

import typer


def i18n_missing(locale: str = "zh_CN") -> None:
    """List user-facing strings with no translation in LOCALE (exit 1 when any)."""
    from bot.i18n import missing_translations

    missing = missing_translations(locale)
    for msgid, filename, line in missing:
        typer.echo(f"{filename}:{line}: {msgid}")
    raise typer.Exit(1 if missing else 0)


def register(cli: typer.Typer) -> None:
    i18n_cli = typer.Typer(help="Translation catalogs.", no_args_is_help=True)
    i18n_cli.command("missing")(i18n_missing)
    cli.add_typer(i18n_cli, name="i18n")
