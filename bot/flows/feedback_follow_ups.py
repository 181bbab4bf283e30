"""One-click follow-ups on a feedback card that this feature carries out itself: "Add launch task" opens the
launch's add-a-task form prefilled from the feedback, and the task is linked to it (F→T) once added.
("Adjust restock" and "Plan promotion" are the restock and promo features' listeners.)"""

from __future__ import annotations

import logging
from typing import Any

from bot.db import feedback as store
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.feedback_status import may_read, private_readers
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_tasks import LaunchTasks
from bot.ops import feedback_lines as ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.links import Ref
from bot.ops.team import Role

log = logging.getLogger(__name__)


def may_start(ctx: Context, ref: Ref, user: str) -> None:
    """F-12 may start a restock request, a promotion or a launch task while it is open, in the person's team and
    theirs to read (``may_read``)."""
    team = ctx.team_of(user)
    with ctx.db.transaction() as session:
        item = session.get(store.FeedbackItem, ref.id)
    if item is None or item.team_id != team.id:
        log.warning("feedback: %s named F-%s of another team (or none) as a source", user, ref.id)
        raise OpsError(N_("There is no feedback F-{id} in your team."), id=ref.id)
    if item.state == ops.ITEM_CLOSED:
        raise OpsError(N_("Feedback #{id} is already closed."), id=ref.id)
    if not may_read(ctx, team, user, item):
        # Not shared by its author: what it starts (a restock or promotion card, a launch task) names it in a team
        # channel, so only those who may read it — in practice the manager, on her line — start anything from it.
        log.warning("feedback: %s may not read F-%s, and may not start anything from it", user, ref.id)
        tr = ctx.translator_for(user, team)
        raise OpsError(N_("Feedback F-{id} came from a private conversation: only {who} may read its words."),
                       id=ref.id, who=private_readers(tr, item))


class FeedbackFollowUps:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook, cards: FeedbackCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def _offered_to(self, user: str, item_id: int, follow_up: str) -> store.FeedbackItem:
        """The item, once the server has checked one of this user's roles has an open line offering it."""
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None or item.team_id != team.id:
            log.warning("feedback: %s asked for %s on an item (%s) not in their team", user, follow_up, item_id)
            raise OpsError(N_("That feedback no longer exists."))
        if item.state == ops.ITEM_CLOSED:
            raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
        tr = self.ctx.translator_for(user, team)
        mine = {r for r in Role if self.ctx.has_role(team, user, r)}
        offering = [v for v in self.cards.line_views(item, tr, mine) if follow_up in v.follow_ups]
        if not offering:
            log.warning("feedback: refused %s to %s on item %s", follow_up, user, item_id)
            raise OpsError(N_("That follow-up is for the people of the line that offers it."))
        return item

    def add_launch_task(self, user: str, wanted: dict[str, Any]) -> dict[str, Any]:
        """The launch's add-a-task form, the launch selling the SKU chosen, titled with the feedback's words."""
        item = self._offered_to(user, int(wanted.get("feedback") or 0), "add_launch_task")
        playbooks = self.ctx.playbook(LaunchPlaybooks)
        tasks = LaunchTasks(self.ctx, playbooks, LaunchChecklist(self.ctx, playbooks))
        # The task lands on the launch's checklist in the team's channels: words kept private give only the name.
        title = item.text[:150] if item.share_publicly else self.ctx.translator_for(user, self.ctx.team_of(user))._(
            "Follow-up to feedback F-{id}", id=item.id)
        return tasks.add_modal(user, title, item.sku or "", source=Ref("feedback", item.id))
