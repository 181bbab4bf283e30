"""Slack's "Escaping text": what a person typed is shown as typed, never read as markup.

In a message's ``text`` and in every mrkdwn object Slack reads ``<!channel>``, ``<@U123>``,
``<https://x|label>`` as a notification, a mention or a disguised link. Escaping ``&``, ``<`` and ``>``
(only those three, ``&`` first) makes Slack show them literally. plain_text (headers, buttons, modal titles,
inputs' initial values) is always shown literally and must not be escaped.

Every user-typed value is escaped exactly once, where it enters a builder in ``bot/blocks``; lines a builder
has made (escaped already, with Opsbot's own ``<@id>`` mentions) are :data:`Mrkdwn` and are placed as they are.
"""

from __future__ import annotations

from typing import NewType

# Text made by a builder: user parts escaped, Opsbot's own mentions built from ids. Never escaped again.
Mrkdwn = NewType("Mrkdwn", str)


def escape(text: str) -> str:
    """``text`` as Slack should show it in mrkdwn: ``&`` → ``&amp;``, ``<`` → ``&lt;``, ``>`` → ``&gt;``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_clipped(text: str, limit: int) -> str:
    """Cut what was typed to ``limit`` characters first, then escape: a cut never splits an ``&lt;``."""
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")

EMPTY = Mrkdwn("")
