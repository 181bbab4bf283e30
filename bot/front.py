"""The ack path of ``opsbot serve``: what Slack waits for, and nothing else.

Slack gives a request 3 seconds. Acknowledging a slash command, a button, a shortcut or an event touches only
what it must — the signature (``bot/http.py``, on the raw body), the replay guard, the retry de-duplication —
and queues the request in the database (``bot/outbox/work.py``); the work threads (in a process of their
own) then run the feature's listener on it, on their own capacity. The ack runs on the server's event loop
and awaits one thing: the group commit of the ack writer (``bot/outbox/acks.py``), a single thread with a
connection pool of its own that writes every waiting ack's rows in one transaction. So a Slack that hangs, a
response_url that refuses, a users.info that never answers or a heavy ``/kpi`` can fill the work threads
without making a single ack wait, and hundreds of acks a second cost a few commits, not hundreds.

A request with a trigger_id (a command, a button, a shortcut) goes to the queue's trigger lane, which work
threads of its own take while the trigger can still open a form: a command that opens a form does not wait
behind slow work.

A view submission is the exception Slack makes: its answer carries the field errors, so its listener runs
before answering — on threads of its own, so a slow one never holds a command's ack — but inside
:func:`bot.answering.answering`: its validation and its one transaction decide the answer, and whatever would
call Slack or compute at length (sending the messages it wrote, republishing App Homes, rewriting a meeting's
canvas, fetching a shared report and loading it) is put off by the code that would do it, and handed to the
after-answer threads (:data:`AFTER_ANSWER_THREADS`) once the answer is made. So a Slack that answers after 2
seconds costs a stand-up answer nothing; what was put off is done then, and a failure there is logged (the
messages themselves are already in the outbox, whose senders try again). The heaviest of it, republishing App
Homes (whose goals section computes a KPI report with pandas), would still hold this process's interpreter lock
that the next answer and every ack on the event loop need; so when the work threads run in a process of their
own (``opsbot serve``, :meth:`Front.share_wake`), a form's Home refreshes are not put off here but queued for
them, in the form's own transaction (``bot/flows/home.py``; the work queue's ``HOME`` lane, which only the bot
writes), and :meth:`Front.work` builds and publishes them there. The console, in-process dispatch and Socket
Mode (no work process) keep them on the after-answer threads. No Slack call is waited for: a new launch's
channel is created after the answer (``bot/flows/launch_setup.py``), a feedback form carries whether it came from
a private place from when it opened, and who a person is (their language, a name) and who is in a Slack user
group that gives a role are answered from what is known — in memory or stored — and read again after
(``bot/people.py``, ``bot/people_groups.py``).
Anything else Bolt answers itself (the URL check when the app is set up) runs in full.

With the database down nothing can be queued, so nothing is acknowledged that might be lost: a command is
answered "Opsbot can't reach its database" in the person's language (as far as it is known without asking
Slack), a button's response_url gets the same line, a form keeps its values with the line under its first
field — a person is waiting, and is told. An event (nobody waits on it) would get 503 so that Slack delivers it
again, but Slack gives up after three retries within about five minutes: so on PostgreSQL it is kept in this
replica's event journal, a local file (``bot/outbox/event_journal.py``), and acknowledged; once the database
answers, the journal's events are moved into the work queue, each once by its event id, and run. Only a full
journal (or none) still answers an event 503. An event's ack given up past :data:`ACK_DEADLINE` whose commit then
lands late is kept rather than undone (``bot/outbox/acks.py``): its event id, recorded, keeps its journal copy and
Slack's retries from running it again.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltResponse
from slack_sdk.webhook import WebhookClient

from bot.answering import answering
from bot.db import Database
from bot.db.base import sessions_at_this_priority
from bot.flows.context import Context
from bot.flows.home import refresh_queued
from bot.i18n import Translator, translator
from bot.observability import COMMANDS
from bot.ops.team import Team
from bot.outbox.acks import Ack, AckWriter, Outcome, ack_database
from bot.outbox.event_journal import LIMIT, EventJournal, Kept, default_path
from bot.outbox.journal import Mover, journal_url, open_journal
from bot.outbox.work import (
    HOME,
    OTHER,
    TRIGGER,
    Request,
    WorkQueue,
    is_database_down,
    working_elsewhere,
)
from bot.outbox.work_threads import WorkWorker
from bot.replays import CHECKED_AT_THE_FRONT
from bot.slack_requests import bolt_request, first_input, parse_slack_body, response_url_of

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger(__name__)
__all__ = ["Front", "database_down_text", "delivery_key", "is_database_down", "known_translator"]

QUEUED = frozenset(
    {"block_actions", "shortcut", "message_action", "view_closed", "event_callback", "interactive_message"}
)
# Requests whose trigger_id can open a form: their work goes to the trigger lane (bot/outbox/work.py).
TRIGGER_KINDS = frozenset({"command", "block_actions", "shortcut", "message_action", "interactive_message"})
# Seconds an ack waits for the ack writer's commit before the request is answered as an outage. A database that
# refuses fails at once; one that hangs (a network split, a frozen host) answers nothing, and Slack gives up after
# 3 s (operation_timeout). 2 s leaves the answer time to travel; a healthy commit takes milliseconds (the slowest
# seen at 400 requests/s on 2 cores was well under a second). The ack given up is never done later (acks.py).
ACK_DEADLINE = 2.0
OUTAGE_ANSWER_TIMEOUT = 3  # seconds for telling a button's response_url that the database is away
# What forms put off until after their answer runs on these (bot/answering.py), in the answering process: with no
# work process that includes App Home builds, pandas work that holds the interpreter lock the next answer needs.
# Two threads: with Homes built here a form row's p99 was 145-220 ms with one or two, 750 ms with four
# (benchmarks/ack_latency.py, form rows, normal Slack); with a slow Slack two kept up better than one (each mostly
# waits on Slack). Under `opsbot serve` the Homes go to the work process and these only send what was written.
AFTER_ANSWER_THREADS = 2
AFTER_ANSWER_GRACE = 10.0  # seconds a stopping front gives the work put off to finish


def delivery_key(body: Mapping[str, Any]) -> str | None:
    """What identifies one delivery from Slack, so a retry or a double delivery is recognised."""
    if body.get("event_id"):
        return f"event:{body['event_id']}"
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return None


def database_down_text(tr: Translator) -> str:
    ref = secrets.token_hex(3).upper()
    log.warning("answered a request with 'database unreachable' (ref %s)", ref)
    return tr._("Opsbot can't reach its database right now; try again in a minute (ref {ref}).", ref=ref)


def known_translator(ctx: Context, user: str | None, team: Team | None) -> Translator:
    """The person's language as far as it is known without asking Slack or the database."""
    profile = ctx.people.known(user) if user else None
    if profile is not None and profile.locale:
        return translator(profile.locale)
    return translator(team.locale if team else None)


class Front:
    """Checks, de-duplicates and queues Slack's requests, and runs the queued ones in the work threads.

    ``make_app`` builds the Bolt app that does the work, the first time it is needed: a copy that finishes
    each request before returning (``process_before_response``). ``queued``:
    commands, buttons, shortcuts and events go through the work queue; otherwise (the tests that want a
    request's work done when its answer comes) everything runs before the answer, as a view submission does.
    """

    def __init__(
        self,
        ctx: Context,
        make_app: Callable[[], App],
        *,
        queued: bool,
        event_journal: Path | None = None,
        event_journal_max: int = LIMIT,
    ) -> None:
        """``event_journal``, ``event_journal_max``: where (on PostgreSQL) this replica keeps the events the database
        could not take, and how many at most (0: none, they get 503); ``bot/outbox/event_journal.py``."""
        self.ctx = ctx
        self.queued = queued
        self.event_journal, self.event_journal_max = event_journal, event_journal_max
        self._events: EventJournal | None = None
        self._keeping = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsbot-event-journal-keep")
        self._make_app = make_app
        self._app: App | None = None
        self._lock = threading.RLock()  # the writer is made with the pool it uses
        self._db: Database | None = None
        self._queue: WorkQueue | None = None
        self._work_queue: WorkQueue | None = None
        self._writer: AckWriter | None = None
        self._mover: Mover | None = None
        self._outage_answers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="opsbot-outage")
        self._learning = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opsbot-profiles")
        self._after_answer = ThreadPoolExecutor(max_workers=AFTER_ANSWER_THREADS,
                                                thread_name_prefix="opsbot-after-answer")
        self._put_off: set[Future[None]] = set()
        self._work_elsewhere = False  # the work threads run in a process of their own (share_wake)
        self._put_off_lock = threading.Lock()

    # -- the ack path: on the server's event loop, never blocked by the database or by Slack -----------
    async def acknowledge(self, body: bytes, headers: Mapping[str, str]) -> BoltResponse | None:
        """Slack's answer for a request whose signature ``bot/http.py`` verified; None when it has to run
        in full before answering (:meth:`inline`). The database write is the ack writer's group commit
        (``bot/outbox/acks.py``), awaited here: the event loop serves other requests meanwhile — for at most
        :data:`ACK_DEADLINE`, so a database that hangs is answered as one that is down, in time."""
        content_type = headers.get("content-type", "")
        try:
            text = body.decode("utf-8")
            data: Any = parse_slack_body(text, content_type)  # JSON may be a list: signed, yet not Slack's shape
        except ValueError:  # signed, so Slack's, yet not a form or JSON: nothing to act on
            return BoltResponse(status=400, body="")
        if not isinstance(data, dict):
            return BoltResponse(status=400, body="")
        if data.get("ssl_check"):
            return BoltResponse(status=200, body="")
        kind = str(data.get("type") or ("command" if data.get("command") else ""))
        queued = self.queued and kind in QUEUED | {"command"}
        ack = Ack(
            signature=headers.get("x-slack-signature", ""),
            timestamp=headers.get("x-slack-request-timestamp"),
            team_id=_team(data),
            delivery_key=delivery_key(data),
            body=text,
            content_type=content_type,
            queue=queued,
            lane=TRIGGER if kind in TRIGGER_KINDS and data.get("trigger_id") else OTHER,
            # An event is known by its event id wherever it is queued from: its commit landing late is kept.
            keep_if_late=kind == "event_callback",
        )
        # Signature remembered and request queued in one transaction, committed with the other acks waiting —
        # for at most ACK_DEADLINE: past it the ack is given up (never done later) and answered as an outage.
        committed = asyncio.wrap_future(self.writer.submit(ack))
        done, _ = await asyncio.wait({committed}, timeout=ACK_DEADLINE)
        outcome = committed.result() if done else ack.give_up() or Outcome.DATABASE_DOWN
        if not done:
            committed.cancel()  # nobody waits on it any more (the writer's future is left alone: it settles it)
        if outcome is Outcome.REPLAYED:
            return BoltResponse(status=401, body={"error": "invalid request"})
        if outcome is Outcome.DATABASE_DOWN and kind == "event_callback" and await self._kept(ack):
            return BoltResponse(status=200, body="")  # in this replica's journal: moved to the queue once it is back
        if outcome is Outcome.DATABASE_DOWN:
            # Who the person is may itself need the database (several workspaces): not on the event loop.
            return await asyncio.get_running_loop().run_in_executor(
                self._outage_answers, self._database_down, kind, data
            )
        if outcome is Outcome.CHECKED:
            return None
        if outcome is Outcome.QUEUED:
            if kind == "command":
                COMMANDS.labels(command=str(data["command"])).inc()
            self._learn(data)
        return BoltResponse(status=200, body="")

    async def _kept(self, ack: Ack) -> bool:
        """An event the database could not take, kept in the replica's event journal (a local commit, off the event
        loop); False when there is none or it is full: the event gets 503 and Slack delivers it again."""
        if self._events is None or not ack.queue or ack.delivery_key is None:
            return False
        kept = await asyncio.get_running_loop().run_in_executor(
            self._keeping, self._events.keep, ack.team_id, ack.delivery_key, ack.body, ack.content_type, ack.lane
        )
        return kept is not Kept.FULL

    def _learn(self, data: dict[str, Any]) -> None:
        """Read the person's profile after the ack, on a thread of its own, if this process does not know it:
        should the database go away, their answer is in their language without asking Slack then."""
        user = data.get("user_id") or (data.get("user") or {}).get("id")
        if user and self.ctx.people.known(str(user)) is None:
            self._learning.submit(self._read_profile, str(user))

    def _read_profile(self, user: str) -> None:
        try:
            self.ctx.people.profile(user)
        except Exception as error:  # only a language for a rainy day: never a traceback
            log.info("could not read %s's profile ahead (%s)", user, type(error).__name__)

    def _database_down(self, kind: str, data: dict[str, Any]) -> BoltResponse:
        if kind == "event_callback":
            return BoltResponse(status=503, body="")  # Slack delivers an event again later; nothing is answered
        user = data.get("user_id") or (data.get("user") or {}).get("id")
        try:
            team = self.ctx.teams.for_user(user, _team(data) or None) if user else None
        except Exception:  # several workspaces: which team is which may itself be in the database
            team = None
        text = database_down_text(known_translator(self.ctx, user, team))
        if kind == "command":
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        if kind == "view_submission":
            field = first_input(data)
            return BoltResponse(
                status=200, body={"response_action": "errors", "errors": {field: text}} if field else ""
            )
        response_url = response_url_of(data)
        if response_url:
            self._outage_answers.submit(self._tell, response_url, text)
        return BoltResponse(status=200, body="")

    @staticmethod
    def _tell(response_url: str, text: str) -> None:
        try:
            WebhookClient(response_url, timeout=OUTAGE_ANSWER_TIMEOUT).send(text=text, response_type="ephemeral")
        except Exception as error:  # the person sees nothing new; the log says why, in one line
            log.warning("could not tell a response_url that the database is away (%s)", type(error).__name__)

    # -- what runs before the answer, on its own threads ------------------------------------------------
    def inline(self, body: bytes, headers: Mapping[str, str]) -> BoltResponse:
        """A view submission (its answer carries the field errors) or anything else Bolt answers itself."""
        text = body.decode("utf-8")
        data = parse_slack_body(text, headers.get("content-type", ""))
        key = delivery_key(data)
        try:
            if self.queued and key is not None and not self.queue.first_time(_team(data), key):
                return BoltResponse(status=200, body="")
        except Exception as error:
            if not is_database_down(error):
                raise
            return self._database_down(str(data.get("type") or ""), data)
        request = bolt_request(text, {k: [v] for k, v in headers.items()}, context={CHECKED_AT_THE_FRONT: True})
        if data.get("type") != "view_submission":
            return self.app.dispatch(request)
        # The answer is made with what the listener put off kept aside; that goes to the after-answer threads,
        # so the answer never waits for it (nor for Slack). With a work process, the Homes to build again are
        # queued for it instead, in the form's transaction (bot/flows/home.py): their pandas work never holds the
        # interpreter lock this process's next answer needs.
        elsewhere = self._work_queue if self._work_elsewhere else None
        with answering() as kept, working_elsewhere(elsewhere):
            try:
                return self.app.dispatch(request)
            finally:
                self._after(kept)

    def _after(self, kept: Sequence[Callable[[], None]]) -> None:
        if not kept:
            return
        try:
            future = self._after_answer.submit(self._run_after, tuple(kept))
        except RuntimeError:  # the front is closing: done here, late, rather than lost
            self._run_after(tuple(kept))
            return
        with self._put_off_lock:
            self._put_off.add(future)
        future.add_done_callback(self._done_after)

    def _done_after(self, future: Future[None]) -> None:
        with self._put_off_lock:
            self._put_off.discard(future)

    @staticmethod
    def _run_after(kept: tuple[Callable[[], None], ...]) -> None:
        """One form's put-off work, in the order it was put off (a message's lane before the Homes)."""
        for work in kept:
            try:
                work()
            except Exception:  # what was answered stays answered; its messages are safe in the outbox
                log.exception("work put off until after a form's answer failed")

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until the work put off until after the answers given so far is done (the harness, a stopping
        server); False if some was still running after ``timeout`` seconds."""
        while True:
            with self._put_off_lock:
                running = list(self._put_off)
            if not running:
                return True
            _, not_done = wait(running, timeout=timeout)
            if not_done:
                return False

    # -- what the work threads do -----------------------------------------------------------------------
    def work(self, request: Request) -> None:
        """Run a queued request's listener to its end (its errors are answered by the app's error handler); or
        an App Home refresh a form's answer queued (its own lane, which only the bot writes: never a request
        from Slack's side), without Bolt."""
        if request.lane == HOME:
            refresh_queued(self.ctx, request.body)
            return
        response = self.app.dispatch(
            bolt_request(request.body, {"content-type": [request.content_type]}, context={CHECKED_AT_THE_FRONT: True})
        )
        if response.status >= 400:
            log.warning("work: request %s was answered %s by the app", request.id, response.status)

    def worker(self, *, threads: int, trigger_threads: int = 0, idle_seconds: float = 1.0) -> WorkWorker:
        """The work threads, on the bot's own connection pool (the ack path keeps its own)."""
        self._work_queue = WorkQueue(self.ctx.db, wake=self.queue.wake)
        return WorkWorker(
            self._work_queue, self.work, threads=threads, trigger_threads=trigger_threads, idle_seconds=idle_seconds
        )

    def share_wake(self, wake: Any) -> None:
        """Wake the work threads with ``wake`` (an event another process waits on): they run in that process, so
        a form's put-off Home refreshes are queued for them from now on rather than run in this one."""
        self.queue.wake = wake
        if self._work_queue is not None:
            self._work_queue.wake = wake
            self._work_elsewhere = True

    def after_fork(self) -> None:
        """In the work process: the parent's connections are the parent's; this process opens its own."""
        self.ctx.db.engine.dispose(close=False)
        sessions_at_this_priority(self.ctx.db.engine)  # its queries are its work: at its (lower) priority
        if self._db is not None:
            self._db.engine.dispose(close=False)
        if self._events is not None:  # the work process moves the event journal, from its start
            self._events.after_fork()
            self._events.start()

    def start_event_journal(self) -> None:
        """Move what the event journal holds (a file a previous run left, too) as soon as the database answers,
        without waiting for a request: Socket Mode's connection; ``serve``'s work process does so in
        :meth:`after_fork`, and a front with no work process when it first acknowledges."""
        _ = self.db
        if self._events is not None:
            self._events.start()

    # -- parts made when first needed: the console and Socket Mode never need them ----------------------
    @property
    def app(self) -> App:
        with self._lock:
            if self._app is None:
                self._app = self._make_app()
            return self._app

    @property
    def db(self) -> Database:
        """A connection pool of the ack path's own: a listener holding connections cannot starve an ack. On
        SQLite, a journal file of its own too, whose one write lock the work threads never take
        (``bot/outbox/journal.py``)."""
        with self._lock:
            if self._db is None:
                journal = journal_url(self.ctx.db.url)
                if journal is None:
                    self._db = ack_database(self.ctx.db.url)
                    if self.ctx.db.url.startswith("postgresql") and self.event_journal_max > 0:
                        self._events = EventJournal(
                            self.event_journal or default_path(self.ctx.db.url), self.ctx.db.url,
                            limit=self.event_journal_max, wake=lambda: self.queue.wake.set(),
                        )
                else:
                    self._db, identity = open_journal(journal)
                    main = Database(self.ctx.db.url)
                    self._mover = Mover(self._db, identity, main, wake=lambda: self.queue.wake.set())
            return self._db

    def depth(self) -> tuple[int, float]:
        """Requests acknowledged and not yet done: in the work queue, and on SQLite in the journal too."""
        count, oldest = (self._work_queue or WorkQueue(self.ctx.db)).depth()
        for journal in (self._mover, self._events):  # on SQLite the ack journal; on PostgreSQL the event journal
            if journal is not None:
                kept, received = journal.waiting()
                waited = (datetime.now(UTC) - received).total_seconds() if received is not None else 0.0
                count, oldest = count + kept, max(oldest, waited)
        return count, oldest

    @property
    def writer(self) -> AckWriter:
        with self._lock:
            if self._writer is None:
                self._writer = AckWriter(self.db, self.queue, mover=self._mover)
                if self._events is not None and not self._work_elsewhere:  # else the work process moves it
                    self._events.start()
            return self._writer

    @property
    def queue(self) -> WorkQueue:
        if self._queue is None:
            self._queue = WorkQueue(self.db)
        return self._queue

    def stop_writer(self) -> None:
        """Stop the ack writer once the acks waiting are written (it starts again when next used)."""
        if self._writer is not None:
            self._writer.stop()
        if self._events is not None:
            self._events.stop()

    def close(self) -> None:
        self.stop_writer()
        self.settle(timeout=AFTER_ANSWER_GRACE)
        self._after_answer.shutdown(wait=False)
        self._outage_answers.shutdown(wait=False)
        self._learning.shutdown(wait=False)
        self._keeping.shutdown(wait=False)
        if self._events is not None:
            self._events.close()
        if self._db is not None:
            self._db.dispose()


def _team(data: Mapping[str, Any]) -> str:
    return str(data.get("team_id") or (data.get("team") or {}).get("id") or "")
