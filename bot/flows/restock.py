"""Only for ``opsbot restock export`` in bot/reports/cli.py, which is being moved in another change: remove this
module once that caller reads ``RestockCards(ctx, ctx.playbook(RestockPlaybook)).export_csv(team)``."""

from __future__ import annotations

from bot.flows.context import Context
from bot.flows.restock_cards import RestockCards
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import Team


class RestockFlow:
    def __init__(self, ctx: Context) -> None:
        self.cards = RestockCards(ctx, ctx.playbook(RestockPlaybook))

    def export_csv(self, team: Team) -> str:
        return self.cards.export_csv(team)
