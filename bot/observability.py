"""Logs and metrics for operators: JSON logs on request, Prometheus counters and the ack histogram."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, values
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from pydantic import SecretStr
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, tell_libraries

# -- metrics --------------------------------------------------------------------------------------------
# Under `opsbot serve` the listeners run in a forked work process (bot/http.py), so what they count (commands
# answered, errors, messages sent) is counted there, not in the process that answers /metrics. So counters and
# histograms are kept the way prometheus_client's multiprocess mode keeps them — one file per process in a
# directory of the run's own (PROMETHEUS_MULTIPROC_DIR) — and /metrics sums them. Gauges read from the
# database (the outbox's and the work queue's depth) are computed when scraped, by whoever answers.

_OWN = CollectorRegistry()  # this process's counters, when it counts alone (the console, tests, `opsbot run`)
_directory: list[str] = []  # the run's directory, while counting across processes
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"  # where prometheus_client looks for it (and nowhere else)
M = TypeVar("M", Counter, Histogram)


class _Made(Generic[M]):
    """A counter or histogram that can be made again, so that how it is kept (in this process, or in files
    every process of the run shares) can be chosen by ``opsbot serve`` at start, after this module loaded.
    Callers hold this, never the metric it stands for."""

    def __init__(self, kind: type[M], name: str, documentation: str, labelnames: tuple[str, ...] = (),
                 **options: Any) -> None:
        self._make: Callable[[], M] = lambda: kind(name, documentation, labelnames, registry=_OWN, **options)
        self._lock = threading.Lock()
        self._made: M = self._make()
        _MADE.append(self)

    def labels(self, **labels: str) -> M:
        child: M = self._made.labels(**labels)
        return child

    def inc(self: _Made[Counter], amount: float = 1.0) -> None:
        self._made.inc(amount)

    def observe(self: _Made[Histogram], amount: float) -> None:
        self._made.observe(amount)

    def remake(self) -> None:
        """Made again, from zero, the way prometheus_client now keeps values."""
        with self._lock:
            _OWN.unregister(self._made)
            self._made = self._make()


_MADE: list[_Made[Any]] = []


class Scraped:
    """A gauge whose value is read when /metrics is scraped (from the database), in the answering process."""

    def __init__(self, name: str, documentation: str) -> None:
        self.name, self.documentation = name, documentation
        self._read: Callable[[], float] | None = None

    def set_function(self, read: Callable[[], float]) -> None:
        self._read = read

    def describe(self) -> list[Metric]:
        return [GaugeMetricFamily(self.name, self.documentation)]

    def collect(self) -> list[Metric]:
        if self._read is None:
            return []
        return [GaugeMetricFamily(self.name, self.documentation, value=float(self._read()))]


class _Counted:
    """The counters and histograms: this process's, or every process's of the run, summed."""

    def collect(self) -> Iterable[Metric]:
        if not _directory:
            return list(_OWN.collect())
        forget_dead_processes(_directory[0])
        return list(MultiProcessCollector(None, path=_directory[0]).collect())  # type: ignore[no-untyped-call]


REGISTRY = CollectorRegistry()  # what /metrics shows
REGISTRY.register(_Counted())  # no describe(): its names are only known when read

COMMANDS = _Made(Counter, "opsbot_commands", "Slash commands received", ("command",))
ERRORS = _Made(Counter, "opsbot_errors", "Listener errors", ("kind",))
ACK_SECONDS = _Made(
    Histogram, "opsbot_ack_seconds", "Time from a request arriving to Slack getting its answer",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
)
DELIVERIES_RETRIED = _Made(Counter, "opsbot_deliveries_retried", "Slack calls of the outbox to be tried again, by why",
                           ("reason",))
OUTBOX_SENT = _Made(Counter, "opsbot_outbox_sent", "Outbox messages sent to Slack (every process of this run)")
OUTBOX_FAILED = _Made(Counter, "opsbot_outbox_failed", "Outbox messages Slack refused for good")
SCHEDULED_FIRES = _Made(Counter, "opsbot_scheduled_fires", "Scheduled fires acted on (every process of this run)")
OUTBOX_DEPTH = Scraped("opsbot_outbox_depth", "Outbox messages waiting to be sent (all replicas)")
OUTBOX_OLDEST_SECONDS = Scraped("opsbot_outbox_oldest_seconds", "How long the oldest unsent outbox message has waited")
WORK_DEPTH = Scraped("opsbot_work_depth", "Acknowledged Slack requests waiting for (or in) their work, all replicas")
WORK_OLDEST_SECONDS = Scraped("opsbot_work_oldest_seconds", "How long the oldest acknowledged request has waited")
for _gauge in (OUTBOX_DEPTH, OUTBOX_OLDEST_SECONDS, WORK_DEPTH, WORK_OLDEST_SECONDS):
    REGISTRY.register(_gauge)


def count_across_processes(directory: str) -> None:
    """From now on, count in ``directory`` (one file per process; a forked child writes its own) and show the
    sum of every process's counts on /metrics. Called by ``opsbot serve`` before it forks its work process."""
    tell_libraries(MULTIPROC_DIR, directory)
    # What prometheus_client decides from that variable when it is first imported; made here instead, since
    # the variable is the run's own directory, made after this module was imported.
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    _directory[:] = [directory]
    for made in _MADE:
        made.remake()


def count_in_this_process() -> None:
    """Back to counting in this process alone (the end of a run, or of a test)."""
    tell_libraries(MULTIPROC_DIR, None)
    values.ValueClass = values.MutexValue
    _directory.clear()
    for made in _MADE:
        made.remake()


@contextmanager
def metrics_of_this_run(given: Path | None = None) -> Iterator[str]:
    """A directory for every process's counts (``given``: the operator's PROMETHEUS_MULTIPROC_DIR, otherwise one
    of this run's own, removed at the end), counted across processes while it lasts."""
    directory = str(given) if given is not None else tempfile.mkdtemp(prefix="opsbot-metrics-")
    Path(directory).mkdir(parents=True, exist_ok=True)
    forget_dead_processes(directory)
    count_across_processes(directory)
    try:
        yield directory
    finally:
        count_in_this_process()
        if given is None:
            shutil.rmtree(directory, ignore_errors=True)


_PID = re.compile(r"_(\d+)\.db$")


def forget_dead_processes(directory: str) -> None:
    """prometheus_client's bookkeeping for processes that ended (a work process restarted, an earlier run's):
    their live gauges go; what they counted stays in the sum, as a counter should."""
    for path in Path(directory).iterdir():
        found = _PID.search(path.name)
        if found and not _alive(int(found.group(1))):
            mark_process_dead(int(found.group(1)), directory)  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
