"""Where a restock request was filed from, and whether that place is private (issue 17): the conversation it was
typed in, or what it was filed for. Read by the filing (a private place holds the request for its requester's
word: flows/restock_private.py). A form decides it when it opens, the one-liner when it is typed."""

from __future__ import annotations

import json

from bot.db.feedback import FeedbackItem
from bot.db.meetings import MeetingEntry, MeetingRow
from bot.flows.context import Context
from bot.ops.links import Ref


def from_private_place(ctx: Context, place: str | None, origin: Ref | None) -> bool:
    """Whether what a request was filed from is private: the conversation it was typed in, or what it was filed for
    (a feedback item its reporter has not shared; an action of a meeting held in a private channel)."""
    if place and ctx.people.channel_is_private(place):
        return True
    if origin is None:
        return False
    channel: str | None = None
    with ctx.db.transaction() as session:
        if origin.kind == "feedback":
            item = session.get(FeedbackItem, origin.id)
            return item is not None and item.source_private and not item.share_publicly
        if origin.kind == "action":
            entry = session.get(MeetingEntry, origin.id)
            meeting = session.get(MeetingRow, entry.meeting_id) if entry is not None else None
            channel = meeting.channel if meeting is not None else None
    return channel is not None and ctx.people.channel_is_private(channel)


def private_in(metadata: str) -> bool:
    """Whether a submitted form was opened in a private place or for something private (its private_metadata, as
    the form was opened with it: decided then, so the submission's answer never waits on Slack)."""
    try:
        kept = json.loads(metadata) if metadata.startswith("{") else None
    except ValueError:
        return False
    return isinstance(kept, dict) and kept.get("private") is True
