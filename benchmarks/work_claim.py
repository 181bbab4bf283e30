"""What taking the next request from the work queue costs as the backlog grows.

Under a rush the work queue holds thousands of acknowledged requests (benchmarks/ack_latency.py's 400/s rows
end with ~3,000 waiting), and every work thread claims the next one with :meth:`WorkQueue.claim`, which
also deletes the one it finished. If a claim reads the whole queue, each costs more as the backlog grows, the
threads do less, and the backlog grows further, on the same cores as the acks. So: twelve threads (as
``opsbot serve``'s work process has) claim and finish requests from a queue of a given depth, mixed as
Slack's are (trigger-lane commands, other requests, App Home refreshes); reported per depth are the claims'
p50/p99 and the ratio of the p50 to the reference, the same threads on a queue of 300 requests. A claim that
uses the queue's indexes costs the same at any depth: ratio about 1.

    python benchmarks/work_claim.py                      # depths 300 (the reference), 3,000, 10,000; SQLite
    python benchmarks/work_claim.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
                                                         # the same in database opsbot_bench_claim (created)
    python benchmarks/work_claim.py --smoke              # depths 300 and 1,000, SQLite
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, delete, insert, text
from sqlalchemy.engine import make_url

from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.outbox import WorkItem
from bot.outbox.work import HOME, OTHER, TRIGGER, WorkQueue

THREADS = 12
CLAIMS_PER_THREAD = 20
REFERENCE_DEPTH = 300


def fill(db: Database, depth: int) -> None:
    now = datetime.now(UTC)
    lanes = [TRIGGER, OTHER, OTHER, OTHER, OTHER, OTHER, OTHER, OTHER, HOME, HOME]  # as a 9 a.m. rush mixes them
    rows = [
        {"team_id": "T0BENCH", "body": f"command={n}", "content_type": "application/x-www-form-urlencoded",
         "received_at": now, "attempts": 0, "lane": lanes[n % len(lanes)]}
        for n in range(depth)
    ]
    with db.engine.begin() as connection:
        connection.execute(delete(WorkItem))
        connection.execute(insert(WorkItem), rows)


def measure(db: Database, depth: int) -> list[float]:
    fill(db, depth)
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE work"))  # as autovacuum would have by the time a backlog is this deep
    queue = WorkQueue(db)
    timings: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        finished = None
        mine: list[float] = []
        for _ in range(CLAIMS_PER_THREAD):
            started = time.perf_counter()
            finished = queue.claim(finished)
            mine.append(time.perf_counter() - started)
        if finished is not None:
            queue.done(finished)
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def postgres_database(url: str) -> str:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS opsbot_bench_claim"))
        connection.execute(text("CREATE DATABASE opsbot_bench_claim"))
    admin.dispose()
    return make_url(url).set(database="opsbot_bench_claim").render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="measure on PostgreSQL (the URL's database must exist)")
    parser.add_argument("--smoke", action="store_true", help="depths 300 and 1,000")
    args = parser.parse_args()
    depths = [REFERENCE_DEPTH, 1_000] if args.smoke else [REFERENCE_DEPTH, 3_000, 10_000]
    with tempfile.TemporaryDirectory() as folder:
        url = postgres_database(args.postgres) if args.postgres else f"sqlite:///{Path(folder) / 'claim.sqlite3'}"
        db = Database(url)
        upgrade(db.engine)
        try:
            print(f"{db.engine.dialect.name}: {THREADS} threads x {CLAIMS_PER_THREAD} claims at each depth")
            print(f"{'depth':>7} {'p50 ms':>8} {'p99 ms':>8} {'p50 / reference':>16}")
            reference = 0.0
            for depth in depths:
                measure(db, depth)  # warm-up: connections opened, statements prepared
                timings = sorted(measure(db, depth))
                p50 = statistics.median(timings) * 1000
                p99 = timings[int(len(timings) * 0.99) - 1] * 1000
                reference = reference or p50
                print(f"{depth:>7,} {p50:>8.2f} {p99:>8.2f} {p50 / reference:>15.2f}x")
            print(f"reference: the same {THREADS} threads on a queue of {REFERENCE_DEPTH} requests")
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
