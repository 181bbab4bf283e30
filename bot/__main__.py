"""The ``opsbot`` command: demo | console | run | serve | manifest | doctor | db | i18n | ingest | restock."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli_support import fail, services_from_env, settings_from_env
from bot.errors import ConfigError
from bot.observability import configure_logging
from bot.reports.cli import register as register_report_commands

cli = typer.Typer(
    help="Opsbot: the Slack bot a cross-border e-commerce operations team runs its day on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
i18n_cli = typer.Typer(help="Translation catalogs.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(i18n_cli, name="i18n")
register_report_commands(cli)

SCENES = Path(__file__).parent / "console" / "scenes"
DEMO_START = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 08:30 in Shenzhen


@cli.command()
def demo(
    database: Annotated[Path, typer.Option(help="SQLite file for the demo (recreated each run)")] = Path(
        "opsbot-demo.sqlite3"
    ),
    playbooks: Annotated[Path, typer.Option(help="Playbooks folder")] = Path("playbooks"),
) -> None:
    """Play a scripted morning in the terminal Slack: no token, no network."""
    from bot.console.repl import play_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    play_demo(playbooks, f"sqlite:///{database}", DEMO_START, sorted(SCENES.glob("*.txt")))


@cli.command()
def console(
    as_user: Annotated[str | None, typer.Option("--as", help="Who you are, e.g. U0BUYER")] = None,
    in_channel: Annotated[str | None, typer.Option("--in", help="Where you type, e.g. C0OPS")] = None,
    script: Annotated[Path | None, typer.Option(help="Run this console script instead of reading the keyboard")] = None,
    at: Annotated[str | None, typer.Option(help="Start the clock here: 'YYYY-MM-DD HH:MM' (UTC)")] = None,
    database: Annotated[str, typer.Option(help="Database URL")] = "sqlite:///opsbot-console.sqlite3",
    playbooks: Annotated[Path, typer.Option(help="Playbooks folder")] = Path("playbooks"),
) -> None:
    """An interactive terminal Slack driving the real Bolt app."""
    from bot.console.repl import run_console

    try:
        start = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) if at else datetime.now(UTC)
    except ValueError:
        fail([f"--at {at!r}: use 'YYYY-MM-DD HH:MM' (UTC)"])
    run_console(playbooks, database, start, as_user=as_user, in_channel=in_channel, script=script)


@cli.command()
def run() -> None:
    """Connect to Slack in Socket Mode (SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = settings_from_env()
    configure_logging(settings)
    if settings.several_workspaces:
        fail(["SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: several workspaces are installed over HTTP, so run "
              "`opsbot serve` (or unset them for one workspace in Socket Mode)"])
    try:
        settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
    except ConfigError as exc:
        fail(exc.problems)
    services = services_from_env(settings)
    app, _ = services.bolt_app()
    services.start_background()
    assert settings.slack_app_token is not None
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 3000,
) -> None:
    """Serve Slack's HTTP requests on /slack/events (and /healthz, /readyz, /metrics) under uvicorn.

    With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET also the install flow: /slack/install, /slack/oauth_redirect.
    """
    import uvicorn

    from bot.http import build_http_app

    settings = settings_from_env()
    configure_logging(settings)
    try:
        settings.require_for_http()  # a bot token for one workspace, or a client id and secret for several
    except ConfigError as exc:
        fail(exc.problems)
    services = services_from_env(settings)
    app, _ = services.bolt_app()
    uvicorn.run(build_http_app(app, services), host=host, port=port, log_config=None)


@cli.command()
def manifest(
    socket: Annotated[bool, typer.Option("--socket", help="Socket Mode (the default)")] = False,
    http: Annotated[str | None, typer.Option("--http", help="HTTP mode with this public base URL")] = None,
    oauth: Annotated[bool, typer.Option("--oauth", help="HTTP mode, installed into several workspaces: "
                                                        "add the OAuth redirect URL")] = False,
) -> None:
    """Print the Slack app manifest (YAML) to paste into 'Create an app from a manifest'."""
    from bot.manifest import manifest_yaml
    from bot.wiring import FEATURES

    if socket and http:
        fail(["choose one of --socket and --http BASE_URL"])
    if http and not http.startswith("https://"):
        fail([f"--http {http!r}: Slack only calls https:// URLs, e.g. --http https://opsbot.example.com"])
    if oauth and not http:
        fail(["--oauth needs --http BASE_URL: the install flow is served over HTTP"])
    redirect_url = None
    if oauth and http:
        settings = settings_from_env()
        redirect_url = settings.slack_redirect_uri or f"{http.rstrip('/')}{settings.slack_redirect_uri_path}"
    typer.echo(manifest_yaml(FEATURES, http_base_url=http, redirect_url=redirect_url))


@cli.command()
def doctor() -> None:
    """Check settings, database and migrations, playbooks and (with a token) Slack; exit 1 on a failure."""
    from bot.doctor import run_checks

    ok = True
    for check in run_checks():
        mark = "[green]✓[/green]" if check.ok else "[red]✗[/red]"
        from rich import print as rich_print

        rich_print(f"{mark} {check.name}: {check.detail}")
        ok = ok and check.ok
    raise typer.Exit(0 if ok else 1)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (also done automatically at start)."""
    from bot.db import Database
    from bot.db.migrate import upgrade

    settings = settings_from_env()
    database = Database(settings.database_url)
    upgrade(database.engine)
    typer.echo(f"database is up to date: {database.engine.url.render_as_string(hide_password=True)}")


@i18n_cli.command("missing")
def i18n_missing(locale: str = "zh_CN") -> None:
    """List user-facing strings with no translation in LOCALE (exit 1 when any)."""
    from bot.i18n import missing_translations

    missing = missing_translations(locale)
    for msgid, filename, line in missing:
        typer.echo(f"{filename}:{line}: {msgid}")
    raise typer.Exit(1 if missing else 0)


def main() -> None:
    try:
        cli()
    except ConfigError as exc:
        fail(exc.problems)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
