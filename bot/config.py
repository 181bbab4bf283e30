"""Settings: the only place that reads the environment (and an optional ``.env`` file)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

FIXES = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token from your Slack app's OAuth & Permissions page (starts with xoxb-)",
    "SLACK_APP_TOKEN": "an app-level token with the connections:write scope (starts with xapp-)",
    "SLACK_SIGNING_SECRET": "the Signing Secret from your Slack app's Basic Information page",
    "SLACK_CLIENT_ID": "the Client ID from your Slack app's Basic Information page (several workspaces)",
    "SLACK_CLIENT_SECRET": "the Client Secret from your Slack app's Basic Information page (several workspaces)",
    "SLACK_REDIRECT_URI": "the https:// Redirect URL listed under OAuth & Permissions, ending in /slack/oauth_redirect",
    "SLACK_INSTALL_PATH": "a path starting with /, e.g. /slack/install",
    "SLACK_REDIRECT_URI_PATH": "a path starting with /, e.g. /slack/oauth_redirect",
    "SLACK_API_URL": "a Web API base URL ending in /api/, e.g. https://slack.com/api/",
    "DATABASE_URL": "a SQLAlchemy URL, e.g. sqlite:///opsbot.sqlite3 or postgresql+psycopg://user@host/db",
    "OPSBOT_PLAYBOOKS": "the folder holding team.yml and the other playbooks",
    "OPSBOT_TIMEZONE": "an IANA time zone such as Asia/Shanghai",
    "OPSBOT_LOG_FORMAT": "text or json",
    "OPSBOT_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR",
    "OPSBOT_MAX_UPLOAD_MB": "a whole number of megabytes, e.g. 50",
    "OPSBOT_PACE_SECONDS": "seconds between two messages in one conversation, 0 to 60, e.g. 1",
    "OPSBOT_OUTBOX_SENDERS": "how many threads send the outbox, 1 to 32, e.g. 4",
    "OPSBOT_EVENT_JOURNAL": "a file on a disk that outlives the replica's restarts, e.g. /var/lib/opsbot/events",
    "OPSBOT_EVENT_JOURNAL_MAX": "how many events the journal keeps at most, 0 for none, e.g. 10000",
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    # Several workspaces: with a client id and secret, `serve` offers Slack's OAuth install flow.
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    slack_redirect_uri: str | None = Field(default=None, alias="SLACK_REDIRECT_URI")
    slack_install_path: str = Field(default="/slack/install", alias="SLACK_INSTALL_PATH")
    slack_redirect_uri_path: str = Field(default="/slack/oauth_redirect", alias="SLACK_REDIRECT_URI_PATH")
    database_url: str = Field(default="sqlite:///opsbot.sqlite3", alias="DATABASE_URL")
    playbooks_dir: Path = Field(default=Path("playbooks"), alias="OPSBOT_PLAYBOOKS")
    timezone: str = Field(default="UTC", alias="OPSBOT_TIMEZONE")
    log_format: Literal["text", "json"] = Field(default="text", alias="OPSBOT_LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", alias="OPSBOT_LOG_LEVEL")
    max_upload_mb: int = Field(default=50, gt=0, alias="OPSBOT_MAX_UPLOAD_MB")
    # Slack takes about one message a second in a conversation; the outbox keeps to it across replicas.
    pace_seconds: float = Field(default=1.0, ge=0, le=60, alias="OPSBOT_PACE_SECONDS")
    outbox_senders: int = Field(default=4, ge=1, le=32, alias="OPSBOT_OUTBOX_SENDERS")
    # `serve`'s processes count into it (prometheus_client's multiprocess mode); a directory of the run's own if unset.
    metrics_dir: Path | None = Field(default=None, alias="PROMETHEUS_MULTIPROC_DIR")
    # PostgreSQL: Slack's events that arrive while the database is away wait in this replica's file, then run
    # (bot/outbox/event_journal.py); unset, opsbot-events-<database>.sqlite3 in the working directory.
    event_journal: Path | None = Field(default=None, alias="OPSBOT_EVENT_JOURNAL")
    event_journal_max: int = Field(default=10_000, ge=0, alias="OPSBOT_EVENT_JOURNAL_MAX")

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_redirect_uri")
    @classmethod
    def _redirect_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://localhost", "http://127.0.0.1")):
            raise ValueError("must be an https:// URL (Slack redirects only there)")
        return value

    @field_validator("slack_install_path", "slack_redirect_uri_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value.replace("postgresql://", "postgresql+psycopg://", 1)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def playbooks_given(self) -> bool:
        """True when OPSBOT_PLAYBOOKS (or an override) named the folder, rather than the ./playbooks default."""
        return "playbooks_dir" in self.model_fields_set

    @property
    def several_workspaces(self) -> bool:
        """True when the app is installed through Slack's OAuth flow into any number of workspaces."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    def require_for_http(self) -> None:
        """What ``serve`` needs: a bot token for one workspace, or a client id and secret for several."""
        if self.slack_client_id is not None or self.slack_client_secret is not None:
            self.require("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET")
        else:
            self.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")

    def require(self, *names: str) -> None:
        """Stop with one message listing every missing setting a mode needs."""
        missing = [n for n in names if getattr(self, _FIELD_BY_ENV[n]) is None]
        if missing:
            raise ConfigError([f"{n} is not set: set it to {FIXES[n]}" for n in missing])


def packaged_playbooks() -> Path:
    """The example playbooks shipped with the package: what the demo and the console run on, and what
    ``opsbot init`` copies. A wheel carries them as ``bot/default_playbooks`` (setup.py copies the repository's
    ``playbooks/`` there); a source checkout or an editable install reads ``playbooks/`` itself."""
    shipped = Path(str(files("bot") / "default_playbooks"))
    return shipped if (shipped / "team.yml").is_file() else Path(__file__).resolve().parents[1] / "playbooks"


# The values .env.example ships with: left in place, Opsbot cannot talk to a real Slack.
EXAMPLE_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-your-bot-token",
    "SLACK_APP_TOKEN": "xapp-your-app-level-token",
    "SLACK_SIGNING_SECRET": "your-signing-secret",
}


def example_values_left(settings: Settings) -> list[str]:
    """The settings still holding .env.example's placeholder."""
    left = []
    for env_name, placeholder in EXAMPLE_ENV.items():
        value = getattr(settings, _FIELD_BY_ENV[env_name])
        if value is not None and value.get_secret_value() == placeholder:
            left.append(env_name)
    return left


_FIELD_BY_ENV = {f.alias: name for name, f in Settings.model_fields.items() if f.alias}


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; every problem is reported together, with how to fix it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for item in exc.errors():
            env_name = str(item["loc"][0]) if item["loc"] else "settings"
            reason = item["msg"].removeprefix("Value error, ")
            fix = FIXES.get(env_name)
            problems.append(f"{env_name}: {reason}" + (f" — set it to {fix}" if fix else ""))
        raise ConfigError(problems) from exc


def tell_libraries(name: str, value: str | None) -> None:
    """The one writer of the environment, for a library that reads nothing else: prometheus_client names each
    process's metrics file from PROMETHEUS_MULTIPROC_DIR (a forked work process inherits it)."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
