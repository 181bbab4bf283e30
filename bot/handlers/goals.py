"""/goals: my goals, the team's (managers), and a reported number; the monthly review's targets and diagnosis."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks.goals import attainment_text, edited_notes, goal_title, goals_blocks, who_text
from bot.errors import N_, OpsError
from bot.features import AgendaSection, Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.goals import GoalsFlow
from bot.flows.goals_edit import GoalEdits
from bot.flows.goals_remind import GoalReminders
from bot.flows.goals_review import diagnosis_part, my_goals_home, targets_part
from bot.handlers.command_words import GOALS_WORDS
from bot.ops.goals import Attainment
from bot.ops.goals_playbook import load_playbook
from bot.ops.team import Role

USAGE = N_("Try /goals, /goals team, /goals report <goal> <number>, or (managers) /goals set <goal> field=value … "
           "and /goals remove <goal>.")


def register(reg: Registrar, ctx: Context) -> None:
    flow = GoalsFlow(ctx)
    edits = GoalEdits(flow)

    @reg.command("/goals")
    def goals(ack: Ack, command: dict[str, Any]) -> None:
        """/goals shows your goals: attainment so far, pace to the period's end, gap; /goals team everyone's (managers); /goals report <goal> <number> records yours; /goals set|remove <goal> edits a goal (managers)."""  # noqa: E501
        ack()
        user, words = command["user_id"], (command.get("text") or "").split()
        team = ctx.team_of(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        verb = words[0].lower() if words else ""
        zone = flow.zone(team, user)
        if not words:
            heading = tr._("Your goals")
            lines = flow.mine(team, user)
            mine: list[tuple[str | None, Attainment]] = [(None, line.attainment) for line in lines]
            manager = not lines and ctx.has_role(team, user, Role.manager)
            ctx.delivery.respond(command["response_url"], heading, goals_blocks(
                tr, heading, mine, edited=edited_notes(tr, lines, zone), manager=manager))
        elif verb == "team" and len(words) == 1:
            found = flow.everyone(team, user)
            everyone = [(who_text(tr, line.attainment.goal, line.people), line.attainment) for line in found]
            heading = tr._("Goals of {team}", team=team.name)
            ctx.delivery.respond(command["response_url"], heading, goals_blocks(
                tr, heading, everyone, edited=edited_notes(tr, found, zone), manager=True))
        elif verb == "set" and len(words) >= 2:
            typed = (command.get("text") or "").strip().split(None, 2)
            edit = edits.set(team, user, words[1], typed[2] if len(typed) > 2 else "")
            title = goal_title(tr, edit.goal)
            said = tr._("Goal {goal} set: {title}.", goal=edit.goal.id, title=title) if edit.new else \
                tr._("Goal {goal} changed: {title}.", goal=edit.goal.id, title=title)
            ctx.delivery.respond(command["response_url"], said)
        elif verb == "remove" and len(words) == 2:
            gone = edits.remove(team, user, words[1])
            ctx.delivery.respond(command["response_url"], tr._("Goal {goal} removed: {title}. goals.yml no longer "
                                                               "counts for it in this team.", goal=gone.id,
                                                               title=goal_title(tr, gone)))
        elif verb == "report" and len(words) == 3:
            reported = flow.report(team, user, words[1], words[2])
            text = tr._("Recorded for {title}.", title=goal_title(tr, reported.goal)) + "\n" + \
                attainment_text(tr, reported)
            ctx.delivery.respond(command["response_url"], text)
        else:
            raise OpsError(USAGE)


FEATURE = Feature(
    name="goals",
    register=register,
    commands=(SlashCommand("/goals", "Your goals and the team's: attainment, pace and gap",
                           "[team | report <goal> <number> | set <goal> field=value … | remove <goal>]",
                           aliases=GOALS_WORDS),),
    load_playbook=load_playbook,
    home_sections=(my_goals_home,),
    jobs=lambda ctx: GoalReminders(ctx).jobs(),
    agenda_sections=(AgendaSection("targets", targets_part), AgendaSection("diagnosis", diagnosis_part)),
)
