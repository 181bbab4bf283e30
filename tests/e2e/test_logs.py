"""No secret and no buyer's personal data reaches the log, even at DEBUG, as text or as JSON.

A realistic morning runs through the real app with every logger at DEBUG (Opsbot's, Bolt's,
slack_sdk's, SQLAlchemy's, the scheduler's): commands, modals, buttons, an All Orders file shared
in #data with buyer names, emails, phone numbers and addresses, a file that fails to load, a
forged request, and an unexpected error with its traceback. Every record, as the configured
formatter writes it, is then searched for the bot token, the signing secret, the OAuth client
secret and each piece of buyer data in the file.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import BoltRequest

from bot.config import load_settings
from bot.console import payloads
from bot.console.real_app import CONSOLE_TOKEN
from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from bot.observability import BODY_LOGGERS, configure_logging, redact
from tests.conftest import MONDAY_9AM_SHENZHEN, REPO, converse

ORDERS = REPO / "tests" / "kpi" / "fixtures" / "all-orders.txt"
CLIENT_SECRET = "client-secret-3f9a7c1e-never-logged"
# What Amazon's All Orders flat file carries about buyers (the fixture has the columns Opsbot reads).
BUYER_COLUMNS = ["buyer-name", "buyer-email", "buyer-phone-number", "recipient-name", "ship-address-1",
                 "ship-address-2"]
BUYERS = [
    ["Margaret Whitfield-Oyelaran", "mwhitfield.buyer@marketplace.example", "+1-217-555-0142",
     "Margaret Whitfield-Oyelaran", "1742 Sycamore Hollow Lane", "Apartment 5C"],
    ["Jürgen Schöttle-Varga", "jschoettle.kunde@marketplace.example", "+49-30-5550-1987", "Jürgen Schöttle-Varga",
     "Kastanienallee 917", "Hinterhaus 3. OG"],
    ["王秀英", "wangxiuying.buyer@marketplace.example", "+86-755-5550-2381", "王秀英", "深南大道 8888 号",
     "华润大厦 2201 室"],
]


def _orders_with_buyers(folder: Path, broken: bool = False) -> Path:
    header, *rows = ORDERS.read_text(encoding="utf-8").splitlines()
    lines = ["\t".join([*header.split("\t"), *BUYER_COLUMNS])]
    for number, row in enumerate(rows):
        cells = row.split("\t")
        if broken and number == 1:
            cells[2] = f"{BUYERS[0][0]} {BUYERS[0][4]}"  # a purchase-date cell holding a buyer's name and address
        lines.append("\t".join([*cells, *BUYERS[number % len(BUYERS)]]))
    path = folder / ("broken-orders.txt" if broken else "all-orders-with-buyers.txt")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _forbidden(console: ConsoleSlack) -> list[str]:
    return [CONSOLE_TOKEN, console.signing_secret, CLIENT_SECRET, *(v for buyer in BUYERS for v in buyer)]


@pytest.fixture(params=["text", "json"])
def log_format(request: pytest.FixtureRequest) -> Iterator[str]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {n: logging.getLogger(n).level for n in BODY_LOGGERS}
    # Before the app is built, as `opsbot serve` does: Bolt's loggers take the root's level when created.
    configure_logging(load_settings(OPSBOT_LOG_FORMAT=request.param, OPSBOT_LOG_LEVEL="DEBUG"))
    try:
        yield request.param
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def console(log_format: str, playbooks_dir: Path, database_url: str,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[ConsoleSlack]:
    monkeypatch.setenv("SLACK_CLIENT_SECRET", CLIENT_SECRET)  # as an OAuth install would have it
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


@pytest.fixture
def logged(log_format: str, console: ConsoleSlack) -> io.StringIO:
    """The deployment's logging with the app's own settings (the console makes its signing secret up)."""
    configure_logging(load_settings(OPSBOT_LOG_FORMAT=log_format, OPSBOT_LOG_LEVEL="DEBUG",
                                    SLACK_BOT_TOKEN=CONSOLE_TOKEN, SLACK_SIGNING_SECRET=console.signing_secret))
    buffer = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    return buffer


def _readable(log: str) -> str:
    """JSON lines decoded (a Chinese name is escaped in JSON), so a search cannot miss it."""
    lines = []
    for line in log.splitlines():
        try:
            lines.append(json.dumps(json.loads(line), ensure_ascii=False))
        except json.JSONDecodeError:
            lines.append(line)
    return "\n".join(lines)


def _morning(console: ConsoleSlack, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    transcript = converse(console, [
        ("!as U0BUYER\n"
         "/ops team", ["Team Shenzhen Ops"]),
        ("/standup", ["Daily stand-up"]),
        ('!fill yesterday="Called the LED supplier" today="Book the container"\n'
         "!submit", ["✅ Thanks — your stand-up for Monday, November 23, 2026 is in."]),
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {_orders_with_buyers(folder)}", ["Loaded all-orders-with-buyers.txt"]),
        (f"!upload {_orders_with_buyers(folder, broken=True)}", ["broken-orders.txt"]),
        ("/kpi US 7d", ["KPIs: US"]),
        ("!as U0MARKET\n"
         "!in C0OPS\n"
         "/restock", ["Restock request"]),
        ("!fill sku=LED-100 quantity=500\n"
         "!submit", ["📦 Restock R-1 · requested", "500 × LED-100 → US FBA"]),
        ("/feedback Buyer says LED-100 arrived with a cracked base", ["Thanks!"]),
        ("/launch new", ["New launch"]),
        ("!fill name=x skus=LED-100\n"
         "!submit", ["✗"]),
    ])

    def broken_report(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"report failed for token {CONSOLE_TOKEN} and buyer {BUYERS[0][1]}")

    monkeypatch.setattr(KpiFlow, "report", broken_report)
    # Here the error is the point (converse refuses it everywhere else): its log line must not leak either.
    failed = console.send("/kpi US 7d")
    assert "Something went wrong (ref " in failed
    transcript += failed
    body = payloads.slash_command("/ops", "team", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                  response_url=console.emulator.new_response_url("C0OPS", "U0BUYER"))
    forged = BoltRequest(body=body + f"&note={BUYERS[1][1]}", headers=payloads.sign("not-the-secret", body))
    assert console.app.dispatch(forged).status == 401
    return transcript


def test_a_morning_at_debug_logs_no_secret_and_no_buyer_data(
    logged: io.StringIO, console: ConsoleSlack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _morning(console, tmp_path, monkeypatch)
    log = _readable(logged.getvalue())
    assert "unhandled error in a listener" in log and "Traceback" in log  # the error was logged, with its ref
    assert "DEBUG" in log and "Invalid request signature detected" in log
    leaks = sorted({secret for secret in _forbidden(console) if secret in log})
    assert leaks == [], "in the log: " + ", ".join(leaks)


def test_the_redaction_keeps_what_an_operator_needs() -> None:
    shown = redact("auth failed for xoxb-123-456-abc (user jane.doe@example.com, secret s3cr3t-value-1)",
                   ["s3cr3t-value-1"])
    assert shown == "auth failed for [token] (user [email], secret [redacted])"
