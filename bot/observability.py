"""Logs and metrics for operators: JSON logs on request, Prometheus counters and the ack histogram."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from pythonjsonlogger.json import JsonFormatter

from bot.config import Settings

REGISTRY = CollectorRegistry()
COMMANDS = Counter("opsbot_commands", "Slash commands received", ["command"], registry=REGISTRY)
ERRORS = Counter("opsbot_errors", "Listener errors", ["kind"], registry=REGISTRY)
ACK_SECONDS = Histogram(
    "opsbot_ack_seconds", "Time from a request arriving to Slack getting its answer", registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
)
SCHEDULED_FIRES = Counter("opsbot_scheduled_fires", "Scheduled fires acted on by this process", registry=REGISTRY)


# Slack tokens by their shape: bot, user, app-level, refresh, configuration tokens.
_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Tokens and the app's secrets never reach the log, whoever logs them: slack_sdk at DEBUG logs whole
    responses, and the one from oauth.v2.access carries the new workspace's bot token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _TOKEN.sub(lambda found: f"{found.group(1)}-(redacted)", message)
        for secret in self._secrets:
            cleaned = cleaned.replace(secret, "(redacted)")
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(settings: Settings) -> None:
    """Text for people at a terminal; one JSON object a line for a log pipeline. Never the request bodies,
    never a token or secret."""
    handler = logging.StreamHandler()
    secrets = (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret,
               settings.slack_client_secret)
    handler.addFilter(RedactSecrets(s.get_secret_value() for s in secrets if s is not None))
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
