"""Two people act on the same action at once: the owner opens "Done" from App Home, the manager moves its date
meanwhile; the owner's form, opened before the move, is refused and the move stands."""

from __future__ import annotations

from datetime import date

from bot.console.session import ConsoleSlack
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_record import MeetingRecord, Update
from tests.conftest import converse
from tests.meetings.test_actions_e2e import action_state


def test_done_by_the_owner_after_the_manager_moved_it_is_refused(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "/action <@U0BUYER> by 11-24 Call the factory", ["A-1"]),
        ("!at 2026-11-25 10:00\n"
         "!as U0BUYER\n"
         "!home", ["My actions", "A-1", "overdue since Nov 24, 2026"]),
        ("!click Done", ["modal opened for Chen Jie: “A-1 done”"]),
    ])
    # Meanwhile Li Wei, the manager, moves it (her App Home lists it; the flow her button would call).
    record = MeetingRecord(console.services.context, MeetingCalendar(console.services.context))
    record.update("U0MANAGER", 1, Update("moved", "Factory closed for a holiday", date(2026, 11, 30), 1))
    assert action_state(console, 1) == ("open", 2)
    converse(console, [
        ("!as U0BUYER\n"
         '!fill note="Called them"\n'
         "!submit", ["This action changed since you opened it; nothing was saved. Open it again."]),
        ("!home", ["A-1", "due Nov 30, 2026", "Note: Factory closed for a holiday"]),
    ])
    assert action_state(console, 1) == ("open", 2)
