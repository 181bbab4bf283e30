"""Every labelled line gets its category, destinations, urgency and SKU right — in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.errors import ConfigError, OpsError
from bot.ops import feedback as ops
from bot.ops.feedback_playbook import FeedbackPlaybook, load_playbook
from bot.ops.team import Role

REPO = Path(__file__).resolve().parents[2]
PLAYBOOK = load_playbook(REPO / "playbooks")
LABELLED = yaml.safe_load((Path(__file__).parent / "labelled.yml").read_text(encoding="utf-8"))
SKUS = list(PLAYBOOK.known_skus)


def test_the_labelled_set_is_large_and_bilingual() -> None:
    assert len(LABELLED) >= 60
    chinese = [line for line in LABELLED if any("\u4e00" <= ch <= "\u9fff" for ch in line["text"])]
    assert len(chinese) >= 20
    assert {line["category"] for line in LABELLED} == set(PLAYBOOK.categories)


@pytest.mark.parametrize("line", LABELLED, ids=[line["text"][:40] for line in LABELLED])
def test_every_labelled_line_is_classified_and_routed_right(line: dict[str, object]) -> None:
    result = ops.classify(str(line["text"]), PLAYBOOK, SKUS)
    assert result.category == line["category"]
    assert [r.value for r in ops.destinations(PLAYBOOK, result.category, None, result.urgent)] == line["to"]
    assert result.urgent is bool(line.get("urgent", False))
    if "sku" in line:
        assert result.sku == line["sku"]


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


def test_who_may_act_on_an_item() -> None:
    assert ops.may_act({Role.purchasing}, [Role.purchasing, Role.manager])
    assert ops.may_act({Role.manager}, [Role.marketing])
    assert not ops.may_act({Role.cs}, [Role.marketing])
