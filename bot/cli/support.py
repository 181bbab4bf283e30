"""What the CLI commands share: settings and services built once, and one way to fail politely."""

from __future__ import annotations

from typing import NoReturn

from rich.console import Console

from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.services import Services, build_services

err_console = Console(stderr=True)


def fail(problems: list[str], code: int = 2) -> NoReturn:
    """Print each problem on its own line (no traceback) and exit with ``code``."""
    err_console.print("[bold red]Opsbot cannot continue:[/bold red]")
    for problem in problems:
        err_console.print(f"  • {problem}", markup=False, highlight=False)
    raise SystemExit(code)


def settings_from_env() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        fail(exc.problems)


def services_from_env(settings: Settings | None = None) -> Services:
    """The one place a command builds services (their construction is being reshaped: keep it to here)."""
    chosen = settings or settings_from_env()
    try:
        return build_services(chosen)
    except ConfigError as exc:
        fail(exc.problems)
