"""A restock request filed from a private place (a private channel, a group DM, a DM): the question to its requester
before anything reaches the team's purchasing channel, and what each answer did (issue 17)."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import restock
from bot.blocks.common import actions, button, context, section
from bot.blocks.feedback import listed
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import escape
from bot.i18n import Translator

POST_PUBLICLY = "restock.post_publicly"  # value {"id"}: the card, note and all, to purchasing
KEEP_PRIVATE = "restock.keep_private"  # value {"id"}: the card without the note; the note to its deciders by DM
CANCEL_HELD = "restock.cancel_held"  # value {"id"}: nothing posted, the request cancelled
ANSWERS = (POST_PUBLICLY, KEEP_PRIVATE, CANCEL_HELD)
Orderable = tuple[int, int, int]  # what the supplier ships: (MOQ, carton, the nearest quantity it ships)


def _mentions(users: list[str]) -> list[str]:
    return [f"<@{u}>" for u in users]


def question_text(tr: Translator, ref: str, quantity: int, sku: str) -> str:
    return tr._("{ref} ({quantity} × {sku}) is not posted yet: you filed it in a private conversation.", ref=ref,
                quantity=tr.number(quantity), sku=escape(sku))


def question(tr: Translator, request_id: int, ref: str, quantity: int, sku: str, note: str, channel: str,
             deciders: list[str], orderable: Orderable | None = None) -> list[dict[str, Any]]:
    """What each answer does, said before it is pressed; "Keep it private" only when there is a note to keep and
    someone to decide the request who may read it. ``orderable``: (MOQ, carton, nearest quantity) when the
    supplier does not ship ``quantity``: said, with a button that makes it so before anything is posted."""
    where = f"<#{channel}>"
    value = json.dumps({"id": request_id})
    offer = restock.orderable_offer(tr, request_id, sku, quantity, *orderable) if orderable else None
    choices = [button(tr._("Post to purchasing"), POST_PUBLICLY, value, style="primary")]
    if note.strip() and deciders:
        said = [tr._("Post to purchasing: the card goes to {channel} with your note.", channel=where),
                tr._("Keep it private: the card goes to {channel} without your note, which goes by DM only to those "
                     "who decide it: {who}.", channel=where, who=listed(tr, _mentions(deciders)))]
        choices.append(button(tr._("Keep it private"), KEEP_PRIVATE, value))
    else:
        said = [tr._("Post to purchasing: the card goes to {channel}; it has no note.", channel=where)]
    said.append(tr._("Cancel: nothing is posted and the request is cancelled."))
    choices.append(button(tr._("Cancel request"), CANCEL_HELD, value, style="danger"))
    blocks = [section(question_text(tr, ref, quantity, sku)), section("\n".join(said))]
    if note.strip():
        blocks.append(context(clip(tr._("Your note: {note}", note=escape(note)), SECTION_TEXT)))
    if offer is not None:
        blocks.append(offer[0])
        choices.insert(0, offer[1])
    return [*blocks, actions(choices)]


def answer_text(tr: Translator, ref: str, action: str, channel: str, deciders: list[str],
                noted: bool = True) -> str:
    """The requester's confirmation once they have said where it goes; ``noted``: the request has a note."""
    if action == POST_PUBLICLY:
        if not noted:
            return tr._("{ref} is in {channel} now.", ref=ref, channel=f"<#{channel}>")
        return tr._("{ref} is in {channel} now, with your note.", ref=ref, channel=f"<#{channel}>")
    if action == KEEP_PRIVATE:
        return tr._("{ref} is in {channel} now, without your note; only {who} got the note, by DM.", ref=ref,
                    channel=f"<#{channel}>", who=listed(tr, _mentions(deciders)))
    return tr._("{ref} is cancelled: nothing was posted.", ref=ref)


def note_for_decider(tr: Translator, ref: str, quantity: int, sku: str, requester: str, note: str) -> str:
    """The private note, to one of the people who decide the request: the card in purchasing does not have it."""
    return tr._("{who}'s note on {ref} ({quantity} × {sku}), for those who decide it only (the card in purchasing "
                "does not show it): {note}", who=f"<@{requester}>", ref=ref, quantity=tr.number(quantity),
                sku=escape(sku), note=escape(note))


def withheld(tr: Translator) -> str:
    """On the team's card, in place of a note kept private."""
    return tr._("note kept private by the requester")
