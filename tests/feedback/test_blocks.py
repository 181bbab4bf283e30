"""The feedback Block Kit builders, without Slack: buttons by state, the privacy question, Slack's limits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.blocks import feedback as blocks
from bot.blocks.feedback_lines import LineView
from bot.i18n import translator
from bot.ops.feedback_playbook import load_playbook
from bot.ops.team import Role

EN, ZH = translator("en"), translator("zh-CN")
CARD = blocks.Card(
    id=7, reporter="U0CS", text="LED-100 arrived cracked", link=None, category="Quality / defect", sku="LED-100",
    marketplace="DE", urgent=True, state="new", state_label="new", outcome=None, count=3,
    destinations="<#C0PURCHASING>, <#C0MANAGER>",
    lines=(LineView("purchasing", "Purchasing", "new", offered=("acknowledge", "on_it", "done", "not_ours"),
                    follow_ups=("adjust_restock",)),
           LineView("manager", "Manager", "on_it", actor="U0MANAGER", note="Calling the factory",
                    offered=("on_it", "done"))),
)


def button_texts(built: list[dict[str, Any]]) -> list[str]:
    return [e["text"]["text"] for b in built if b["type"] == "actions" for e in b["elements"]]


def test_each_line_offers_its_own_steps_and_a_closed_card_none() -> None:
    assert button_texts(blocks.card_blocks(EN, CARD)) == [
        "Purchasing: Acknowledge", "Purchasing: I'm on it", "Purchasing: Done", "Purchasing: Not ours",
        "Adjust restock",
        "Manager: I'm on it", "Manager: Done", "Re-route", "Close"]
    assert button_texts(blocks.card_blocks(EN, replace(CARD, state="closed"))) == []
    assert "Action: Calling the factory" in str(blocks.card_blocks(EN, replace(CARD, state="closed")))
    header = blocks.card_blocks(ZH, CARD)[0]["text"]["text"]
    assert header == "🚨 反馈 #7 · Quality / defect"


def test_long_feedback_is_clipped_to_a_sections_limit() -> None:
    built = blocks.card_blocks(EN, replace(CARD, text="x" * 5000))
    assert all(len(b["text"]["text"]) <= 3000 for b in built if b["type"] == "section")


def test_the_form_asks_about_reposting_only_for_private_sources() -> None:
    public = blocks.file_modal(EN, [("quality", "Quality")], private_source=False, metadata={})
    private = blocks.file_modal(EN, [("quality", "Quality")], text="from the supplier chat",
                                private_source=True, metadata={"source": "G0PRIVATE"})
    assert "share" not in [b.get("block_id") for b in public["blocks"]]
    assert private["blocks"][-1]["block_id"] == "share"
    assert private["blocks"][0]["element"]["initial_value"] == "from the supplier chat"
    assert len(private["title"]["text"]) <= 24


def test_re_route_starts_at_the_current_category() -> None:
    modal = blocks.reroute_modal(EN, 7, [("quality", "Quality"), ("listing", "Listing")],
                                 [("marketing", "Marketing & ads")], "listing")
    assert modal["blocks"][0]["element"]["initial_option"]["value"] == "listing"
    assert modal["blocks"][1]["optional"] is True


def test_a_long_list_says_how_many_more() -> None:
    built = blocks.list_blocks(EN, "Open market feedback", [f"#{n}" for n in range(45)])
    assert built[-1]["elements"][0]["text"] == "…and 5 more."


def test_labels_and_lines_are_the_cards_wording_in_the_readers_language() -> None:
    assert blocks.state_label(EN, "in_progress") == "in progress"
    assert blocks.state_label(EN, "someday") == "someday"  # a state it does not know is shown as it is
    assert blocks.card_text(EN, 7, "Quality / defect") == "Feedback #7: Quality / defect"
    assert blocks.list_line(EN, 7, "Stock", "new", "LED-100", "x" * 100) == f"#7 · Stock · new · LED-100 · {'x' * 80}"
    assert blocks.list_title(EN, "stock", "Stock") == "Market feedback: Stock"


def test_the_playbook_says_which_follow_ups_each_category_offers_on_which_roles_line() -> None:
    playbook = load_playbook(Path(__file__).parents[2] / "playbooks")
    assert playbook.follow_ups_for("price", Role.purchasing) == ["adjust_restock", "add_launch_task"]
    assert playbook.follow_ups_for("price", Role.marketing) == ["plan_promo", "add_launch_task"]
    assert playbook.follow_ups_for("stock", Role.purchasing) == ["adjust_restock"]
    assert playbook.follow_ups_for("logistics", Role.warehouse) == []
    assert playbook.follow_ups_for("price", Role.manager) == []
