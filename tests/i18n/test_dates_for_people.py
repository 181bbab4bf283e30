"""Dates a person reads are written the reader's way (2026年11月23日, Nov 23, 2026), never as ISO codes.

ISO stays where a machine reads it: CSV cells (a spreadsheet sorts and parses them), file names, audit notes, and
the CLI, which takes its dates as ``--from/--to YYYY-MM-DD`` and answers in the same form so a range can be copied
back into a flag.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.blocks.common import error_text
from bot.blocks.kpi import ingest_text
from bot.blocks.standup import export_comment, summary_text
from bot.errors import N_, OpsError
from bot.i18n import translator
from bot.ops.standup import Roster
from bot.reports.ingest import FileIngest
from tests.conftest import Speakers, converse

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DAY = date(2026, 11, 23)
# Written here, not read from Opsbot: what each reader expects a day to look like.
WRITTEN = {"en": "Nov 23, 2026", "zh_CN": "2026年11月23日", "zh_TW": "2026年11月23日"}
LOCALES = sorted(WRITTEN)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_day_given_to_a_sentence_is_written_the_readers_way(locale: str) -> None:
    tr = translator(locale)
    assert tr._("{day}", day=DAY) == WRITTEN[locale]
    assert error_text(tr, OpsError(N_("{day}"), day=DAY)) == WRITTEN[locale]
    # A moment is not a day: it needs the reader's time zone, so it is left to tr.datetime/tr.time.
    moment = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert tr._("{at}", at=moment) == str(moment)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_standup_summary_and_export_name_their_days_the_readers_way(locale: str) -> None:
    tr = translator(locale)
    summary = summary_text(tr, DAY, Roster(answered=["U1"], missing=["U2"]))
    assert WRITTEN[locale] in summary and not ISO.search(summary), summary
    comment = export_comment(tr, 3, date(2026, 11, 2), DAY)
    assert WRITTEN[locale] in comment and not ISO.search(comment), comment


@pytest.mark.parametrize("locale", LOCALES)
def test_a_loaded_report_names_its_range_the_readers_way(locale: str) -> None:
    tr = translator(locale)
    loaded = FileIngest("BusinessReport.csv", "business", "Amazon Business Report by child item",
                        date(2026, 11, 17), DAY, ("US",), 3, 21, 0, 0)
    text = ingest_text(tr, loaded)
    assert WRITTEN[locale] in text and not ISO.search(text.replace("BusinessReport.csv", "")), text


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_skipping_an_answered_standup_names_the_day_in_chinese(speakers: Speakers, language: str) -> None:
    slack = speakers(language)
    shown = converse(slack, [
        ("!at 2026-11-23 09:30\n!as U0BUYER\n/standup", ["modal"]),
        ('!fill yesterday="PO 4711" today="LED-100"\n!submit', ["2026年11月23日"]),
        ("/standup skip", ["2026年11月23日"]),
    ])
    assert not ISO.search(shown.split("/standup skip", 1)[1]), shown


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_a_report_range_or_fx_day_refused_names_its_days_the_readers_way(locale: str) -> None:
    from types import SimpleNamespace

    from bot.reports.loaders import Period, _range

    tr = translator(locale)
    given = SimpleNamespace(name="BusinessReport.csv")
    with pytest.raises(OpsError) as refused:
        _range(given, SimpleNamespace(period=Period(DAY, date(2026, 11, 20))))  # type: ignore[arg-type]
    said = error_text(tr, refused.value)
    assert WRITTEN[locale] in said and "2026年11月20日" in said and not ISO.search(said), said


def test_no_fx_rate_names_the_day_the_readers_way(playbooks_dir: Path) -> None:
    from bot.reports.playbook import load_playbook

    kpi = load_playbook(playbooks_dir)
    with pytest.raises(OpsError) as refused:
        kpi.rate("XYZ", "CNY", DAY)
    said = error_text(translator("zh_TW"), refused.value)
    assert WRITTEN["zh_TW"] in said and not ISO.search(said), said


@pytest.mark.parametrize(("locale", "zone"), [("en", "CST"), ("zh_CN", "中国标准时间"), ("zh_TW", "中國標準時間")])
def test_a_moment_in_the_standup_history_names_its_zone_in_the_readers_words(locale: str, zone: str) -> None:
    from zoneinfo import ZoneInfo

    from bot.blocks.standup import history_row

    at = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    _day, word, _text = history_row(translator(locale), DAY, "answered", (), {}, "", submitted_at=at)
    assert word.endswith(zone), word
    if locale != "en":
        assert not re.search(r"[A-Za-z]{3}", word), word
