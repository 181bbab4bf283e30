"""A TCP proxy in front of the test's PostgreSQL that the test can freeze: a database host that hangs.

``hang()``: new connections are accepted and nothing is forwarded (a network split, a frozen host: no refusal,
no reset, just silence), and the open ones stop forwarding in both directions, what they carry held.
``resume()``: the open ones forward again what they held (a commit sent during the freeze lands late, as it
would when a frozen host thaws); the connections accepted during the freeze are closed (their clients gave up).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit, urlunsplit


class HangingDatabase:
    def __init__(self, database_url: str) -> None:
        parts = urlsplit(database_url)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.flowing = threading.Event()
        self.flowing.set()
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        userinfo = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        self.url = urlunsplit(parts._replace(netloc=f"{userinfo}127.0.0.1:{port}"))
        threading.Thread(target=self._accept, daemon=True).start()

    def hang(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        with self._lock:
            held, self._held = self._held, []
        for connection in held:
            connection.close()
        self.flowing.set()

    def close(self) -> None:
        self.resume()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self.flowing.is_set():
                with self._lock:
                    self._held.append(client)
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.flowing.wait()  # frozen: what was read is held until the database "thaws"
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
