"""playbooks/goals.yml: each person's or role's own measurable targets for a month or a quarter.

kpi.yml keeps the monthly targets per marketplace; this file gives people and roles their own: a KPI Opsbot
computes from the loaded reports (GMV of their SKUs, ACoS of their SKUs' ads, return rate, days of cover kept
above lead time) or a number they report with ``/goals report``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.errors import ConfigError
from bot.ops.team import Member, Role, TeamDirectory
from bot.playbooks import LocalText, Percent, load_model, load_teams

GoalKpi = Literal["gmv", "acos", "return_rate", "cover_days", "reported"]
# Which way is better for each computed KPI: GMV and the share of days kept in cover up, ACoS and returns down.
HIGHER_IS_BETTER = {"gmv": True, "acos": False, "return_rate": False, "cover_days": True}
PERIOD = re.compile(r"^(monthly|quarterly|\d{4}-(0[1-9]|1[0-2])|\d{4}-Q[1-4])$")


class Goal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)  # what /goals report names
    owner: str | None = None  # a member by Slack id or by name, as team.yml lists them
    role: Role | None = None  # ... or everyone holding a role
    team: str | None = None  # a team id; by default the owner's team, or every team for a role
    title: LocalText | None = None  # by default the KPI's name and scope
    kpi: GoalKpi
    period: str  # monthly | quarterly | 2026-11 | 2026-Q4
    target: Percent = Field(gt=0)  # money in the marketplace's currency (the team's base without one); rates 25%
    marketplace: str | None = Field(default=None, pattern=r"^[A-Z]{2,8}$")
    skus: tuple[str, ...] = ()  # their SKUs; none: all of the marketplace's (or the team's)
    # acos only: their campaigns, by name or a pattern with * (any case); none: every campaign of the SKUs
    campaigns: tuple[str, ...] = ()
    better: Literal["higher", "lower"] | None = None  # reported numbers only; computed KPIs know their direction
    unit: LocalText | None = None  # reported numbers only: what is counted (reviews, suppliers audited, ...)
    accrues: bool = True  # reported numbers only: a count that grows over the period (false: a level, a rating)

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        if not PERIOD.match(value):
            raise ValueError(f"{value!r} is not a period; use monthly, quarterly, a month (2026-11) or a quarter "
                             "(2026-Q4)")
        return value

    @model_validator(mode="after")
    def _shape(self) -> Goal:
        if (self.owner is None) == (self.role is None):
            raise ValueError(f"goal {self.id}: give either owner (a member) or role, not both or neither")
        if self.kpi == "reported":
            if self.title is None:
                raise ValueError(f"goal {self.id}: a reported number needs a title saying what is counted")
            if self.skus or self.marketplace:
                raise ValueError(f"goal {self.id}: skus and marketplace are for computed KPIs, not reported numbers")
        elif self.better is not None or self.unit is not None or not self.accrues:
            raise ValueError(f"goal {self.id}: better, unit and accrues are for reported numbers; {self.kpi} knows "
                             "its own")
        if self.campaigns and (self.kpi != "acos" or self.marketplace is None):
            raise ValueError(f"goal {self.id}: campaigns are for an acos goal in one marketplace (their spend is in "
                             "its currency): give kpi: acos and a marketplace")
        if self.kpi in ("acos", "return_rate", "cover_days") and self.target > 1:
            raise ValueError(f"goal {self.id}: {self.kpi}'s target is a rate: write it as 25% or 0.25")
        return self

    @property
    def higher_is_better(self) -> bool:
        return self.better != "lower" if self.kpi == "reported" else HIGHER_IS_BETTER[self.kpi]

    def campaign_matches(self, name: str) -> bool:
        """A campaign is one of the goal's: its name, or a pattern's ``*`` standing for any text, in any case."""
        # Only * is special: campaign names often hold brackets ("[SP] LED"), which fnmatch would read as a class.
        patterns = (re.escape(p.strip().lower()).replace(r"\*", ".*") for p in self.campaigns)
        return any(re.fullmatch(p, name.strip().lower(), re.DOTALL) for p in patterns)

    def owned_by(self, member: Member) -> bool:
        """The goal's owner is this member: by Slack id, or by the name team.yml gives them."""
        if self.owner is None:
            return False
        name = self.owner.removeprefix("@").strip().lower()
        return self.owner == member.user or name == member.name.strip().lower()


class Diagnosis(BaseModel):
    """When a first diagnosis names a cause: the thresholds and what counts as a competition note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    traffic_drop: Percent = Field(default=0.10, ge=0)  # sessions this much below the period before
    cvr_drop: Percent = Field(default=0.10, ge=0)  # conversion this much below, with sessions not down
    competition_categories: tuple[str, ...] = ("price",)  # feedback categories that speak of price or competitors
    competition_words: tuple[str, ...] = ("competitor", "competitors", "竞品", "競品", "竞争对手", "競爭對手")


class GoalsPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    goals: tuple[Goal, ...] = ()
    diagnosis: Diagnosis = Diagnosis()
    # A reported number missing before the monthly review's agenda: its owner's DM at this time of their morning.
    remind_at: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @model_validator(mode="after")
    def _unique(self) -> GoalsPlaybook:
        seen: set[str] = set()
        for goal in self.goals:
            if goal.id in seen:
                raise ValueError(f"goal id {goal.id} is used twice; each goal needs its own id")
            seen.add(goal.id)
        return self

    def by_id(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id.lower()), None)


def unknown_teams(playbook: GoalsPlaybook, teams: TeamDirectory) -> list[str]:
    """Teams a goal names that team.yml does not have: a mistake, refused at start."""
    return [f"goals.{index}.team: no team {goal.team!r} in team.yml"
            for index, goal in enumerate(playbook.goals) if goal.team is not None and teams.by_id(goal.team) is None]


def unknown_owners(playbook: GoalsPlaybook, teams: TeamDirectory) -> list[str]:
    """Owners a goal names who are on no team yet. Not refused at start: a team set up in Slack (/ops setup) adds its
    people after team.yml is read, and the goal is theirs once they are; ``opsbot doctor`` lists them."""
    return [f"goals.{index}.owner: {goal.owner!r} is not a member in team.yml (use their Slack id or their name as "
            "team.yml gives it)" for index, goal in enumerate(playbook.goals)
            if goal.owner is not None and not any(goal.owned_by(m) for t in teams.teams for m in t.members)]


def load_playbook(folder: Path) -> GoalsPlaybook:
    path = folder / "goals.yml"
    if not path.exists():
        return GoalsPlaybook()
    playbook = load_model(path, GoalsPlaybook)
    try:
        teams = load_teams(folder)
    except ConfigError:
        return playbook  # team.yml's own problems are reported by the wiring; owners are checked against it then
    problems = unknown_teams(playbook, teams)
    if problems:
        raise ConfigError([f"{path}: {p}" for p in problems])
    return playbook
