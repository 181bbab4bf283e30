"""The work threads that take requests from the work queue (``bot/outbox/work.py``) and run them: in the
answering process (:class:`WorkWorker`; the console, Socket Mode) or in a process of their own
(:class:`WorkProcess`; ``opsbot serve``)."""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from bot.outbox.work import HOME, Request, WorkQueue, _Attempt, _attempt

# The work queue's one logger, whichever of its modules writes: an operator filters on one name.
log = logging.getLogger("bot.outbox.work")


class WorkWorker:
    """The work threads: their own capacity, apart from the threads that acknowledge. Each takes a request,
    runs it to the end and takes the next; idle, they wait to be woken by a new request, or a second.

    ``trigger_threads`` of them (within ``threads``) take only fresh trigger-lane requests: when the others
    are all held by slow work (a Slack answering after seconds, a long report), a command that opens a form
    still reaches views.open while its trigger_id is valid."""

    def __init__(
        self,
        queue: WorkQueue,
        run: Callable[[Request], None],
        *,
        threads: int = 16,
        trigger_threads: int = 0,
        idle_seconds: float = 1.0,
        home_threads: int = 1,
    ) -> None:
        self.queue = queue
        # How many of the threads may build App Homes at once: each build is CPU work under one interpreter lock,
        # so more at once only competes; meanwhile further refreshes wait unclaimed, and one per person gathers
        # every change asked for meanwhile (WorkQueue.add_home_within).
        self.home_threads = home_threads
        self._homes = 0
        self.run = run
        self.threads = threads
        self.trigger_threads = min(trigger_threads, max(threads - 1, 0))
        self.idle_seconds = idle_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._working: dict[int, int] = {}  # thread ident -> request id, for the lease keeper
        self._lock = threading.Lock()
        self._db_down_logged = False

    def start(self) -> None:
        self._stop.clear()
        self._threads = [
            threading.Thread(
                target=self._loop,
                args=(n < self.trigger_threads,),
                name=f"opsbot-{'trigger' if n < self.trigger_threads else 'work'}-{n}",
                daemon=True,
            )
            for n in range(self.threads)
        ]
        self._threads.append(threading.Thread(target=self._keep_leases, name="opsbot-work-leases", daemon=True))
        for thread in self._threads:
            thread.start()

    @property
    def running(self) -> bool:
        return bool(self._threads) and all(t.is_alive() for t in self._threads) and not self._stop.is_set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking requests; wait up to ``timeout`` in all for those running (a thread still inside a
        Slack call is left: its request's lease runs out and it is done again by whoever takes it)."""
        self._stop.set()
        self.queue.wake.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self._threads = []

    def _loop(self, fresh_triggers: bool = False) -> None:
        finished: Request | None = None
        again: Request | None = None  # put back (the database went away under it), once the database answers
        while not self._stop.is_set():
            home = False  # this thread holds one of the Home builds (home_threads)
            try:
                if again is not None:
                    self.queue.later(again)
                    again = None
                if fresh_triggers:
                    request, finished = self.queue.claim(finished, fresh_triggers=True), None
                else:
                    with self._lock:  # a Home build reserved before claiming, so the bound holds across threads
                        home = self._homes < self.home_threads
                        self._homes += home
                    request, finished = self.queue.claim(finished, homes=home), None
                    if home and (request is None or request.lane != HOME):
                        with self._lock:
                            self._homes -= 1
                        home = False
                self._db_down_logged = False
            except SQLAlchemyError as error:
                self._database_down(error)  # finished is deleted at the next claim; meanwhile its lease is kept
                request = None
                if home:
                    with self._lock:
                        self._homes -= 1
                    home = False
            if request is None:
                self.queue.wake.wait(self.idle_seconds)
                self.queue.wake.clear()
                continue
            self.queue.wake.set()  # there may be more: the next idle thread takes it
            with self._lock:
                self._working[threading.get_ident()] = request.id
            attempt = _Attempt()
            token = _attempt.set(attempt)
            try:
                self.run(request)
            except Exception:
                # The listener's own errors were answered by the app's error handler; this is the queue's.
                log.exception("work: request %s failed outside its listener", request.id)
            finally:
                _attempt.reset(token)
                if home:
                    with self._lock:
                        self._homes -= 1
            if attempt.again is None:
                finished = request  # deleted by the next claim, in the same transaction
                continue
            with self._lock:  # its lease is no longer this thread's to keep: it waits in the queue
                self._working.pop(threading.get_ident(), None)
            again = request
            self._database_down(attempt.again, kept=request)
        if finished is not None:
            try:
                self.queue.done(finished)
            except SQLAlchemyError as error:
                self._database_down(error)  # its lease runs out and it is done again: the outbox keys hold
        # A request still to be put back is left as it is: its lease runs out and it is taken again then.
        with self._lock:
            self._working.pop(threading.get_ident(), None)

    def _keep_leases(self) -> None:
        every = max(self.queue.lease.total_seconds() / 3, 0.05)
        while not self._stop.wait(every):
            with self._lock:
                ids = list(self._working.values())
            try:
                self.queue.renew(ids)
            except SQLAlchemyError as error:
                self._database_down(error)

    def _database_down(self, error: BaseException, *, kept: Request | None = None) -> None:
        # One line per outage, not a traceback a second per thread.
        with self._lock:
            told, self._db_down_logged = self._db_down_logged, True
        if told:
            return
        reason = type(getattr(error, "orig", None) or error).__name__
        if kept is not None:
            log.warning(
                "work: the database is unreachable (%s); request %s kept in the queue, it runs again once the "
                "database is back, as do the requests waiting",
                reason,
                kept.id,
            )
        else:
            log.warning("work: the database is unreachable (%s); requests wait until it is back", reason)


class Background(Protocol):
    """What runs beside the work threads in the work process: the scheduler's ticks and the outbox's senders
    (the wiring's ``Opsbot``), and whether each runs, by name."""

    def start_background(self) -> None: ...

    def stop_background(self, wait: bool = False) -> None: ...

    def background_running(self) -> dict[str, bool]: ...


# The work process says how its background is every REPORT_SECONDS; a report older than STALE_SECONDS (a process
# stopped, or stuck where it cannot even say so) counts as not running.
REPORT_SECONDS = 1.0
STALE_SECONDS = 15.0
STARTED_WITHIN = 60.0  # how long start() waits for the child's first report
# The lowest priority: CPU time is shared in proportion to a weight, 1,024 at nice 0, 110 at nice 10, 15 at 19. At 10
# the work process (and its PostgreSQL sessions) still took a tenth of a core the acks were waiting for, enough to
# put the ack path's p99 past 1.5x bare Bolt in a normal Slack's rows; at 19 it takes what the acks leave, which
# is all of it between rushes, and the queue holds the rest durably.
WORK_NICE = 19


class WorkProcess:
    """The work threads in a process of their own, at a lower CPU priority: a listener's Python work (a KPI
    report, building blocks) never holds the interpreter lock the ack path needs, and when the machine is
    short of CPU the operating system serves the acks first. No lock is shared with the ack path that a
    work thread at a lower priority could hold while descheduled: the ack writer has its own connections, and
    on SQLite its own file (``bot/outbox/journal.py``). Forked once the app is built, so the child has
    the parent's app and features as they are; it drops the parent's database connections and opens its own.
    It ends with the parent (or on SIGTERM); the queue keeps whatever it had not finished for the next one.

    With ``background`` the scheduler and the outbox's senders run here too, started once the child has its own
    connections and stopped on SIGTERM: their work (a KPI digest's pandas, the Homes it republishes, the senders'
    passes) is as much the acks' competitor as a listener's. The child tells the parent, through shared memory,
    whether each runs (:meth:`background`), for /readyz.
    """

    def __init__(
        self,
        worker: WorkWorker,
        *,
        after_fork: Callable[[], None],
        nice: int = WORK_NICE,
        background: Background | None = None,
    ) -> None:
        self.worker = worker
        self.after_fork = after_fork
        self.nice = nice
        self._context = multiprocessing.get_context("fork")
        # Woken across the fork: the ack path sets it when it queues a request.
        self.wake = self._context.Event()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._background = background
        self._names = list(background.background_running()) if background is not None else []
        # Shared with the child: whether each part of its background runs, and when it last said so (monotonic
        # seconds, one clock for every process of the machine; 0 for never).
        self._running = self._context.Array("b", len(self._names))
        self._reported = self._context.Value("d", 0.0)
        self._started = self._context.Event()

    def start(self) -> None:
        configure_mappers()  # under a lock: done here, not in a thread of the parent's while it forks
        self._started.clear()
        self._process = self._context.Process(target=self._run, name="opsbot-work", daemon=True)
        self._process.start()
        if self._background is None:
            return
        # So that a replica taking requests already runs its scheduler and senders (and /readyz says so); a child
        # that died starting, or is slow to, is a replica /readyz calls not ready, not a server that never starts.
        deadline = time.monotonic() + STARTED_WITHIN
        while not self._started.wait(0.05) and self._process.is_alive() and time.monotonic() < deadline:
            pass

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def background(self) -> dict[str, bool]:
        """Whether each part of the work process's background runs, as it last said: none does while the
        process is not alive, or has not said so for STALE_SECONDS."""
        told = self.running and time.monotonic() - self._reported.value < STALE_SECONDS
        return {name: told and bool(self._running[n]) for n, name in enumerate(self._names)}

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._process = None

    def _run(self) -> None:  # in the child
        signal.signal(signal.SIGTERM, lambda *_: self.worker._stop.set())
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the child
        faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>`: every work thread's stack, for an operator
        os.nice(self.nice)
        self.after_fork()
        parent = os.getppid()
        self.worker.start()
        if self._background is not None:
            self._background.start_background()
        self._report()
        self._started.set()
        while not self.worker._stop.wait(REPORT_SECONDS) and os.getppid() == parent:
            self._report()
        if self._background is not None:
            # A tick at work is finished first (the process's exit would stop its fires half-way), then the
            # senders stop; the parent kills this process if that takes longer than it waits.
            self._background.stop_background(wait=True)
        self._report(stopped=True)
        self.worker.stop()

    def _report(self, *, stopped: bool = False) -> None:
        if self._background is None:
            return
        running = self._background.background_running()
        for n, name in enumerate(self._names):
            self._running[n] = not stopped and running.get(name, False)
        self._reported.value = time.monotonic()
