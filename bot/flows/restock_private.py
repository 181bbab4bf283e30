"""A restock request filed from a private place waits for its requester (issue 17, "private stays private").

Typed in a private channel, a group DM or a DM (or in a form opened there, or for something private: a feedback item
kept private, an action of a meeting held in a private channel), a request is stored as ``held``: no card in the
purchasing channel, in nobody's list, App Home or agenda. Its requester is asked, with buttons on the confirmation,
where it goes: with the note to purchasing; without the note, which goes by DM to those who decide it (the card
is all purchasing needs to decide and order it); or nowhere (``withdrawn``: cancelled, and as private as it was,
seen by its requester only). The answer is a compare-and-set on the request's version, so a double click or two
copies of the question post the card once. Before answering, the requester may take the quantity the supplier
ships (the question's "Make it 500"): the question is asked again.
"""

from __future__ import annotations

import json
from typing import Any, cast

from bot.blocks import restock_private as blocks
from bot.db import restock as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.restock_requests import RestockRequests
from bot.ops import restock as ops
from bot.ops.restock_playbook import FreightMode
from bot.ops.team import ChannelKey, Team

ANSWERED = {blocks.POST_PUBLICLY: "posted by its requester", blocks.KEEP_PRIVATE: "posted without its note",
            blocks.CANCEL_HELD: "cancelled by its requester before it was posted"}


class HeldRequests:
    """The requester's answer to the question: post, post without the note, or cancel."""

    def __init__(self, ctx: Context, requests: RestockRequests) -> None:
        self.ctx = ctx
        self.requests = requests
        self.cards = requests.cards

    def answer(self, user: str, raw: str, action: str) -> str:
        """Apply ``user``'s answer (a button's value {"id"}) once and say what it did; OpsError when the question
        is not theirs or was already answered."""
        team = self.ctx.team_of(user)
        request = self._held(team, raw)
        if request.requester != user:
            raise OpsError(N_("Only <@{who}>, who filed {ref}, can say where it goes."), who=request.requester,
                           ref=request.ref)
        if request.state != ops.HELD or action not in ANSWERED:
            raise OpsError(N_("You already said where {ref} goes."), ref=request.ref)
        target = ops.WITHDRAWN if action == blocks.CANCEL_HELD else ops.REQUESTED
        deciders = self.cards.deciders(team, request)
        keep = action == blocks.KEEP_PRIVATE and bool(request.reason.strip()) and bool(deciders)
        found = self.requests.suggestion(team, request.sku, request.marketplace,
                                         cast(FreightMode, request.freight_mode)) if target == ops.REQUESTED else None
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            # Two presses read the same version: one moves it, the other is told it was answered. Filed is when it
            # is posted: the approval SLA counts from the answer, not from the question.
            if not store.move(session, request.id, request.version,
                              {"state": target, "note_private": keep, "updated_at": now, "created_at": now}):
                raise OpsError(N_("You already said where {ref} goes."), ref=request.ref)
            Audit(team.id, user, now)(session, "restock", request.ref, ops.HELD, target, ANSWERED[action])
            session.expire_all()
            answered = self.cards.request(request.id)
            if found is not None:  # answered and announced together: posted once, or not at all
                self.cards.post(team, answered, found)
                for decider in deciders if keep else []:
                    mine = self.ctx.translator_for(decider, team)
                    self.ctx.delivery.dm(decider, blocks.note_for_decider(
                        mine, answered.ref, answered.quantity, answered.sku, answered.requester, answered.reason))
        self.requests.announce(team, None, answered)
        said = blocks.POST_PUBLICLY if action == blocks.KEEP_PRIVATE and not keep else action
        return blocks.answer_text(self.ctx.translator_for(user, team), answered.ref, said,
                                  str(team.channel(ChannelKey.purchasing)), deciders, bool(answered.reason.strip()))

    def resize(self, user: str, request_id: int, quantity: int) -> tuple[str, list[dict[str, Any]]] | None:
        """The question's "Make it 500" (what the supplier ships): the held request takes that quantity and its
        requester is asked again. None when it is not held (a posted request's offer is a change on its card)."""
        team = self.ctx.team_of(user)
        request = self._held(team, json.dumps({"id": request_id}))
        if request.state not in ops.UNPOSTED:
            return None
        if request.requester != user:  # as /restock status: no such request for anyone else
            raise OpsError(N_("That restock request no longer exists."))
        if request.state != ops.HELD:
            raise OpsError(N_("You already said where {ref} goes."), ref=request.ref)
        playbook = self.requests.playbook
        ops.check_quantity(quantity, request.suggested, playbook)
        self.requests.check_orderable(request.sku, quantity, None)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            if not store.move(session, request.id, request.version, {"quantity": quantity, "updated_at": now}):
                raise OpsError(N_("You already said where {ref} goes."), ref=request.ref)
            Audit(team.id, user, now)(session, "restock", request.ref, ops.HELD, ops.HELD, f"quantity={quantity}")
        return self.cards.held_question(team, self.cards.request(request.id))

    def _held(self, team: Team, raw: str) -> store.RestockRequest:
        try:
            request_id = json.loads(raw)["id"]
            if isinstance(request_id, bool) or not isinstance(request_id, int):
                raise ValueError(request_id)
            request = self.cards.request(request_id)
        except (ValueError, KeyError, TypeError, LookupError) as exc:
            raise OpsError(N_("That restock request no longer exists.")) from exc
        if request.team_id != team.id:
            raise OpsError(N_("That restock request no longer exists."))
        return request
