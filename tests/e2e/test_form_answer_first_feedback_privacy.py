"""A feedback form's answer never asks Slack whether the place it came from is private (issue 17): the form decides
that when it opens, and carries it to its submission, so a form opened on one replica and submitted to another
(or after a restart, with nothing cached) is answered while Slack holds every call — and what came from a private
place still reaches the manager alone. A form whose carried answer is missing or forged counts as private.

No sleeping and no clock: a submission that asked Slack would wait for a release that comes only after the
answer, and the test would fail on its HTTP client's timeout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.console.slack_state import Channel
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.feedback_intake import FeedbackIntake
from bot.ops.feedback_playbook import FeedbackPlaybook
from tests.e2e.test_form_answer_first import filled, settle, submit
from tests.load.conftest import TOKEN, Served
from tests.support.held_slack import HeldSlack, held_slack

WORDS = "Supplier raises the price of LED-200 by 8% next month"
PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS")


@pytest.fixture
def slack() -> Iterator[HeldSlack]:
    for emulator in held_slack(TOKEN):
        emulator.add_channel(Channel("G0SOURCING", "sourcing", is_private=True))
        yield emulator


@pytest.fixture
def replicas(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[tuple[Served, Served]]:
    """Two replicas on one database: the first opens the forms, the second is submitted to (it never saw them)."""
    opener = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    answerer = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    for replica in (opener, answerer):
        for member in replica.services.context.teams.teams[0].members:  # who everyone is, read before Slack is held
            replica.services.context.people.profile(member.user)
    try:
        yield opener, answerer
    finally:
        slack.release()
        answerer.stop()
        opener.stop()


def form(replica: Served, source: str, what: str) -> dict[str, Any]:
    context = replica.services.context
    playbook = context.playbook(FeedbackPlaybook)
    modal = FeedbackIntake(context, playbook, FeedbackCards(context, playbook)).modal("U0CS", source=source)
    return filled(modal, what=what, marketplace="US")


def with_metadata(view: dict[str, Any], **changed: object) -> dict[str, Any]:
    kept = json.loads(view["private_metadata"])
    kept.update(changed)
    return {**view, "private_metadata": json.dumps({k: v for k, v in kept.items() if v is not ...})}


def seen_in(slack: HeldSlack, channel: str) -> str:
    return " ".join(f"{r.text} {r.blocks}" for r in slack.records if r.kind == "message" and r.channel == channel)


def test_a_form_from_a_private_channel_is_answered_without_asking_slack_and_stays_private(
    replicas: tuple[Served, Served], slack: HeldSlack
) -> None:
    opener, answerer = replicas
    private = form(opener, "G0SOURCING", WORDS)
    public = form(opener, "C0OPS", "LED-100 arrived cracked, buyer in Hamburg")
    asked = slack.count_calls("conversations.info")
    slack.hold()

    assert submit(answerer, "U0CS", private) == {}  # closed, with Slack holding every call
    assert submit(answerer, "U0CS", public) == {}
    assert slack.count_calls("conversations.info") == asked  # nobody asked Slack where the forms came from

    slack.release()
    settle(answerer)
    for channel in PUBLIC:
        assert "LED-200" not in seen_in(slack, channel)  # the private words reach no team channel
    assert "LED-100 arrived cracked" in seen_in(slack, "C0PURCHASING")  # the public one goes where it goes
    assert "LED-200" in seen_in(slack, slack.dm_channel_of("U0MANAGER"))  # the manager alone reads them
    assert slack.count_calls("conversations.info") == asked


@pytest.mark.parametrize("carried", [..., None, "no", 0], ids=["missing", "null", "a word", "zero"])
def test_a_form_whose_carried_answer_is_missing_or_forged_counts_as_private(
    replicas: tuple[Served, Served], slack: HeldSlack, carried: object
) -> None:
    opener, answerer = replicas
    forged = with_metadata(form(opener, "C0OPS", WORDS), private=carried)
    slack.hold()

    assert submit(answerer, "U0CS", forged) == {}

    slack.release()
    settle(answerer)
    for channel in PUBLIC:
        assert "LED-200" not in seen_in(slack, channel)
    assert "LED-200" in seen_in(slack, slack.dm_channel_of("U0MANAGER"))
