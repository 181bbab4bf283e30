"""/launch and the launch checklist's menus, modals and go/no-go buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import launch as ids
from bot.blocks.launch import now_launches_text, set_up_text
from bot.blocks.launch_modals import confirm_view
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.launch_checklist import RECEIPTS, LaunchChecklist
from bot.flows.launch_decisions import LaunchDecisions
from bot.flows.launch_mornings import LaunchMornings
from bot.flows.launch_setup import LaunchSetup, NewLaunch
from bot.flows.launch_tasks import LaunchTasks, NewTask, TaskUpdate
from bot.handlers.command_words import LAUNCH_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.launch import parse_command
from bot.ops.launch_playbook import LaunchPlaybooks, load_playbook
from bot.ops.team import Role
from bot.scheduler import ScheduledJob


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None  # a real date: checked against the form first


def new_launch(values: dict[str, Any]) -> NewLaunch:
    return NewLaunch(
        name=values.get("name") or "", skus=values.get("skus") or "",
        marketplaces=tuple(values.get("marketplaces") or ()), launch_date=_date(values.get("launch_date")),
        playbook=values.get("playbook") or "", new_channel=values.get("channel") == "create",
    )


def task_update(values: dict[str, Any]) -> TaskUpdate:
    return TaskUpdate(state=values["state"], reason=values.get("reason") or "")


def new_task(values: dict[str, Any]) -> NewTask:
    return NewTask(launch_id=int(values["launch"]), title=values.get("title") or "", role=Role(values["role"]),
                   due=_date(values.get("due")))


def register(reg: Registrar, ctx: Context) -> None:
    playbooks = ctx.playbook(LaunchPlaybooks)
    checklist = LaunchChecklist(ctx, playbooks)
    setup = LaunchSetup(ctx, playbooks, checklist)
    tasks = LaunchTasks(ctx, playbooks, checklist)
    decisions = LaunchDecisions(ctx, checklist, tasks)

    @reg.command("/launch")
    def launch(ack: Ack, command: dict[str, Any]) -> None:
        """/launch new starts a launch from a playbook. Also: list, status [NAME], move NAME YYYY-MM-DD."""
        ack()
        user, channel, reply = command["user_id"], command["channel_id"], command["response_url"]
        team = ctx.team_of(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "new":
            ctx.delivery.open_view(command["trigger_id"], setup.new_modal(user, channel))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Launches"), checklist.list_blocks(user))
        elif wanted.action == "status":
            ctx.delivery.respond(reply, tr._("Launch status"), checklist.status_blocks(user, wanted.name, channel))
        elif wanted.action == "move" and wanted.new_date:
            moved = decisions.move(user, wanted.name, wanted.new_date)
            ctx.delivery.respond(
                reply, now_launches_text(tr, moved.name, moved.launch_date)
            )
        else:
            ctx.delivery.respond(
                reply, tr._("Usage: /launch new · /launch list · /launch status [NAME] · /launch move NAME YYYY-MM-DD")
            )

    @reg.view(ids.NEW_VIEW)
    def created(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        channel = json.loads(view["private_metadata"])["channel"]
        made = submit_or_field_errors(ack, tr, view, lambda: setup.create(user, channel, new_launch(view_values(view))))
        if made is not None:
            ctx.delivery.dm(user, set_up_text(tr, made.name, made.channel))

    @reg.action(ids.TASK_PICKED)
    def picked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        task_id = int(body["actions"][0]["selected_option"]["value"])
        ctx.delivery.open_view(body["trigger_id"], tasks.modal(body["user"]["id"], task_id))

    @reg.view(ids.TASK_VIEW)
    def task_saved(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        task_id = json.loads(view["private_metadata"])["task"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        submit_or_field_errors(
            ack,
            tr,
            view,
            lambda: tasks.save(user, task_id, task_update(view_values(view)), confirmed=False),
            answer=lambda waiting: (
                {"response_action": "update", "view": confirm_view(tr, task_id, waiting)} if waiting else {}
            ),
        )

    @reg.view(ids.CONFIRM_VIEW)
    def confirmed(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack(response_action="clear")
        tasks.save(body["user"]["id"], json.loads(view["private_metadata"])["task"], TaskUpdate("done"), confirmed=True)

    @reg.action(ids.GO)
    def go(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value = json.loads(body["actions"][0]["value"])
        decisions.go(body["user"]["id"], value["launch"], value["task"])
        ctx.delivery.respond(body["response_url"], "✅", replace_original=False)

    @reg.action(ids.NO_GO)
    def no_go(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ctx.delivery.open_view(
            body["trigger_id"], decisions.no_go_modal(body["user"]["id"], body["actions"][0]["value"])
        )

    @reg.view(ids.NO_GO_VIEW)
    def no_go_decided(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        launch_id = json.loads(view["private_metadata"])["launch"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))

        def decide() -> None:
            values = view_values(view)
            decisions.no_go(user, launch_id, values.get("reason") or "", _date(values.get("new_date")))

        submit_or_field_errors(ack, tr, view, decide)

    @reg.action(ids.LAUNCH_ADD_TASK_PREFILLED)
    def add_task_prefilled(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        wanted = json.loads(body["actions"][0]["value"])
        modal = tasks.add_modal(body["user"]["id"], str(wanted.get("title", "")), str(wanted.get("sku", "")))
        ctx.delivery.open_view(body["trigger_id"], modal)

    @reg.view(ids.ADD_TASK_VIEW)
    def task_added(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        submit_or_field_errors(ack, tr, view, lambda: tasks.add(user, new_task(view_values(view))))


def jobs(ctx: Context) -> list[ScheduledJob]:
    playbooks = ctx.playbook(LaunchPlaybooks)
    return LaunchMornings(ctx, playbooks, LaunchChecklist(ctx, playbooks)).jobs()


FEATURE = Feature(
    name="launch",
    register=register,
    commands=(SlashCommand("/launch", "New-product launch checklists", "[new | list | status NAME | move NAME DATE]",
                           aliases=LAUNCH_WORDS),),
    scopes=("channels:manage", "pins:write"),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    demo_scene="40_launch.txt",
)
