"""Issue 14: the approval reminder never ends in an empty list. When the first deciding role is held only by the
requester, it goes to the next role that can decide; when no one else holds any, it names the roles."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def test_the_buyers_own_request_reminds_the_manager(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
        ("!at 2026-11-24 09:00", ["#purchasing · in thread · Opsbot",
                                  "⏰ R-1 has waited for a decision for more than 24 hours: @Li Wei."]),
    ])


def test_with_no_one_else_to_decide_the_reminder_names_the_roles(playbooks_dir: Path, database_url: str) -> None:
    team = playbooks_dir / "team.yml"
    data = yaml.safe_load(team.read_text(encoding="utf-8"))
    for member in data["members"]:
        if member["user"] == "U0MANAGER":
            member["roles"] = ["selection"]  # no manager: the buyer's own request has no one else to decide
    team.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        converse(slack, [
            ("!as U0BUYER\n"
             "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
            ("!at 2026-11-24 09:00", [
                "#purchasing · in thread · Opsbot",
                "⏰ R-1 has waited for a decision for more than 24 hours, and no one but its requester holds "
                "Purchasing or Operations manager to decide: add one in team.yml."]),
        ])
    finally:
        slack.close()


def test_the_no_one_to_decide_reminder_reads_in_both_chinese_catalogs() -> None:
    from bot.i18n import AnyOf, translator

    one, many = (
        "⏰ {ref} has waited for a decision for more than {hours} hour, and no one but its requester holds "
        "{roles} to decide: add one in team.yml.",
        "⏰ {ref} has waited for a decision for more than {hours} hours, and no one but its requester holds "
        "{roles} to decide: add one in team.yml.",
    )
    for locale, roles, expected in (
        ("zh_CN", ("采购", "运营主管"), "⏰ R-1 已等待审批超过 24 小时，但除申请人外没有人担任采购或运营主管来审批"),
        ("zh_TW", ("採購", "營運主管"),
         "⏰ R-1 已等待審核超過 24 小時，但除了申請人之外沒有人擔任採購或營運主管可以審核"),
    ):
        tr = translator(locale)
        said = tr.ngettext(one, many, 24, ref="R-1", hours=24, roles=AnyOf(roles))
        assert said.startswith(expected) and "team.yml" in said, said
