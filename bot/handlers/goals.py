"""/goals: my goals, the team's (managers), and a reported number; the monthly review's targets and diagnosis."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks.goals import attainment_text, goal_title, goals_blocks, who_text
from bot.errors import N_, OpsError
from bot.features import AgendaSection, Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.goals import GoalsFlow
from bot.flows.goals_review import diagnosis_part, my_goals_home, targets_part
from bot.handlers.command_words import GOALS_WORDS
from bot.ops.goals import Attainment
from bot.ops.goals_playbook import load_playbook

USAGE = N_("Try /goals, /goals team or /goals report <goal> <number>.")


def register(reg: Registrar, ctx: Context) -> None:
    flow = GoalsFlow(ctx)

    @reg.command("/goals")
    def goals(ack: Ack, command: dict[str, Any]) -> None:
        """/goals shows your goals: attainment so far, pace to the period's end, gap; /goals team everyone's (managers); /goals report <goal> <number> records yours."""  # noqa: E501
        ack()
        user, words = command["user_id"], (command.get("text") or "").split()
        team = ctx.team_of(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        verb = words[0].lower() if words else ""
        if not words:
            heading = tr._("Your goals")
            mine: list[tuple[str | None, Attainment]] = [(None, line.attainment) for line in flow.mine(team, user)]
            ctx.delivery.respond(command["response_url"], heading, goals_blocks(tr, heading, mine))
        elif verb == "team" and len(words) == 1:
            everyone = [(who_text(tr, line.attainment.goal, line.people), line.attainment)
                        for line in flow.everyone(team, user)]
            heading = tr._("Goals of {team}", team=team.name)
            ctx.delivery.respond(command["response_url"], heading, goals_blocks(tr, heading, everyone))
        elif verb == "report" and len(words) == 3:
            found = flow.report(team, user, words[1], words[2])
            text = tr._("Recorded for {title}.", title=goal_title(tr, found.goal)) + "\n" + attainment_text(tr, found)
            ctx.delivery.respond(command["response_url"], text)
        else:
            raise OpsError(USAGE)


FEATURE = Feature(
    name="goals",
    register=register,
    commands=(SlashCommand("/goals", "Your goals and the team's: attainment, pace and gap",
                           "[team | report <goal> <number>]", aliases=GOALS_WORDS),),
    load_playbook=load_playbook,
    home_sections=(my_goals_home,),
    agenda_sections=(AgendaSection("targets", targets_part), AgendaSection("diagnosis", diagnosis_part)),
)
