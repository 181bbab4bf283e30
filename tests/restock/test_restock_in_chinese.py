"""The restock card and DM read wholly in the reader's Chinese: every math line a translated sentence, numbers and
dates by Babel (Mon 2026-11-23, Shenzhen; LED-100 sold 20 a day in the US, see test_restock_e2e)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_generic
from tests.conftest import Speakers, converse

FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"
ENGLISH_MATH = re.compile(r"Suggestion|Velocity|Lead time|Safety stock|reorder by|units|/day|Days of cover")


def _with_sales(console: ConsoleSlack) -> ConsoleSlack:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", FIXTURE)
    return console


def _dm(shown: str, person: str) -> str:
    """What the DM with ``person`` showed in a transcript step (up to the next conversation's heading)."""
    start = shown.index(f"── DM with {person} · Opsbot")
    rest = shown[start + 3 :]
    return shown[start : start + 3 + (rest.index("── ") if "── " in rest else len(rest))]


def test_a_chinese_requesters_dm_in_an_english_team_has_the_math_in_chinese(console: ConsoleSlack) -> None:
    """The channel card follows the team (English); the requester's copy follows her Slack (zh-CN), math included."""
    shown = converse(
        _with_sales(console),
        [
            (
                "!as U0FINANCE\n/restock LED-100 by 2026-12-31 Q1 促销",
                [
                    "── #purchasing · Opsbot",
                    "*Suggestion: 500 units* · 🟢 ok",
                    "── DM with Liu Yang · Opsbot",
                    "📦 补货 R-1 · 已申请",
                    "500 × LED-100 → US FBA",
                    "*建议补货：500 件* · 🟢 正常",
                    "日均销量 20.00：25 天共 500 件（2026年10月24日 – 2026年11月22日；已剔除 5 个断货日）",
                    "交期 53 天 = 生产 15 + 运输 30 + 清关 3 + 入仓 5 + Q4 0",
                    "安全库存 99 · 补货点 1,159 · 可售 800 + 在途 400",
                    "可售天数 60.0 · 最晚下单日 2026年11月29日",
                ],
            ),
        ],
    )
    assert not ENGLISH_MATH.search(_dm(shown, "Liu Yang"))


def test_the_whole_lifecycle_in_traditional_chinese(speakers: Speakers) -> None:
    console = _with_sales(speakers("zh-TW"))
    shown = converse(
        console,
        [
            (
                "!as U0MARKET\n/restock LED-100 by 2026-12-31 第一季促銷",
                [
                    "📦 補貨 R-1 · 已申請",
                    "500 × LED-100 → US FBA · CN¥21,250.00 · 申請人 @Amy Lin",
                    "需在 2026年12月31日 前到貨",
                    "*建議補貨：500 件* · 🟢 正常",
                    "交期 53 天 = 生產 15 + 運輸 30 + 清關 3 + 入庫 5 + Q4 0",
                    "可售天數 60.0 · 最晚下單日 2026年11月29日",
                    "已提交 R-1：500 × LED-100，已發給採購。",
                ],
            ),
            ("!as U0MANAGER\n!in C0PURCHASING\n!click 核准", ["📦 補貨 R-1 · 已核准", "@Li Wei 已核准"]),
            ("!as U0BUYER\n!click 標記已下單", ["“R-1”", "採購單號"]),
            (
                '!fill po=PO-4711 supplier="深圳照明" eta=2027-01-10\n!submit',
                ["📦 補貨 R-1 · 已下單", "採購單 PO-4711 · 深圳照明 · 預計 2027年1月10日 到貨"],
            ),
            ("!click 標記已出貨", ["承運商"]),
            ("!fill carrier=COSCO tracking=COSU123456 mode=sea\n!submit", ["COSCO（海運）出貨，運單號 COSU123456"]),
            ("!as U0WAREHOUSE\n!click 標記已收貨", ["實收數量"]),
            ("!fill received=480\n!submit", ["實收 480 / 500", "⚠️ 數量差異：比訂單 -20 件"]),
            ("!as U0BUYER\n!click 關閉", ["📦 補貨 R-1 · 已關閉"]),
            ("/restock list all", ["補貨申請：全部", "R-1", "已關閉"]),
        ],
    )
    answers = "\n".join(line for line in shown.splitlines() if not line.startswith(("» ", "!", "/")))
    assert not ENGLISH_MATH.search(answers)
    assert not re.search(r"\b(sea|fba|closed|requested)\b", answers)
