"""Who approves what is a rule in restock.yml, and nobody's request is stuck (issue 18, item 4).

LED-100 costs 42.5 CNY with an MOQ of 500 in cartons of 50 (playbooks/restock.yml), so its smallest order is
worth 21,250 CNY: above the 20,000 CNY threshold, the manager decides — and for the manager's own request,
the second approver restock.yml names (finance).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.console.session import ConsoleSlack
from bot.errors import ConfigError
from bot.ops.restock_playbook import load_playbook
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


def test_the_managers_own_request_above_the_threshold_goes_to_finance(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER\n"
         "/restock LED-100 500", ["已提交 R-1：500 × LED-100，已发给采购。"]),
        # Reproduced: purchasing was told "only the manager", the manager "not your own": nobody could approve.
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["R-1 is the manager's own request above the approval threshold: Finance decides "
                            "(approval.manager_own_requests in restock.yml)."]),
        ("!as U0MANAGER\n"
         "!click Approve", ["不能审批自己的申请"]),
        ("!as U0FINANCE\n"
         "!click Approve", ["#purchasing · message updated", "📦 Restock R-1 · approved", "approved by @Liu Yang",
                            "R-1（500 × LED-100）已由 @Liu Yang 更新为：已批准。"]),
    ])


def test_someone_elses_request_above_the_threshold_is_still_the_managers(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 500", ["Filed R-1: 500 × LED-100, sent to purchasing."]),
        ("!as U0FINANCE\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["R-1 超过 restock.yml 中的审批额度：只有主管可以决定。"]),
        ("!as U0MANAGER\n"
         "!click Approve", ["📦 Restock R-1 · approved"]),
    ])


@pytest.fixture
def two_managers(playbooks_dir: Path, database_url: str):  # type: ignore[no-untyped-def]
    """restock.yml says "any other holder of the manager role"; Zhang Min holds it beside Li Wei."""
    restock = playbooks_dir / "restock.yml"
    data = yaml.safe_load(restock.read_text(encoding="utf-8"))
    data["approval"]["manager_own_requests"] = "another_manager"
    restock.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    team = playbooks_dir / "team.yml"
    people = yaml.safe_load(team.read_text(encoding="utf-8"))
    for member in people["members"]:
        if member["user"] == "U0SELECT":
            member["roles"] = ["selection", "manager"]
    team.write_text(yaml.safe_dump(people, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def test_another_manager_approves_the_managers_own_request(two_managers: ConsoleSlack) -> None:
    converse(two_managers, [
        ("!as U0MANAGER\n"
         "/restock LED-100 500", ["已提交 R-1"]),
        ("!as U0FINANCE\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["R-1 是主管本人超过审批额度的申请：由另一位主管决定"]),
        ("!as U0SELECT\n"
         "!click Approve", ["📦 Restock R-1 · approved", "approved by @Zhang Min"]),
    ])


@pytest.mark.parametrize(("value", "complaint"), [
    ("manager", "the manager would approve their own request"),
    ("purchasng", "not a role"),
])
def test_a_second_approver_that_cannot_work_is_refused_at_start(tmp_path: Path, value: str, complaint: str) -> None:
    (tmp_path / "restock.yml").write_text(f"approval:\n  manager_own_requests: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_playbook(tmp_path)
    said = str(raised.value)
    assert "restock.yml" in said and "approval.manager_own_requests" in said and complaint in said


def test_purchasings_own_limit_must_be_a_share(tmp_path: Path) -> None:
    (tmp_path / "restock.yml").write_text("approval:\n  purchasing_may_lower_by: 150%\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_playbook(tmp_path)
    assert "approval.purchasing_may_lower_by" in str(raised.value)


@pytest.fixture
def one_hour_sla(playbooks_dir: Path, database_url: str):  # type: ignore[no-untyped-def]
    restock = playbooks_dir / "restock.yml"
    data = yaml.safe_load(restock.read_text(encoding="utf-8"))
    data["approval_sla_hours"] = 1
    restock.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def test_the_reminder_says_one_hour_and_goes_to_whoever_decides_the_managers_own(one_hour_sla: ConsoleSlack) -> None:
    converse(one_hour_sla, [
        ("!as U0MANAGER\n"
         "/restock LED-100 500", ["已提交 R-1"]),
        ("!as U0BUYER\n"
         "!at 2026-11-23 10:00", ["#purchasing · in thread · Opsbot",
                                  # one hour, singular; to finance, the second approver, never to the requester
                                  "⏰ R-1 has waited for a decision for more than 1 hour: @Liu Yang."]),
    ])


def test_the_reminders_hours_are_a_plural_in_both_chinese_catalogs() -> None:
    from bot.i18n import translator

    one, many = ("⏰ {ref} has waited for a decision for more than {hours} hour: {people}.",
                 "⏰ {ref} has waited for a decision for more than {hours} hours: {people}.")
    for locale, expected in (("zh_CN", "⏰ R-1 已等待审批超过 {h} 小时：@x。"),
                             ("zh_TW", "⏰ R-1 已等待審核超過 {h} 小時：@x。")):
        for hours in (1, 24):
            said = translator(locale).ngettext(one, many, hours, ref="R-1", hours=hours, people="@x")
            assert said == expected.format(h=hours)
    assert translator("en").ngettext(one, many, 1, ref="R-1", hours=1, people="@x").endswith("1 hour: @x.")
