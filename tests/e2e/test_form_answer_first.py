"""A form's answer never waits on Slack (issue 17): under ``opsbot serve``, with every Web API call, response_url
post and file download held until the test lets Slack answer, a stand-up answer, a feedback form and the /kpi
range form are answered — closed, or their field errors shown — and what follows (the messages they wrote, the
App Homes, the report) is done once Slack answers, once each, with the latest state.

No sleeping and no clock: a submission whose answer waited on Slack would wait for the release, which comes only
after the answer, so the test would fail on its HTTP client's timeout; the after-answer work is waited for with
``Front.settle`` and the outbox's ``drain``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.blocks import kpi as kpi_blocks
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.modals import _element_state, _initial_state
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.feedback_intake import FeedbackIntake
from bot.flows.standup_answers import StandupAnswers
from bot.flows.standup_rounds import StandupRounds
from bot.i18n import translator
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.standup_playbook import StandupPlaybook
from bot.reports.loaders import Period
from bot.wiring import Opsbot
from tests.load.conftest import TOKEN, Served
from tests.support.held_slack import HeldSlack, held_slack

REPO = Path(__file__).resolve().parents[2]
MONDAY = date(2026, 11, 23)


@pytest.fixture
def slack() -> Iterator[HeldSlack]:
    yield from held_slack(TOKEN)


@pytest.fixture
def served(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Served]:
    replica = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    context = replica.services.context
    for member in context.teams.teams[0].members:  # who everyone is, read before Slack is held (bot/people.py)
        context.people.profile(member.user)
    try:
        yield replica
    finally:
        slack.release()
        replica.stop()


def filled(view: dict[str, Any], **values: str) -> dict[str, Any]:
    """The view as Slack sends it back: every input's value, as typed here or as the form offered it."""
    state: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], str(block["block_id"])
        typed = values.get(block_id)
        state[block_id] = {str(element.get("action_id")): _element_state(element, typed) if typed is not None
                           else _initial_state(element)}
    return {**view, "id": "V0FORM", "hash": "h1", "state": {"values": state}}


def submit(served: Served, user: str, view: dict[str, Any]) -> dict[str, Any]:
    """Slack's answer to the submission (empty: the modal closes)."""
    response = served.post(payloads.view_submission(user=user, team="T0DEMO", view=view))
    assert response.status_code == 200
    return json.loads(response.text) if response.text else {}


def settle(served: Served) -> None:
    """Everything put off until after the answers done, and every message they wrote sent."""
    assert served.front.settle(timeout=60), "the after-answer work did not finish"
    assert served.services.delivery.outbox.drain(timeout=60)


def standup_form(services: Opsbot, user: str, **values: str) -> dict[str, Any]:
    context = services.context
    playbook = context.playbook(StandupPlaybook)
    view = StandupAnswers(context, playbook, StandupRounds(context, playbook)).answer_modal(user, MONDAY)
    return filled(dict(view), **values)


def texts(slack: SlackEmulator, channel: str, words: str) -> list[str]:
    return [f"{r.text} {r.blocks}" for r in slack.records
            if r.kind == "message" and r.channel == channel and words in f"{r.text} {r.blocks}"]


def last_home(slack: SlackEmulator, user: str) -> str:
    published = [r for r in slack.records if r.kind == "home" and r.user == user]
    assert published, f"no Home published for {user}"
    return json.dumps(published[-1].view, ensure_ascii=False)


def test_stand_up_answers_are_answered_while_slack_is_held_and_the_managers_home_shows_both_after(
    served: Served, slack: HeldSlack
) -> None:
    buyer = standup_form(served.services, "U0BUYER", yesterday="PO 4711 sent", today="Call the supplier",
                         blockers="Factory QC report missing")
    cs = standup_form(served.services, "U0CS", yesterday="Answered tickets", today="Refund queue",
                      blockers="Carrier claim form lost")
    bad = standup_form(served.services, "U0CS", yesterday="x" * 3001, today="Refund queue")
    slack.hold()

    assert submit(served, "U0BUYER", buyer) == {}  # closed, with Slack holding every call
    assert submit(served, "U0CS", cs) == {}
    refused = submit(served, "U0CS", bad)  # the validation stays in the answer
    assert refused["response_action"] == "errors" and "3000" in refused["errors"]["yesterday"]
    assert not [r for r in slack.records if r.kind in ("message", "home")]  # nothing reached Slack yet

    slack.release()
    settle(served)
    dm_buyer, dm_cs = slack.dm_channel_of("U0BUYER"), slack.dm_channel_of("U0CS")
    assert len([r for r in slack.records if r.kind == "message" and r.channel == dm_buyer
                and "Stand-up saved" in f"{r.text}"]) == 1  # the "saved" DM, once
    assert len([r for r in slack.records if r.kind == "message" and r.channel == dm_cs
                and "Stand-up saved" in f"{r.text}"]) == 1
    manager = last_home(slack, "U0MANAGER")  # built after both answers: both blockers
    assert "Factory QC report missing" in manager and "Carrier claim form lost" in manager
    assert "Factory QC report missing" in last_home(slack, "U0BUYER")


def test_a_feedback_form_is_answered_while_slack_is_held_and_its_card_is_posted_once_after(
    served: Served, slack: HeldSlack
) -> None:
    context = served.services.context
    playbook = context.playbook(FeedbackPlaybook)
    modal = FeedbackIntake(context, playbook, FeedbackCards(context, playbook)).modal("U0CS", source="C0OPS")
    form = filled(modal, what="LED-100 arrived cracked, buyer in Hamburg", marketplace="US", sku="LED-100")
    empty = filled(modal, what="", marketplace="US")
    slack.hold()

    refused = submit(served, "U0CS", empty)
    assert refused["response_action"] == "errors" and "what" in refused["errors"]
    assert submit(served, "U0CS", form) == {}
    assert not [r for r in slack.records if r.kind == "message"]

    slack.release()
    settle(served)
    cards = [r for r in slack.records if r.kind == "message" and r.thread_ts is None
             and "LED-100 arrived cracked" in f"{r.text} {r.blocks}" and not r.channel.startswith("D")]
    posted = Counter(r.channel for r in cards)
    assert posted["C0PURCHASING"] == 1 and set(posted.values()) == {1}  # the card, once in each channel it goes to
    assert len([r for r in slack.records if r.kind == "message" and r.channel == slack.dm_channel_of("U0CS")
                and "#1" in f"{r.text}"]) == 1  # the reporter's confirmation, once


def test_the_kpi_range_form_is_answered_before_the_file_is_fetched_and_the_report_loaded(
    served: Served, slack: HeldSlack
) -> None:
    team = served.services.teams.for_user("U0ANALYST")
    assert team is not None
    shared = slack.share_file("BusinessReport-11-20-26.csv",
                              (REPO / "tests/kpi/fixtures/BusinessReport-11-20-26.csv").read_bytes())
    kept = {k: shared[k] for k in ("id", "name", "filetype", "size", "url_private_download")} | {"team": team.id}
    where = json.dumps({"f": kept, "c": "C0DATA", "t": None})
    form = kpi_blocks.range_form(translator("en-US"), "BusinessReport-11-20-26.csv", where,
                                 Period(date(2026, 11, 20), date(2026, 11, 20)), None)
    backwards = filled(form, marketplace="US", **{"from": "2026-11-19", "to": "2026-11-13"})
    good = filled(form, marketplace="US", **{"from": "2026-11-20", "to": "2026-11-20"})
    slack.hold()

    refused = submit(served, "U0ANALYST", backwards)
    assert refused["response_action"] == "errors" and "before it starts" in refused["errors"]["to"]
    assert submit(served, "U0ANALYST", good) == {}
    assert not texts(slack, "C0DATA", "Loaded")  # the file is not even fetched yet

    slack.release()
    settle(served)
    loaded = texts(slack, "C0DATA", "Loaded BusinessReport-11-20-26.csv")
    assert len(loaded) == 1 and "Nov 20, 2026 to Nov 20, 2026, US" in loaded[0]  # the form's range, said once
