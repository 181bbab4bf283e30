"""Shared report files: too large, the wrong type or a link off Slack's file host get a clear reply and load nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.console.real_app import CONSOLE_TOKEN
from bot.console.session import ConsoleSlack
from bot.db.core import AuditEntry
from tests.conftest import MONDAY_9AM_SHENZHEN, REPO, converse

SALES = REPO / "tests" / "restock" / "fixtures" / "led-100-us.csv"
ACCEPTED = "Share a CSV, TSV, TXT or XLSX export"


NOTHING_LOADED = ("/kpi US 30d", ["No report data for US from Oct 24, 2026 to Nov 22, 2026 yet."])


def _reports_audited(console: ConsoleSlack) -> int:
    """Loaded reports in the audit trail: a record kept for later that no Slack surface shows."""
    with console.services.db.transaction() as session:
        found = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "report"))
    return int(found or 0)


@pytest.fixture
def analyst(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """Sara, the analyst, in #data: where reports are shared."""
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         as_user="U0ANALYST", in_channel="C0DATA")
    try:
        yield slack
    finally:
        slack.close()


@pytest.fixture
def one_megabyte_limit(monkeypatch: pytest.MonkeyPatch, playbooks_dir: Path,
                       database_url: str) -> Iterator[ConsoleSlack]:
    monkeypatch.setenv("OPSBOT_MAX_UPLOAD_MB", "1")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         as_user="U0ANALYST", in_channel="C0DATA")
    try:
        yield slack
    finally:
        slack.close()


@pytest.fixture
def big_sales_file(tmp_path: Path) -> Path:
    """A real daily CSV of about 1.3 MB: a valid report, only too large for a 1 MB limit."""
    lines = SALES.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "big-sales.csv"
    path.write_text("\n".join([lines[0], *lines[1:] * 300]) + "\n", encoding="utf-8")
    assert 1024 * 1024 < path.stat().st_size < 2 * 1024 * 1024
    return path


class OtherHost:
    """A web server that is not Slack: records whether anything (a token above all) was sent to it."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(dict(self.headers))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"a,")

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def other_host() -> Iterator[OtherHost]:
    host = OtherHost()
    yield host
    host.stop()


def test_a_good_report_still_loads(analyst: ConsoleSlack) -> None:
    converse(analyst, [
        (f"!upload {SALES}", ["Loaded led-100-us.csv (generic daily CSV)", "90 new"]),
        ("/kpi US 7d", ["KPIs: US", "data through Nov 22, 2026", "*GMV* · $4,198.60"]),
    ])
    assert _reports_audited(analyst) == 1


def test_a_file_over_the_size_limit_is_refused_before_downloading(one_megabyte_limit: ConsoleSlack,
                                                                  big_sales_file: Path) -> None:
    converse(one_megabyte_limit, [
        (f"!upload {big_sales_file}", ["#data · in thread · Opsbot",
                                       "big-sales.csv is larger than 1 MB, the most I read from Slack, so nothing "
                                       "was loaded. Share a shorter date range"]),
        NOTHING_LOADED,
    ])
    assert _reports_audited(one_megabyte_limit) == 0


def test_a_file_larger_than_slack_said_stops_downloading_at_the_limit(one_megabyte_limit: ConsoleSlack,
                                                                      big_sales_file: Path) -> None:
    converse(one_megabyte_limit, [
        (f"!upload {big_sales_file} size=2000", ["big-sales.csv is larger than 1 MB"]),
        NOTHING_LOADED,
    ])
    assert _reports_audited(one_megabyte_limit) == 0


@pytest.mark.parametrize(("name", "overrides"), [
    ("invoice.pdf", ""),
    ("setup.exe", ""),
    ("no-extension", ""),
    ("sales.csv", "filetype=pdf"),  # the name says csv, Slack says otherwise
    ("sales.xlsx.zip", ""),
])
def test_a_file_of_the_wrong_type_gets_what_is_accepted(analyst: ConsoleSlack, tmp_path: Path, name: str,
                                                        overrides: str) -> None:
    path = tmp_path / name
    path.write_bytes(SALES.read_bytes())
    converse(analyst, [
        (f"!upload {path} {overrides}", [f"{name} is not a report file I can read", ACCEPTED, "nothing was loaded"]),
        NOTHING_LOADED,
    ])
    assert _reports_audited(analyst) == 0


def test_a_link_to_another_host_is_never_fetched_and_gets_no_token(analyst: ConsoleSlack,
                                                                   other_host: OtherHost) -> None:
    elsewhere = f"{other_host.url}/files/F1/led-100-us.csv"
    converse(analyst, [
        (f"!upload {SALES} url_private={elsewhere} url_private_download={elsewhere}",
         ["led-100-us.csv was not downloaded: its link does not point to Slack's file server. Nothing was loaded."]),
        (f"!upload {SALES} url_private_download=https://files.slack.com.evil.example/x.csv",
         ["does not point to Slack's file server"]),
        (f"!upload {SALES} url_private_download=https://{CONSOLE_TOKEN}@files.slack.com/x.csv",
         ["does not point to Slack's file server"]),
        NOTHING_LOADED,
    ])
    assert other_host.requests == []
    assert _reports_audited(analyst) == 0


def test_a_file_name_cannot_mention_the_whole_channel(analyst: ConsoleSlack, tmp_path: Path) -> None:
    path = tmp_path / "sales.pdf"
    path.write_bytes(b"%PDF")
    output = converse(analyst, [(f"!upload {path} name=<!channel>.pdf", ["not a report file I can read"])])
    assert "<!channel>" not in "".join(r.text for r in analyst.emulator.records if r.kind == "message")
    assert "&lt;!channel&gt;.pdf" in "".join(r.text for r in analyst.emulator.records if r.kind == "message")
    assert "<!channel>.pdf" in output  # shown as typed, as Slack shows escaped text


def test_the_refusal_is_in_chinese_for_a_chinese_dm(console: ConsoleSlack, tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    converse(console, [(f"!in U0MANAGER\n!upload {path}", ["notes.docx 不是我能读取的报表文件"])])
