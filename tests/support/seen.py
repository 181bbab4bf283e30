"""What the people in a test's Slack could read: for the privacy tests, which assert a private word shows nowhere
it should not (a channel's messages, or everything but the DMs of those allowed to read it)."""

from __future__ import annotations

from bot.console.session import ConsoleSlack


def everything_in(console: ConsoleSlack, channel: str) -> str:
    """Every message in ``channel``, its text and its blocks."""
    return "\n".join(f"{r.text} {r.blocks}" for r in console.emulator.channel_messages(channel))


def everywhere_but(console: ConsoleSlack, *readers: str) -> str:
    """Every channel, DM and App Home but those of ``readers`` (the people who may read the private words); an
    ephemeral answer is seen only by the person it answers."""
    theirs = {console.emulator.dm_channel_of(u) for u in readers}
    return "\n".join(f"{r.text} {r.blocks}" for r in console.emulator.records
                     if r.channel not in theirs and r.kind != "ephemeral"
                     and not (r.kind == "home" and r.user in readers))
