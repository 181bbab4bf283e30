"""Commands understand their subcommands in Chinese words, Simplified and Traditional, and the help lists them."""

from __future__ import annotations

import re

import pytest

from bot.features import Alias, SlashCommand
from tests.conftest import Speakers, converse


def test_an_alias_replaces_only_the_subcommand_words() -> None:
    restock = SlashCommand(
        "/restock", "", "", aliases=(Alias("list", "列表", "列表"), Alias("list all", "列表 全部", "列表 全部"))
    )
    assert restock.canonical_text("列表") == "list"
    assert restock.canonical_text("  列表   全部 ") == "list all"
    assert restock.canonical_text("列表 mine") == "list mine"
    # A note that happens to hold the word is a note: only the first words are a subcommand.
    assert restock.canonical_text("LED-100 500 列表 Q1 promotion") == "LED-100 500 列表 Q1 promotion"
    assert restock.canonical_text("") == ""


@pytest.mark.parametrize(
    ("language", "steps"),
    [
        (
            "zh-CN",
            [
                ("/ops 帮助", ["Opsbot 命令"]),
                ("/ops 团队", ["团队 Shenzhen Ops"]),
                ("/restock 列表", ["补货申请：未完成"]),
                ("/restock 列表 全部", ["补货申请：全部"]),
                ("/standup 跳过", ["已跳过你"]),
                ("/launch 列表", ["目前没有进行中的上市项目"]),
                ("/launch 列表 已结束", ["还没有已结束的上市项目。"]),
            ],
        ),
        (
            "zh-TW",
            [
                ("/ops 幫助", ["Opsbot 指令"]),
                ("/ops 團隊", ["團隊 Shenzhen Ops"]),
                ("/restock 列表", ["補貨申請：未完成"]),
                ("/standup 跳過", ["已跳過你"]),
                ("/launch 列表 已結案", ["已結案"]),
            ],
        ),
    ],
)
def test_chinese_subcommands_work(speakers: Speakers, language: str, steps: list[tuple[str, list[str]]]) -> None:
    console = speakers(language)
    converse(console, [("!as U0BUYER", ["Chen Jie"]), *steps])


def test_the_help_lists_the_chinese_words_in_the_readers_script(speakers: Speakers) -> None:
    simplified = converse(speakers("zh-CN"), [("!as U0MANAGER\n/ops 帮助", ["/ops", "帮助", "团队", "跳过", "列表"])])
    assert "跳過" not in simplified
    traditional = converse(speakers("zh-TW"), [("!as U0MANAGER\n/ops 幫助", ["幫助", "團隊", "跳過", "列表"])])
    assert "跳过" not in traditional


@pytest.mark.parametrize(("language", "locale"), [("zh-CN", "zh_CN"), ("zh-TW", "zh_TW")])
def test_standup_usage_names_the_chinese_words_to_a_chinese_reader(
    speakers: Speakers, language: str, locale: str
) -> None:
    """What /standup answers to a word it does not know names its subcommands as the reader types them."""
    from bot.handlers.command_words import STANDUP_WORDS

    ooo, cancel = STANDUP_WORDS[3].word(locale), STANDUP_WORDS[2].word(locale)
    shown = converse(speakers(language), [
        ("!as U0BUYER\n/standup dance", ["/standup"]),
        (f"/standup {ooo}", ["/standup"]),
        (f"/standup {cancel} x", ["/standup"]),
    ])
    said = shown.split("/standup dance", 1)[1]
    for alias in STANDUP_WORDS:
        for word in alias.word(locale).split():
            assert word in said, f"{word} ({alias.canonical}) not in the usage:\n{said}"
    english = {word for alias in STANDUP_WORDS for word in alias.canonical.split()}
    typed = {"dance", "x"}
    shown_words = set(re.findall(r"[A-Za-z]+", said)) - typed
    assert shown_words & english == set(), said


@pytest.mark.parametrize(("language", "locale"), [("zh-CN", "zh_CN"), ("zh-TW", "zh_TW")])
def test_a_word_a_command_does_not_know_is_answered_with_the_chinese_words(
    speakers: Speakers, language: str, locale: str
) -> None:
    from bot.handlers.command_words import KPI_WORDS, OPS_WORDS

    shown = converse(speakers(language), [
        ("!as U0MANAGER\n/ops 乱码", ["/ops"]),
        ("/kpi XX", ["/kpi"]),
    ])
    said = shown.split("/ops 乱码", 1)[1]
    for alias in (*OPS_WORDS, *KPI_WORDS):
        if alias.canonical != "yesterday":  # the /kpi hint names a month to date, not yesterday
            assert alias.word(locale) in said, f"{alias.word(locale)} ({alias.canonical}) not in:\n{said}"
    english = {alias.canonical for alias in (*OPS_WORDS, *KPI_WORDS)}
    assert set(re.findall(r"[A-Za-z]+", said)) & english == set(), said


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_every_chinese_message_names_subcommands_in_chinese(locale: str) -> None:
    """A hint or usage line that names a subcommand (/launch list, /standup ooo cancel N) names it as the reader
    types it (/launch 列表, /standup 请假 取消 序号): both work, and the Chinese one is what /ops help lists."""
    from babel.messages.pofile import read_po

    from bot.handlers.command_words import (
        FEEDBACK_WORDS,
        KPI_WORDS,
        LAUNCH_WORDS,
        OPS_WORDS,
        RESTOCK_WORDS,
        STANDUP_WORDS,
    )
    from bot.i18n import LOCALE_DIR

    words = {"/ops": OPS_WORDS, "/standup": STANDUP_WORDS, "/kpi": KPI_WORDS, "/restock": RESTOCK_WORDS,
             "/launch": LAUNCH_WORDS, "/feedback": FEEDBACK_WORDS}
    # Left for the feedback work under way in parallel (tests/feedback expects this hint as it is): to be
    # written "/feedback 列表" with that test at merge, and taken off this list.
    pending = {"Use /feedback list with one of: {names}"}
    wrong = []
    for po in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id in pending:
                    continue
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in (s for s in strings if s):
                    for command, subcommand in re.findall(r"(/[a-z]+) ([a-z]+)\b", text):
                        canonical = {a.canonical.split()[0] for a in words.get(command, ())}
                        if subcommand in canonical:
                            wrong.append(f"{po.name}: {command} {subcommand} in {text!r}")
    assert wrong == [], "\n".join(wrong)
