"""Locales, and numbers, dates, weekdays, durations, lists and codes as words, by Babel for each reader."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.i18n import normalize_locale, translator


@pytest.mark.parametrize(
    ("slack", "catalog"),
    [
        ("zh-TW", "zh_TW"),
        ("zh-HK", "zh_TW"),
        ("zh_MO", "zh_TW"),
        ("zh-Hant", "zh_TW"),
        ("zh-Hant-TW", "zh_TW"),
        ("zh-CN", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh-SG", "zh_CN"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("ja-JP", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_slack_locales_map_to_the_three_catalogs(slack: str | None, catalog: str) -> None:
    assert normalize_locale(slack) == catalog


def test_traditional_chinese_is_its_own_catalog() -> None:
    tw = translator("zh-TW")
    assert tw.locale == "zh_TW"
    assert tw._("Opsbot commands") == "Opsbot 指令"
    assert tw.date(date(2026, 11, 23)) == "2026年11月23日"


def test_lists_are_joined_the_way_each_language_joins_them() -> None:
    items = ["#marketing", "#manager", "#ops"]
    assert translator("en").join(items) == "#marketing, #manager, and #ops"
    assert translator("zh-CN").join(items) == "#marketing、#manager和#ops"
    assert translator("zh-TW").join(items) == "#marketing、#manager和#ops"
    assert translator("zh-CN").join([]) == ""


def test_weekdays_are_words_and_runs_become_ranges() -> None:
    workweek = ["mon", "tue", "wed", "thu", "fri"]
    assert translator("en").weekdays(workweek) == "Mon–Fri"
    assert translator("zh-CN").weekdays(workweek) == "周一至周五"
    assert translator("zh-TW").weekdays(workweek) == "週一至週五"
    assert translator("en").weekdays(["mon", "wed", "thu", "fri", "sun"]) == "Mon, Wed–Fri, and Sun"
    assert translator("zh-CN").weekdays(["sat", "mon", "tue"]) == "周一、周二和周六"


def test_languages_and_countries_are_names_not_codes() -> None:
    zh = translator("zh-CN")
    assert translator("en").language_name("en") == "English"
    # Each language by its own name, as a language picker shows it.
    assert zh.language_name("en") == "English"
    assert zh.language_name("zh-CN") == "中文 (简体)"
    assert translator("en").language_name("zh-TW") == "中文 (繁體)"
    assert zh.country_name("CN") == "中国"
    assert translator("zh-TW").country_name("DE") == "德國"
    assert translator("en").country_name("US") == "United States"
    assert zh.country_name("XX") == "XX"  # unknown codes stay as they are


def test_durations_and_numbers_per_locale() -> None:
    assert translator("en").duration(timedelta(days=53)) == "53 days"
    assert translator("zh-CN").duration(timedelta(days=53)) == "53天"
    assert translator("zh-TW").duration(timedelta(hours=3)) == "3 小時"
    assert translator("zh-TW").money(5216.29, "USD") == "US$5,216.29"
    assert translator("zh-CN").number(1234.5, 1) == "1,234.5"


def test_short_labels_with_two_meanings_carry_a_context() -> None:
    zh = translator("zh-CN")
    assert zh.pgettext("button", "Close") == "关闭"
    assert zh.pgettext("restock state", "closed") == "已关闭"
    assert translator("en").pgettext("button", "Close") == "Close"
