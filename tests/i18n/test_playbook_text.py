"""Text people read in playbooks can be written per language, and the shipped playbooks carry all three."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from bot.playbooks import LocalText, check_local_text, local_text
from tests.conftest import PLAYBOOKS, Speakers, converse


class Sample(BaseModel):
    title: LocalText


def test_a_plain_string_reads_the_same_in_every_language() -> None:
    title = Sample(title="Pricing check").title
    assert [local_text(title, code) for code in ("en", "zh-CN", "zh-TW")] == ["Pricing check"] * 3


def test_each_language_gets_its_own_and_a_missing_one_falls_back() -> None:
    title = Sample(title={"en": "Pricing check", "zh-CN": "定价与毛利核对", "zh-TW": "定價與毛利核對"}).title
    assert local_text(title, "en-US") == "Pricing check"
    assert local_text(title, "zh_CN") == "定价与毛利核对"
    assert local_text(title, "zh-HK") == "定價與毛利核對"
    only_simplified = Sample(title={"en": "Pricing check", "zh-CN": "定价与毛利核对"}).title
    assert local_text(only_simplified, "zh-TW") == "定价与毛利核对"  # closer to the reader than English
    assert local_text(Sample(title={"zh-CN": "定价"}).title, "en") == "定价"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ({}, "give the text"),
        ({"en": "x", "fr": "y"}, "unknown language 'fr'"),
        ({"en": ""}, "empty"),
        ({"en": 3}, "string"),
    ],
)
def test_a_bad_text_says_what_is_accepted(value: Any, reason: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Sample(title=value)
    assert reason in str(raised.value) and "zh-TW" in str(raised.value)


def _texts(node: Any, where: str) -> list[tuple[str, Any]]:
    """Every per-language text in a loaded playbook: a dict keyed by languages where the model says LocalText."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, BaseModel):
        for name, field in type(node).model_fields.items():
            value = getattr(node, name)
            if any(getattr(m, "func", None) is check_local_text for m in field.metadata):
                found.append((f"{where}.{name}", value))
            else:
                found += _texts(value, f"{where}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            found += _texts(value, f"{where}.{key}")
    elif isinstance(node, list | tuple):
        for index, value in enumerate(node):
            found += _texts(value, f"{where}[{index}]")
    return found


def test_the_shipped_playbooks_carry_english_simplified_and_traditional() -> None:
    from bot.ops.feedback_playbook import load_playbook as feedback
    from bot.ops.launch_playbook import load_playbooks as launch
    from bot.ops.standup_playbook import load_playbook as standup

    loaded = {"feedback": feedback(PLAYBOOKS), "standup": standup(PLAYBOOKS), "launch": launch(PLAYBOOKS)}
    texts = [t for name, playbook in loaded.items() for t in _texts(playbook, name)]
    assert len(texts) > 60  # every category, question, phase, task and playbook name
    incomplete = [
        where
        for where, value in texts  # an empty optional text (a task with no description) is absent
        if value != "" and (not isinstance(value, dict) or {"en", "zh-CN", "zh-TW"} - set(value))
    ]
    assert incomplete == []


def test_a_taipei_team_reads_the_standup_questions_in_traditional_chinese(speakers: Speakers) -> None:
    converse(speakers("zh-TW"), [("!as U0BUYER\n/standup", ["昨天完成了什麼？", "今天計劃做什麼？"])])


def test_the_playbook_comment_documents_the_three_languages() -> None:
    assert "zh-TW" in (Path(PLAYBOOKS) / "launch" / "standard.yml").read_text(encoding="utf-8").split("\n", 3)[1]
