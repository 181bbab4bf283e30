"""Talking to a real Slack: `opsbot run` (Socket Mode), `serve` (HTTP), `manifest` and `doctor`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from bot.cli.support import fail, services_from_env, settings_from_env
from bot.errors import ConfigError
from bot.observability import configure_logging, metrics_of_this_run
from bot.wiring import FEATURES


def run() -> None:
    """Connect to Slack in Socket Mode (SLACK_BOT_TOKEN and SLACK_APP_TOKEN)."""
    from bot.socket_mode import socket_mode_handler

    settings = settings_from_env()
    configure_logging(settings)
    if settings.several_workspaces:
        fail(
            [
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set: several workspaces are installed over HTTP, so run "
                "`opsbot serve` (or unset them for one workspace in Socket Mode)"
            ]
        )
    try:
        settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
    except ConfigError as exc:
        fail(exc.problems)
    services = services_from_env(settings)
    app, _ = services.bolt_app()
    services.start_background()
    assert settings.slack_app_token is not None
    # Acknowledged through the same front and work queue as `serve`: a refusal is one acknowledgement, never a
    # race between a listener's ack() and the error handler in Bolt's thread runner.
    socket_mode_handler(app, settings.slack_app_token.get_secret_value()).start()  # type: ignore[no-untyped-call]


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
    assert settings.slack_signing_secret is not None  # require_for_http said so
    secret = settings.slack_signing_secret.get_secret_value()
    # The work process's counters (commands answered, errors, messages sent) reach /metrics through files of
    # this run's own, summed with this process's. No access log: a line written per request is work on the ack
    # path; /metrics counts the requests.
    with metrics_of_this_run(settings.metrics_dir):
        server = build_http_app(app, services, signing_secret=secret)
        uvicorn.run(server, host=host, port=port, log_config=None, access_log=False)


def manifest(
    socket: Annotated[bool, typer.Option("--socket", help="Socket Mode (the default)")] = False,
    http: Annotated[
        str | None, typer.Option("--http", metavar="BASE_URL", help="HTTP mode with this public base URL")
    ] = None,
    oauth: Annotated[
        bool, typer.Option("--oauth", help="HTTP mode, installed into several workspaces: add the OAuth redirect URL")
    ] = False,
    check: Annotated[
        Path | None,
        typer.Option(
            "--check",
            metavar="FILE",
            help="Compare this app's manifest (YAML or JSON, e.g. copied from "
            "the app's settings) with what Opsbot needs",
        ),
    ] = None,
) -> None:
    """Print the Slack app manifest (YAML) to paste into 'Create an app from a manifest'."""
    from bot.manifest import http_base_url_of, manifest_yaml

    if socket and http:
        fail(["choose one of --socket and --http BASE_URL"])
    if http and not http.startswith("https://"):
        fail([f"--http {http!r}: Slack only calls https:// URLs, e.g. --http https://opsbot.example.com"])
    if oauth and not http:
        fail(["--oauth needs --http BASE_URL: the install flow is served over HTTP"])
    edited = _read_manifest(check) if check else None
    if edited is not None and not socket and not http:
        http = http_base_url_of(edited)  # checked in the mode the app is in, unless told otherwise
    redirect_url = None
    if oauth and http:
        settings = settings_from_env()
        redirect_url = settings.slack_redirect_uri or f"{http.rstrip('/')}{settings.slack_redirect_uri_path}"
    if check is None or edited is None:
        typer.echo(manifest_yaml(FEATURES, http_base_url=http, redirect_url=redirect_url))
        return
    _report_differences(check, edited, http, redirect_url)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail([f"{path}: file not found"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        fail([f"{path}: cannot be read as YAML or JSON ({exc.__class__.__name__})"])
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("settings", {}), dict)
        or not ("oauth_config" in data or "features" in data)
    ):
        fail(
            [
                f"{path}: not a Slack app manifest (expected the keys display_information, features, oauth_config, "
                "settings, as in the app's App Manifest page)"
            ]
        )
    return data


def _report_differences(path: Path, edited: dict[str, Any], http: str | None, redirect_url: str | None) -> None:
    from bot.manifest import build_manifest, manifest_differences

    differences = manifest_differences(edited, build_manifest(FEATURES, http_base_url=http, redirect_url=redirect_url))
    if not differences:
        typer.echo(f"{path} has everything Opsbot needs ({'HTTP at ' + http if http else 'Socket Mode'}).")
        return
    typer.echo(f"{path} differs from what Opsbot needs ({len(differences)}):")
    for line in differences:
        typer.echo(f"  • {line}")
    typer.echo("Change the app on its App Manifest page, or paste the output of `opsbot manifest` there.")
    raise typer.Exit(1)


def doctor(
    slack: Annotated[
        bool,
        typer.Option(
            "--slack",
            help="Check a real workspace: credentials and ids set (no "
            "example value left), the token's scopes, the bot's "
            "channels",
        ),
    ] = False,
) -> None:
    """Check settings, database and migrations, playbooks and (with a token) Slack; exit 1 on a failure."""
    from rich.console import Console

    from bot.doctor import run_checks

    out = Console()
    ok = True
    for check in run_checks(real_workspace=slack):
        mark = "[green]✓[/green]" if check.ok else "[red]✗[/red]"
        out.print(f"{mark} {check.name}: ", end="")
        out.print(check.detail, markup=False, highlight=False, soft_wrap=not out.is_terminal)
        ok = ok and check.ok
    raise typer.Exit(0 if ok else 1)


def register(cli: typer.Typer) -> None:
    for command in (run, serve, manifest, doctor):
        cli.command()(command)
