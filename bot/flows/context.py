"""What a use case may use: the database, the clock, the team directory, people, delivery and the playbooks.

The wiring (``bot/wiring.py``) builds one :class:`Context` at start and hands it to each feature; a flow keeps
what it is given and never reaches for the scheduler, the outbox's senders, settings or the list of features.
What one feature adds to another's output (a digest section, an App Home section) comes in as data declared
by the feature that owns it, so nothing is registered by being imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from bot.answering import decided_without
from bot.clock import Clock
from bot.db import Database
from bot.delivery import Delivery
from bot.errors import N_, OpsError
from bot.i18n import Translator, translator
from bot.ops.links import Kind, LinkState, Ref
from bot.ops.team import Role, Team, TeamDirectory
from bot.people import People
from bot.reports.digest import DigestSection

P = TypeVar("P")


@dataclass(frozen=True)
class Context:
    db: Database
    clock: Clock
    teams: TeamDirectory
    people: People
    delivery: Delivery
    playbooks: Mapping[str, Any] = field(default_factory=dict)
    playbooks_dir: Path = Path("playbooks")
    # Other features' parts of the morning KPI digest (restock: "order now / reorder soon"), in feature order.
    digest_sections: tuple[DigestSectionProvider, ...] = ()
    # Every feature's part of each person's App Home, in feature order, and every command with its usage hint.
    home_sections: tuple[HomeSection, ...] = ()
    commands: tuple[tuple[str, str], ...] = ()
    # How each kind of linked object reads on another's card and what to redo when something it started moved.
    link_kinds: Mapping[str, LinkKind] = field(default_factory=dict)
    # Every feature's parts of a weekly meeting's or monthly review's agenda, by the key meetings.yml lists.
    agenda_sections: Mapping[str, AgendaSection] = field(default_factory=dict)

    def playbook(self, kind: type[P]) -> P:
        """A feature's validated playbook, by its model type."""
        for value in self.playbooks.values():
            if isinstance(value, kind):
                return value
        raise LookupError(f"no playbook of type {kind.__name__} is loaded")

    def team_of(self, user_id: str, slack_team_id: str | None = None) -> Team:
        team = self.teams.for_user(user_id, slack_team_id)
        if team is None:
            # Never a server path: the person is told whom to ask (the manager of their workspace's team).
            teams = [t for t in self.teams.teams if not slack_team_id or t.slack_team_id == slack_team_id]
            managers = [m.user for t in teams[:1] for m in t.people_with(Role.manager)] if len(teams) == 1 else []
            if managers:
                raise OpsError(N_("You are not in any Opsbot team yet. Ask the manager, <@{manager}>, to add you."),
                               manager=managers[0])
            raise OpsError(N_("You are not in any Opsbot team yet. Ask your manager to add you."))
        return team

    def translator_for(self, user_id: str | None, team: Team | None = None) -> Translator:
        """A person's own Slack locale wins in what only they see; else the team's language."""
        if user_id:
            locale = self.people.profile(user_id).locale
            if locale:
                return translator(locale)
        return translator(team.locale if team else None)

    def has_role(self, team: Team, user_id: str, role: Role) -> bool:
        """The role from team.yml, or through the role's Slack user group (``bot/people_groups.py``)."""
        if team.has_role(user_id, role):
            return True
        group = team.usergroups.get(role)
        if not group:
            return False
        members = self.people.group_members(group)
        if members is None:
            # A form's answer is being prepared and the group was never read: a role lets someone act, so it is not
            # given on a guess. The group is read right after the answer; a form this refuses asks the person to
            # submit again then, rather than telling a real manager that only the manager may (handlers/common.py).
            decided_without(f"usergroup:{group}")
            return False
        return team.has_role(user_id, role, members)

    def today(self, team: Team) -> date:
        """Today in the team's own time zone."""
        return self.clock.now().astimezone(team.zone).date()


# A feature's part of the morning digest for a team on a day, or None to stay out of it.
DigestSectionProvider = Callable[[Context, Team, date], DigestSection | None]


@dataclass(frozen=True)
class HomeReader:
    """Who is looking at the App Home, as each feature's section needs it."""

    user: str
    team: Team | None
    tr: Translator
    timezone: str
    commands: tuple[str, ...]  # every feature's slash command with its usage hint


# A feature's part of a person's App Home: Block Kit blocks, or none to stay out of it.
HomeSection = Callable[[Context, HomeReader], list[dict[str, Any]]]


@dataclass(frozen=True)
class LinkKind:
    """A feature's objects as others link to them (declared by the feature that owns the kind)."""

    kind: Kind
    # How one of its objects reads on another card, in the reader's words; None when it is gone.
    describe: Callable[[Context, Ref, Translator], LinkState | None]
    # Something this object started has moved: redraw its cards (and close it if that finished it).
    changed: Callable[[Context, Ref], None] | None = None
    # Whether a person may start a follow-up from it now (a restock request from F-12): raises OpsError saying why
    # not (gone, another team's, closed, not theirs). A kind without it starts nothing.
    may_start: Callable[[Context, Ref, str], None] | None = None


@dataclass(frozen=True)
class AgendaPeriod:
    """What an agenda covers: the weekly meeting's past week (``start``..``end`` inclusive, the team's days) or the
    monthly review's month, and the day the meeting is held."""

    rhythm: Literal["weekly", "monthly"]
    start: date
    end: date
    held_on: date


@dataclass(frozen=True)
class AgendaPart:
    """One section of an agenda as its feature reads it for the team, in the team's language: a title and lines
    (Slack mrkdwn, user text already escaped) that the meeting's message, App Home and Markdown export all show."""

    key: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class AgendaSection:
    """A feature's agenda section: ``key`` is what meetings.yml lists under ``sections:``; ``build`` returns None to
    stay out of an agenda (nothing to say, or not its rhythm)."""

    key: str
    build: Callable[[Context, Team, AgendaPeriod, Translator], AgendaPart | None]
