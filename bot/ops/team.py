"""The team: who holds which role, where they work, which days count, which channels are whose.

Loaded from ``playbooks/team.yml`` (one team, or ``teams:`` a list) and ``playbooks/teams/*.yml``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, cached_property
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.errors import N_
from bot.i18n import SUPPORTED_LOCALES, normalize_locale


class Role(StrEnum):
    manager = "manager"
    selection = "selection"
    purchasing = "purchasing"
    marketing = "marketing"
    cs = "cs"
    warehouse = "warehouse"
    finance = "finance"
    analyst = "analyst"


# How each role reads to a person (translated where shown).
ROLE_NAMES = {
    Role.manager: N_("Operations manager"),
    Role.selection: N_("Product selection"),
    Role.purchasing: N_("Purchasing"),
    Role.marketing: N_("Marketing & ads"),
    Role.cs: N_("Customer service"),
    Role.warehouse: N_("Warehouse"),
    Role.finance: N_("Finance"),
    Role.analyst: N_("Analyst"),
}


class ChannelKey(StrEnum):
    ops = "ops"
    purchasing = "purchasing"
    marketing = "marketing"
    manager = "manager"
    data = "data"
    launches = "launches"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MARKETPLACE = re.compile(r"^(?:[A-Z]{2}|SHOPIFY)$")  # Amazon's two-letter codes (UK for the UK), or a shop
SlackUserId = Annotated[str, Field(pattern=r"^[UW][A-Z0-9_]+$")]
SlackChannelId = Annotated[str, Field(pattern=r"^[CGD][A-Z0-9_]+$")]
SlackGroupId = Annotated[str, Field(pattern=r"^S[A-Z0-9_]+$")]


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Asia/Shanghai") from exc
    return value


def _check_country(value: str) -> str:
    code = value.upper()
    if code not in holidays.list_supported_countries():
        raise ValueError(f"no holiday calendar for country {value!r}; use a code such as CN, US, DE, GB, JP")
    return code


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    user: SlackUserId
    name: str = Field(min_length=1)
    roles: tuple[Role, ...] = ()
    country: str | None = None
    timezone: str | None = None  # overrides Slack's profile tz when set
    active: bool = True

    _tz = field_validator("timezone")(lambda v: v if v is None else _check_timezone(v))
    _country = field_validator("country")(lambda v: v if v is None else _check_country(v))


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    slack_team_id: str = Field(default="T0DEMO", pattern=r"^[TE][A-Z0-9_]+$")
    timezone: str = "UTC"
    language: str = "en"
    base_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    holiday_countries: tuple[str, ...] = ()
    extra_holidays: tuple[date, ...] = ()
    members: tuple[Member, ...] = ()
    usergroups: dict[Role, SlackGroupId] = Field(default_factory=dict)
    stand_in: SlackUserId | None = None  # acts for the managers while they are all away (stand-up escalations)
    channels: dict[ChannelKey, SlackChannelId] = Field(default_factory=dict)
    # The marketplace of the team's reports that say none (no --marketplace, no code in the file name): loading
    # in Slack and on the command line, and so /kpi and the digests. kpi.yml's per-team value is the fallback.
    default_marketplace: str | None = None

    _tz = field_validator("timezone")(lambda v: _check_timezone(v))
    _countries = field_validator("holiday_countries")(lambda v: tuple(_check_country(c) for c in v))

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if normalize_locale(value) not in SUPPORTED_LOCALES or (
            normalize_locale(value) == "en" and not value.lower().startswith("en")
        ):
            raise ValueError(f"unsupported language {value!r}; use en, zh-CN or zh-TW")
        return value

    @field_validator("default_marketplace")
    @classmethod
    def _marketplace(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if not _MARKETPLACE.match(code):
            raise ValueError(f"{value!r} is not a marketplace code: use one like US, DE, UK, JP (or SHOPIFY)")
        return code

    @field_validator("workdays")
    @classmethod
    def _workdays(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        days = tuple(d.lower()[:3] for d in value)
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise ValueError(f"workdays must be a non-empty list of {', '.join(WEEKDAYS)}; got {list(value)}")
        return days

    @model_validator(mode="after")
    def _unique_members(self) -> Team:
        seen: set[str] = set()
        for member in self.members:
            if member.user in seen:
                raise ValueError(f"member {member.user} is listed twice")
            seen.add(member.user)
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def locale(self) -> str:
        return normalize_locale(self.language)

    def member(self, user_id: str) -> Member | None:
        return next((m for m in self.members if m.user == user_id), None)

    def people_with(self, role: Role) -> list[Member]:
        return [m for m in self.members if role in m.roles and m.active]

    def has_role(self, user_id: str, role: Role, group_members: frozenset[str] = frozenset()) -> bool:
        """True when the user holds ``role`` in the playbook, or via the role's Slack user group."""
        member = self.member(user_id)
        if member is not None and member.active and role in member.roles:
            return True
        return user_id in group_members

    def channel(self, key: ChannelKey) -> str | None:
        """The channel for ``key``, falling back to the ops channel."""
        return self.channels.get(key) or self.channels.get(ChannelKey.ops)

    @cached_property
    def calendar(self) -> WorkCalendar:
        """The team's one work calendar, the same for stand-ups and launches: its weekdays, its holidays, and
        China's make-up weekend workdays (调休) when it observes China's holidays."""
        return WorkCalendar(self.workdays, self.holiday_countries, self.extra_holidays, make_up_workdays=True)


@cache
def _country_year(country: str, year: int) -> holidays.HolidayBase:
    """A country's public holidays for a year, built once per process: calendars are made per person and
    per request, and building China's takes milliseconds."""
    return holidays.country_holidays(country, years=year)


class WorkCalendar:
    """Which dates are workdays: the team's weekdays minus public holidays and extra dates."""

    def __init__(
        self,
        workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri"),
        countries: tuple[str, ...] = (),
        extra_holidays: tuple[date, ...] = (),
        *,
        make_up_workdays: bool = False,
    ) -> None:
        self._weekdays = frozenset(WEEKDAYS.index(d) for d in workdays)
        self._make_up_workdays = make_up_workdays
        self._countries = countries
        self._extra = frozenset(extra_holidays)

    def _holiday_calendars(self, year: int) -> list[holidays.HolidayBase]:
        return [_country_year(c, year) for c in self._countries]

    def holiday_name(self, day: date) -> str | None:
        for calendar in self._holiday_calendars(day.year):
            name = calendar.get(day)
            if name:
                return str(name)
        return None

    def is_workday(self, day: date) -> bool:
        if day in self._extra or self.holiday_name(day) is not None:
            return False
        if day.weekday() in self._weekdays:
            return True
        # China moves days around its long holidays (调休): with make_up_workdays, a Saturday or Sunday
        # the country works in exchange for a holiday counts as a workday.
        return self._make_up_workdays and any(
            day in getattr(c, "weekend_workdays", ()) for c in self._holiday_calendars(day.year)
        )

    def add_workdays(self, start: date, count: int) -> date:
        """The date ``count`` workdays after (or before, when negative) ``start``."""
        step = 1 if count >= 0 else -1
        day, remaining = start, abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Workdays after ``start`` up to and including ``end`` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


class TeamDirectory:
    """All teams of a deployment; finds a person's or a channel's team."""

    def __init__(self, teams: list[Team]) -> None:
        self.teams = teams

    def by_id(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)

    def for_user(self, user_id: str, slack_team_id: str | None = None) -> Team | None:
        for team in self.teams:
            if slack_team_id and team.slack_team_id != slack_team_id:
                continue
            if team.member(user_id) is not None:
                return team
        return None

    def for_channel(self, channel_id: str) -> Team | None:
        return next((t for t in self.teams if channel_id in t.channels.values()), None)
