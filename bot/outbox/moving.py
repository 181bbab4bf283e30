"""The thread that carries what a local journal holds into the database's ``work`` table.

Two journals need one: on SQLite the ack journal (``journal.py``: every acknowledged request passes through it)
and on PostgreSQL the event journal (``event_journal.py``: events kept while the database was away). Each says
how to move a batch (:meth:`Moving.move`) and what a failed pass means; the thread, woken when something was
written or once a second (a journal a previous run left, a database that came back), is this one.
"""

from __future__ import annotations

import threading

from sqlalchemy.exc import SQLAlchemyError

MOVE_BATCH = 500
IDLE_SECONDS = 1.0  # how often the thread looks again when nothing woke it


class Moving:
    """Start, stop and the loop; a subclass gives :meth:`move` and, if it wants them, the hooks."""

    thread_name = "opsbot-moving"

    def __init__(self) -> None:
        self.ready = threading.Event()  # set when something was written to the journal
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def move(self, limit: int = MOVE_BATCH) -> int:
        """Move up to ``limit`` rows, oldest first; how many the journal held."""
        raise NotImplementedError

    def after_pass(self) -> None:
        """After a pass that moved everything it found (or found nothing)."""

    def pass_failed(self, error: SQLAlchemyError) -> None:
        """A pass the database refused: what was not moved waits in the journal for the next."""

    def start(self) -> None:
        with self._thread_lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.ready.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(5)

    def forget_thread(self) -> None:
        """In a forked process: the parent's thread did not come along."""
        self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.ready.wait(IDLE_SECONDS)
            self.ready.clear()
            try:
                while self.move() == MOVE_BATCH and not self._stop.is_set():
                    pass
                self.after_pass()
            except SQLAlchemyError as error:
                self.pass_failed(error)


__all__ = ["IDLE_SECONDS", "MOVE_BATCH", "Moving"]
