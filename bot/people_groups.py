"""Who is in a Slack user group that gives a role (team.yml's ``usergroups``), as far as a role check needs it.

Slack says it (``usergroups.users.list``, asked by ``bot/people.py``); it is kept in memory and, as profiles
are, in ``usergroup_members`` (``bot/db/people.py``) with when Slack said it, so that every process — the one
answering forms, the work process, another replica, the next process after a restart — knows it. A check takes:

- what this process holds, when Slack said it less than :data:`TTL` ago; what it holds is compared with the
  stored row every :data:`RECHECK_STORED_SECONDS` (another process may have stored a newer list: one of Slack's
  events, below, is received by one process only);
- else Slack, asked again and stored — except while a form's answer is being prepared (``bot/answering.py``):
  Slack is not asked then. What is known answers, however old (events keep it current), and the group is read
  right after the answer. A group never read at all answers "not in it": a role lets someone act, so it is never
  given on a guess; the check says so (``decided_without``), a form refused meanwhile keeps its values and asks
  the person to submit again in a moment (``bot/handlers/common.py``), and the group, read right after, answers
  that second submission. It is rare: opening a form that checks a role (a launch task's edit, ``/ops setup``)
  runs outside the answer and reads the group then, and a restart finds it stored.

Outside the answer, a list older than :data:`TTL` never decides: Slack is asked first. When Slack answers with an
error (the group deleted, the scope not granted), nobody holds the role through the group; when it does not
answer at all (hangs, drops the call), the last list known stands in — the role checks keep working through a
Slack outage as they were before it — and Slack is asked again after :data:`RETRY_FAILED_SECONDS`.

Slack's ``subteam_members_changed`` and ``subteam_updated`` events (``bot/handlers/workspaces.py``) change the
stored list at once: someone removed from the group loses the role in the process that received the event at
once, and in every other within :data:`RECHECK_STORED_SECONDS` — not an hour later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.answering import after_answer, answering_now
from bot.clock import Clock
from bot.db import Database
from bot.db.people import StoredGroup, remember_group, stored_group

log = logging.getLogger(__name__)
TTL = timedelta(hours=1)
RECHECK_STORED_SECONDS = 30.0
RETRY_FAILED_SECONDS = 600.0

# Asks Slack who is in a group of a workspace: None when Slack did not answer (an error it answered is nobody).
ReadGroup = Callable[[str, str], frozenset[str] | None]


@dataclass(frozen=True)
class _Held:
    group: StoredGroup
    compared: float  # time.monotonic() when it was last compared with the stored row


class GroupMembers:
    def __init__(self, read: ReadGroup, *, db: Database | None, clock: Clock) -> None:
        self._read = read
        self._db = db  # None keeps groups in memory only
        self._clock = clock
        self._held: dict[tuple[str, str], _Held] = {}
        self._quiet: dict[tuple[str, str], float] = {}  # group -> until when Slack is not asked (it did not answer)
        self._lock = threading.Lock()

    def members(self, workspace: str, group_id: str) -> frozenset[str] | None:
        """The group's members; None only while a form's answer is prepared and the group was never read."""
        key = (workspace, group_id)
        known = self._known(key)
        if known is not None and self._clock.now() - known.read_at < TTL:
            return known.members
        if answering_now():
            after_answer(lambda: self._read_after_answer(key))
            return known.members if known is not None else None
        if self._quiet.get(key, 0.0) > time.monotonic():
            return known.members if known is not None else frozenset()
        return self._ask(key, known)

    def changed(
        self, workspace: str, group_id: str, *, users: Iterable[str] | None = None,
        added: Iterable[str] = (), removed: Iterable[str] = (),
    ) -> None:
        """Slack said the group changed (an event, handled after its ack, where Slack may be asked): the whole list
        when the event carries it; else who left is taken out of the list known at once — before Slack is asked,
        so a Slack that hangs now cannot leave them the role — and the group is read again."""
        key = (workspace, group_id)
        if users is not None:
            self._keep(key, StoredGroup(frozenset(users), self._clock.now()))
            return
        known = self._known(key)
        if known is not None:  # as old as the list it changes: it still goes to Slack once that is due
            self._keep(key, StoredGroup((known.members - frozenset(removed)) | frozenset(added), known.read_at))
        self._quiet.pop(key, None)
        self._ask(key, self._known(key))

    def _ask(self, key: tuple[str, str], known: StoredGroup | None) -> frozenset[str]:
        at = self._clock.now()
        members = self._read(*key)
        if members is None:
            self._quiet[key] = time.monotonic() + RETRY_FAILED_SECONDS
            return known.members if known is not None else frozenset()
        self._keep(key, StoredGroup(members, at))
        return members

    def _read_after_answer(self, key: tuple[str, str]) -> None:
        """Put off by :meth:`members` while an answer was prepared: memory and the stored row made current."""
        try:
            self.members(*key)
        except Exception as error:  # only freshness is at stake: never a traceback in what follows the answer
            log.info("could not read user group %s after the answer (%s)", key[1], type(error).__name__)

    def _known(self, key: tuple[str, str]) -> StoredGroup | None:
        """The latest list this process holds or finds stored (the stored row is looked at again when what is held
        was last compared with it more than :data:`RECHECK_STORED_SECONDS` ago)."""
        held = self._held.get(key)
        if held is not None and time.monotonic() - held.compared < RECHECK_STORED_SECONDS:
            return held.group
        found = self._stored(key)
        with self._lock:
            held = self._held.get(key)
            group = held.group if held is not None else None
            if found is not None and (group is None or found.read_at >= group.read_at):
                group = found
            if group is not None:
                self._held[key] = _Held(group, time.monotonic())
        return group

    def _stored(self, key: tuple[str, str]) -> StoredGroup | None:
        if self._db is None:
            return None
        try:
            with self._db.transaction() as session:
                return stored_group(session, *key)
        except SQLAlchemyError as exc:  # the database away: what this process holds stands in
            log.warning("stored user group %s could not be read (%s)", key[1], type(exc).__name__)
            return None

    def _keep(self, key: tuple[str, str], group: StoredGroup) -> None:
        """Held now, and stored for every other process: once the transaction open in this thread commits (never a
        second writer beside it on SQLite), else now."""
        with self._lock:
            held = self._held.get(key)
            if held is None or group.read_at >= held.group.read_at:
                self._held[key] = _Held(group, time.monotonic())
        if self._db is None:
            return
        db = self._db

        def write() -> None:
            try:
                with db.transaction() as session:
                    remember_group(session, key[0], key[1], group)
            except SQLAlchemyError as exc:  # held in memory all the same; the next read stores it again
                log.warning("user group %s not stored (%s)", key[1], type(exc).__name__)

        if not db.after_commit(write):
            write()
