"""The pure parts: reading the one-liner (English and Chinese words), what a plan must say, who decides, and
promo.yml's validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError, OpsError
from bot.features import SlashCommand
from bot.handlers.command_words import PROMO_WORDS
from bot.ops import promo as ops
from bot.ops.links import Ref
from bot.ops.promo_playbook import PromoPlaybook, load_playbook
from bot.ops.team import Role

MARKETS = ("US", "CA", "DE")
PLAYBOOK = PromoPlaybook()
TODAY = date(2026, 11, 23)


def test_the_one_liner_reads_every_part() -> None:
    wanted = ops.parse_command('new LED-100,LED-200 us lightning deal 15% 2026-12-10..2026-12-17 budget 1,500 '
                               'F-12 reason "buyers compare with <X>"', MARKETS)
    assert wanted.action == "new"
    assert wanted.form == ops.PromoForm(skus=("LED-100", "LED-200"), marketplace="US", kind="lightning_deal",
                                        start=date(2026, 12, 10), end=date(2026, 12, 17), discount=0.15,
                                        budget=1500.0, reason="buyers compare with <X>",
                                        source=Ref("feedback", 12))


@pytest.mark.parametrize(("text", "kind", "extra"), [
    ("new LED-100 DE price change amount 24.99 2026-12-01..2026-12-03", "price_change", {"amount": 24.99}),
    ("new LED-100 US sponsored budget change budget 80 2026-12-01..2026-12-03", "sponsored_budget", {"budget": 80.0}),
    ("new LED-100 US 优惠券 15% 2026-12-01..2026-12-03 预算 300 原因 差评太多", "coupon",
     {"discount": 0.15, "budget": 300.0, "reason": "差评太多"}),
    ("new LED-100 US 秒殺 20% 2026-12-01..2026-12-03 預算 300", "lightning_deal", {"discount": 0.2, "budget": 300.0}),
])
def test_kinds_in_english_and_chinese(text: str, kind: str, extra: dict[str, object]) -> None:
    form = ops.parse_command(text, MARKETS).form
    assert form is not None and form.kind == kind and form.skus == ("LED-100",)
    for name, value in extra.items():
        assert getattr(form, name) == value


def test_chinese_subcommands_become_english_before_parsing() -> None:
    command = SlashCommand("/promo", "", aliases=PROMO_WORDS)
    assert command.canonical_text("新建 LED-100 US coupon 15%") == "new LED-100 US coupon 15%"
    assert command.canonical_text("新增 LED-100") == "new LED-100"
    assert command.canonical_text("列表 我的") == "list mine"
    assert command.canonical_text("狀態 P-2") == "status P-2"
    assert ops.parse_command("status P-2", MARKETS) == ops.PromoCommand("status", ref=2)
    assert ops.parse_command("list mine", MARKETS).scope == "mine"
    assert ops.parse_command("", MARKETS).action == "open"
    assert ops.parse_command("status R-2", MARKETS).action == "usage"
    assert ops.parse_command("hello", MARKETS).action == "usage"


def form(**changes: object) -> ops.PromoForm:
    values: dict[str, object] = {"skus": ("LED-100",), "marketplace": "US", "kind": "coupon",
                                 "start": date(2026, 12, 1), "end": date(2026, 12, 3), "discount": 0.15}
    values.update(changes)
    return ops.PromoForm(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "field"), [
    ({"skus": ()}, "skus"), ({"kind": None}, "kind"), ({"start": None}, "start"), ({"end": None}, "end"),
    ({"start": date(2026, 11, 22)}, "start"), ({"end": date(2026, 11, 30)}, "end"),
    ({"end": date(2027, 6, 1)}, "end"), ({"discount": 1.5}, "discount"), ({"discount": None}, "discount"),
    ({"kind": "price_change", "discount": None}, "discount"), ({"kind": "sponsored_budget", "budget": None}, "budget"),
    ({"budget": -5.0}, "budget"),
])
def test_each_problem_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(OpsError) as refused:
        ops.check(form(**changes), PLAYBOOK, TODAY)
    assert refused.value.field == field
    with pytest.raises(OpsError) as one_line:
        ops.check(form(**changes), PLAYBOOK, TODAY, fields=False)
    assert one_line.value.field is None


def test_approval_is_needed_above_either_threshold() -> None:
    assert not ops.needs_approval(0.20, 300, PLAYBOOK)
    assert ops.needs_approval(0.21, None, PLAYBOOK)
    assert ops.needs_approval(None, 300.01, PLAYBOOK)


@pytest.mark.parametrize("actor_role", list(Role))
@pytest.mark.parametrize("owner_role", [Role.marketing, Role.manager])
def test_who_decides_role_by_role(actor_role: Role, owner_role: Role) -> None:
    """Marketing's promotion: the manager. The manager's own: finance or another manager, never themselves."""
    may = ops.may_decide("U1", {actor_role}, "U2", {owner_role}, PLAYBOOK)
    expected = actor_role == Role.manager if owner_role == Role.marketing else actor_role in (Role.finance,
                                                                                               Role.manager)
    assert may == expected
    assert not ops.may_decide("U2", {actor_role}, "U2", {owner_role}, PLAYBOOK)  # never one's own
    assert ops.may_cancel("U1", {actor_role}, "U2") == (actor_role == Role.manager)
    assert ops.may_cancel("U2", {actor_role}, "U2")


@pytest.mark.parametrize("action", ["approve", "reject", "cancel", "start", "end", "review"])
def test_steps_only_from_their_states(action: str) -> None:
    allowed, _ = ops.MOVES[action]
    for state in ops.STATES:
        if state in allowed:
            ops.next_state(action, state)
        else:
            with pytest.raises(OpsError):
                ops.next_state(action, state)


def test_the_shipped_playbook_loads_and_a_bad_one_names_file_and_field(tmp_path: Path) -> None:
    shipped = load_playbook(Path(__file__).resolve().parents[2] / "playbooks")
    assert shipped.approval.manager_over_discount == pytest.approx(0.20)
    assert shipped.approval.own_approvers == (Role.finance, Role.manager)
    (tmp_path / "promo.yml").write_text("approval:\n  own_approvers: []\n  manager_over_budget: -1\n",
                                        encoding="utf-8")
    with pytest.raises(ConfigError) as bad:
        load_playbook(tmp_path)
    text = "\n".join(bad.value.problems)
    assert "promo.yml" in text and "own_approvers" in text and "manager_over_budget" in text
