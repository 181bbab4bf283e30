"""Slack's bold, italic and strike marks only work at a word's edge: ``起*已逾期*`` shows its asterisks to a Chinese
reader, ``起 *已逾期*`` is bold. No Chinese translation puts a mark against a Chinese character."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR

CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
MARKED = re.compile(rf"(?:{CJK})([*_~])[^*_~\n{{}}]+\1|(?<![*_~])([*_~])[^*_~\n{{}}]+\2(?:{CJK})")


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_no_mark_touches_a_chinese_character(locale: str) -> None:
    wrong = []
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                wrong += [f"{po.name}: {text!r}" for text in strings if text and MARKED.search(text)]
    assert wrong == [], "\n".join(wrong)


def test_the_check_sees_a_mark_against_chinese_and_lets_a_spaced_one_through() -> None:
    assert MARKED.search("自 {due} 起*已逾期*")
    assert MARKED.search("*已逾期*起")
    assert not MARKED.search("自 {due} 起 *已逾期*")
    assert not MARKED.search("*GMV* · 金额")
    assert not MARKED.search("{file_name}：已导入")
