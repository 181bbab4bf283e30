"""Setting a team up from Slack: ``/ops setup`` (TeamSetup), and the bot in the channels the team gives it
(ChannelMembership): it joins the public ones itself each morning, asks the manager to invite it to a private
one, and says what it will post when it is added."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from babel.numbers import list_currencies
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError

from bot.answering import after_answer
from bot.blocks.setup import invite_me_text, welcome_text
from bot.blocks.text import escape
from bot.db import setup as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.ops.team import WEEKDAYS, ChannelKey, Role, Team
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)
MORNING_CHECK = time(8, 0)  # before the 09:00 digest, so the digest finds the bot in its channel


class ChannelMembership:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def jobs(self) -> list[ScheduledJob]:
        return [
            daily(
                "setup.channels", team.id, team.zone, MORNING_CHECK, partial(self._fire, team), grace=timedelta(hours=1)
            )
            for team in self.ctx.teams.teams
        ]

    def _fire(self, team: Team, _fire: datetime) -> None:
        self.check(team)

    def check(self, team: Team) -> None:
        """Join each public channel the bot is not in; tell the managers about each private one."""
        for key, channel in team.channels.items():
            try:
                state, name = self.ctx.delivery.join(channel)
            except SlackApiError as exc:
                log.warning(
                    "cannot check channel %s (%s) of team %s: %s", channel, key, team.id, exc.response.get("error")
                )
                continue
            if state == "joined":
                log.info("joined #%s (%s) for team %s", name, key, team.id)
            if state != "private":
                continue
            with self.ctx.db.transaction():
                for manager in team.people_with(Role.manager):
                    tr = self.ctx.translator_for(manager.user, team)
                    self.ctx.delivery.dm(manager.user, invite_me_text(tr, key, name))

    def joined(self, channel: str, user: str, bot_user: str | None, workspace: str | None) -> None:
        """Someone joined a channel: when it is the bot, into a channel it uses, it says what it will post."""
        if user != bot_user:
            return
        for team in self.ctx.teams.teams:
            if workspace is not None and team.slack_team_id != workspace:
                continue
            for key, channel_id in team.channels.items():
                if channel_id == channel:
                    with self.ctx.db.transaction():
                        self.ctx.delivery.post(channel, welcome_text(self.ctx.translator_for(None, team), key))
                    return


# What /ops setup can set, by Team's field names; team.yml wins where it gives one (the file is the record for a
# team that keeps its settings in git), so the form offers only the rest.
SETUP_FIELDS = ("timezone", "language", "base_currency", "workdays", "holiday_countries", "channels", "members")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]+$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


class TeamSetup:
    """A team's setup made in Slack: read at start, offered for what team.yml leaves out, checked, previewed,
    saved per team (with its audit row) and applied to the running bot."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        # What each team's file says, before any saved setup is applied: the form never offers it.
        self.from_file = {t.id: frozenset(t.model_fields_set) & set(SETUP_FIELDS) for t in ctx.teams.teams}
        self._applied: dict[str, str] = {}  # each team's saved setup (as stored) this instance last applied

    def apply_saved(self, again: Iterable[str] = ()) -> None:
        """Each team's saved setup under its team.yml (where the file gives a value, the file wins): at start, and
        again before the scheduler computes its jobs, so a setup saved since (here or on another replica) moves
        the team's scheduled work without a restart. Only what changed since the last look is applied, and what
        was saved for the teams ``again`` names (rebuilt from their file since)."""
        for team_id in again:
            self._applied.pop(team_id, None)
        with self.ctx.db.transaction() as session:
            found = store.all_saved(session)
        for team_id, text in found.items():
            if self._applied.get(team_id) != text:
                self._applied[team_id] = text
                self._apply(team_id, json.loads(text))

    def team_for(self, user: str, workspace: str | None) -> Team:
        """The team a person sets up: their own, or the only team of the workspace (nobody is in it yet)."""
        team = self.ctx.teams.for_user(user, workspace)
        if team is not None:
            return team
        candidates = [t for t in self.ctx.teams.teams if workspace is None or t.slack_team_id == workspace]
        if len(candidates) == 1:
            return candidates[0]
        return self.ctx.team_of(user, workspace)  # says how to be added

    def require_may_set_up(self, team: Team, user: str) -> None:
        """The manager sets the team up; before the team has a manager (the first setup), whoever installed it."""
        has_manager = bool(team.people_with(Role.manager) or team.usergroups.get(Role.manager))
        if has_manager and not self.ctx.has_role(team, user, Role.manager):
            raise OpsError(
                N_("Only the team's manager can change its setup. Ask {managers}."),
                managers=", ".join(m.name for m in team.people_with(Role.manager)) or "the manager",
            )

    def who_may_set_up(self, user: str, workspace: str | None) -> list[str] | None:
        """None when ``user`` may use /ops setup; otherwise the managers (user ids) who may."""
        try:
            team = self.team_for(user, workspace)
            self.require_may_set_up(team, user)
        except OpsError:
            found = self.ctx.teams.for_user(user, workspace)
            return [m.user for m in found.people_with(Role.manager)] if found else []
        return None

    def offered(self, team: Team) -> tuple[str, ...]:
        given = self.from_file.get(team.id, frozenset())
        return tuple(f for f in SETUP_FIELDS if f not in given)

    def read_form(self, team: Team, form: dict[str, Any]) -> dict[str, Any]:
        """The submitted form as Team values; an OpsError on the field at fault says what is accepted."""
        offered = self.offered(team)
        values: dict[str, Any] = {}
        if "timezone" in offered:
            zone = str(form.get("timezone") or "").strip()
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise OpsError(
                    N_("Unknown time zone {zone}: write one like Asia/Shanghai or America/Los_Angeles."),
                    field="timezone",
                    zone=zone,
                ) from None
            values["timezone"] = zone
        if "language" in offered:
            values["language"] = str(form.get("language") or "en")
        if "base_currency" in offered:
            currency = str(form.get("base_currency") or "").strip().upper()
            if currency not in list_currencies():
                raise OpsError(
                    N_("Unknown currency {code}: write its three-letter code, e.g. CNY or USD."),
                    field="base_currency",
                    code=currency,
                )
            values["base_currency"] = currency
        if "workdays" in offered:
            days = [d for d in WEEKDAYS if d in (form.get("workdays") or [])]
            if not days:
                raise OpsError(N_("Tick at least one workday."), field="workdays")
            values["workdays"] = days
        if "holiday_countries" in offered:
            countries = [c.upper() for c in re.split(r"[\s,，、]+", str(form.get("holiday_countries") or "")) if c]
            unknown = [c for c in countries if c not in holidays.list_supported_countries()]
            if unknown:
                raise OpsError(
                    N_("Unknown country code {codes}: use two letters, e.g. CN, US, DE."),
                    field="holiday_countries",
                    codes=", ".join(unknown),
                )
            values["holiday_countries"] = list(dict.fromkeys(countries))
        if "channels" in offered:
            values["channels"] = self._channels(form)
        if "members" in offered:
            values["members"] = self._members(form)
        return values

    def _channels(self, form: dict[str, Any]) -> dict[str, str]:
        channels = {}
        for key in ChannelKey:
            chosen = form.get(f"channel_{key.value}")
            if chosen and not _CHANNEL_ID.match(str(chosen)):
                raise OpsError(N_("Pick a channel from the list."), field=f"channel_{key.value}")
            if chosen:
                channels[key.value] = str(chosen)
        if ChannelKey.ops.value not in channels:
            raise OpsError(N_("Pick the team's channel: stand-ups and the digest go there."), field="channel_ops")
        return channels

    def _members(self, form: dict[str, Any]) -> list[dict[str, Any]]:
        roles: dict[str, list[str]] = {}
        for role in Role:
            for user in form.get(f"role_{role.value}") or []:
                if not _USER_ID.match(str(user)):
                    raise OpsError(N_("Pick people from the list."), field=f"role_{role.value}")
                roles.setdefault(str(user), []).append(role.value)
        if not any(Role.manager.value in r for r in roles.values()):
            raise OpsError(
                N_("Pick the team's manager: they approve and can change this setup."),
                field=f"role_{Role.manager.value}",
            )
        return [
            {"user": user, "name": self.ctx.people.profile(user).name, "roles": held} for user, held in roles.items()
        ]

    def save(self, team: Team, user: str, values: dict[str, Any]) -> Team:
        """Store the setup with its audit row, tell the person, and apply it to the running bot."""
        self.require_may_set_up(team, user)
        updated = self._merged(team, values)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            replaced = store.save(session, team.id, values, by=user, at=now)
            Audit(team.id, user, now)(session, "team_setup", team.id, "saved" if replaced else None, "saved")
            tr = self.ctx.translator_for(user, updated)
            self.ctx.delivery.dm(
                user, tr._("Team setup saved for {team}. /ops team shows it.", team=escape(updated.name))
            )
        self._replace(updated)
        if "members" in values:
            # The form's answer named people from what was known (it never asks Slack): their names follow it.
            learn = partial(self._learn_names, team.id)
            if not after_answer(learn):
                learn()
        return updated

    def _learn_names(self, team_id: str) -> None:
        """The saved setup's people named as Slack names them now (after the answer, when Slack may be asked): the
        stored setup is rewritten where a name changed, so every replica applies it, and applied here at once."""
        with self.ctx.db.transaction() as session:
            row = session.get(store.TeamSetupRow, team_id)
            before = row.settings_json if row is not None else None
        if before is None:
            return
        values = json.loads(before)
        members = list(values.get("members") or [])
        named = [{**m, "name": self.ctx.people.profile(str(m["user"])).name} for m in members]
        if named == members:
            return
        with self.ctx.db.transaction() as session:
            row = session.get(store.TeamSetupRow, team_id)
            if row is None or row.settings_json != before:
                return  # saved again meanwhile: that save looks its own names up
            store.save(session, team_id, {**values, "members": named}, by=row.saved_by, at=row.saved_at)
        self._apply(team_id, {**values, "members": named})

    def check(self, team: Team, values: dict[str, Any]) -> Team:
        """The team as it would be with this setup; an OpsError when the result is not a valid team."""
        return self._merged(team, values)

    def _merged(self, team: Team, values: dict[str, Any]) -> Team:
        given = self.from_file.get(team.id, frozenset())
        data = team.model_dump(exclude_unset=True)
        data.update({k: v for k, v in values.items() if k in SETUP_FIELDS and k not in given})
        try:
            merged = Team.model_validate(data)
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0]) if exc.errors() and exc.errors()[0]["loc"] else None
            raise OpsError(
                N_("This setup cannot be used: {reason}"),
                field=field if field in SETUP_FIELDS else None,
                reason=exc.errors()[0]["msg"].removeprefix("Value error, "),
            ) from None
        # Still marked as given only where the file gave it, so the form keeps offering what Slack set.
        return Team.model_construct(_fields_set=set(team.model_fields_set), **dict(merged))

    def _apply(self, team_id: str, values: dict[str, Any]) -> None:
        team = self.ctx.teams.by_id(team_id)
        if team is None:
            return
        try:
            self._replace(self._merged(team, values))
        except OpsError:
            log.warning("the saved setup of team %s no longer fits its team.yml; team.yml alone is used", team_id)

    def _replace(self, updated: Team) -> None:
        teams = self.ctx.teams.teams
        for index, team in enumerate(teams):
            if team.id == updated.id:
                teams[index] = updated
