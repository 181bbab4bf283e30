"""A goal as a manager types it in Slack: ``/goals set <goal> field=value ...``, checked field by field.

Every problem is an OpsError naming the field and what it accepts, before anything is stored; the goal that comes
out is validated by the same model as goals.yml's, so a goal set in Slack is never one goals.yml could not hold.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from pydantic import ValidationError

from bot.errors import N_, OpsError
from bot.ops.goals_playbook import PERIOD, Goal, GoalKpi, GoalsPlaybook
from bot.ops.team import Role, Team
from bot.playbooks import _fraction

FIELDS = ("owner", "role", "kpi", "period", "target", "marketplace", "skus", "campaigns", "title", "better", "unit",
          "accrues")
KPIS = get_args(GoalKpi)
_MENTION = re.compile(r"^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$|^@?([UW][A-Z0-9_]{2,})$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Slack's clients turn typed quotes into curly ones: read them as the plain quotes they stand for.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"'})

NOT_A_FIELD = N_("{name} is not a goal field. Accepted: owner, role, kpi, period, target, marketplace, skus, "
                 "campaigns, title, better, unit, accrues.")


def parse_fields(text: str) -> dict[str, str]:
    """``kpi=acos target=25% campaigns="Exact *, Auto LED-*"`` as {field: text}; quotes keep spaces together."""
    try:
        words = shlex.split(text.translate(_QUOTES))
    except ValueError:
        raise OpsError(N_("A quote is not closed: write a value with spaces as title=\"Reviews answered\"."),
                       field="title") from None
    found: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        name = name.strip().lower()
        if not sep or name not in FIELDS:
            raise OpsError(NOT_A_FIELD, field=name or word, name=name or word)
        found[name] = value.strip()
    if not found:
        raise OpsError(N_("Say what to set, as field=value: /goals set us-acos target=20% (fields: owner, role, kpi, "
                          "period, target, marketplace, skus, campaigns, title, better, unit, accrues)."))
    return found


def check_id(goal_id: str) -> str:
    if not _ID.match(goal_id) or len(goal_id) > 40:
        raise OpsError(N_("{goal} is not a goal id: use lower-case letters, digits and dashes (us-acos)."),
                       field="id", goal=goal_id)
    return goal_id


def _owner(team: Team, typed: str) -> str:
    match = _MENTION.match(typed)
    user = (match.group(1) or match.group(2)) if match else None
    member = team.member(user) if user else next(
        (m for m in team.members if m.name.strip().lower() == typed.removeprefix("@").strip().lower()), None)
    if member is None:
        raise OpsError(N_("owner: {value} is not on team {team}. Mention them (@name) or give their name as team.yml "
                          "lists it."), field="owner", value=typed, team=team.name)
    return member.user


def _value(team: Team, name: str, typed: str) -> Any:
    """One field's text as the model takes it, or an OpsError saying what the field accepts."""
    if name == "owner":
        return _owner(team, typed)
    if name == "role":
        if typed.lower() not in {str(r) for r in Role}:
            raise OpsError(N_("role: {value} is not a role. Use one of {roles}."), field="role", value=typed,
                           roles=", ".join(str(r) for r in Role))
        return typed.lower()
    if name == "kpi":
        if typed.lower() not in KPIS:
            raise OpsError(N_("kpi: {value} is not accepted. Use gmv, acos, return_rate, cover_days or reported."),
                           field="kpi", value=typed)
        return typed.lower()
    if name == "period":
        period = re.sub(r"^(\d{4})-q([1-4])$", r"\1-Q\2", typed.lower())
        if not PERIOD.match(period):
            raise OpsError(N_("period: {value} is not accepted. Use monthly, quarterly, a month (2026-11) or a quarter "
                              "(2026-Q4)."), field="period", value=typed)
        return period
    if name == "target":
        try:
            number = float(_fraction(typed.replace(",", "")))
        except (TypeError, ValueError):
            number = -1.0
        if number <= 0:
            raise OpsError(N_("target: {value} is not accepted. Write a number above 0: money as 30000, a rate as "
                              "25%."), field="target", value=typed)
        return number
    if name == "marketplace":
        if not re.fullmatch(r"[A-Za-z]{2,8}", typed):
            raise OpsError(N_("marketplace: {value} is not accepted. Use a marketplace code such as US or DE."),
                           field="marketplace", value=typed)
        return typed.upper()
    if name in ("skus", "campaigns"):
        return tuple(p.strip() for p in typed.split(",") if p.strip())
    if name == "better":
        if typed.lower() not in ("higher", "lower"):
            raise OpsError(N_("better: {value} is not accepted. Use higher or lower."), field="better", value=typed)
        return typed.lower()
    if name == "accrues":
        if typed.lower() not in ("yes", "no", "true", "false"):
            raise OpsError(N_("accrues: {value} is not accepted. Use yes (a count that grows) or no (a level)."),
                           field="accrues", value=typed)
        return typed.lower() in ("yes", "true")
    return typed or None  # title, unit: text as typed


def edited_goal(team: Team, goal_id: str, before: Goal | None, fields: dict[str, str]) -> Goal:
    """The goal after the edit: ``before``'s fields with the typed ones in their place (a new goal: only these)."""
    values: dict[str, Any] = before.model_dump(exclude_defaults=True) if before is not None else {}
    values.update({name: _value(team, name, typed) for name, typed in fields.items()})
    if "owner" in fields:
        values.pop("role", None)
    elif "role" in fields:
        values.pop("owner", None)
    values["id"], values["team"] = goal_id, team.id
    missing = [n for n in ("kpi", "period", "target") if n not in values]
    if "owner" not in values and "role" not in values:
        missing.insert(0, "owner")
    if missing:
        raise OpsError(N_("A new goal needs {fields}: /goals set {goal} owner=@name kpi=gmv period=monthly "
                          "target=30000."), field=missing[0], fields=", ".join(missing), goal=goal_id)
    _check_shape(values)
    try:
        return Goal.model_validate(values)
    except ValidationError as exc:  # what the checks above let through (a title given as a mapping, ...)
        problem = exc.errors()[0]
        where = str(problem["loc"][0]) if problem["loc"] else "id"
        raise OpsError(N_("{name}: not accepted as given; check its value."), field=where,
                       name=where) from None


def _check_shape(values: dict[str, Any]) -> None:
    """The rules between fields (goals.yml's model states them in English for operators; here in the reader's)."""
    kpi = values["kpi"]
    if kpi == "reported":
        if not values.get("title"):
            raise OpsError(N_("title: a reported number needs a title saying what is counted "
                              "(title=\"Suppliers audited\")."), field="title")
        for name in ("skus", "marketplace", "campaigns"):
            if values.get(name):
                raise OpsError(N_("{name}: only for a computed KPI, not a reported number."), field=name, name=name)
    else:
        for name in ("better", "unit"):
            if values.get(name) is not None:
                raise OpsError(N_("{name}: only for a reported number; {kpi} knows its own."), field=name, name=name,
                               kpi=kpi)
        if values.get("accrues") is False:
            raise OpsError(N_("{name}: only for a reported number; {kpi} knows its own."), field="accrues",
                           name="accrues", kpi=kpi)
    if values.get("campaigns") and (kpi != "acos" or not values.get("marketplace")):
        raise OpsError(N_("campaigns: only for an acos goal in one marketplace (add marketplace=US)."),
                       field="campaigns")
    if kpi in ("acos", "return_rate", "cover_days") and values["target"] > 1:
        raise OpsError(N_("target: {kpi} is a rate: write it as 25%."), field="target", kpi=kpi)


@dataclass(frozen=True)
class Edited:
    """Who set or changed a goal in Slack, and when."""

    by: str
    at: datetime


def merged(playbook: GoalsPlaybook, edits: dict[str, tuple[str | None, Edited]]) -> tuple[GoalsPlaybook,
                                                                                            dict[str, Edited]]:
    """goals.yml's goals with each goal id's newest Slack edit in its place (None: removed), new ones after them."""
    goals = [g for g in playbook.goals if g.id not in edits]
    for definition, _ in edits.values():
        if definition is not None:
            # Stored by this same model after its checks: a definition that no longer validates is a bug, loud.
            goals.append(Goal.model_validate_json(definition))
    order = {g.id: n for n, g in enumerate(playbook.goals)}
    goals.sort(key=lambda g: order.get(g.id, len(order)))
    changed = {goal_id: who for goal_id, (definition, who) in edits.items() if definition is not None}
    return playbook.model_copy(update={"goals": tuple(goals)}), changed
