"""The App Home: each person's private page — who they are on the team, then each feature's section, then the
commands. A Home view holds at most 100 blocks: what does not fit ends in a "more" line, never a refused view."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import context, divider, header, section
from bot.blocks.text import escape
from bot.i18n import Translator

HOME_BLOCKS = 100  # Slack's limit for a Home tab view
SHOWN = 8  # lines of one kind a section shows before "and N more"


def title(text: str) -> dict[str, Any]:
    """A section's own heading (bold, not a header block: a Home has room for few of those)."""
    return section(f"*{text}*")


def more_line(tr: Translator, hidden: int, where: str) -> dict[str, Any]:
    """The line under a list cut at :data:`SHOWN`: how many more, and where to see them all."""
    return context(tr.ngettext("…and {n} more: {where}", "…and {n} more: {where}", hidden, where=where))


def home_view(
    tr: Translator, *, name: str, team_name: str | None, roles: list[str], timezone: str,
    sections: list[list[dict[str, Any]]], commands: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The frame: the greeting, each non-empty section after a divider, "Nothing waiting for you" when none has
    anything, the commands last; cut to Slack's limit with a "more" line before the commands."""
    top = [header(tr._("Good to see you, {name}", name=name))]
    if team_name is None:
        top.append(section(tr._("You are not in an Opsbot team yet. Ask your manager to add you to team.yml.")))
    else:
        held = tr.join(roles) or tr._("no role yet")
        top.append(section(tr._("*{team}* · your roles: {roles}", team=escape(team_name), roles=held)))
        top.append(context(tr._("Times are shown in your time zone, {tz}.", tz=tr.timezone_name(timezone))))
    filled = [blocks for blocks in sections if blocks]
    if team_name is not None and not filled:
        filled = [[section(tr._("Nothing waiting for you. 🎉"))]]
    tail = commands_section(tr, commands) if commands else []
    body = [block for blocks in filled for block in (divider(), *blocks)]
    room = HOME_BLOCKS - len(top) - len(tail)
    if len(body) > room:
        more = context(tr._("There is more than your Home can show: the commands below list everything."))
        body = [*body[: room - 1], more]
    return {"type": "home", "blocks": [*top, *body, *tail]}


def commands_section(tr: Translator, commands: tuple[str, ...]) -> list[dict[str, Any]]:
    """Where to start, short: every slash command by name (``/ops help`` says what each does)."""
    names = " · ".join(f"`{c.split()[0]}`" for c in commands if c)
    return [divider(), context(tr._("*Commands* (/ops help says more): {commands}", commands=names))]
