"""The replay guard on its own: one row per accepted signature, old rows pruned, one winner under a race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from slack_bolt import BoltRequest, BoltResponse
from sqlalchemy import func, select

from bot.db import Database
from bot.db.core import AcceptedSignature
from bot.db.migrate import upgrade
from bot.replays import ReplayGuard

NOW = 1_795_000_000  # a request timestamp; the guard never reads the wall clock


def _request(signature: str | None, stamp: int = NOW, mode: str = "http") -> BoltRequest:
    headers = {"x-slack-request-timestamp": str(stamp), "content-type": "application/json"}
    if signature is not None:
        headers["x-slack-signature"] = signature
    return BoltRequest(body="{}", headers=headers, mode=mode)


def _through(guard: ReplayGuard, request: BoltRequest) -> int:
    reached: list[bool] = []

    def next_() -> BoltResponse:
        reached.append(True)
        return BoltResponse(status=200, body="")

    answer = guard.process(req=request, resp=BoltResponse(status=200, body=""), next=next_)
    assert (answer is not None and answer.status == 200) == bool(reached)  # refused means no listener ran
    return answer.status if answer is not None else 0


def _rows(database: Database) -> int:
    with database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AcceptedSignature)) or 0)


def test_a_signature_is_accepted_once_and_refused_after(database: Database) -> None:
    guard = ReplayGuard(database)
    assert _through(guard, _request("v0=aaa")) == 200
    assert _through(guard, _request("v0=aaa")) == 401
    assert _through(guard, _request("v0=bbb")) == 200
    assert _rows(database) == 2


def test_only_a_hash_of_the_signature_is_stored(database: Database) -> None:
    _through(ReplayGuard(database), _request("v0=" + "f" * 64))
    with database.transaction() as session:
        stored = session.scalars(select(AcceptedSignature)).one()
    assert "f" * 64 not in stored.signature_hash and len(stored.signature_hash) == 64
    assert stored.signed_at == datetime.fromtimestamp(NOW, UTC)


def test_socket_mode_and_unsigned_requests_pass_without_a_row(database: Database) -> None:
    guard = ReplayGuard(database)
    assert _through(guard, _request(None)) == 200
    assert _through(guard, _request("v0=aaa", mode="socket_mode")) == 200
    assert _rows(database) == 0


def test_signatures_older_than_ten_minutes_are_pruned_by_a_later_request(database: Database) -> None:
    guard = ReplayGuard(database)
    _through(guard, _request("v0=old", stamp=NOW - 11 * 60))
    _through(guard, _request("v0=recent", stamp=NOW - 4 * 60))
    _through(guard, _request("v0=new", stamp=NOW))
    with database.transaction() as session:
        kept = set(session.scalars(select(AcceptedSignature.signed_at)))
    assert kept == {datetime.fromtimestamp(s, UTC) for s in (NOW - 4 * 60, NOW)}


def _race(url: str) -> list[int]:
    """Two replicas (two guards, two engines) get the same signed request at the same moment."""
    databases = [Database(url) for _ in range(2)]
    upgrade(databases[0].engine)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def replica(database: Database) -> None:
        guard = ReplayGuard(database)
        start.wait()
        statuses.append(_through(guard, _request("v0=same")))

    threads = [threading.Thread(target=replica, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    for database in databases:
        database.dispose()
    return sorted(statuses)


def test_two_replicas_racing_on_sqlite_accept_the_request_once(database_url: str) -> None:
    assert _race(database_url) == [200, 401]


@pytest.mark.postgres
def test_two_replicas_racing_on_postgresql_accept_the_request_once(postgres_url: str) -> None:
    assert _race(postgres_url) == [200, 401]
