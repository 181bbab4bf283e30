"""The App Home: each person's private page — who they are on the team, then each feature's section."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import context, divider, header, section
from bot.blocks.text import escape
from bot.i18n import Translator


def home_view(
    tr: Translator, *, name: str, team_name: str | None, roles: list[str], timezone: str,
    sections: list[dict[str, Any]],
) -> dict[str, Any]:
    blocks = [header(tr._("Good to see you, {name}", name=name))]
    if team_name is None:
        blocks.append(section(tr._("You are not in an Opsbot team yet. Ask your manager to add you to team.yml.")))
    else:
        held = tr.join(roles) or tr._("no role yet")
        blocks.append(section(tr._("*{team}* · your roles: {roles}", team=escape(team_name), roles=held)))
        blocks.append(context(tr._("Times are shown in your time zone, {tz}.", tz=tr.timezone_name(timezone))))
    return {"type": "home", "blocks": [*blocks, *sections]}


def commands_section(tr: Translator, commands: tuple[str, ...]) -> list[dict[str, Any]]:
    """Where to start: every slash command with its usage hint."""
    return [divider(), section(tr._("*Commands*") + "\n" + "\n".join(f"`{c}`" for c in commands))]
