"""Setting a team up from Slack: ``/ops setup`` (a form, its preview, saved per team) and the bot finding its way
into the channels it needs."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.blocks.setup import FORM, PREVIEW, preview_modal, setup_modal
from bot.errors import N_, OpsError
from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.setup import ChannelMembership, TeamSetup
from bot.handlers.command_words import SETUP_WORD
from bot.handlers.common import submit_or_field_errors
from bot.i18n import Translator
from bot.ops.team import ROLE_NAMES, Role, Team
from bot.scheduler import ScheduledJob


def _is_setup(body: dict[str, Any]) -> bool:
    """/ops setup, or as a Chinese reader types it (/ops 设置, /ops 設定)."""
    first = str(body.get("text", "")).strip().lower().split()[:1]
    return bool(first) and first[0] in (SETUP_WORD.canonical, SETUP_WORD.zh_CN, SETUP_WORD.zh_TW)


def _role_labels(tr: Translator) -> dict[Role, str]:
    return {role: tr._(ROLE_NAMES[role]) for role in Role}


def _form(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted inputs by block id: text, a choice, ticks, a channel or people, as each input gives them."""
    values: dict[str, Any] = {}
    for block_id, inputs in view.get("state", {}).get("values", {}).items():
        given = next(iter(inputs.values()), None) or {}
        if "selected_users" in given:
            values[block_id] = list(given["selected_users"] or [])
        elif "selected_conversation" in given:
            values[block_id] = given["selected_conversation"]
        elif "selected_options" in given:
            values[block_id] = [o.get("value") for o in given["selected_options"] or [] if isinstance(o, dict)]
        elif "selected_option" in given:
            values[block_id] = (given["selected_option"] or {}).get("value")
        else:
            values[block_id] = given.get("value")
    return values


def register(reg: Registrar, ctx: Context) -> None:
    channels = ChannelMembership(ctx)
    setup = TeamSetup(ctx)
    setup.apply_saved()  # once, as the bot starts: what managers set up in Slack, under each team.yml

    def team_by_id(team_id: str) -> Team:
        team = ctx.teams.by_id(team_id)
        if team is None:
            raise OpsError(N_("This form belongs to a team Opsbot no longer has. Run /ops setup again."))
        return team

    # Before /ops's own listener (the setup feature comes first in FEATURES): Bolt answers with the first match.
    @reg.app.command("/ops", matchers=[_is_setup])
    def ops_setup(ack: Ack, command: dict[str, Any]) -> None:
        """/ops setup opens the team's setup form: time zone, language, workdays, holidays, channels, people."""
        ack()
        user = command["user_id"]
        team = setup.team_for(user, command.get("team_id"))
        setup.require_may_set_up(team, user)
        tr = ctx.translator_for(user, team)
        ctx.delivery.open_view(command["trigger_id"], setup_modal(tr, team, setup.offered(team), _role_labels(tr)))

    @reg.view(FORM)
    def form_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, team = body["user"]["id"], team_by_id(str(view.get("private_metadata", "")))
        tr = ctx.translator_for(user, team)

        def check() -> dict[str, Any]:
            setup.require_may_set_up(team, user)
            values = setup.read_form(team, _form(view))
            setup.check(team, values)
            return values

        submit_or_field_errors(
            ack,
            tr,
            view,
            check,
            answer=lambda values: {
                "response_action": "update",
                "view": preview_modal(
                    tr, team, values, _role_labels(tr), json.dumps({"team": team.id, "values": values})
                ),
            },
        )

    @reg.view(PREVIEW)
    def preview_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        chosen = json.loads(str(view.get("private_metadata") or "{}"))
        user, team = body["user"]["id"], team_by_id(str(chosen.get("team", "")))
        tr = ctx.translator_for(user, team)
        submit_or_field_errors(
            ack,
            tr,
            view,
            lambda: setup.save(team, user, dict(chosen.get("values") or {})),
            answer=lambda _: {"response_action": "clear"},
        )

    @reg.event("member_joined_channel")
    def member_joined(event: dict[str, Any], context: BoltContext) -> None:
        channels.joined(str(event.get("channel")), str(event.get("user")), context.bot_user_id, context.team_id)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return ChannelMembership(ctx).jobs()


FEATURE = Feature(
    name="setup",
    register=register,
    events=("member_joined_channel",),
    scopes=("channels:read", "groups:read", "channels:join"),
    jobs=jobs,
)
