"""Logs and metrics for operators: JSON logs on request, Prometheus counters and the ack histogram."""

from __future__ import annotations

import logging

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


def configure_logging(settings: Settings) -> None:
    """Text for people at a terminal; one JSON object a line for a log pipeline. Never the request bodies."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
