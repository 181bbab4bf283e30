"""The restock side of the loop in a Chinese team (chinese_team: channel posts in Simplified Chinese): the manager's
own request goes to finance, a requester amends it, a quantity the supplier does not ship is flagged with the
nearest one, the manager decides from App Home. Figures checked against a computation made here.

LED-100: 42.5 CNY, MOQ 500, cartons of 50 (playbooks/restock.yml); everyone but the manager and finance has an
English Slack, so their own replies are English: the channel cards are the team's Chinese.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import yaml

from bot.console import payloads
from bot.console.session import ConsoleSlack
from tests.conftest import PLAYBOOKS, converse

SKUS = yaml.safe_load((PLAYBOOKS / "restock.yml").read_text(encoding="utf-8"))["skus"]
FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"


def nearest_shipped(quantity: int, sku: str = "LED-100") -> int:
    moq, carton = SKUS[sku]["moq"], SKUS[sku]["carton"]
    return int(math.ceil(max(quantity, moq) / carton) * carton)


def test_the_managers_own_request_in_chinese_goes_to_finance(chinese_team: ConsoleSlack) -> None:
    value = 600 * SKUS["LED-100"]["unit_cost"]
    assert value > 20000  # above the threshold in restock.yml
    shown = converse(chinese_team, [
        ("!as U0MANAGER\n"
         "/restock LED-100 600", ["── #purchasing · Opsbot", "📦 补货 R-1 · 已申请",
                                  f"600 × LED-100 → US FBA · ¥{value:,.2f} · 申请人 @Li Wei", "等待 @Liu Yang 审批",
                                  "已提交 R-1：600 × LED-100，已发给采购。"]),
        ("!click 批准", ["不能审批自己的申请"]),
        ("!as U0FINANCE\n"
         "!home", ["── App Home of Liu Yang", "等我审批的申请", f"*R-1* · 600 × LED-100 · US · ¥{value:,.2f}",
                   "@Li Wei 于 2026年11月23日 申请", "[2: 批准] [3: 拒绝] [4: 修改]"]),
    ])
    assert "Approvals waiting" not in shown
    home = next(r for r in reversed(chinese_team.emulator.records) if r.kind == "home" and r.user == "U0FINANCE")
    chinese_team.dispatch(payloads.block_action(
        user="U0FINANCE", team="T0DEMO", response_url=None, view=home.view,
        action={"type": "button", "action_id": "restock.step_button", "block_id": "b",
                "value": json.dumps({"id": 1, "action": "approve"})},
        container={"type": "view", "view_id": home.view_id or "V0HOME"},
    ))
    after = chinese_team.seat.new_output()
    for snippet in ("── #purchasing · message updated", "📦 补货 R-1 · 已批准", "@Liu Yang 已批准",
                    "R-1（600 × LED-100）已由 @Liu Yang 更新为：已批准。", "── App Home of Li Wei", "我进行中的申请",
                    "*R-1* · 600 × LED-100 · 已批准 · 下一步：采购下单 · 2026年11月23日 提交"):
        assert snippet in after, after


def test_a_quantity_the_supplier_does_not_ship_in_chinese(chinese_team: ConsoleSlack) -> None:
    typed, offered = 730, nearest_shipped(730)
    shown = converse(chinese_team, [
        ("!as U0MANAGER\n"
         f"/restock LED-100 {typed}", [f"已提交 R-1：{typed} × LED-100", f"⚠️ LED-100 起订量 500，每箱 50 件：{typed} 件"
                                      f"实际要按 {offered} 件下单。", f"改为 {offered}]",
                                      f"⚠️ 不符合供应商的起订量或整箱：应为 {offered}"]),
        (f"!click 改为 {offered}", ["── #purchasing · message updated", f"{offered} × LED-100"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click 修改数量", ["“R-1”"]),
        ("!fill quantity=200\n"
         "!submit", [f"✗ quantity: On its own purchasing may lower R-1 to {math.ceil(offered / 2)} at the least"]),
        ("!fill quantity=510\n"
         "!submit", [f"510 would be ordered as {nearest_shipped(510)}"]),
        ("!fill quantity=550\n"
         "!submit", ["📦 补货 R-1 · 已申请", "550 × LED-100",
                     "── DM with Li Wei · Opsbot", f"R-1：@Chen Jie 已把数量从 {offered} 改为 550 × LED-100。"]),
    ])
    channel = "\n".join(line for line in shown.splitlines() if "#purchasing" in line or line.startswith("  "))
    assert not re.search(r"not what the supplier ships|requested by|needs the manager", channel)
