"""Codes a config file holds are shown to people as words in their language, and lists are joined by Babel."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Speakers, converse


def test_ops_team_shows_the_language_weekdays_and_countries_as_words(console) -> None:
    shown = converse(
        console,
        [
            (
                "!as U0MANAGER\n/ops team",
                ["语言 English", "工作日 周一至周五", "节假日 中国", "*采购频道*: #purchasing"],
            ),
        ],
    )
    assert not re.search(r"\b(mon|tue|fri)\b|节假日 CN|语言 en\b", shown)


def test_ops_team_in_traditional_chinese(speakers: Speakers) -> None:
    converse(
        speakers("zh-TW"),
        [
            (
                "!as U0MANAGER\n/ops team",
                ["團隊 Shenzhen Ops", "語言 中文 (繁體)", "工作日 週一至週五", "假日 中國", "中國（上海）時間"],
            ),
        ],
    )


@pytest.mark.parametrize(("language", "title"), [("zh-CN", "补货申请：未完成"), ("zh-TW", "補貨申請：未完成")])
def test_restock_list_names_its_scope_in_words(speakers: Speakers, language: str, title: str) -> None:
    shown = converse(speakers(language), [("!as U0BUYER\n/restock list", [title])])
    assert "open" not in shown
