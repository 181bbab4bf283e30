"""Logs and metrics for operators: JSON logs on request, Prometheus counters and the ack histogram."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from pydantic import SecretStr
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings

REGISTRY = CollectorRegistry()
COMMANDS = Counter("opsbot_commands", "Slash commands received", ["command"], registry=REGISTRY)
ERRORS = Counter("opsbot_errors", "Listener errors", ["kind"], registry=REGISTRY)
ACK_SECONDS = Histogram(
    "opsbot_ack_seconds", "Time from a request arriving to Slack getting its answer", registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
)
DELIVERIES_RETRIED = Counter("opsbot_deliveries_retried", "Slack calls of the outbox to be tried again, by why",
                             ["reason"], registry=REGISTRY)
OUTBOX_SENT = Counter("opsbot_outbox_sent", "Outbox messages sent to Slack by this process", registry=REGISTRY)
OUTBOX_FAILED = Counter("opsbot_outbox_failed", "Outbox messages Slack refused for good", registry=REGISTRY)
OUTBOX_DEPTH = Gauge("opsbot_outbox_depth", "Outbox messages waiting to be sent (all replicas)", registry=REGISTRY)
OUTBOX_OLDEST_SECONDS = Gauge("opsbot_outbox_oldest_seconds", "How long the oldest unsent outbox message has waited",
                              registry=REGISTRY)
WORK_DEPTH = Gauge("opsbot_work_depth", "Acknowledged Slack requests waiting for (or in) their work, all replicas",
                   registry=REGISTRY)
WORK_OLDEST_SECONDS = Gauge("opsbot_work_oldest_seconds", "How long the oldest acknowledged request has waited",
                            registry=REGISTRY)
SCHEDULED_FIRES = Counter("opsbot_scheduled_fires", "Scheduled fires acted on by this process", registry=REGISTRY)



def watch_work(depth: Callable[[], tuple[int, float]]) -> None:
    """/metrics asks the work queue for its depth and age when scraped (NaN while the database is away)."""

    def read(index: int) -> float:
        try:
            return float(depth()[index])
        except SQLAlchemyError:
            return float("nan")

    WORK_DEPTH.set_function(lambda: read(0))
    WORK_OLDEST_SECONDS.set_function(lambda: read(1))


# slack_sdk's DEBUG lines carry every Web API request and response body (message text, modal values,
# file names, replies quoting a report's cells): it never logs below INFO, whatever OPSBOT_LOG_LEVEL says.
BODY_LOGGERS = ("slack_sdk",)
_SLACK_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


class Redacting(logging.Formatter):
    """Whatever a record holds — its message, its arguments, a traceback — secrets and emails come out.

    The configured secrets are removed by value, any Slack token by its shape, and email addresses
    (a buyer's, quoted in an exception) by theirs. Bolt's note about a badly signed request loses the
    request body it would quote.
    """

    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = sorted((s for s in secrets if len(s) >= 8), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        if record.name.startswith("slack_bolt.RequestVerification"):
            head, found, _body = record.getMessage().partition(", body:")
            record = logging.makeLogRecord({**record.__dict__, "args": (),
                                            "msg": head + "; body not logged)" if found else head})
        return redact(self.inner.format(record), self.secrets)


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _EMAIL.sub("[email]", _SLACK_TOKEN.sub("[token]", text))


def configure_logging(settings: Settings) -> None:
    """Text for people at a terminal; one JSON object a line for a log pipeline. Never request bodies or secrets."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        inner: logging.Formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    else:
        inner = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    secrets = [value.get_secret_value() for value in vars(settings).values() if isinstance(value, SecretStr)]
    handler.setFormatter(Redacting(inner, secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in BODY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
