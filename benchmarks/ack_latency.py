"""How fast `opsbot serve` acknowledges signed slash commands, next to a bare Bolt app that only acks.

Both run under the same production server (uvicorn, Bolt dispatched in a worker thread), each in its
own process, with Slack's Web API answered by the local emulator. Clients send signed slash commands
open-loop (on a fixed schedule, not waiting for answers) at rising rates; we report p50/p99 ack latency
and errors for both, and the ratio of Opsbot's p99 to bare Bolt's. The mix includes `/kpi 30d`, answered
from the KPI benchmark's year of exports (benchmarks/kpi.py: 1,000,000 order lines and the rest) loaded
into Opsbot's database first.

Targets on a 2-core machine: p99 < 300 ms at 50 requests/s with zero errors, p99 within 1.5x bare Bolt.

    python benchmarks/ack_latency.py                    # 10, 25, 50, 100 requests/s, 10 s each, a year of data
    python benchmarks/ack_latency.py --kpi-scale 0.1    # the same with a tenth of the KPI data
    python benchmarks/ack_latency.py --smoke            # a quick run that CI uses to keep this script working
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

from bot.console import payloads
from bot.console.emulator import SlackEmulator

REPO = Path(__file__).resolve().parent.parent
TOKEN = "xoxb-benchmark"
SECRET = "benchmark-signing-secret"
COMMANDS = [("/ops", "help"), ("/ops", "team")]  # what every Opsbot has; features add theirs below
FEATURE_COMMANDS = [("/kpi", "30d"), ("/restock", "list open"), ("/standup", "status"), ("/feedback", "list open"),
                    ("/launch", "list")]

BARE_BOLT = textwrap.dedent("""
    import sys, uvicorn
    from slack_bolt import App
    from slack_sdk import WebClient
    from bot.http import build_http_app
    app = App(signing_secret=sys.argv[2], client=WebClient(token=sys.argv[3], base_url=sys.argv[4]),
              token_verification_enabled=False)
    for name in sys.argv[5:]:
        app.command(name)(lambda ack: ack())
    uvicorn.run(build_http_app(app), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
""")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early with code {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling for readiness, not measuring
    raise SystemExit(f"server at {base} did not become healthy")


def warm_up(base: str, emulator: SlackEmulator, commands: list[tuple[str, str]], *, answers: bool) -> None:
    """Every command once (imports, the database, the first users.list). Opsbot answers each through its
    response_url after the ack: wait for those answers, so the year's first `/kpi 30d` computation (0.4 s of
    pandas) is not still running inside the first rate's window. The `/kpi 30d` asks measured after it are
    answered from that computation, as a team's morning of `/kpi 30d` is; the bare app answers nothing."""
    before = sum(1 for r in emulator.records if r.kind == "ephemeral")
    asyncio.run(run_rate(base, emulator, len(commands), 1.0, commands))
    if answers and not emulator.wait_for(
        lambda records: sum(1 for r in records if r.kind == "ephemeral") - before >= len(commands), timeout=120
    ):
        raise SystemExit(f"the server at {base} did not answer its warm-up commands")


def registered_commands() -> list[tuple[str, str]]:
    from bot.wiring import FEATURES

    names = {c.name for f in FEATURES for c in f.commands}
    return COMMANDS + [c for c in FEATURE_COMMANDS if c[0] in names]


async def run_rate(base: str, emulator: SlackEmulator, rate: int, seconds: float,
                   commands: list[tuple[str, str]]) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    total = int(rate * seconds)
    users = ["U0BUYER", "U0MANAGER", "U0MARKET", "U0WAREHOUSE"]
    async with httpx.AsyncClient(timeout=10, limits=httpx.Limits(max_connections=400)) as client:

        async def one(index: int) -> None:
            nonlocal errors
            command, text = commands[index % len(commands)]
            user = users[index % len(users)]
            body = payloads.slash_command(command, text, user=user, channel="C0OPS", team="T0DEMO",
                                          response_url=emulator.new_response_url("C0OPS", user))
            started = time.perf_counter()
            try:
                response = await client.post(f"{base}/slack/events", content=body, headers=payloads.sign(SECRET, body))
                if response.status_code != 200:
                    errors += 1
                    return
            except httpx.HTTPError:
                errors += 1
                return
            latencies.append(time.perf_counter() - started)

        start = time.perf_counter()
        tasks = []
        for index in range(total):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # open-loop schedule: send on time whatever the server does
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
    return latencies, errors


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1] if len(values) > 1 else values[0]


def load_kpi_data(workdir: Path, scale: float) -> int:
    """The KPI benchmark's year of exports (benchmarks/kpi.py), loaded the way `opsbot ingest` loads them,
    so `/kpi 30d` in the mix answers from a realistic database."""
    from datetime import UTC, datetime

    from bot.db import Database
    from bot.db.migrate import upgrade
    from bot.reports.ingest import ingest_files

    sys.path.insert(0, str(REPO / "benchmarks"))
    from kpi import TEAM, generate

    files = generate(workdir, scale)
    database = Database(f"sqlite:///{workdir / 'bench.sqlite3'}")
    upgrade(database.engine)
    with database.transaction() as session:
        loaded = ingest_files(session, TEAM, list(files.values()), now=datetime(2026, 11, 23, 1, tzinfo=UTC))
    database.dispose()
    return loaded.new + loaded.updated


def start_opsbot(port: int, emulator: SlackEmulator, workdir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": emulator.api_url,
           "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}", "OPSBOT_PLAYBOOKS": str(REPO / "playbooks")}
    return subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], env=env, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_bare(port: int, emulator: SlackEmulator, commands: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", BARE_BOLT, str(port), SECRET, TOKEN, emulator.api_url, *commands],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="10,25,50,100", help="requests per second, comma separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each rate runs")
    parser.add_argument("--smoke", action="store_true", help="a quick run: 10 and 50 requests/s for 1 s")
    parser.add_argument("--kpi-scale", type=float, default=1.0,
                        help="size of the KPI data behind /kpi 30d, as a fraction of benchmarks/kpi.py's year")
    args = parser.parse_args()
    rates = [10, 50] if args.smoke else [int(r) for r in args.rates.split(",")]
    seconds = 1.0 if args.smoke else args.seconds
    kpi_scale = 0.02 if args.smoke else args.kpi_scale

    emulator = SlackEmulator(TOKEN).start()
    workdir = Path(tempfile.mkdtemp(prefix="opsbot-bench-"))
    commands = registered_commands()
    servers = {}
    processes = []
    try:
        started = time.perf_counter()
        facts = load_kpi_data(workdir, kpi_scale)
        print(f"KPI data behind /kpi 30d: {facts:,} daily facts (scale {kpi_scale}), loaded in "
              f"{time.perf_counter() - started:.0f} s")
        port = free_port()
        processes.append(start_opsbot(port, emulator, workdir))
        servers["opsbot"] = f"http://127.0.0.1:{port}"
        bare_port = free_port()
        processes.append(start_bare(bare_port, emulator, sorted({c for c, _ in commands})))
        servers["bare Bolt"] = f"http://127.0.0.1:{bare_port}"
        for (name, base), process in zip(servers.items(), processes, strict=True):
            wait_healthy(base, process)
            warm_up(base, emulator, commands, answers=name == "opsbot")
        print(f"commands: {', '.join(f'{c} {t}' for c, t in commands)}")
        print(f"{'rate/s':>7} {'server':>10} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        ok = True
        for rate in rates:
            p99s = {}
            for name, base in servers.items():
                latencies, errors = asyncio.run(run_rate(base, emulator, rate, seconds, commands))
                p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
                p99s[name] = p99
                print(f"{rate:>7} {name:>10} {len(latencies):>6} {p50:>8.1f} {p99:>8.1f} {errors:>7}")
                if name == "opsbot" and rate <= 50 and (errors or p99 >= 300):
                    ok = False
            ratio = p99s["opsbot"] / p99s["bare Bolt"] if p99s["bare Bolt"] else float("nan")
            note = "(opsbot p99 / bare Bolt p99; target <= 1.5x)"
            print(f"{rate:>7} {'ratio':>10} {'':>6} {'':>8} {ratio:>7.2f}x  {note}")
        print("target p99 < 300 ms at 50/s with 0 errors:", "met" if ok else "NOT met")
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
