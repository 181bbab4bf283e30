"""Stand-up fan-out: 50 teams, 1,000 members, every prompt due the same minute.

The real app (scheduler, stand-up jobs, the outbox and its sender threads) sends each member's prompt DM
to the Slack emulator, which paces chat.postMessage per channel (one a second), answers 10 % of calls
with 429 and a Retry-After, and takes 50 ms to answer each call, as Slack does. Reported: the time until
every prompt is delivered, how many were lost (must be 0) and how many duplicated (must be 0); and, side
by side, the same fan-out sent one by one (one scheduler worker, one outbox sender), the reference the
parallel fan-out is measured against.

    python benchmarks/standup_fanout.py            # 50 teams x 20 members
    python benchmarks/standup_fanout.py --smoke    # 5 teams x 10 members, for CI
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.console.emulator import Faults
from bot.console.session import ConsoleSlack
from bot.outbox import OutboxWorker

REPO = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # a Monday; prompts at 09:30 UTC
LATENCY = 0.05  # seconds each Web API call takes to answer: Slack's, seen from a server near it


def make_playbooks(folder: Path, teams: int, members: int) -> list[str]:
    # The repository's playbooks for every other feature; a generated team.yml and standup.yml.
    shutil.copytree(REPO / "playbooks", folder)
    users: list[str] = []
    documents = []
    for t in range(teams):
        people = []
        for m in range(members):
            user = f"U{t:02d}{m:03d}"
            users.append(user)
            people.append({"user": user, "name": f"Member {t}-{m}"})
        documents.append({"id": f"team-{t:02d}", "name": f"Team {t}", "timezone": "UTC", "members": people,
                          "channels": {"ops": f"C{t:02d}OPS"}})
    (folder / "team.yml").write_text(yaml.safe_dump({"teams": documents}), encoding="utf-8")
    standup = {"teams": {d["id"]: {"prompt_time": "09:30", "reminders": False} for d in documents}}
    (folder / "standup.yml").write_text(yaml.safe_dump(standup), encoding="utf-8")
    return users


def run(teams: int, members: int, workers: int, workdir: Path) -> tuple[float, int, int, int]:
    playbooks = workdir / f"playbooks-{workers}"
    users = make_playbooks(playbooks, teams, members)
    faults = Faults(rate_limited=0.10, retry_after_seconds=1, pace_per_channel=1.0, latency_seconds=LATENCY, seed=3)
    console = ConsoleSlack(playbooks_dir=playbooks, database_url=f"sqlite:///{workdir / f'fanout-{workers}.sqlite3'}",
                           start=START, faults=faults)
    console.services.scheduler.workers = workers
    outbox = console.services.delivery.outbox
    senders = OutboxWorker(outbox, senders=workers, idle_seconds=0.05)
    try:
        started = time.perf_counter()
        senders.start()  # as in `opsbot serve`: what a job could not send at once, the senders send
        console.services.scheduler.advance_to(console.clock, datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
        while outbox.depth():
            time.sleep(0.02)  # until Slack has every prompt
        elapsed = time.perf_counter() - started
        senders.stop()
        dms = Counter(
            console.emulator.channel(r.channel or "").user for r in console.emulator.records
            if r.kind == "message" and console.emulator.channel(r.channel or "").is_im
        )
        lost = sum(1 for u in users if dms[u] == 0)
        duplicated = sum(1 for u in users if dms[u] > 1)
        throttled = len(console.emulator.attempts) - len(console.emulator.calls)
        return elapsed, lost, duplicated, throttled
    finally:
        console.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--members", type=int, default=20, help="members per team")
    parser.add_argument("--smoke", action="store_true", help="5 teams x 10 members")
    args = parser.parse_args()
    teams, members = (5, 10) if args.smoke else (args.teams, args.members)
    workdir = Path(tempfile.mkdtemp(prefix="opsbot-fanout-"))
    try:
        print(f"{teams} teams x {members} members = {teams * members} prompts due at 09:30; "
              "emulator: 1 message/s per channel, 10% of calls 429 with Retry-After, 50 ms a call")
        print(f"{'fan-out':>12} {'seconds':>8} {'prompts/s':>10} {'lost':>5} {'duplicated':>10} {'429s':>6}")
        results = {}
        for label, workers in (("parallel(8)", 8), ("one by one", 1)):
            elapsed, lost, duplicated, throttled = run(teams, members, workers, workdir)
            results[label] = elapsed
            rate = teams * members / elapsed if elapsed else float("inf")
            print(f"{label:>12} {elapsed:>8.2f} {rate:>10.1f} {lost:>5} {duplicated:>10} {throttled:>6}")
        ratio = results["one by one"] / results["parallel(8)"]
        print(f"parallel fan-out is {ratio:.1f}x faster than one by one (the reference)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
