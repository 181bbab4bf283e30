"""A file a person opens is in their language: the stand-up export's header and statuses for a Chinese manager.

Days and times stay ISO in the cells (a spreadsheet sorts and reads them as dates); ids stay ids.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import Speakers, converse

HEADERS = {
    "zh-CN": ["日期", "成员 ID", "姓名", "状态", "昨天完成了什么？", "今天计划做什么？", "有什么阻碍吗？", "心情",
              "备注", "提交时间", "修改时间"],
    "zh-TW": ["日期", "成員 ID", "姓名", "狀態", "昨天完成了什麼？", "今天計劃做什麼？", "有什麼阻礙嗎？", "心情",
              "備註", "提交時間", "修改時間"],
}
ANSWERED = {"zh-CN": "已填", "zh-TW": "已填"}


@pytest.mark.parametrize("language", ["zh-CN", "zh-TW"])
def test_the_standup_export_reads_in_chinese(speakers: Speakers, language: str) -> None:
    slack = speakers(language)
    converse(slack, [
        ("!at 2026-11-23 09:30\n!as U0MANAGER\n/standup", ["2026年11月23日"]),
        ('!fill yesterday="PO 4711" today="LED-100"\n!submit', ["2026年11月23日"]),
        ("/standup export 2026-11-23..2026-11-23", ["standup-shenzhen-ops-2026-11-23-2026-11-23.csv"]),
    ])
    files = {name: content.decode("utf-8-sig") for name, content in slack.emulator.files.values()}
    rows = list(csv.reader(io.StringIO(files["standup-shenzhen-ops-2026-11-23-2026-11-23.csv"])))
    assert rows[0] == HEADERS[language]
    mine = next(row for row in rows[1:] if row[1] == "U0MANAGER")
    assert mine[0] == "2026-11-23" and mine[3] == ANSWERED[language] and mine[4] == "PO 4711"
    assert mine[9].startswith("2026-11-23T09:30")


def test_the_marked_columns_are_the_exports() -> None:
    from bot.blocks.standup import CSV_COLUMNS
    from bot.ops.standup_export import COLUMNS

    assert CSV_COLUMNS == COLUMNS
