"""A meeting action turned into a restock request, a promotion or a launch task (A-7 → R-3, P-2, T-40): the kinds a
person may start from it, the form each opens prefilled from the action's words (and the SKU and marketplace they
name), the checks asked before the form opens and again on submit, and what the action started, with its state.

The action is not closed by what it started finishing: its owner says when it is done (the meeting asked for an
outcome, not for a form to be filed), and its line shows each thing it started with its state meanwhile."""

from __future__ import annotations

import logging
from typing import Any

from bot.blocks import meeting_follow_ups as blocks
from bot.blocks.meetings import STATE_NAMES
from bot.db import meetings as store
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context
from bot.flows.home import homes_changed
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_tasks import LaunchTasks
from bot.flows.promo import Promotions
from bot.flows.promo_cards import PromoCards
from bot.flows.restock_cards import RestockCards
from bot.flows.restock_loop import RestockLoop
from bot.flows.restock_requests import RestockRequests
from bot.i18n import Translator
from bot.ops.feedback import detect_marketplace, detect_sku
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.feedback_words import words_for
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.links import Ref
from bot.ops.promo_playbook import PromoPlaybook
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import Role, Team
from bot.reports.queries import known_skus

log = logging.getLogger(__name__)
TITLE_LIMIT = 150  # a launch task's title, as the feedback's "Add launch task" cuts it


def may_start(ctx: Context, ref: Ref, user: str) -> None:
    """A-7 may start something while it is open or blocked, in the person's team, and theirs (or they manage)."""
    team = ctx.team_of(user)
    with ctx.db.transaction() as session:
        action = store.action_by_id(session, ref.id)
    if action is None or action.team_id != team.id:
        log.warning("meetings: %s named %s of another team (or none) as a source", user, ref.label)
        raise OpsError(N_("That action is not your team's."))
    if action.state in blocks.FINISHED_STATES:
        raise OpsError(N_("{label} is {state}: nothing more is started from it."), label=ref.label,
                       state=_state_name(ctx, user, team, action.state))
    if user != action.owner and not ctx.has_role(team, user, Role.manager):
        log.warning("meetings: %s tried to follow up %s owned by %s", user, ref.label, action.owner)
        raise OpsError(N_("Only the action's owner or a manager can turn it into something."))


def started_moved(ctx: Context, ref: Ref) -> None:
    """Something A-7 started moved: its owner's App Home shows the new state (the action itself stays theirs)."""
    with ctx.db.transaction() as session:
        action = store.action_by_id(session, ref.id)
    if action is not None and action.owner:
        homes_changed(ctx, ctx.teams.by_id(action.team_id), [action.owner])


def _state_name(ctx: Context, user: str, team: Team, state: str) -> str:
    tr = ctx.translator_for(user, team)
    return tr.pgettext("action", STATE_NAMES[state]) if state in STATE_NAMES else state


class MeetingFollowUps:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- what each feature offers, when it is installed --------------------------------------------
    def _restock(self) -> RestockLoop | None:
        try:
            playbook = self.ctx.playbook(RestockPlaybook)
        except LookupError:
            return None
        return RestockLoop(self.ctx, RestockRequests(self.ctx, playbook, RestockCards(self.ctx, playbook)))

    def _promotions(self) -> Promotions | None:
        try:
            playbook = self.ctx.playbook(PromoPlaybook)
        except LookupError:
            return None
        return Promotions(self.ctx, playbook, PromoCards(self.ctx, playbook))

    def _tasks(self) -> LaunchTasks | None:
        try:
            playbooks = self.ctx.playbook(LaunchPlaybooks)
        except LookupError:
            return None
        return LaunchTasks(self.ctx, playbooks, LaunchChecklist(self.ctx, playbooks))

    def kinds(self, team: Team, user: str) -> tuple[str, ...]:
        """What ``user`` may turn an action into: a restock request (purchasing, the manager: as from feedback), a
        promotion (promo.yml planners), a launch task (anyone in the team)."""
        restock, promotions = self._restock(), self._promotions()
        offered = []
        if restock is not None and restock.adjusts(team, user):
            offered.append("restock")
        if promotions is not None and promotions.plans(team, user):
            offered.append("promo")
        if self._tasks() is not None and team.member(user) is not None:
            offered.append("launch_task")
        return tuple(offered)

    # -- on the action's card --------------------------------------------------------------------
    def for_card(self, action: store.MeetingEntry, reader: str | None, tr: Translator) -> blocks.FollowUps:
        """What ``reader`` sees of the action's follow-ups on its card (the owner's DM, reminder, App Home)."""
        team = self.ctx.teams.by_id(action.team_id)
        kinds = self.kinds(team, reader) if team is not None and reader else ()
        return blocks.FollowUps(kinds, tuple(links.started(self.ctx, Ref("action", action.id), tr)))

    def started_text(self, action_id: int, tr: Translator) -> str:
        """The record's line under an action: what it started, each with its state (empty when nothing)."""
        return blocks.started_text(tr, links.started(self.ctx, Ref("action", action_id), tr))

    # -- "Turn into…" ----------------------------------------------------------------------------
    def form(self, user: str, value: str) -> dict[str, Any]:
        """The form the menu's choice opens, prefilled, once the server has checked the person may start that kind
        from this action now (the menu showed them only theirs; a forged or stale choice is refused here)."""
        kind, _, raw_id = value.partition(":")
        if kind not in blocks.KIND_NAMES or not raw_id.isdigit():
            raise OpsError(N_("That action is not your team's."))
        team = self.ctx.team_of(user)
        source = links.check_source(self.ctx, user, Ref("action", int(raw_id)))
        if kind not in self.kinds(team, user):
            raise self._refusal(team, user, kind)
        with self.ctx.db.transaction() as session:
            action = store.action_by_id(session, source.id)
        assert action is not None  # check_source found it
        sku, marketplace = self._named(team, action.text)
        if kind == "restock":
            restock = self._restock()
            assert restock is not None
            known = restock.requests.skus(team)
            return restock.from_source(user, source, sku if sku in known else None,
                                       marketplace if marketplace in restock.requests.playbook.marketplaces else None,
                                       reason=action.text)
        if kind == "promo":
            promotions = self._promotions()
            assert promotions is not None
            markets = promotions.playbook.marketplaces
            return promotions.form(user, sku, marketplace if marketplace in markets else None, source, action.text)
        tasks = self._tasks()
        assert tasks is not None
        return tasks.add_modal(user, action.text[:TITLE_LIMIT], sku or "", source=source)

    def _refusal(self, team: Team, user: str, kind: str) -> OpsError:
        log.warning("meetings: refused %s from an action to %s", kind, user)
        if kind == "restock":
            return OpsError(N_("Adjusting restock is for purchasing or the manager."))
        promotions = self._promotions()
        if kind == "promo" and promotions is not None:
            promotions.may_plan(user, team)  # raises the planners' refusal, naming their roles
        return OpsError(N_("That follow-up is not installed here."))

    def _named(self, team: Team, text: str) -> tuple[str | None, str | None]:
        """The SKU and marketplace the action's words name, found as market feedback finds them."""
        with self.ctx.db.transaction() as session:
            skus = known_skus(session, team.id)
        try:
            playbook = self.ctx.playbook(FeedbackPlaybook)
        except LookupError:
            return detect_sku(text, skus), None
        return detect_sku(text, skus), detect_marketplace(text, playbook, words_for(playbook.rules()))
