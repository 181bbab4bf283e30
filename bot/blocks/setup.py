"""What the bot says about the channels it needs: what it posts in each, and how to add it to a private one."""

from __future__ import annotations

from bot.blocks.text import escape
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.team import ChannelKey

# What each channel of team.yml is for, as the bot tells the people who add it there.
CHANNEL_USES = {
    ChannelKey.ops: N_("stand-up summaries and the morning KPI digest"),
    ChannelKey.purchasing: N_("restock requests and their approvals"),
    ChannelKey.marketing: N_("market feedback for marketing"),
    ChannelKey.manager: N_("approvals and feedback for the manager"),
    ChannelKey.launches: N_("launch checklists and their go / no-go"),
}


def welcome_text(tr: Translator, key: ChannelKey) -> str:
    """Said in a channel the bot was just added to."""
    if key is ChannelKey.data:
        return tr._("Thanks for adding me. Share your report files here and I'll load them for the KPI digest.")
    return tr._("Thanks for adding me. Here I'll post {uses}.", uses=tr._(CHANNEL_USES[key]))


def invite_me_text(tr: Translator, key: ChannelKey, name: str) -> str:
    """Said to the manager about a private channel the bot needs and is not in."""
    shown = escape(name)
    if key is ChannelKey.data:
        return tr._(
            "I'm not in #{name}, the private channel where your team shares report files, so I cannot load "
            "them. To add me, type /invite @Opsbot in #{name}.",
            name=shown,
        )
    return tr._(
        "I'm not in #{name}, the private channel where I post {uses}. To add me, type /invite @Opsbot in #{name}.",
        name=shown,
        uses=tr._(CHANNEL_USES[key]),
    )
