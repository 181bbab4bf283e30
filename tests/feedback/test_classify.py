"""Every labelled line gets its category, destinations, urgency and SKU right — in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.errors import ConfigError, OpsError
from bot.ops import feedback as ops
from bot.ops.feedback_playbook import FeedbackPlaybook, load_playbook
from bot.ops.team import Role, Team

REPO = Path(__file__).resolve().parents[2]
PLAYBOOK = load_playbook(REPO / "playbooks")
LABELLED = yaml.safe_load((Path(__file__).parent / "labelled.yml").read_text(encoding="utf-8"))
SKUS = list(PLAYBOOK.known_skus)
TEAM = Team.model_validate(yaml.safe_load((REPO / "playbooks" / "team.yml").read_text(encoding="utf-8")))
# The demo team's channels by hand (team.yml + role_channels): what each role's card lands in.
ROLE_CHANNEL = {"marketing": "#C0MARKETING", "manager": "#C0MANAGER", "purchasing": "#C0PURCHASING",
                "warehouse": "#C0OPS", "cs": "#C0OPS"}


def where(roles: list[Role], *, urgent: bool = False, public_ok: bool = True) -> list[str]:
    found = ops.targets(TEAM, PLAYBOOK, roles, urgent=urgent, public_ok=public_ok)
    return [t.key for t in found]


def test_the_labelled_set_is_large_and_bilingual() -> None:
    assert len(LABELLED) >= 60
    chinese = [line for line in LABELLED if any("\u4e00" <= ch <= "\u9fff" for ch in line["text"])]
    assert len(chinese) >= 20
    assert {line["category"] for line in LABELLED} == set(PLAYBOOK.categories)


@pytest.mark.parametrize("line", LABELLED, ids=[line["text"][:40] for line in LABELLED])
def test_every_labelled_line_is_classified_and_routed_right(line: dict[str, Any]) -> None:
    result = ops.classify(str(line["text"]), PLAYBOOK, SKUS)
    assert result.category == line["category"]
    assert [r.value for r in ops.destinations(PLAYBOOK, result.category, None, result.urgent)] == line["to"]
    assert result.urgent is bool(line.get("urgent", False))
    if "sku" in line:
        assert result.sku == line["sku"]
    expected = [ROLE_CHANNEL[r] for r in line["to"]]
    expected = list(dict.fromkeys(expected + (["@U0MANAGER"] if result.urgent else [])))
    roles = ops.destinations(PLAYBOOK, result.category, None, result.urgent)
    assert where(roles, urgent=result.urgent) == expected


def test_the_routing_table_of_the_shipped_playbook() -> None:
    table = {c: [r.value for r in ops.destinations(PLAYBOOK, c, None, False)] for c in PLAYBOOK.categories}
    assert table == {
        "price": ["marketing", "purchasing"], "quality": ["purchasing", "manager"], "listing": ["marketing"],
        "logistics": ["warehouse"], "stock": ["purchasing"], "reviews": ["marketing", "cs"],
        "compliance": ["manager", "purchasing"], "other": ["manager"], "supplier": ["purchasing", "manager"],
    }
    assert where([Role.purchasing, Role.manager]) == ["#C0PURCHASING", "#C0MANAGER"]
    assert where([Role.warehouse]) == ["#C0OPS"]  # warehouse has no channel of its own: role_channels sends it to ops
    assert where([Role.marketing, Role.cs]) == ["#C0MARKETING", "#C0OPS"]


def test_urgent_feedback_adds_the_manager_by_dm_once() -> None:
    assert where([Role.purchasing], urgent=True) == ["#C0PURCHASING", "@U0MANAGER"]
    assert where([Role.manager], urgent=True) == ["#C0MANAGER", "@U0MANAGER"]


def test_private_feedback_not_cleared_by_its_author_goes_to_the_manager_alone_by_dm() -> None:
    assert where([Role.marketing, Role.manager], public_ok=False) == ["@U0MANAGER"]
    assert where([Role.warehouse, Role.cs], urgent=True, public_ok=False) == ["@U0MANAGER"]
    assert where([Role.marketing, Role.manager], public_ok=True) == ["#C0MARKETING", "#C0MANAGER"]


def test_week_over_week_keeps_what_went_quiet() -> None:
    counts = ops.week_over_week(["stock", "stock", "price"], ["price", "quality"])
    assert [(c.key, c.now, c.change) for c in counts] == [("stock", 2, 2), ("price", 1, 0), ("quality", 0, -1)]


def test_an_explicit_category_wins_over_keywords() -> None:
    result = ops.classify("#listing the charger is broken in the photos", PLAYBOOK, SKUS)
    assert result.category == "listing" and result.text == "the charger is broken in the photos"


def test_skus_are_whole_tokens_and_the_longest_wins() -> None:
    assert ops.detect_sku("led-100-eu cracked", SKUS) == "LED-100-EU"
    assert ops.detect_sku("LED-1000 is not ours", SKUS) is None
    assert ops.detect_sku("about LED-100.", SKUS) == "LED-100"


def test_routes_can_depend_on_marketplace_and_urgency() -> None:
    data = yaml.safe_load((REPO / "playbooks" / "feedback.yml").read_text(encoding="utf-8"))
    data["routes"].insert(0, {"category": "logistics", "marketplace": "JP", "to": ["warehouse", "manager"]})
    data["routes"].insert(0, {"category": "stock", "urgent": True, "to": ["purchasing", "manager"]})
    playbook = FeedbackPlaybook.model_validate(data)
    assert ops.destinations(playbook, "logistics", "JP", False) == [Role.warehouse, Role.manager]
    assert ops.destinations(playbook, "logistics", "US", False) == [Role.warehouse]
    assert ops.destinations(playbook, "stock", None, True) == [Role.purchasing, Role.manager]
    assert ops.destinations(playbook, "stock", None, False) == [Role.purchasing]


def test_a_playbook_with_an_unrouted_or_unknown_category_fails_at_start(tmp_path: Path) -> None:
    data = yaml.safe_load((REPO / "playbooks" / "feedback.yml").read_text(encoding="utf-8"))
    data["routes"] = [r for r in data["routes"] if r["category"] != "stock"]
    data["order"].append("gossip")
    (tmp_path / "feedback.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_playbook(tmp_path)
    assert "feedback.yml" in raised.value.problems[0] and "unknown categories ['gossip']" in raised.value.problems[0]


def test_empty_or_overlong_feedback_is_refused_with_the_field() -> None:
    for text in ("   ", "x" * 3001):
        with pytest.raises(OpsError) as raised:
            ops.classify(text, PLAYBOOK, SKUS)
        assert raised.value.field == "what"


def test_duplicates_join_only_with_a_sku_and_inside_the_window() -> None:
    opened = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert ops.joins_open_item("LED-100", opened, opened + timedelta(hours=24), 24)
    assert not ops.joins_open_item("LED-100", opened, opened + timedelta(hours=24, minutes=1), 24)
    assert not ops.joins_open_item(None, opened, opened, 24)
    assert not ops.joins_open_item("LED-100", opened, opened, 0)  # dedupe_hours: 0 turns joining off


def test_who_may_act_on_an_item() -> None:
    assert ops.may_act({Role.purchasing}, [Role.purchasing, Role.manager])
    assert ops.may_act({Role.manager}, [Role.marketing])
    assert not ops.may_act({Role.cs}, [Role.marketing])
