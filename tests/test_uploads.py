"""The shared-file checks on their own: which hosts are Slack's, redirects, and a download cut at the limit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import OpsError
from bot.uploads import NOT_A_REPORT, NOT_ON_SLACK, TOO_LARGE, Origin, SharedReport, SlackFiles, file_hosts

TOKEN = "xoxb-uploads-test"
MB = 1024 * 1024


class Server:
    """A local web server whose GET answer a test chooses; it records each request's headers."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.seen: list[dict[str, str]] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append({"path": self.path, **dict(self.headers)})
                answer(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def _files(api: str, limit_mb: int = 1) -> SlackFiles:
    return SlackFiles(load_settings(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=f"{api}/api/",
                                    OPSBOT_MAX_UPLOAD_MB=str(limit_mb)), token=lambda: TOKEN)


def _shared(url: str, name: str = "sales.csv", **more: object) -> dict[str, object]:
    return {"id": "F1", "name": name, "filetype": name.rsplit(".", 1)[-1], "size": 10, "url_private": url,
            "url_private_download": url, **more}


def test_slacks_file_host_and_the_configured_apis_host_are_the_only_sources() -> None:
    assert file_hosts("https://slack.com/api/") == {Origin("https", "files.slack.com", 443),
                                                    Origin("https", "slack.com", 443)}
    assert Origin("https", "files.slack-gov.com", 443) in file_hosts("https://slack-gov.com/api/")
    assert Origin("http", "127.0.0.1", 8080) in file_hosts("http://127.0.0.1:8080/api/")


@pytest.mark.parametrize(("url", "ok"), [
    ("https://files.slack.com/files-pri/T1-F1/download/sales.csv", True),
    ("https://FILES.SLACK.COM/files-pri/T1-F1/sales.csv", True),
    ("http://files.slack.com/files-pri/T1-F1/sales.csv", False),  # never the token in clear text
    ("https://files.slack.com:8443/sales.csv", False),
    ("https://files.slack.com.evil.example/sales.csv", False),
    ("https://evil.example/files.slack.com/sales.csv", False),
    ("https://user:pw@files.slack.com/sales.csv", False),
    ("https://files.slack.com:notaport/sales.csv", False),
    ("file:///etc/passwd", False),
    ("", False),
])
def test_which_links_count_as_slacks(url: str, ok: bool) -> None:
    assert _files("https://slack.com").on_slack(url) is ok


def test_type_and_reported_size_are_checked_before_anything_is_fetched() -> None:
    files = _files("https://slack.com")
    url = "https://files.slack.com/f/sales.csv"
    assert files.check(_shared(url)) == SharedReport("sales.csv", "csv", url)
    assert files.check(_shared(url, "Orders.TXT", filetype="text")).extension == "txt"
    for bad in (_shared(url, "sales.pdf"), _shared(url, filetype="binary"), _shared(url, filetype=None)):
        with pytest.raises(OpsError) as refused:
            files.check(bad)
        assert refused.value.message == NOT_A_REPORT
    with pytest.raises(OpsError) as too_big:
        files.check(_shared(url, size=MB + 1))
    assert too_big.value.message == TOO_LARGE and too_big.value.params == {"file": "sales.csv", "limit": 1}
    with pytest.raises(OpsError) as elsewhere:
        files.check(_shared("https://example.com/sales.csv"))
    assert elsewhere.value.message == NOT_ON_SLACK


def test_the_download_sends_the_token_to_slack_and_keeps_the_bytes(servers: list[Server], tmp_path: Path) -> None:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "8")
        handler.end_headers()
        handler.wfile.write(b"sku,qty\n")

    slack = Server(answer)
    servers.append(slack)
    files = _files(slack.url)
    saved = files.download(files.check(_shared(f"{slack.url}/files/F1/sales.csv")), tmp_path / "f.csv")
    assert saved.read_bytes() == b"sku,qty\n"
    assert slack.seen[0]["Authorization"] == f"Bearer {TOKEN}"


def test_a_download_without_a_length_stops_reading_past_the_limit(servers: list[Server], tmp_path: Path) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")  # no Content-Length: the body runs until the connection closes
        handler.end_headers()
        try:
            for _ in range(64):  # 4 MB offered
                handler.wfile.write(b"x" * 65536)
        except OSError:
            return

    slack = Server(endless)
    servers.append(slack)
    files = _files(slack.url)
    target = tmp_path / "f.csv"
    with pytest.raises(OpsError) as refused:
        files.download(files.check(_shared(f"{slack.url}/files/F1/sales.csv")), target)
    assert refused.value.message == TOO_LARGE
    assert not target.exists()


def test_a_redirect_off_slacks_host_is_not_followed(servers: list[Server], tmp_path: Path) -> None:
    def ok(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    elsewhere = Server(ok)
    servers.append(elsewhere)

    def redirect(handler: BaseHTTPRequestHandler) -> None:
        target = f"{elsewhere.url}/steal" if "away" in handler.path else "/files/F1/moved.csv"
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    slack = Server(lambda h: redirect(h) if "moved" not in h.path else ok(h))
    servers.append(slack)
    files = _files(slack.url)
    with pytest.raises(OpsError) as refused:
        files.download(files.check(_shared(f"{slack.url}/files/F1/away.csv")), tmp_path / "a.csv")
    assert refused.value.message == NOT_ON_SLACK
    assert elsewhere.seen == []
    # A redirect within Slack's file host is followed, with the token.
    files.download(files.check(_shared(f"{slack.url}/files/F1/here.csv")), tmp_path / "b.csv")
    assert [s["path"] for s in slack.seen[-2:]] == ["/files/F1/here.csv", "/files/F1/moved.csv"]
    assert slack.seen[-1]["Authorization"] == f"Bearer {TOKEN}"


def test_a_refused_download_says_why(servers: list[Server], tmp_path: Path) -> None:
    def forbidden(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(403)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    slack = Server(forbidden)
    servers.append(slack)
    files = _files(slack.url)
    with pytest.raises(OpsError) as refused:
        files.download(files.check(_shared(f"{slack.url}/files/F1/sales.csv")), tmp_path / "f.csv")
    assert refused.value.params == {"file": "sales.csv", "reason": "HTTP 403"}


@pytest.mark.parametrize(("given", "sent"), [
    ("https://files.slack.com/files-pri/T1-F1/LED sales 十一月.csv",
     "https://files.slack.com/files-pri/T1-F1/LED%20sales%20%E5%8D%81%E4%B8%80%E6%9C%88.csv"),
    ("https://files.slack.com/files-pri/T1-F1/already%20escaped.csv",
     "https://files.slack.com/files-pri/T1-F1/already%20escaped.csv"),
])
def test_a_link_with_spaces_or_chinese_is_escaped_once(given: str, sent: str) -> None:
    assert _files("https://slack.com").check(_shared(given, name="x.csv")).url == sent
