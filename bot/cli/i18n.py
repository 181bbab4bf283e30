"""`opsbot i18n missing | extract | refresh`: the translation catalogs."""

from __future__ import annotations

from pathlib import Path

import typer


def i18n_missing(locale: str = "zh_CN") -> None:
    """List user-facing strings missing, untranslated or fuzzy in LOCALE (exit 1 when any)."""
    from bot.i18n import catalog_problems

    problems = catalog_problems(locale)
    for msgid, filename, line, problem in problems:
        typer.echo(f"{filename}:{line}: {problem}: {msgid}")
    raise typer.Exit(1 if problems else 0)


def i18n_extract(output: Path = Path("opsbot.pot")) -> None:
    """Extract every marked string with Babel into a .pot template (source references, msgctxt)."""
    from babel.messages.pofile import write_po

    from bot.i18n import template

    with output.open("wb") as fh:
        write_po(fh, template(), width=0)
    typer.echo(f"wrote {output}")


def i18n_refresh() -> None:
    """Point the #: source references in every catalog at where each string is now."""
    from bot.i18n import refresh_references

    for path in refresh_references():
        typer.echo(f"refreshed {path}")


def register(cli: typer.Typer) -> None:
    i18n_cli = typer.Typer(help="Translation catalogs.", no_args_is_help=True)
    i18n_cli.command("missing")(i18n_missing)
    i18n_cli.command("extract")(i18n_extract)
    i18n_cli.command("refresh")(i18n_refresh)
    cli.add_typer(i18n_cli, name="i18n")
