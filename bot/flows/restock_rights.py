"""Who may move a restock request, as restock.yml's approval rule says, and what each is told when they may not."""

from __future__ import annotations

import logging

from bot.blocks import restock as blocks
from bot.db import restock as store
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.restock_cards import RestockCards
from bot.i18n import Count
from bot.ops import restock as ops
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import ROLE_NAMES, Role, Team

log = logging.getLogger(__name__)
Checked = tuple[Team, store.RestockRequest]  # a step the person may take on the request as it was read


class RestockRights:
    def __init__(self, ctx: Context, playbook: RestockPlaybook, cards: RestockCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def facts(self, team: Team, request: store.RestockRequest) -> ops.RequestFacts:
        return self.cards.facts(team, request)

    def approvers(self, team: Team, request: store.RestockRequest) -> list[str]:
        """Who may approve it now (never its requester); nobody once it is decided."""
        if request.state != ops.REQUESTED:
            return []
        return self.cards.deciders(team, request)

    def check(self, user: str, request_id: int, action: str, quantity: int | None = None) -> Checked:
        """The request, if ``user`` may take ``action`` on it now; else OpsError saying why not."""
        team = self.ctx.team_of(user)
        if not isinstance(request_id, int) or isinstance(request_id, bool) or action not in ops.MOVES:
            raise OpsError(N_("That restock request no longer exists."))  # a value no card of ours carries
        try:
            request = self.cards.request(request_id)
        except LookupError:
            request = None
        if request is None or request.team_id != team.id:
            raise OpsError(N_("That restock request no longer exists."))
        if request.state in ops.UNPOSTED and user != request.requester:  # as /restock status: no such request
            raise OpsError(N_("That restock request no longer exists."))
        if request.state == ops.HELD:  # a forged press by its requester: the question comes first
            raise OpsError(N_("{ref} is not posted yet: say where it goes first (/restock status {ref} asks again)."),
                           ref=request.ref)
        if not ops.can_move(action, request.state):  # a stale card: said in the reader's words, not our keys
            tr = self.ctx.translator_for(user, team)
            raise OpsError(N_("This request is {state}, so “{action}” is not possible any more."),
                           state=blocks.state_label(tr, request.state), action=blocks.action_label(tr, action))
        roles = {role for role in Role if self.ctx.has_role(team, user, role)}
        facts = self.facts(team, request)
        why = ops.refusal(action, user, roles, facts, self.playbook, quantity)
        if why is not None:
            log.warning("restock: %s may not %s %s (%s)", user, action, request.ref, why)
            raise self._refused(user, team, request, facts, why)
        return team, request

    def _own(self, user: str, team: Team, facts: ops.RequestFacts) -> OpsError:
        """Its requester pressed Approve or Reject: name who does decide it, as the approval rule says."""
        roles = ops.deciders(facts, self.playbook)
        if Role.purchasing in roles:
            return OpsError(N_("Nobody approves their own request: purchasing or the manager decides."))
        if Role.manager not in facts.requester_roles:
            return OpsError(N_("Nobody approves their own request: above the approval threshold in restock.yml the "
                               "manager decides."))
        second = self.playbook.approval.second_approver()
        if second is None:
            return OpsError(N_("Nobody approves their own request: another manager decides "
                               "(approval.manager_own_requests in restock.yml)."))
        tr = self.ctx.translator_for(user, team)
        return OpsError(N_("Nobody approves their own request: {role} decides (approval.manager_own_requests in "
                           "restock.yml)."), role=tr._(ROLE_NAMES[second]))

    def _refused(self, user: str, team: Team, request: store.RestockRequest, facts: ops.RequestFacts,
                 why: str) -> OpsError:
        if why == ops.OWN:
            return self._own(user, team, facts)
        if why == ops.ABOVE_THRESHOLD:
            return OpsError(
                N_("{ref} is above the approval threshold in restock.yml: only the manager can decide."),
                ref=request.ref,
            )
        if why == ops.MANAGERS_OWN:
            second = self.playbook.approval.second_approver()
            if second is None:
                return OpsError(N_("{ref} is the manager's own request above the approval threshold: another "
                                   "manager decides (approval.manager_own_requests in restock.yml)."), ref=request.ref)
            tr = self.ctx.translator_for(user, team)
            return OpsError(N_("{ref} is the manager's own request above the approval threshold: {role} decides "
                               "(approval.manager_own_requests in restock.yml)."),
                            ref=request.ref, role=tr._(ROLE_NAMES[second]))
        if why == ops.CUT_TOO_DEEP:
            return OpsError(N_("On its own purchasing may lower {ref} to {lowest} at the least "
                               "(approval.purchasing_may_lower_by in restock.yml); a deeper cut is the manager's."),
                            field="quantity", ref=request.ref, lowest=Count(ops.lowest_cut(facts, self.playbook)))
        if why == ops.NOT_A_CUT:
            return OpsError(N_("Above the approval threshold purchasing may only lower {ref} (now {quantity}); more "
                               "is the manager's to decide."), field="quantity", ref=request.ref,
                            quantity=Count(request.quantity))
        return OpsError(N_("You can't do that with {ref}: it needs purchasing or the manager."), ref=request.ref)
