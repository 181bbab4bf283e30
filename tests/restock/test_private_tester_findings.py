"""What a fresh-eyes tester found in restock's "filed from a private place" (issue 17): a request cancelled before
it was posted is as private as a held one; a stale or forged card button on it says nothing of it; the answer says
"with your note" only when there was one; a private one-liner of a quantity the supplier does not ship is offered
the nearest one on its question."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.blocks import restock as ids
from bot.blocks.restock_private import POST_PUBLICLY
from bot.console.session import ConsoleSlack
from bot.flows.restock_cards import RestockCards
from bot.ops.restock_playbook import RestockPlaybook
from bot.reports.ingest import ingest_generic
from tests.conftest import converse
from tests.feedback.test_feedback_links_e2e import press
from tests.support.seen import everywhere_but

FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"


@pytest.fixture(autouse=True)
def sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", FIXTURE)


def exported_refs(console: ConsoleSlack) -> set[str]:
    ctx = console.services.context
    text = RestockCards(ctx, ctx.playbook(RestockPlaybook)).export_csv(console.team)
    return {row["ref"] for row in csv.DictReader(io.StringIO(text))}


def test_a_request_cancelled_before_it_was_posted_stays_with_its_requester(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in G0PRIVATE\n/restock LED-100 600 SECRET layoffs at the supplier", [
            "R-1 (600 × LED-100) is not posted yet"]),
        ("!click Cancel request", ["R-1 is cancelled: nothing was posted."]),
        # Its requester still finds it, cancelled, note and all.
        ("!in C0OPS\n/restock list mine", ["*R-1* · 600 × LED-100 · US · cancelled"]),
        ("/restock status R-1", ["📦 Restock R-1 · cancelled", "SECRET layoffs at the supplier"]),
    ])
    # Nobody else: not customer service, not purchasing, not the manager (in Chinese).
    for reader in ("U0CS", "U0BUYER", "U0MANAGER"):
        console.send(f"!as {reader}")
        console.send("!in C0OPS")
        assert "R-1" not in console.send("/restock list all")
        assert "R-1" not in console.send("/restock list LED-100")
        status = console.send("/restock status R-1")
        assert "No restock request R-1" in status or "没有补货申请 R-1" in status
        assert "SECRET" not in status and "cancelled" not in status and "已取消" not in status
    assert "R-1" not in exported_refs(console)
    assert "SECRET" not in everywhere_but(console, "U0MARKET")
    # A forged press of its card's buttons (it never had a card) tells them nothing either.
    shown = press(console, "U0CS", ids.STEP, {"id": 1, "action": "cancel"})
    assert "That restock request no longer exists." in shown and "cancelled" not in shown


def test_a_request_kept_private_and_then_cancelled_is_still_the_teams_without_its_note(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in G0PRIVATE\n/restock LED-100 600 KEPTNOTE quiet please", ["Keep it private"]),
        ("!click Keep it private", ["📦 Restock R-1 · requested", "note kept private by the requester"]),
    ])
    press(console, "U0MARKET", ids.STEP, {"id": 1, "action": "cancel"})  # her own: she may withdraw it
    converse(console, [
        ("!as U0CS\n!in C0OPS\n/restock list all", ["*R-1* · 600 × LED-100 · US · cancelled · @Amy Lin"]),
        ("/restock status R-1", ["📦 Restock R-1 · cancelled", "note kept private by the requester"]),
    ])
    assert "KEPTNOTE" not in console.send("/restock status R-1")
    assert "R-1" in exported_refs(console)
    assert "KEPTNOTE" not in everywhere_but(console, "U0MARKET", "U0MANAGER")


def test_a_forged_card_button_on_a_held_request_says_nothing_of_it(console: ConsoleSlack) -> None:
    converse(console, [("!as U0MARKET\n!in G0PRIVATE\n/restock LED-100 500 FORGED note", ["Post to purchasing"])])
    for user, action in (("U0MANAGER", "approve"), ("U0BUYER", "reject"), ("U0BUYER", "change_quantity"),
                         ("U0CS", "cancel"), ("U0BUYER", "order")):
        shown = press(console, user, ids.STEP, {"id": 1, "action": action})
        # As for a request that does not exist (what /restock status tells them), in their language.
        assert "That restock request no longer exists." in shown or "这个补货申请已经不存在了。" in shown, shown
        assert "held" not in shown and action not in shown
    # Its requester is told the truth in words, never the state's or the button's key.
    shown = press(console, "U0MARKET", ids.STEP, {"id": 1, "action": "cancel"})
    assert "R-1 is not posted yet: say where it goes first (/restock status R-1 asks again)." in shown, shown
    assert "held" not in shown and "“cancel”" not in shown
    console.send("!as U0CS")
    assert "R-1" not in console.send("/restock list all")


def test_a_stale_button_names_the_state_and_the_button_in_the_readers_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in C0OPS\n/restock LED-100 500 public", ["Filed R-1"]),
        ("!as U0MANAGER\n!in C0PURCHASING\n!click Approve", ["R-1 · approved"]),
    ])
    shown = press(console, "U0MANAGER", ids.STEP, {"id": 1, "action": "approve"})
    assert "“已批准”" in shown and "“批准”" in shown, shown
    assert "approve" not in shown


def test_posted_without_a_note_the_answer_does_not_mention_one(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in G0PRIVATE\n/restock LED-200 320", ["it has no note"]),
        ("!click Post to purchasing", ["── #purchasing · Opsbot", "📦 Restock R-1 · requested",
                                       "R-1 is in #purchasing now."]),
        ("!as U0MANAGER\n!in U0MANAGER\n/restock LED-100 100", ["它没有备注"]),
    ])
    assert "with your note" not in str(console.emulator.records)
    shown = press(console, "U0MANAGER", POST_PUBLICLY, {"id": 2})
    assert "R-2 已发到 #purchasing。" in shown and "备注" not in shown, shown
    # With a note, it still says so.
    converse(console, [
        ("!as U0MARKET\n!in G0PRIVATE\n/restock LED-200 320 a note", ["Post to purchasing"]),
        ("!click Post to purchasing", ["R-3 is in #purchasing now, with your note."]),
    ])


def test_a_private_one_liner_the_supplier_does_not_ship_is_offered_the_nearest_quantity(console: ConsoleSlack) -> None:
    # LED-100 ships at least 500 in cartons of 50 (restock.yml): 320 would be ordered as 500.
    moq, carton, typed = 500, 50, 320
    rounded = max(moq, -(-typed // carton) * carton)
    converse(console, [
        ("!as U0MARKET\n!in G0PRIVATE\n/restock LED-100 320 MOQNOTE quiet", [
            "R-1 (320 × LED-100) is not posted yet",
            f"⚠️ LED-100 ships at least {moq}, in cartons of {carton}: {typed} would be ordered as {rounded}.",
            f"Make it {rounded}", "Post to purchasing", "Keep it private", "Cancel request"]),
    ])
    # Someone else's press of it changes nothing and says nothing of the request.
    shown = press(console, "U0BUYER", ids.USE_ORDERABLE, {"id": 1, "quantity": rounded})
    assert "That restock request no longer exists." in shown, shown
    asked = converse(console, [
        # Its requester's press changes the quantity and asks again, still before anything is posted.
        ("!click Make it 500", ["R-1 (500 × LED-100) is not posted yet", "Keep it private"]),
    ])
    assert "Make it 500]" not in asked and "ships at least" not in asked
    assert "R-1" not in everywhere_but(console, "U0MARKET")
    converse(console, [("!click Post to purchasing", ["── #purchasing · Opsbot", "📦 Restock R-1 · requested",
                                                      "500 × LED-100"])])
    assert "not what the supplier ships" not in everywhere_but(console, "U0MARKET")


def test_in_chinese_the_offer_on_the_question_reads_in_the_requesters_language(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER\n!in U0MANAGER\n/restock LED-100 320", ["R-1（320 × LED-100）还没有发出", "改为 500"]),
    ])
