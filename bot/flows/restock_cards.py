"""Restock cards: posted when a request is filed and kept current everywhere, lists, status and the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.blocks import restock as blocks
from bot.blocks import restock_private as private_blocks
from bot.blocks.feedback import private_words
from bot.blocks.restock_suggestion import suggestion_lines
from bot.blocks.text import EMPTY, Mrkdwn
from bot.db import restock as store
from bot.db.audit import history
from bot.flows import links
from bot.flows.catalog import live_restock
from bot.flows.context import Context
from bot.i18n import Translator, translator
from bot.ops import restock as ops
from bot.ops import restock_math as math_
from bot.ops.csv_cells import safe_cell
from bot.ops.links import LinkState, Ref
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import ChannelKey, Role, Team
from bot.outbox import Receipt, ReceiptHook

# Where the card and the requester's copy landed, once Slack has them: kept current from then on.
RECEIPTS = (
    ReceiptHook("restock.card", store.RestockRequest, channel="card_channel", ts="card_ts"),
    ReceiptHook("restock.copy", store.RestockRequest, channel="copy_channel", ts="copy_ts"),
)
CSV_COLUMNS = [
    "ref", "sku", "marketplace", "quantity", "unit_cost", "currency", "requester", "state", "po_number", "eta",
    "received_quantity", "changed_at", "actor", "from_state", "to_state", "note",
]


class RestockCards:
    def __init__(self, ctx: Context, playbook: RestockPlaybook) -> None:
        self.ctx = ctx
        self._base = playbook

    @property
    def playbook(self) -> RestockPlaybook:
        """restock.yml with the catalogue imported since start (any replica's import, read now)."""
        return live_restock(self.ctx, self._base)

    def request(self, request_id: int) -> store.RestockRequest:
        with self.ctx.db.transaction() as session:
            found = session.get(store.RestockRequest, request_id)
        if found is None:
            raise LookupError(f"restock request {request_id} is gone")
        return found

    @staticmethod
    def team_tr(team: Team) -> Translator:
        return translator(team.locale)

    def card_text(self, team: Team, request: store.RestockRequest, tr: Translator | None = None) -> str:
        return blocks.card_text(tr or self.team_tr(team), request.ref, request.quantity, request.sku, request.state)

    def card(
        self, team: Team, request: store.RestockRequest, suggestion: Mrkdwn = EMPTY, tr: Translator | None = None,
        reader: str | None = None,
    ) -> list[dict[str, Any]]:
        """The card as ``reader`` sees it (None: the team's channel): a note kept private is shown only to the
        requester and to those who decide the request."""
        tr = tr or self.team_tr(team)
        facts = self.facts(team, request)
        trusted = reader is not None and reader in (request.requester, *self.deciders(team, request))
        withheld = request.note_private and bool(request.reason) and not trusted
        entry = self.playbook.catalogued(request.sku)
        progress = blocks.Progress(
            state=request.state, quantity=request.quantity, decided_by=request.decided_by, note=request.note,
            po_number=request.po_number, supplier=request.supplier, eta=request.eta, carrier=request.carrier,
            tracking=request.tracking, freight_mode=request.freight_mode, received_quantity=request.received_quantity,
        )
        view = blocks.CardView(
            ref=request.ref,
            id=request.id,
            sku=request.sku,
            marketplace=request.marketplace,
            destination=request.destination,
            quantity=request.quantity,
            value=tr.money(request.quantity * request.unit_cost, request.currency),
            requester=request.requester,
            state=request.state,
            state_label=blocks.state_label(tr, request.state),
            needs_manager=request.state == ops.REQUESTED and ops.needs_manager(facts, self.playbook),
            waits_for=self._second_approvers(team, request, facts),
            needed_by=request.needed_by,
            reason="" if withheld else request.reason,
            reason_withheld=private_blocks.withheld(tr) if withheld else "",
            history=blocks.history_lines(tr, progress),
            suggestion=suggestion,
            buttons=blocks.buttons(tr, request.state),
            # What a request filed from a private place was for (A-7 of a meeting held in a private channel) is
            # named without its words but to its requester and deciders; feedback kept private does so itself.
            origins=tuple(blocks.origin_line(tr, o.ref.label, o.title if trusted or not request.filed_privately
                                             else private_words(tr))
                          for o in links.came_from(self.ctx, Ref("restock", request.id), tr)),
            orderable=ops.orderable(request.quantity, entry.moq, entry.carton) if request.state == ops.REQUESTED
            else None,
        )
        return blocks.card_blocks(tr, view)

    def facts(self, team: Team, request: store.RestockRequest) -> ops.RequestFacts:
        roles = frozenset(role for role in Role if self.ctx.has_role(team, request.requester, role))
        return ops.RequestFacts(request.requester, request.quantity, request.unit_cost, roles)

    def deciders(self, team: Team, request: store.RestockRequest) -> list[str]:
        """Who approves or rejects it by restock.yml's rule (never its requester), whatever its state."""
        roles = ops.deciders(self.facts(team, request), self.playbook)
        return [m.user for m in team.members
                if m.user != request.requester and any(self.ctx.has_role(team, m.user, r) for r in roles)]

    def _second_approvers(self, team: Team, request: store.RestockRequest, facts: ops.RequestFacts
                          ) -> tuple[str, ...]:
        """The manager's own request above the threshold waits for others (finance, another manager): name them."""
        if Role.manager not in facts.requester_roles or not ops.needs_manager(facts, self.playbook):
            return ()
        deciders = ops.deciders(facts, self.playbook)
        return tuple(m.user for m in team.members if m.user != request.requester
                     and any(self.ctx.has_role(team, m.user, r) for r in deciders))

    def post(self, team: Team, request: store.RestockRequest, found: math_.Suggestion) -> None:
        """A new request's card to purchasing and its copy to the requester (in the caller's transaction)."""
        channel = team.channel(ChannelKey.purchasing)
        suggestion = suggestion_lines(self.team_tr(team), found)
        self.ctx.delivery.post(
            str(channel), self.card_text(team, request), self.card(team, request, suggestion),
            receipt=Receipt("restock.card", str(request.id)),
        )
        tr = self.ctx.translator_for(request.requester, team)  # the copy, math included, in the requester's words
        self.ctx.delivery.dm(
            request.requester, self.card_text(team, request, tr),
            self.card(team, request, suggestion_lines(tr, found), tr, reader=request.requester),
            receipt=Receipt("restock.copy", str(request.id)),
        )

    def held_question(self, team: Team, request: store.RestockRequest) -> tuple[str, list[dict[str, Any]]]:
        """A held request's question to its requester, in their language: where it goes (flows/restock_private)."""
        tr = self.ctx.translator_for(request.requester, team)
        entry = self.playbook.catalogued(request.sku)
        rounded = ops.orderable(request.quantity, entry.moq, entry.carton)
        return (private_blocks.question_text(tr, request.ref, request.quantity, request.sku),
                private_blocks.question(tr, request.id, request.ref, request.quantity, request.sku, request.reason,
                                        str(team.channel(ChannelKey.purchasing)), self.deciders(team, request),
                                        None if rounded is None else (entry.moq, entry.carton, rounded)))

    def refresh(self, team: Team, request: store.RestockRequest) -> None:
        # A card or copy still in the outbox (Slack slow or away) is edited there: it is posted as the request is now.
        card = request.card_ts or self.ctx.delivery.waiting(Receipt("restock.card", str(request.id)))
        if card is not None:
            channel = request.card_channel or str(team.channel(ChannelKey.purchasing))
            self.ctx.delivery.update(channel, card, self.card_text(team, request), self.card(team, request))
        copy = request.copy_ts or self.ctx.delivery.waiting(Receipt("restock.copy", str(request.id)))
        if copy is not None:
            tr = self.ctx.translator_for(request.requester, team)
            self.ctx.delivery.update(
                request.copy_channel or request.requester, copy, self.card_text(team, request, tr),
                self.card(team, request, tr=tr, reader=request.requester),
            )

    def describe(self, ref: Ref, tr: Translator) -> LinkState | None:
        """R-3 as another feature's card shows it: "LED-100 ×900 · approved"; finished once nothing more comes."""
        try:
            request = self.request(ref.id)
        except LookupError:
            return None
        if request.state in ops.UNPOSTED:  # not filed as far as anyone else can tell: never posted
            return None
        return LinkState(ref, tr._("{sku} ×{quantity}", sku=request.sku, quantity=tr.number(request.quantity)),
                         blocks.state_label(tr, request.state), finished=request.state in ops.FINISHED_STATES)

    def list_blocks(self, user: str, scope: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            found = store.requests_of(session, team.id)
        found = [r for r in found if r.state not in ops.UNPOSTED or r.requester == user]  # their own, never posted
        if scope.lower() == "mine":
            found = [r for r in found if r.requester == user]
        elif scope.lower() == "open":
            found = [r for r in found if r.state in ops.OPEN_STATES]
        elif scope.lower() != "all":
            found = [r for r in found if r.sku.lower() == scope.lower()]
        lines = [blocks.list_line(tr, r.ref, r.quantity, r.sku, r.marketplace, r.state, r.requester) for r in found]
        return blocks.list_blocks(tr, tr._("Restock requests: {scope}", scope=blocks.scope_label(tr, scope)), lines)

    def status_blocks(self, user: str, request_id: int) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        try:
            request = self.request(request_id)
        except LookupError:
            request = None
        if request is None or request.team_id != team.id:
            return blocks.list_blocks(tr, tr._("No restock request R-{id}", id=request_id), [])
        if request.state in ops.UNPOSTED and request.requester != user:  # never posted: theirs alone
            return blocks.list_blocks(tr, tr._("No restock request R-{id}", id=request_id), [])
        if request.state == ops.HELD:  # its requester lost the question (an ephemeral reply): asked again
            return self.held_question(team, request)[1]
        return self.card(team, request, tr=tr, reader=user)

    def export_csv(self, team: Team) -> str:
        """Every request with its full audit trail, one row per state change.

        Typed text (SKU, PO number, notes and reasons) is formula-safe; quantities and costs stay numbers.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        with self.ctx.db.transaction() as session:
            for request in reversed(store.requests_of(session, team.id)):
                if request.state in ops.UNPOSTED:  # never posted: its requester has not said, or said nowhere
                    continue
                for entry in history(session, team.id, "restock", request.ref):
                    writer.writerow(
                        [
                            request.ref,
                            safe_cell(request.sku),
                            request.marketplace,
                            request.quantity,
                            request.unit_cost,
                            request.currency,
                            request.requester,
                            request.state,
                            safe_cell(request.po_number or ""),
                            request.eta or "",
                            "" if request.received_quantity is None else request.received_quantity,
                            entry.at.isoformat(),
                            entry.actor,
                            entry.from_state or "",
                            entry.to_state or "",
                            safe_cell(entry.note or ""),
                        ]
                    )
        return buffer.getvalue()
