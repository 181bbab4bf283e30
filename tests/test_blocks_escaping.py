"""No builder in bot/blocks lets what a person typed reach Slack as live markup.

Every public function of every bot.blocks module is either a builder with a case below (fed adversarial text
wherever a person's words can enter: names, answers, notes, reasons, SKUs, PO numbers, file names, ...) or a
primitive listed in PRIMITIVES. A new public builder fails test_every_builder_has_a_case until it gets a case.
Opsbot's own mentions are built from ids it holds (OWN_USER, OWN_CHANNEL here) and are the only `<@`/`<#` left.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.blocks
from bot.blocks import (
    catalog,
    feedback,
    feedback_lines,
    figures,
    goals,
    home,
    kpi,
    kpi_home,
    launch,
    launch_home,
    launch_modals,
    promo,
    restock,
    restock_home,
    restock_private,
    restock_suggestion,
    setup,
    standup,
    standup_home,
)
from bot.blocks.common import error_text
from bot.blocks.feedback_lines import LineView
from bot.blocks.text import Mrkdwn, escape
from bot.errors import N_, OpsError
from bot.i18n import translator
from bot.ops.feedback import WeekCount
from bot.ops.goals import Measured, attainment, month_of
from bot.ops.goals_playbook import Diagnosis, Goal
from bot.ops.launch import Progress, TightPlan
from bot.ops.links import LinkState, Ref
from bot.ops.restock_math import LeadTime, Suggestion, Velocity
from bot.ops.restock_playbook import SkuSettings
from bot.ops.standup import Roster
from bot.ops.standup_playbook import Question
from bot.ops.team import ChannelKey, Role, Team
from bot.reports.alerts import Finding
from bot.reports.catalog import CatalogImport
from bot.reports.diagnosis import Figures, SkuShift, Traffic
from bot.reports.digest import DigestData, Mover
from bot.reports.ingest import FileIngest
from bot.reports.kpi import KpiReport, Kpis
from bot.reports.loaders import Period
from bot.reports.promo_review import Figures as PromoFigures
from bot.reports.promo_review import SkuReview
from bot.reports.queries import KpiSummary
from tests.meetings.blocks_cases import MEETING_CASES
from tests.meetings.follow_up_cases import FOLLOW_UP_CASES

OWN_USER, OWN_CHANNEL = "U0OPSBOT", "C0OPSBOT"
setup_fields = ("timezone", "base_currency", "members")
HOSTILE = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U0BUYER>", "<#C0OPS>",
           "<https://evil.example|Amazon login>", "<http://x.example>", "&", "<", ">", "🚀", "灯不亮了", "x" * 3000]
# Anything but '&' in free text, so an "&amp;lt;" in the output can only be a second escape.
FREE = st.text(alphabet=st.characters(blacklist_characters="&", blacklist_categories=("Cs",)), max_size=30)
ADVERSARIAL = st.lists(st.sampled_from(HOSTILE) | FREE, min_size=1, max_size=4).map(" ".join)
LIVE = re.compile(r"<[!@#]|<https?:")
OWN = re.compile(rf"<@{OWN_USER}>|<#{OWN_CHANNEL}>")
DAY = date(2026, 11, 23)
TR = translator("en")

# Building blocks below the point where user text enters: the builders that use them decide what is escaped.
PRIMITIVES = {
    "common.actions", "common.as_text", "common.button", "common.context", "common.divider", "common.fields",
    "common.header", "common.input_block", "common.modal", "common.option", "common.plain", "common.section",
    "limits.clip", "limits.fit_blocks", "text.escape", "text.escape_clipped",
    # Not Slack mrkdwn: plain text (a form's prefill) and canvas markdown, escaped its own way (tests/meetings).
    "meeting_lines.plain", "meeting_canvas.canvas_text", "meeting_canvas.canvas_markdown",
    # Words from playbooks and Opsbot's own catalogs only (no user text reaches them).
    "help.help_blocks", "help.team_blocks", "help.setup_help", "home.commands_section",
    "restock.buttons", "restock.state_label",
    "home.title", "home.more_line",
    "restock_suggestion.status_label", "feedback.state_label", "kpi.value", "kpi.shown", "kpi.coverage_text",
    "standup.prompt_blocks", "standup.answered_blocks",
    "standup.prompt_text", "standup.saved_text", "standup.export_comment", "standup.summary_text",
    "standup.export_header",  # CSV cells from the catalog and the playbook's questions
    "feedback.reminder_text", "feedback.unknown_list_blocks", "launch_modals.new_launch_modal",
    "feedback.listed", "feedback.list_scope_words", "feedback.category_question_text",
    "feedback.consent_question_text", "feedback.consent_answer_text", "feedback.private_words",
    "feedback.consent_changed_text", "feedback.consent_value", "feedback.parse_consent_value",
    "feedback.consent_replaced_text", "feedback.consent_closed_text",
    "launch.tight_plan_text",
    "promo.kind_label", "promo.state_label", "promo.terms", "promo.span", "promo.step_buttons",
    "feedback_lines.manager_only_text", "feedback_lines.line_action_id",
    "feedback_lines.line_state_label", "feedback_lines.finished_text",
}
# Builders whose str result is plain_text (a header or a modal title): Slack shows it literally.
PLAIN_RESULTS = {"feedback.list_title", "launch.status_title", "promo.title", "restock.scope_label"}


TIGHT = TightPlan(late=3, total=20, needed=45, available=29, unit="workdays")


def task(t: str) -> launch.TaskRow:
    return launch.TaskRow(1, t, OWN_USER, DAY, "blocked", t, False, True)


def suggestion(t: str) -> Suggestion:
    return Suggestion(t, "order_now", Velocity(2.0, DAY, DAY, 30, 0, 60, 1.0), LeadTime(1, 2, 3, 4, 0), 5, 6, 7, 8, 9.0,
                      DAY, 10, missing=("supplier", "unit_cost"))


def card(t: str) -> feedback.Card:
    return feedback.Card(1, OWN_USER, t, t, "Quality", t, t, True, "in_progress", "in progress", t, 2,
                         Mrkdwn(f"<#{OWN_CHANNEL}>"), asins=(t,), unsure=True, waiting_for=OWN_USER,
                         lines=(LineView("purchasing", t, "on_it", OWN_USER, t, t, ("done",), ("adjust_restock",)),),
                         started=(LinkState(Ref("restock", 3), t, t, False, None),))


def restock_progress(t: str) -> restock.Progress:
    return restock.Progress("rejected", 5, OWN_USER, t, t, t, DAY, t, t, t, 4)


QUESTIONS = (Question(id="today", text="Today?"), Question(id="mood", text="Mood?", kind="mood"))
FOUND = KpiSummary(units=3, orders=2, gmv={"USD": 10.0}, sessions=5)
DONE = Progress(1, 2, 0, 1)

def home_line(t: str) -> restock_home.HomeLine:
    return restock_home.HomeLine(1, "R-1", t, t, 450, "¥1,000.00", OWN_USER, "requested", DAY, DAY, None, (OWN_USER,))


def promo_view(t: str, state: str = "planned") -> promo.PromoView:
    return promo.PromoView(1, "P-1", OWN_USER, (t, "LED-100"), t, "coupon", 0.15, 2.0, 300.0, "USD", DAY, DAY, t,
                           state, True, OWN_USER, (promo.origin_line(TR, "F-1", t, t),), ("approve", "cancel"))


def goal(t: str, kpi: str = "gmv") -> Goal:
    return Goal.model_validate({"id": "g", "owner": t or "x", "title": t or "x", "kpi": kpi, "period": "monthly",
                                "target": 0.5, "skus": [t], "marketplace": "US"})


def attained(t: str, kpi: str = "gmv") -> Any:
    return attainment(goal(t, kpi), month_of(DAY), Measured(0.7, DAY, "sum" if kpi == "gmv" else "rate", "USD",
                                                            spend=10.0, ad_sales=5.0))


SLOW = Traffic(10.0, 20.0, 0.05, 0.1)
GAP = Figures(SLOW, (("x", DAY),), ((1, "price"),), ())


def gap_figures(t: str) -> Figures:
    return Figures(Traffic(30.0, 20.0, 0.05, 0.1), ((t, DAY),), ((1, "price"),), (SkuShift(t, 1.0, 2.0, SLOW),))


CASES: dict[str, Callable[[str], Any]] = {
    "goals.period_text": lambda t: goals.period_text(TR, month_of(DAY)),
    "goals.goal_title": lambda t: [goals.goal_title(TR, goal(t)),
                                   goals.goal_title(TR, goal(t).model_copy(update={"title": None}))],
    "goals.attainment_text": lambda t: [goals.attainment_text(TR, attained(t, kpi)) for kpi in ("gmv", "acos")],
    "goals.limit_text": lambda t: goals.limit_text(TR, "US ACoS", 0.3, 0.25, False),
    "goals.who_text": lambda t: [goals.who_text(TR, goal(t), (OWN_USER,)), goals.who_text(TR, goal(t), ())],
    "goals.goals_blocks": lambda t: goals.goals_blocks(TR, t or "x", [(None, attained(t))]),
    "goals.home_blocks": lambda t: goals.home_blocks(TR, [attained(t)]),
    "goals.edited_notes": lambda t: goals.edited_notes(TR, [SimpleNamespace(
        attainment=attained(t), edited=SimpleNamespace(by=OWN_USER, at=datetime(2026, 11, 23, 1, tzinfo=UTC)))],
        ZoneInfo("Asia/Shanghai")),
    "goals.owed_blocks": lambda t: goals.owed_blocks(TR, [(goal(t, "acos").model_copy(
        update={"title": None, "campaigns": (t or "x",)}), month_of(DAY))], datetime(2026, 11, 30, 8, tzinfo=UTC)),
    "goals.diagnosis_lines": lambda t: [
        goals.diagnosis_lines(TR, "x", ["traffic", "stock", "competition"], gap_figures(t), Diagnosis()),
        goals.diagnosis_lines(TR, "x", [], GAP, Diagnosis())],
    "setup.invite_me_text": lambda t: [setup.invite_me_text(TR, key, t) for key in ChannelKey],
    "setup.welcome_text": lambda t: [setup.welcome_text(TR, key) for key in ChannelKey],
    "setup.setup_modal": lambda t: setup.setup_modal(
        TR, Team(id="t", name=t or "x", holiday_countries=("CN",)), setup_fields[:3], {r: t for r in Role}),
    "setup.preview_modal": lambda t: setup.preview_modal(
        TR, Team(id="t", name=t or "x"), {"timezone": t, "language": t, "base_currency": t, "workdays": ["mon"],
                                   "holiday_countries": [t], "channels": {"ops": OWN_CHANNEL},
                                   "members": [{"user": OWN_USER, "roles": ["purchasing"]}]},
        {r: t for r in Role}, t),
    "feedback.another_report_text": lambda t: feedback.another_report_text(TR, OWN_USER, t),
    "feedback.card_blocks": lambda t: feedback.card_blocks(TR, card(t), feedback.sku_context(TR, t, FOUND)),
    "feedback_lines.status_blocks": lambda t: feedback_lines.status_blocks(
        TR, t, t, t, list(card(t).lines), list(card(t).started), [feedback_lines.HistoryRow(t, OWN_USER, t, t)]),
    "feedback_lines.home_blocks": lambda t: feedback_lines.home_blocks(TR, [(feedback_lines.home_title(
        TR, 1, t, t, t), feedback_lines.line_blocks(TR, 1, card(t).lines[0], t, t, closed=False))]),
    "feedback_lines.step_text": lambda t: [feedback_lines.step_text(TR, 1, t, "done", OWN_USER, t)],
    "feedback_lines.line_text": lambda t: [feedback_lines.line_text(TR, card(t).lines[0])],
    "feedback_lines.line_blocks": lambda t: feedback_lines.line_blocks(TR, 1, card(t).lines[0], t, t, closed=False),
    "feedback_lines.started_block": lambda t: feedback_lines.started_block(TR, list(card(t).started)),
    "feedback_lines.started_line": lambda t: [feedback_lines.started_line(TR, card(t).started[0])],
    "feedback_lines.home_title": lambda t: [feedback_lines.home_title(TR, 1, t, t, t)],
    "feedback_lines.line_value": lambda t: [],  # a button value, never shown
    "feedback_lines.follow_up_value": lambda t: [],  # a button value, never shown
    "feedback.card_text": lambda t: feedback.card_text(TR, 1, "Quality"),
    "feedback.category_question": lambda t: feedback.category_question(TR, 1, t, [("quality", "Quality")]),
    "feedback.consent_question": lambda t: feedback.consent_question(TR, 1, OWN_USER, "U0OTHER", t,
                                                                     [f"<#{OWN_CHANNEL}>"], 1),
    "feedback.consent_replaced": lambda t: feedback.consent_replaced(TR, 1, t),
    "feedback.consent_closed": lambda t: feedback.consent_closed(TR, 1, OWN_USER, t),
    "feedback.consent_reporter_text": lambda t: feedback.consent_reporter_text(TR, 1, OWN_USER, True,
                                                                               [f"<#{OWN_CHANNEL}>"]),
    "feedback.held_text": lambda t: feedback.held_text(TR, 1, OWN_USER, "U0OTHER"),
    "feedback.picked_text": lambda t: feedback.picked_text(TR, 1, "Quality"),
    "feedback.private_join_text": lambda t: feedback.private_join_text(TR, 1, OWN_USER, t),
    "feedback.file_modal": lambda t: feedback.file_modal(TR, [("quality", "Quality")], text=t, link=t,
                                                         private_source=True, metadata={"t": t}),
    "feedback.joined_text": lambda t: feedback.joined_text(TR, 1, t, 2),
    "feedback.list_blocks": lambda t: feedback.list_blocks(TR, t, [feedback.list_line(TR, 1, "Q", "new", t, t)]),
    "feedback.list_line": lambda t: feedback.list_line(TR, 1, "Quality", "new", t, t),
    "feedback.list_title": lambda t: feedback.list_title(TR, "quality", t),
    "feedback.private_list_line": lambda t: feedback.private_list_line(TR, 1, t, "new"),
    "feedback.note_modal": lambda t: feedback.note_modal(TR, 1, "on_it"),
    "feedback.outcome_text": lambda t: feedback.outcome_text(TR, t),
    "feedback.reroute_modal": lambda t: feedback.reroute_modal(TR, 1, [("q", "Quality")], [("buyer", "Buyer")], "q"),
    "feedback.sku_context": lambda t: feedback.sku_context(TR, t, FOUND),
    "feedback.weekly_blocks": lambda t: feedback.weekly_blocks(
        TR, feedback.weekly_counts(TR, [("Quality", WeekCount("q", 2, 1))], [WeekCount(t, 1, 0)],
                                   [WeekCount(t, 1, 2)]),
        [feedback.weekly_open_line(TR, 1, "Quality", 3, "new")]),
    "feedback.weekly_counts": lambda t: feedback.weekly_counts(TR, [], [WeekCount(t, 1, 0)], [WeekCount(t, 1, 0)]),
    "feedback.weekly_open_line": lambda t: feedback.weekly_open_line(TR, 1, "Quality", 3, "new"),
    "figures.summary_line": lambda t: figures.summary_line(TR, t, FOUND),
    "home.home_view": lambda t: home.home_view(TR, name=t, team_name=t, roles=["Buyer"], timezone="UTC", sections=[]),
    "standup_home.standup_section": lambda t: standup_home.standup_section(
        TR, standup_home.Today(DAY, "off", holiday=t), [standup.BlockerLine(1, t, OWN_USER, 3, ())],
        [standup.BlockerLine(2, t, "U0OTHER", 0, ())], {"U0OTHER": t, OWN_USER: t}, manager=True,
        roster=([OWN_USER], ["U0OTHER"])),
    "launch_home.launch_section": lambda t: launch_home.launch_section(
        TR, DAY, [launch_home.HomeTask(1, t, t, OWN_USER, DAY, True, False)], [launch_home.HomeGate(t, t, DAY, "v")],
        [launch_home.HomeTask(2, t, t, OWN_USER, date(2026, 11, 1), False, True)]),
    "kpi_home.kpi_section": lambda t: kpi_home.kpi_section(
        TR, [kpi_home.Alert(t, t, t), kpi_home.Alert("low_cover", "US", t)],
        [kpi_home.MonthToDate(t, "USD", 1.0, 2.0, 1.5), kpi_home.MonthToDate(t, "EUR", 1.0, None, None)], DAY),
    "kpi.alert_text": lambda t: [kpi.alert_text(TR, Finding("k", kind, t, t, {"ctr": .1, "cvr": .1, "acos": .1,
                                 "target": .1, "tacos": .1, "before": .1, "sessions": 1, "usual": 2, "rate": .1,
                                 "cover": 1, "lead": 2}, ((t, 3),)))
                                 for kind in ("ctr_cvr", "acos_target", "tacos_target", "cvr_target", "acos_rising",
                                              "sessions_down", "returns_up", "low_cover")],
    "kpi.digest_blocks": lambda t: kpi.digest_blocks(
        TR, DigestData("sz", "USD", DAY, movers=(Mover(t, 1.0, 2.0),),
                       alerts=(Finding("k", "low_cover", t, t, {"cover": 1, "lead": 2}),)), t),
    "kpi.chart_words": lambda t: kpi.chart_words(TR, DigestData("sz", "USD", DAY), t),
    "kpi.range_form": lambda t: kpi.range_form(TR, t, "{}", Period(DAY, DAY), t),
    "kpi.range_prompt": lambda t: [kpi.range_prompt(TR, t, {"name": t}, presets, Period(DAY, DAY), t, escape(t))
                                   for presets in ({}, {"7d": Period(DAY, DAY)})],
    "kpi.ingest_text": lambda t: kpi.ingest_text(TR, FileIngest(t, "orders", "orders", "a", "b", (t,), 1, 1, 0, 0)),
    "kpi.kpi_blocks": lambda t: [kpi.kpi_blocks(TR, KpiReport(DAY, DAY, through, "USD", {t: k}, {t: k}, k), t)
                                 for through in (None, DAY) for k in [Kpis("USD", {}, 1)]],
    "kpi.kpi_text": lambda t: kpi.kpi_text(TR, t),
    "launch.add_launch_task_button": lambda t: launch.add_launch_task_button(TR, t, t),
    "launch.checklist_blocks": lambda t: launch.checklist_blocks(TR, t, DAY, "Standard", [t], [t],
                                                                 [("Phase", [task(t)])], DONE, DAY),
    "launch.checklist_text": lambda t: launch.checklist_text(t),
    "launch.closed_text": lambda t: launch.closed_text(TR, t),
    "launch.gate_blocks": lambda t: launch.gate_blocks(TR, t, "Gate", [task(t)], "v", DAY),
    "launch.go_text": lambda t: launch.go_text(TR, t, OWN_USER),
    "launch.launch_line": lambda t: launch.launch_line(TR, t, t, DAY, OWN_CHANNEL, DONE),
    "launch.moved_text": lambda t: launch.moved_text(TR, t, DAY, DAY, OWN_USER),
    "launch.no_go_text": lambda t: launch.no_go_text(TR, t, OWN_USER, t),
    "launch.now_launches_text": lambda t: launch.now_launches_text(TR, t, DAY),
    "launch.progress_blocks": lambda t: launch.progress_blocks(TR, t, DONE, 3, [OWN_USER], [task(t)], DAY),
    "launch.reminder_blocks": lambda t: launch.reminder_blocks(TR, [(t, task(t))], DAY),
    "launch.review_blocks": lambda t: launch.review_blocks(TR, t, t, [figures.summary_line(TR, t, FOUND)]),
    "launch.set_up_text": lambda t: launch.set_up_text(TR, t, OWN_CHANNEL),
    "launch.set_up_renamed_text": lambda t: launch.set_up_renamed_text(TR, t, OWN_CHANNEL, t),
    "launch.set_up_here_text": lambda t: launch.set_up_here_text(TR, t, OWN_CHANNEL, t, t),
    "launch.status_line": lambda t: launch.status_line(TR, t, OWN_USER, DAY, DAY),
    "launch.status_title": lambda t: launch.status_title(TR, t, DONE),
    "launch.summary_blocks": lambda t: launch.summary_blocks(TR, t, [launch.status_line(TR, t, OWN_USER, DAY, DAY)]),
    "launch_modals.add_task_modal": lambda t: launch_modals.add_task_modal(TR, [(1, t)], t, [(OWN_USER, t)],
                                                                           [(t, [("1:p", t)])], DAY),
    "launch.decided_blocks": lambda t: launch.decided_blocks(TR, t, t, "no-go", OWN_USER, "now", t, "v"),
    "launch.closed_line": lambda t: launch.closed_line(TR, t, t, DAY, OWN_CHANNEL),
    "launch.unknown_launch_text": lambda t: launch.unknown_launch_text(TR, t, [t]),
    "launch.tight_move_blocks": lambda t: launch.tight_move_blocks(TR, t, DAY, TIGHT, "c", "k"),
    "launch.assigned_text": lambda t: launch.assigned_text(TR, t, t, DAY, OWN_USER),
    "launch.same_date_text": lambda t: launch.same_date_text(TR, t, DAY),
    "launch.reopened_text": lambda t: launch.reopened_text(TR, t, t, OWN_USER),
    "launch_modals.go_confirm_view": lambda t: launch_modals.go_confirm_view(TR, "v", [t]),
    "launch_modals.short_time_modal": lambda t: launch_modals.short_time_modal(TR, TIGHT, t),
    "launch_modals.confirm_view": lambda t: launch_modals.confirm_view(TR, 1, [t]),
    "launch_modals.no_go_modal": lambda t: launch_modals.no_go_modal(TR, "v", DAY),
    "launch_modals.task_modal": lambda t: launch_modals.task_modal(TR, task(t), "From the playbook"),
    "restock.card_blocks": lambda t: restock.card_blocks(TR, restock.CardView(
        "R-1", 1, t, t, t, 5, "$5", OWN_USER, "requested", "requested", True, DAY, t,
        restock.history_lines(TR, restock_progress(t)), restock_suggestion.suggestion_lines(TR, suggestion(t)),
        [("Approve", "approve")])),
    "restock.card_text": lambda t: restock.card_text(TR, "R-1", 5, t, "requested"),
    "restock_private.question_text": lambda t: restock_private.question_text(TR, "R-1", 5, t),
    "restock_private.question": lambda t: restock_private.question(TR, 1, "R-1", 5, t, t, OWN_CHANNEL, [OWN_USER],
                                                                   (500, 100, 500)),
    "restock_private.answer_text": lambda t: restock_private.answer_text(TR, "R-1", restock_private.KEEP_PRIVATE,
                                                                         OWN_CHANNEL, [OWN_USER]),
    "restock_private.note_for_decider": lambda t: restock_private.note_for_decider(TR, "R-1", 5, t, OWN_USER, t),
    "restock_private.withheld": lambda t: restock_private.withheld(TR),
    "restock.filed_text": lambda t: restock.filed_text(TR, "R-1", 5, t),
    "restock.history_lines": lambda t: restock.history_lines(TR, restock_progress(t)),
    "restock.list_blocks": lambda t: restock.list_blocks(TR, t, [restock.list_line(TR, "R-1", 5, t, t, "new",
                                                                                   OWN_USER)]),
    "restock.list_line": lambda t: restock.list_line(TR, "R-1", 5, t, t, "requested", OWN_USER),
    "restock.request_modal": lambda t: restock.request_modal(
        TR, [t], ("US",), ("fba",), sku=t, marketplace="US", quantity=3,
        explanation=restock_suggestion.suggestion_lines(TR, suggestion(t))),
    "restock.request_restock_button": lambda t: restock.request_restock_button(TR, t, t),
    "restock.step_modal": lambda t: [restock.step_modal(TR, 1, action, "R-1", 5)
                                     for action in ("reject", "change_quantity", "order", "ship", "receive")],
    "restock_suggestion.suggestion_lines": lambda t: [restock_suggestion.suggestion_lines(TR, suggestion(t)),
                                           restock_suggestion.suggestion_lines(TR, Suggestion(t, "no_history", None,
                                                                                   LeadTime(1, 1, 1, 1, 0), 0, 0, 0,
                                                                                   0, None, None, 0))],
    "restock_suggestion.watch_line": lambda t: restock_suggestion.watch_line(TR, suggestion(t)),
    # A destination, freight mode or list scope outside the known words is shown as typed, escaped.
    "restock.destination_label": lambda t: restock.destination_label(TR, t),
    "restock.freight_label": lambda t: restock.freight_label(TR, t),
    "restock.scope_label": lambda t: restock.scope_label(TR, t),
    "restock_suggestion.missing_lines": lambda t: restock_suggestion.missing_lines(TR, suggestion(t)),
    "restock_suggestion.velocity_line": lambda t: restock_suggestion.velocity_line(
        TR, Velocity(2.0, DAY, DAY, 30, 0, 60, 1.0)
    ),
    "restock_suggestion.watchlist_blocks": lambda t: restock_suggestion.watchlist_blocks(TR, [suggestion(t)]),
    "standup.answer_blocks": lambda t: standup.answer_blocks(TR, t, DAY, QUESTIONS, {"today": t}, late=True,
                                                             edited=True),
    "standup.answer_modal": lambda t: standup.answer_modal(TR, QUESTIONS, DAY, "sz", {"today": t}, 3,
                                                           still_open=(standup.OpenBlocker(1, t, DAY),)),
    "standup.blocker_section": lambda t: standup.blocker_section(TR, standup.BlockerLine(1, t, OWN_USER, 3, ())),
    "standup.all_blockers_messages": lambda t: standup.all_blockers_messages(
        TR, [standup.BlockerLine(n, t, OWN_USER, 3, (OWN_USER,), escalated=True) for n in range(50)]),
    "standup.resolve_modal": lambda t: standup.resolve_modal(TR, 1, t, t),
    "standup.resolved_for_owner": lambda t: standup.resolved_for_owner(TR, OWN_USER, t, t),
    "standup.away_list_blocks": lambda t: standup.away_list_blocks(TR, [(DAY, DAY, t)]),
    "standup.answer_text": lambda t: standup.answer_text(TR, t),
    "standup.history_blocks": lambda t: standup.history_blocks(
        TR, t, [standup.history_row(TR, DAY, "answered", QUESTIONS, {"today": t}, t),
                standup.history_row(TR, DAY, "skipped", QUESTIONS, {}, t)]),
    "standup.history_row": lambda t: standup.history_row(TR, DAY, "skipped", QUESTIONS, {}, t),
    "standup.status_blocks": lambda t: standup.status_blocks(TR, Roster(answered=[OWN_USER]), {OWN_USER: t}),
    "standup.summary_blocks": lambda t: standup.summary_blocks(
        TR, DAY, Roster(missing=[OWN_USER, "U0OTHER"]), [standup.BlockerLine(1, t, OWN_USER, 3, (OWN_USER,))],
        {OWN_USER: DAY, "U0OTHER": date(2026, 11, 22)}, mention={OWN_USER}, names={"U0OTHER": t}),
    "common.error_text": lambda t: error_text(TR, OpsError("I don't know /ops {text}. Try /ops help or /ops team.",
                                                           text=t)),
    "restock.origin_line": lambda t: restock.origin_line(TR, "F-1", t),
    "restock.filed_with_offer": lambda t: restock.filed_with_offer(TR, escape(t), 1, t, 450, 500, 100, 500),
    "restock.orderable_offer": lambda t: restock.orderable_offer(TR, 1, t, 450, 500, 100, 500),
    "restock.action_label": lambda t: restock.action_label(TR, t),
    "restock_home.approvals_section": lambda t: restock_home.approvals_section(TR, [home_line(t)]),
    "restock_home.in_flight_section": lambda t: restock_home.in_flight_section(TR, [home_line(t)]),
    "promo.title": lambda t: promo.title(TR, promo_view(t)),
    "promo.card_text": lambda t: promo.card_text(TR, promo_view(t)),
    "promo.card_blocks": lambda t: promo.card_blocks(TR, promo_view(t)),
    "promo.origin_line": lambda t: promo.origin_line(TR, "F-1", t, t),
    "promo.list_line": lambda t: promo.list_line(TR, promo_view(t)),
    "promo.list_blocks": lambda t: promo.list_blocks(TR, t, [promo.list_line(TR, promo_view(t))]),
    "promo.form_modal": lambda t: promo.form_modal(TR, [t, "LED-100"], ("US",), sku=t, marketplace=t,
                                                  source=Ref("feedback", 3), reason=t),
    "promo.filed_text": lambda t: [promo.filed_text(TR, promo_view(t)),
                                   promo.filed_text(TR, promo_view(t, "approved"))],
    "promo.home_blocks": lambda t: promo.home_blocks(TR, t, [(promo.list_line(TR, promo_view(t)), [])], ""),
    "promo.digest_line": lambda t: promo.digest_line(TR, t, promo_view(t)),
    "promo.review_blocks": lambda t: promo.review_blocks(TR, promo_view(t), [
        SkuReview(t, PromoFigures(DAY, DAY, 1, 5, 10.0, "USD", 0.3, 0.1), PromoFigures(DAY, DAY, 0)),
        SkuReview(t, PromoFigures(DAY, DAY, 0), PromoFigures(DAY, DAY, 0))]),
}

CASES.update(MEETING_CASES)


def shared_catalog(typed: str, problems: bool = False) -> CatalogImport:
    """A shared catalogue whose SKU, supplier (and a bad cell's words) are what someone typed into the file."""
    sku = typed or "x"
    return CatalogImport(skus={sku: SkuSettings(supplier=typed, unit_cost=1.5, moq=100, carton=20)},
                         added=(sku,), updated=(),
                         problems=(OpsError(N_("{file}, row {row}, column {column}: {value} is not a number."),
                                            file=typed, row=2, column="MOQ", value=typed),) if problems else ())


CASES.update({
    "catalog.preview_blocks": lambda t: [catalog.preview_blocks(TR, t, shared_catalog(t), "{}"),
                                         catalog.preview_blocks(TR, t, shared_catalog(t, True), "{}")],
    "catalog.preview_text": lambda t: catalog.preview_text(TR, t, shared_catalog(t)),
    "catalog.applied_text": lambda t: catalog.applied_text(TR, t, shared_catalog(t), OWN_USER),
    "catalog.already_text": lambda t: catalog.already_text(TR, t, OWN_USER, datetime(2026, 11, 23, 9, tzinfo=UTC),
                                                           ZoneInfo("Asia/Shanghai")),
})
CASES.update(FOLLOW_UP_CASES)

def public_builders() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(bot.blocks.__path__):
        module = importlib.import_module(f"bot.blocks.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    return found


def texts(node: Any, plain_result: bool = False) -> Iterator[tuple[str, str]]:
    """(kind, text) of every text Slack would read: mrkdwn objects, plain_text objects, and str results."""
    if isinstance(node, str):
        yield ("plain_text" if plain_result else "mrkdwn"), node
    elif isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            yield node["type"], node["text"]
        for value in node.values():
            if isinstance(value, dict | list):
                yield from texts(value)
    elif isinstance(node, list | tuple):
        for value in node:
            if isinstance(value, str | dict | list | tuple):
                yield from texts(value, plain_result)


def assert_safe(name: str, result: Any) -> None:
    for kind, text in texts(result, name in PLAIN_RESULTS):
        if kind == "mrkdwn":
            live = LIVE.search(OWN.sub("", text))
            assert live is None, f"{name}: live markup {text[max(live.start() - 20, 0):live.end() + 40]!r}"
            assert "&amp;lt;" not in text and "&amp;gt;" not in text and "&amp;amp;" not in text, \
                f"{name}: escaped twice: {text[:200]!r}"
        else:
            assert "&lt;" not in text and "&gt;" not in text and "&amp;" not in text, \
                f"{name}: plain_text escaped (Slack shows it literally): {text[:200]!r}"


def test_every_builder_has_a_case() -> None:
    builders = public_builders()
    assert builders - PRIMITIVES - set(CASES) == set(), "a new builder in bot/blocks needs a case here"
    assert set(CASES) - builders == set() and PRIMITIVES - builders == set(), "a case for a builder that is gone"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed=ADVERSARIAL)
def test_no_builder_lets_typed_text_through_as_markup(typed: str) -> None:
    for name, build in CASES.items():
        assert_safe(name, build(typed))


def test_typed_text_is_escaped_once_and_shown_whole() -> None:
    typed = "<!channel> R&D <https://evil.example|Amazon login>"
    escaped = escape(typed)
    assert escaped == "&lt;!channel&gt; R&amp;D &lt;https://evil.example|Amazon login&gt;"
    for name in ("feedback.outcome_text", "launch.set_up_text", "standup.answer_blocks", "restock.history_lines",
                 "launch.checklist_blocks", "common.error_text"):
        shown = [text for kind, text in texts(CASES[name](typed)) if kind == "mrkdwn"]
        assert any(escaped in text for text in shown), f"{name}: {shown}"
    header = launch.checklist_blocks(TR, typed, DAY, "Standard", [], [], [], DONE, DAY)[0]
    assert header["text"] == {"type": "plain_text", "text": f"🚀 Launch: {typed} · Nov 23, 2026", "emoji": True}
