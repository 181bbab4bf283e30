"""How fast `opsbot serve` acknowledges signed slash commands, next to a bare Bolt AsyncApp that only acks.

Both run under the same production server (uvicorn), each in its own process, with Slack's Web API and the
response_urls answered by the local emulator. A client sends signed slash commands open-loop (on a fixed
schedule, not waiting for answers) at 50, 200 and 400 requests/s, in three Slacks:

- ``normal``: the emulator answers at once;
- ``slow``: every Web API call and every response_url post is answered after 2 s;
- ``refused``: the response_urls refuse connections (nothing listens there).

Then view submissions of a real form, the stand-up answer form (rows ``form``/``slow form``: 50 requests/s,
its fields filled as a person fills them), in a normal Slack and in one that answers every call after 2 s:
Opsbot validates and saves each answer before answering, and sends the "saved" DM after it while its work
process republishes the App Homes (queued with the answer's transaction); the bare app acks the same payloads.

Each row prints p50/p99 ack latency and errors for both servers, Opsbot's p99 as a ratio of bare
AsyncApp's, how many acknowledged requests still wait in Opsbot's work queue when the row ends (beyond
what the work threads can do, requests are acknowledged and queued, not dropped) and the machine's 1-minute
load average (on a shared machine, a row whose bare p99 jumped was measured while something else ran).
Each Slack starts a fresh Opsbot on a fresh copy of the database (the work queue a slow Slack leaves
behind would otherwise drain into the next rows), warmed up and with its queue drained before each row
where Slack allows. The mix includes `/kpi 30d`, answered from the KPI benchmark's year of exports
(benchmarks/kpi.py) loaded into Opsbot's database first.

Target on a 2-core machine (issue 17): in every command row, Opsbot's p99 within 1.5x bare AsyncApp's and zero
errors. The form rows must have zero errors; their ratio is printed but not held to 1.5x: a form's answer is its
validation (the field errors) and its own transaction, which the issue allows and bare Bolt does not do.

    python benchmarks/ack_latency.py                    # 50, 200, 400 requests/s, three Slacks, 10 s each and at
                                                        # least 2,000 requests a row (--min-requests: 50/s for 40 s)
    python benchmarks/ack_latency.py --kpi-scale 0.1    # the same with a tenth of the KPI data
    python benchmarks/ack_latency.py --smoke            # seconds: 50 requests/s for 1 s, normal Slack, and the
                                                        # stand-up form at 50 requests/s for 1 s, slow Slack
    python benchmarks/ack_latency.py --form-rates 50,100  # the form rows' rates (0: none)
    python benchmarks/ack_latency.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
                                                        # databases opsbot_bench_base, opsbot_bench_normal, ...
                                                        # (the URL's database must exist: it is where they are
                                                        # created from; with NAME other than postgres: NAME_*)
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults

REPO = Path(__file__).resolve().parent.parent
TOKEN = "xoxb-benchmark"
SECRET = "benchmark-signing-secret"
COMMANDS = [("/ops", "help"), ("/ops", "team")]  # what every Opsbot has; features add theirs below
FEATURE_COMMANDS = [
    ("/kpi", "30d"),
    ("/restock", "list open"),
    ("/standup", "status"),
    ("/feedback", "list open"),
    ("/launch", "list"),
]

# Bolt's async app under its ASGI adapter, only acking: the floor any Bolt app on this server can reach.
BARE_ASYNC_BOLT = textwrap.dedent("""
    import sys, uvicorn
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    app = AsyncApp(signing_secret=sys.argv[2], client=AsyncWebClient(token=sys.argv[3], base_url=sys.argv[4]))

    async def ack_only(ack):
        await ack()

    for name in sys.argv[5:]:
        if name.startswith("view:"):
            app.view(name.removeprefix("view:"))(ack_only)
        else:
            app.command(name)(ack_only)
    handler = AsyncSlackRequestHandler(app)

    async def events(request):
        return await handler.handle(request)

    async def healthz(_request):
        return JSONResponse({"ok": True})

    server = Starlette(routes=[Route("/slack/events", events, methods=["POST"]), Route("/healthz", healthz)])
    uvicorn.run(server, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
""")
SLACKS = ("normal", "slow", "refused")
FORM_SLACKS = ("normal", "slow")
SLOW_SECONDS = 2.0
# A p99 of 500 requests (10 s at 50/s) is the 5th slowest: a handful of slow acks, or of bare's, decides the row,
# and the same code measured 1.0x and 2.0x in two runs. Every command row sends at least this many (50/s: 40 s).
MIN_REQUESTS = 2000
STANDUP_TEAM = "shenzhen-ops"  # playbooks/team.yml's team, whose members answer the stand-up form
FORM_USERS = ["U0BUYER", "U0MANAGER", "U0MARKET", "U0WAREHOUSE", "U0SELECT", "U0CS", "U0FINANCE", "U0ANALYST"]


class BenchSlack(SlackEmulator):
    """The emulator, whose response_urls can also take their time (a slow Slack is slow everywhere)."""

    respond_delay = 0.0

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        if self.respond_delay:
            time.sleep(self.respond_delay)  # the emulated Slack's own slowness, not the benchmark's clock
        return super().respond(key, payload)

    def set_slack(self, slack: str) -> None:
        self.faults = Faults(latency_seconds=SLOW_SECONDS if slack == "slow" else 0.0)
        self.respond_delay = SLOW_SECONDS if slack == "slow" else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base: str, process: subprocess.Popen[bytes], timeout: float = 60.0, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise SystemExit(f"server at {base} exited early with code {process.returncode}\n{tail}")
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
    run_rate(base, emulator, len(commands), 1.0, commands)
    if answers and not emulator.wait_for(
        lambda records: sum(1 for r in records if r.kind == "ephemeral") - before >= len(commands), timeout=120
    ):
        raise SystemExit(f"the server at {base} did not answer its warm-up commands")
    if answers:
        run_rate(base, emulator, 20, 2.0, commands)  # steady state: the work process's first minutes are past
        queued(base, drain_for=60.0)


def queued(base: str, drain_for: float = 0.0) -> int:
    """Requests acknowledged and still waiting in Opsbot's work queue (after waiting up to ``drain_for`` s
    for it to empty)."""
    deadline = time.monotonic() + drain_for
    while True:
        depth = next(
            (
                int(float(line.split()[1]))
                for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines()
                if line.startswith("opsbot_work_depth ")
            ),
            -1,
        )
        if depth <= 0 or time.monotonic() >= deadline:
            return depth
        time.sleep(0.5)  # polling the queue, not measuring


def registered_commands() -> list[tuple[str, str]]:
    from bot.wiring import FEATURES

    names = {c.name for f in FEATURES for c in f.commands}
    return COMMANDS + [c for c in FEATURE_COMMANDS if c[0] in names]


def closed_port_url() -> str:
    """A response_url where nothing listens: every post to it is refused."""
    return f"http://127.0.0.1:{free_port()}/response/refused"


def signed_commands(
    emulator: SlackEmulator, rate: int, seconds: float, commands: list[tuple[str, str]], *, refused: bool = False
) -> list[tuple[str, dict[str, str]]]:
    """The requests of one run, made and signed beforehand so the client only sends."""
    users = ["U0BUYER", "U0MANAGER", "U0MARKET", "U0WAREHOUSE"]
    requests = []
    for index in range(max(1, int(rate * seconds))):
        command, text = commands[index % len(commands)]
        user = users[index % len(users)]
        reply = closed_port_url() if refused else emulator.new_response_url("C0OPS", user)
        body = payloads.slash_command(command, text, user=user, channel="C0OPS", team="T0DEMO", response_url=reply)
        requests.append((body, payloads.sign(SECRET, body)))
    return requests


def standup_form(user: str, index: int) -> dict[str, Any]:
    """The stand-up answer form as Slack sends it back filled in: built by Opsbot's own builder from the
    playbook's questions, with answers (and, every third one, a blocker the managers' Homes show)."""
    from datetime import date

    from bot.blocks.standup import answer_modal
    from bot.i18n import translator
    from bot.ops.standup_playbook import load_playbook

    questions = load_playbook(REPO / "playbooks").for_team(STANDUP_TEAM).questions
    view = answer_modal(translator("en-US"), questions, date.today(), STANDUP_TEAM, {}, None)
    typed = {"yesterday": f"Sent PO {4700 + index}", "today": f"Call supplier {index % 7}",
             "blockers": f"Waiting for QC report {index}" if index % 3 == 0 else ""}
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        if element["type"] == "static_select":  # the mood
            state = {"type": "static_select", "selected_option": element["options"][3]}
        else:
            state = {"type": element["type"], "value": typed.get(block["block_id"], "")}
        values[block["block_id"]] = {element["action_id"]: state}
    return {**view, "id": f"V0FORM{index}", "hash": f"h{index}", "state": {"values": values}}


def signed_forms(rate: int, seconds: float) -> list[tuple[str, dict[str, str]]]:
    """One run's view submissions of the stand-up form, from the team's members in turn."""
    requests = []
    for index in range(max(1, int(rate * seconds))):
        user = FORM_USERS[index % len(FORM_USERS)]
        body = payloads.view_submission(user=user, team="T0DEMO", view=standup_form(user, index))
        requests.append((body, payloads.sign(SECRET, body)))
    return requests


async def send_open_loop(base: str, requests: list[tuple[str, dict[str, str]]], rate: int) -> tuple[list[float], int]:
    """Send on a fixed schedule whatever the server does; each request's time until its answer, and errors."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=1000)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as client:

        async def one(body: str, headers: dict[str, str]) -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                async with client.post(f"{base}/slack/events", data=body.encode(), headers=headers) as response:
                    answer = await response.read()
                    if response.status != 200 or b'"errors"' in answer:  # a form refused counts as an error
                        errors += 1
                        return
            except (TimeoutError, aiohttp.ClientError):
                errors += 1
                return
            latencies.append(time.perf_counter() - started)

        start = time.perf_counter()
        tasks = []
        for index, (body, headers) in enumerate(requests):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # open-loop schedule: send on time whatever the server does
            tasks.append(asyncio.create_task(one(body, headers)))
        await asyncio.gather(*tasks)
    return latencies, errors


def client_process(base: str, requests: list[tuple[str, dict[str, str]]], rate: int) -> tuple[list[float], int]:
    return asyncio.run(send_open_loop(base, requests, rate))


def run_rate(
    base: str,
    emulator: SlackEmulator,
    rate: int,
    seconds: float,
    commands: list[tuple[str, str]],
    *,
    refused: bool = False,
    forms: bool = False,
) -> tuple[list[float], int]:
    """One run, its client in a process of its own: the emulator's threads in this one do not slow it."""
    requests = signed_forms(rate, seconds) if forms else signed_commands(emulator, rate, seconds, commands,
                                                                           refused=refused)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as client:
        return client.submit(client_process, base, requests, rate).result()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1] if len(values) > 1 else values[0]


class Databases:
    """Where each Opsbot's data lives: a SQLite file copied from the loaded one, or (``--postgres SERVER_URL``)
    a PostgreSQL database created from the loaded one as its template, dropped at the end. The databases are
    named after SERVER_URL's (``.../ack_bench`` makes ``ack_bench_base``, ``ack_bench_normal``...), so two
    runs sharing a server do not drop each other's."""

    def __init__(self, workdir: Path, postgres: str | None) -> None:
        self.workdir, self.postgres = workdir, postgres
        own = (postgres or "").rsplit("/", 1)[-1].split("?")[0]
        self.prefix = "opsbot_bench" if own in ("", "postgres") else own

    def url(self, name: str) -> str:
        if self.postgres is None:
            return f"sqlite:///{self.workdir / f'{name}.sqlite3'}"
        return f"{self.postgres.rsplit('/', 1)[0]}/{self.prefix}_{name}"

    def copy(self, source: str, name: str) -> str:
        if self.postgres is None:
            shutil.copy(self.workdir / f"{source}.sqlite3", self.workdir / f"{name}.sqlite3")
        else:
            self._admin(f'CREATE DATABASE "{self.prefix}_{name}" TEMPLATE "{self.prefix}_{source}"')
        return self.url(name)

    def create(self, name: str) -> str:
        if self.postgres is not None:
            self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.prefix}_{name}"')
        return self.url(name)

    def drop_all(self, names: list[str]) -> None:
        if self.postgres is not None:
            for name in names:
                self._admin(f'DROP DATABASE IF EXISTS "{self.prefix}_{name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        assert self.postgres is not None
        admin = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(statement))
        admin.dispose()


def load_kpi_data(workdir: Path, scale: float, url: str) -> int:
    """The KPI benchmark's year of exports (benchmarks/kpi.py), loaded the way `opsbot ingest` loads them,
    so `/kpi 30d` in the mix answers from a realistic database."""
    from datetime import UTC, datetime

    from bot.db import Database
    from bot.db.migrate import upgrade
    from bot.reports.ingest import ingest_files

    sys.path.insert(0, str(REPO / "benchmarks"))
    from kpi import TEAM, generate

    files = generate(workdir, scale)
    database = Database(url)
    upgrade(database.engine)
    with database.transaction() as session:
        loaded = ingest_files(session, TEAM, list(files.values()), now=datetime(2026, 11, 23, 1, tzinfo=UTC))
    database.dispose()
    return loaded.new + loaded.updated


def start_opsbot(port: int, emulator: SlackEmulator, workdir: Path, database: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": emulator.api_url,
        "DATABASE_URL": database,
        "OPSBOT_PLAYBOOKS": str(REPO / "playbooks"),
    }
    log = (workdir / f"opsbot-{port}.log").open("wb")  # shown if it exits early: why, not just a code
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def start_bare(port: int, emulator: SlackEmulator, commands: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", BARE_ASYNC_BOLT, str(port), SECRET, TOKEN, emulator.api_url, *commands],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_form_rows(bare: str, opsbot: str, emulator: BenchSlack, slacks: list[str], rates: list[int],
                  seconds: float, commands: list[tuple[str, str]]) -> bool:
    """The stand-up form's rows, printed like the others; True when each met the target."""
    ok = True
    if slacks:  # warmed up in a normal Slack: each member's profile read once, as on any morning after the first
        for base in (bare, opsbot):
            run_rate(base, emulator, len(FORM_USERS), 1.0, commands, forms=True)
    for slack in slacks:
        emulator.set_slack(slack)
        for rate in rates:
            row = {}
            for name, base in (("bare", bare), ("opsbot", opsbot)):
                latencies, errors = run_rate(base, emulator, rate, seconds, commands, forms=True)
                row[name] = (percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000, errors)
            ratio = row["opsbot"][1] / row["bare"][1] if row["bare"][1] else float("nan")
            ok = ok and row["opsbot"][2] == 0  # errors only: the answer carries the form's own work (docstring)
            label = "form" if slack == "normal" else f"{slack} form"
            print(
                f"{label:>10} {rate:>5} {row['bare'][0]:>9.1f} {row['bare'][1]:>9.1f} {row['bare'][2]:>4} "
                f"{row['opsbot'][0]:>11.1f} {row['opsbot'][1]:>11.1f} {row['opsbot'][2]:>4} {ratio:>9.2f}x"
                f" {queued(opsbot):>13} {os.getloadavg()[0]:>5.1f}",
                flush=True,
            )
    emulator.set_slack("normal")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="50,200,400", help="requests per second, comma separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each rate runs, at least")
    parser.add_argument(
        "--min-requests", type=int, default=MIN_REQUESTS,
        help="a command row runs long enough to send this many (its p99 is then its 1%% slowest, not a handful)",
    )
    parser.add_argument("--slacks", default=",".join(SLACKS), help=f"which of {', '.join(SLACKS)} to run")
    parser.add_argument("--smoke", action="store_true", help="a quick run: 50 requests/s for 1 s, normal Slack")
    parser.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="Opsbot's databases on this PostgreSQL server (e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres) instead of SQLite files",
    )
    parser.add_argument(
        "--kpi-scale",
        type=float,
        default=1.0,
        help="size of the KPI data behind /kpi 30d, as a fraction of benchmarks/kpi.py's year",
    )
    parser.add_argument("--form-rates", default="50", help="view submissions per second for the form rows (0: none)")
    args = parser.parse_args()
    rates = [50] if args.smoke else [int(r) for r in args.rates.split(",")]
    form_rates = [50] if args.smoke else [int(r) for r in args.form_rates.split(",") if int(r) > 0]
    form_slacks = ["slow"] if args.smoke else [s for s in FORM_SLACKS if s in args.slacks.split(",")]
    seconds = 1.0 if args.smoke else args.seconds
    min_requests = 0 if args.smoke else args.min_requests
    kpi_scale = 0.002 if args.smoke else args.kpi_scale
    slacks = ["normal"] if args.smoke else [s for s in args.slacks.split(",") if s in SLACKS]

    emulator = BenchSlack(TOKEN).start()
    workdir = Path(tempfile.mkdtemp(prefix="opsbot-bench-"))
    databases = Databases(workdir, args.postgres)
    made = ["base"]
    commands = registered_commands()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = time.perf_counter()
        facts = load_kpi_data(workdir, kpi_scale, databases.create("base"))
        print(
            f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; "
            f"KPI data behind /kpi 30d: {facts:,} daily facts (scale {kpi_scale}), loaded in "
            f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} CPUs, load average "
            f"{' '.join(f'{v:.1f}' for v in os.getloadavg())}"
        )
        print(f"commands: {', '.join(f'{c} {t}' for c, t in commands)}")
        bare_port = free_port()
        processes.append(start_bare(bare_port, emulator, [*sorted({c for c, _ in commands}), "view:standup.answer"]))
        bare = f"http://127.0.0.1:{bare_port}"
        wait_healthy(bare, processes[-1])
        warm_up(bare, emulator, commands, answers=False)
        print(
            f"{'slack':>8} {'rate/s':>7} {'bare p50':>9} {'bare p99':>9} {'err':>4} "
            f"{'opsbot p50':>11} {'opsbot p99':>11} {'err':>4} {'p99 ratio':>10} {'queued after':>13} {'load':>5}"
        )
        ok = True  # the command rows: p99 within 1.5x, no error
        forms_ok = True  # the form rows: no error
        for slack in slacks:
            # A fresh Opsbot on a fresh copy of the data: the queue one Slack leaves is not the next one's.
            database = databases.copy("base", slack)
            made.append(slack)
            port = free_port()
            opsbot_process = start_opsbot(port, emulator, workdir, database)
            processes.append(opsbot_process)
            opsbot = f"http://127.0.0.1:{port}"
            wait_healthy(opsbot, opsbot_process, log=workdir / f"opsbot-{port}.log")
            emulator.set_slack("normal")
            warm_up(opsbot, emulator, commands, answers=True)
            emulator.set_slack(slack)
            for rate in rates:
                queued(opsbot, drain_for=30.0)  # each row starts from a drained queue where Slack allows it
                row = {}
                for name, base in (("bare", bare), ("opsbot", opsbot)):
                    latencies, errors = run_rate(base, emulator, rate, max(seconds, min_requests / rate), commands,
                                                 refused=slack == "refused")
                    row[name] = (percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000, errors)
                ratio = row["opsbot"][1] / row["bare"][1] if row["bare"][1] else float("nan")
                ok = ok and row["opsbot"][2] == 0 and ratio <= 1.5
                print(
                    f"{slack:>8} {rate:>7} {row['bare'][0]:>9.1f} {row['bare'][1]:>9.1f} {row['bare'][2]:>4} "
                    f"{row['opsbot'][0]:>11.1f} {row['opsbot'][1]:>11.1f} {row['opsbot'][2]:>4} {ratio:>9.2f}x"
                    f" {queued(opsbot):>13} {os.getloadavg()[0]:>5.1f}",
                    flush=True,
                )
            emulator.set_slack("normal")
            forms_ok = run_form_rows(bare, opsbot, emulator, form_slacks, form_rates, seconds, commands) and forms_ok
            form_slacks = []  # each Slack's form rows once, on the first Opsbot
            opsbot_process.terminate()
            try:
                opsbot_process.wait(30)
            except subprocess.TimeoutExpired:
                opsbot_process.kill()
                opsbot_process.wait(10)
        print(
            "latencies in ms; target (the command rows): opsbot p99 <= 1.5x bare AsyncApp p99, 0 errors:",
            "met" if ok else "NOT met",
        )
        if form_rates:
            print(
                "form rows: 0 errors:", "met" if forms_ok else "NOT met",
                "(a form's answer carries its validation and its transaction, which bare Bolt does not do: its ratio"
                " is shown, not held to 1.5x)",
            )
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        emulator.stop()
        databases.drop_all(made)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
