"""The pretend Slack's HTTP side, on 127.0.0.1: the real WebClient's Web API calls, posts to a
response_url, file downloads and file uploads all reach the emulator over HTTP, as they reach Slack.

It only reads requests and writes answers; what Slack does with a request is the emulator's
(``SlackSide``), so a fault or a refused token is decided there, not here.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

# status, body (JSON, or bytes as they are), headers
Answer = tuple[int, dict[str, Any] | bytes, dict[str, str]]


class SlackSide(Protocol):
    """What the server hands each request to."""

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> Answer | None:
        """A Web API call; None closes the connection with no answer."""

    def download(self, file_id: str, authorization: str) -> Answer:
        """GET of a file's url_private."""

    def upload(self, file_id: str, content: bytes) -> None:
        """POST of a file's bytes to the upload URL files.getUploadURLExternal gave."""

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        """POST to a response_url; False if there is no such response_url."""


class EmulatorServer:
    def __init__(self, slack: SlackSide) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(slack))
        self._server.daemon_threads = True
        # serve_forever checks for shutdown every poll_interval (0.5 s by default): every console and every e2e
        # test waited that long to close, about a minute over the suite.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="slack-emulator", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def bearer_token(authorization: str) -> str | None:
    return authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    if not authorization.startswith("Basic "):
        return None
    client_id, _, secret = base64.b64decode(authorization.removeprefix("Basic ")).decode().partition(":")
    return client_id, secret


def _handler_for(slack: SlackSide) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # the transcript is the log

        def _send(self, status: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type", "application/json" if isinstance(body, dict) else "application/octet-stream"
            )
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _authorization(self) -> str:
            return self.headers.get("Authorization", "")

        def do_GET(self) -> None:
            if urlparse(self.path).path.startswith("/api/"):  # conversations.history, files.list…
                self._api(urlparse(self.path).path.removeprefix("/api/"), _parse_args("", b"", self.path))
                return
            parts = urlparse(self.path).path.strip("/").split("/")
            if len(parts) >= 2 and parts[0] == "files":
                self._send(*slack.download(parts[1], self._authorization()))
                return
            self._send(404, {"ok": False, "error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            path = urlparse(self.path).path
            if path.startswith("/response/"):
                ok = slack.respond(path.rsplit("/", 1)[-1], json.loads(raw or b"{}"))
                self._send(200 if ok else 404, b"ok" if ok else b"no_such_response_url")
                return
            if path.startswith("/upload/"):
                slack.upload(path.rsplit("/", 1)[-1], raw)
                self._send(200, b"OK")
                return
            if not path.startswith("/api/"):
                self._send(404, {"ok": False, "error": "not_found"})
                return
            self._api(path.removeprefix("/api/"), _parse_args(self.headers.get("Content-Type", ""), raw, self.path))

        def _api(self, method: str, args: dict[str, Any]) -> None:
            answer = slack.answer(method, args, self._authorization())
            if answer is None:
                self.close_connection = True
                self.connection.close()
                return
            self._send(*answer)

    return Handler


def _parse_args(content_type: str, raw: bytes, path: str) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(urlparse(path).query).items()}
    if "application/json" in content_type:
        args.update(json.loads(raw or b"{}"))
    elif raw:
        args.update({k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()})
    return args
