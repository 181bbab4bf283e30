"""/ops: help for every command, and who is on the team."""

from __future__ import annotations

import inspect
from typing import Any

from slack_bolt import Ack

from bot.blocks.help import help_blocks, team_blocks
from bot.errors import N_, OpsError
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.setup import TeamSetup
from bot.handlers.command_words import OPS_WORDS
from bot.i18n import Translator
from bot.ops.team import ROLE_NAMES, Role


def help_entries(registrar: Registrar, tr: Translator) -> list[tuple[str, str, str]]:
    entries = []
    for feature in registrar.features:
        for command in feature.commands:
            handler = registrar.command_handlers.get(command.name)
            doc = inspect.getdoc(handler) if handler else None
            # A Chinese reader's usage hint and help name the subcommands in Chinese words (the command's aliases).
            text = tr._(doc) if doc else tr._(command.description)
            entries.append((command.name, tr._(command.usage_hint) if command.usage_hint else "", text))
    return entries


def register(reg: Registrar, ctx: Context) -> None:
    setup = TeamSetup(ctx)

    @reg.command("/ops")
    def ops(ack: Ack, command: dict[str, Any]) -> None:
        """/ops help lists every command and how to use it. /ops team shows the team's roles, people and channels."""
        ack()
        user, text = command["user_id"], command.get("text", "").strip().lower()
        team = ctx.teams.for_user(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        if text in ("", "help"):
            may = setup.who_may_set_up(user, command.get("team_id"))
            blocks = help_blocks(tr, help_entries(reg, tr), may)
            ctx.delivery.respond(command["response_url"], tr._("Opsbot commands"), blocks)
        elif text == "team":
            team = ctx.team_of(user, command.get("team_id"))
            roles = {tr._(ROLE_NAMES[r]): [f"<@{m.user}>" for m in team.people_with(r)] for r in Role}
            ctx.delivery.respond(command["response_url"], tr._("Team {name}", name=team.name),
                                 team_blocks(tr, team, roles))
        else:
            raise OpsError(N_("I don't know /ops {text}. Try /ops help, /ops team or /ops setup."), text=text)


FEATURE = Feature(
    name="help",
    register=register,
    commands=(SlashCommand("/ops", "Opsbot help and your team", "[help | team]", aliases=OPS_WORDS),),
    scopes=("commands", "chat:write", "im:write", "users:read", "usergroups:read"),
)
