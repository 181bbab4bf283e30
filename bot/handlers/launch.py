"""/launch and the launch checklist's menus, modals and go/no-go buttons."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.blocks import launch as ids
from bot.blocks.launch import now_launches_text, same_date_text, tight_move_blocks
from bot.blocks.launch_modals import COMPRESS, KEEP, REMOVE, confirm_view, go_confirm_view, short_time_modal
from bot.errors import N_, OpsError
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.agenda_launch import SECTIONS as AGENDA_SECTIONS
from bot.flows.context import Context, LinkKind
from bot.flows.launch_channel import LaunchChannel
from bot.flows.launch_checklist import RECEIPTS as CHECKLIST_RECEIPTS
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_dates import LaunchDates, Moved, Plan, TooSoon, Unchanged
from bot.flows.launch_decisions import RECEIPTS as GATE_RECEIPTS
from bot.flows.launch_decisions import LaunchDecisions
from bot.flows.launch_home import launch_home
from bot.flows.launch_mornings import LaunchMornings
from bot.flows.launch_setup import Created, LaunchSetup, NewLaunch
from bot.flows.launch_tasks import LaunchTasks, NewTask, TaskUpdate, describe_task
from bot.handlers.command_words import LAUNCH_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.launch import TightPlan, parse_command
from bot.ops.launch_playbook import LaunchPlaybooks, load_playbook
from bot.ops.links import source_in
from bot.ops.team import Team
from bot.scheduler import ScheduledJob


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None  # a real date: checked against the form first


def new_launch(values: dict[str, Any], asked_in_dm: bool = False) -> NewLaunch:
    return NewLaunch(
        name=values.get("name") or "",
        skus=values.get("skus") or "",
        marketplaces=tuple(values.get("marketplaces") or ()),
        launch_date=_date(values.get("launch_date")),
        playbook=values.get("playbook") or "",
        new_channel=values.get("channel") == "create",
        asked_in_dm=asked_in_dm,
    )


def _carried_date(value: object) -> date | None:
    """The date the first step checked, as carried; anything else is no date (the form then asks for one)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def carried_launch(form: dict[str, Any], plan: str) -> NewLaunch:
    """The new-launch form carried through its short-time step, with the plan chosen there."""
    return NewLaunch(
        name=str(form.get("name") or ""),
        skus=str(form.get("skus") or ""),
        marketplaces=tuple(str(m) for m in form.get("marketplaces") or ()),
        launch_date=_date(form.get("launch_date")),
        playbook=str(form.get("playbook") or ""),
        new_channel=bool(form.get("new_channel")),
        plan=plan if plan in (COMPRESS, KEEP) else KEEP,
        asked_in_dm=form.get("dm") is True,  # as the first step carried it (a DM's D… id is checked again)
    )


def task_update(values: dict[str, Any]) -> TaskUpdate:
    return TaskUpdate(
        state=values["state"],
        reason=values.get("reason") or "",
        owner=values.get("owner"),
        due=_date(values.get("due")),
        remove=REMOVE in (values.get("remove") or ()),
    )


def new_task(values: dict[str, Any], metadata: str = "") -> NewTask:
    try:
        source = source_in(json.loads(metadata)) if (metadata or "").startswith("{") else None
    except ValueError:
        source = None  # a forged source links nothing
    return NewTask(
        launch_id=int(values["launch"]),
        title=values.get("title") or "",
        phase=values.get("phase") or "",
        owner=values.get("owner") or "",
        due=_date(values.get("due")),
        source=source,
    )


def move_plan(value: str) -> tuple[str, date, Plan]:
    """A move's choice button: the launch, the date, and compress or keep."""
    try:
        wanted = json.loads(value)
        plan: Plan = "compress" if wanted["plan"] == COMPRESS else "keep"
        return str(wanted["launch"]), date.fromisoformat(wanted["date"]), plan
    except (ValueError, TypeError, KeyError):
        raise OpsError(N_("That choice is out of date: run /launch move again.")) from None


def register(reg: Registrar, ctx: Context) -> None:
    playbooks = ctx.playbook(LaunchPlaybooks)
    checklist = LaunchChecklist(ctx, playbooks)
    setup = LaunchSetup(ctx, playbooks, checklist)
    tasks = LaunchTasks(ctx, playbooks, checklist)
    dates = LaunchDates(ctx, checklist)
    decisions = LaunchDecisions(ctx, checklist, dates)

    def tell_moved(user: str, result: Moved | None, say: Callable[..., Any]) -> None:
        """What a move answers: the new date, nothing changed, or the choice a date too soon needs."""
        tr = ctx.translator_for(user, ctx.team_of(user))
        if isinstance(result, TooSoon):
            value = {"launch": result.launch.slug, "date": result.day.isoformat()}
            say(
                tr._("Too little time"),
                tight_move_blocks(
                    tr,
                    result.launch.name,
                    result.day,
                    result.plan,
                    json.dumps({**value, "plan": COMPRESS}),
                    json.dumps({**value, "plan": KEEP}),
                ),
            )
        elif isinstance(result, Unchanged):
            say(same_date_text(tr, result.launch.name, result.launch.launch_date))
        elif result is not None:
            say(now_launches_text(tr, result.name, result.launch_date))

    @reg.command("/launch")
    def launch(ack: Ack, command: dict[str, Any]) -> None:
        """/launch new starts a launch from a playbook. Also: list [closed], status [NAME], move NAME YYYY-MM-DD."""
        ack()
        user, channel, reply = command["user_id"], command["channel_id"], command["response_url"]
        team = ctx.team_of(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "new":
            modal = setup.new_modal(user, channel, command.get("channel_name") or "")
            ctx.delivery.open_view(command["trigger_id"], modal)
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Launches"), checklist.list_blocks(user, closed=wanted.closed))
        elif wanted.action == "status":
            ctx.delivery.respond(reply, tr._("Launch status"), checklist.status_blocks(user, wanted.name, channel))
        elif wanted.action == "move" and wanted.new_date:
            result = dates.move(user, wanted.name, wanted.new_date)
            tell_moved(user, result, partial(ctx.delivery.respond, reply))
        else:
            ctx.delivery.respond(
                reply,
                tr._(
                    "Usage: /launch new · /launch list [closed] · /launch status [NAME] · /launch move NAME YYYY-MM-DD"
                ),
            )

    @reg.action(ids.MOVE_PLAN)
    def move_chosen(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        name, new_date, plan = move_plan(body["actions"][0]["value"])
        result = dates.move(user, name, new_date, plan=plan, key=True)
        tell_moved(user, result, partial(ctx.delivery.respond, body["response_url"]))

    @reg.view(ids.NEW_VIEW)
    def created(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        opened = json.loads(view["private_metadata"])
        channel = opened["channel"]

        def create() -> tuple[NewLaunch, Created]:
            # After the inputs are checked: the date is a real one. A form opened before it carried "dm" is judged
            # by its channel's id alone.
            form = new_launch(view_values(view), asked_in_dm=opened.get("dm") is True)
            return form, setup.create(user, channel, form)

        submit_or_field_errors(  # the launch tells its creator where it is set up, once its channel is known
            ack,
            tr,
            view,
            create,
            answer=lambda done: (
                {"response_action": "update", "view": short_time_modal(tr, done[1], done[0].as_json(channel))}
                if isinstance(done[1], TightPlan)
                else {}
            ),
        )

    @reg.view(ids.SHORT_TIME_VIEW)
    def created_after_all(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        form = json.loads(view["private_metadata"])
        chosen = carried_launch(form, view_values(view).get("plan") or "")

        def create() -> Created:
            try:
                return setup.create(user, str(form.get("channel")), chosen)
            except OpsError as error:  # a field of the first step is not on this one: said under its only input
                raise OpsError(error.message, field="plan", **error.params) from None

        submit_or_field_errors(ack, tr, view, create)

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

    @reg.action(ids.GO_BUTTON)
    def go(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, value = body["user"]["id"], body["actions"][0]["value"]
        waiting = decisions.go(user, value, confirmed=False)
        if waiting:
            tr = ctx.translator_for(user, ctx.teams.for_user(user))
            ctx.delivery.open_view(body["trigger_id"], go_confirm_view(tr, value, waiting))

    @reg.view(ids.GO_CONFIRM_VIEW)
    def go_anyway(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack(response_action="clear")
        decisions.go(body["user"]["id"], view["private_metadata"], confirmed=True)

    @reg.action(ids.NO_GO)
    def no_go(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        ctx.delivery.open_view(
            body["trigger_id"], decisions.no_go_modal(body["user"]["id"], body["actions"][0]["value"])
        )

    @reg.view(ids.NO_GO_VIEW)
    def no_go_decided(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))

        def decide() -> Moved | None:
            values = view_values(view)  # after the inputs are checked: the date is a real one
            return decisions.no_go(
                user, view["private_metadata"], values.get("reason") or "", _date(values["new_date"])
            )

        result = submit_or_field_errors(ack, tr, view, decide)
        if isinstance(result, TooSoon):
            tell_moved(user, result, partial(ctx.delivery.dm, user))

    @reg.action(ids.REOPEN)
    def reopen(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        decisions.reopen(body["user"]["id"], body["actions"][0]["value"])

    @reg.action(ids.LAUNCH_ADD_TASK_PREFILLED)
    def add_task_prefilled(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        wanted = json.loads(body["actions"][0]["value"])
        modal = tasks.add_modal(body["user"]["id"], str(wanted.get("title", "")), str(wanted.get("sku", "")))
        ctx.delivery.open_view(body["trigger_id"], modal)

    @reg.action(ids.ADD_TASK)
    def add_task(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value = body["actions"][0]["value"]
        launch_id = int(value) if value.isdigit() else None
        ctx.delivery.open_view(body["trigger_id"], tasks.add_modal(body["user"]["id"], "", launch_id=launch_id))

    @reg.view(ids.ADD_TASK_VIEW)
    def task_added(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        metadata = view.get("private_metadata") or ""
        submit_or_field_errors(ack, tr, view, lambda: tasks.add(user, new_task(view_values(view), metadata)))


def owed(ctx: Context, team: Team) -> None:
    """New launches' channels whose process died before making them, once its lease ran out (a scheduler tick)."""
    playbooks = ctx.playbook(LaunchPlaybooks)
    LaunchChannel(ctx, LaunchChecklist(ctx, playbooks)).take_over(team)


def jobs(ctx: Context) -> list[ScheduledJob]:
    playbooks = ctx.playbook(LaunchPlaybooks)
    checklist = LaunchChecklist(ctx, playbooks)
    decisions = LaunchDecisions(ctx, checklist, LaunchDates(ctx, checklist))
    return LaunchMornings(ctx, playbooks, checklist, decisions).jobs()


FEATURE = Feature(
    name="launch",
    register=register,
    commands=(SlashCommand("/launch", "New-product launch checklists",
                           "[new | list [closed] | status NAME | move NAME DATE]", aliases=LAUNCH_WORDS),),
    scopes=("channels:manage", "channels:read", "groups:read", "pins:write"),  # :read: its own channel, found
    load_playbook=load_playbook,
    jobs=jobs,
    owed=owed,
    receipts=CHECKLIST_RECEIPTS + GATE_RECEIPTS,
    home_sections=(launch_home,),
    link_kinds=(LinkKind("launch_task", describe_task),),
    demo_scene="40_launch.txt",
    agenda_sections=AGENDA_SECTIONS,
)
