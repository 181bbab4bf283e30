"""playbooks/meetings.yml: each team's weekly meeting (每周例会) and monthly review (每月归纳会) — when, where, who,
how early the agenda goes out and which sections it has, in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.ops.team import ChannelKey, Role
from bot.playbooks import load_model

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Rhythm = Literal["weekly", "monthly"]
RHYTHMS: tuple[Rhythm, ...] = ("weekly", "monthly")


class AgendaTiming(BaseModel):
    """How early the agenda goes out: ``days_before`` the meeting, at ``time`` (the meeting's own time if unset)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    days_before: int = Field(default=1, ge=0, le=14)
    time: dt.time | None = None


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time: dt.time
    channel: ChannelKey = ChannelKey.ops
    length_minutes: int = Field(default=60, ge=10, le=8 * 60)
    sections: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_sections(self) -> Meeting:
        twice = sorted({s for s in self.sections if self.sections.count(s) > 1})
        if twice:
            raise ValueError(f"sections listed twice: {twice}")
        return self


class WeeklyMeeting(Meeting):
    day: Weekday = "mon"


class MonthlyReview(Meeting):
    # Which workday of the month: 1 the first, 2 the second, -1 the last (the team's calendar, holidays skipped).
    workday: int = Field(default=1, ge=-10, le=10)

    @model_validator(mode="after")
    def _not_zero(self) -> MonthlyReview:
        if self.workday == 0:
            raise ValueError("workday is 1 for the first workday of the month, -1 for the last; not 0")
        return self


class TeamMeetings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    weekly: WeeklyMeeting | None = None
    monthly: MonthlyReview | None = None
    attendees: tuple[Role, ...] = tuple(Role)  # who gets the agenda and the summary by DM, by role
    chair: Role = Role.manager
    agenda: AgendaTiming = AgendaTiming()
    # Actions: a reminder this many days before the due date (and one on the day), at this time.
    remind_days_before: int = Field(default=1, ge=0, le=14)
    remind_at: dt.time = dt.time(9, 0)

    def meeting(self, rhythm: Rhythm) -> Meeting | None:
        return self.weekly if rhythm == "weekly" else self.monthly


class MeetingsPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    teams: dict[str, TeamMeetings] = Field(default_factory=dict)  # by team id; teams not listed hold none here

    def for_team(self, team_id: str) -> TeamMeetings | None:
        return self.teams.get(team_id)


def load_playbook(folder: Path) -> MeetingsPlaybook:
    path = folder / "meetings.yml"
    return load_model(path, MeetingsPlaybook) if path.exists() else MeetingsPlaybook()
