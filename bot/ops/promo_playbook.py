"""playbooks/promo.yml: who plans promotions, who approves which, and when the lifecycle moves."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.ops.team import Role
from bot.playbooks import Percent, load_model


class PromoApproval(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    manager_over_budget: float = Field(default=300, ge=0)  # a budget above this needs an approver
    manager_over_discount: Percent = Field(default=0.20, ge=0, le=1)  # as does a discount above this
    approvers: tuple[Role, ...] = Field(default=(Role.manager,), min_length=1)
    # An approver's own promotion above the threshold: any holder of these roles but its owner decides, so a
    # manager's own coupon is never stuck waiting for themselves.
    own_approvers: tuple[Role, ...] = Field(default=(Role.finance, Role.manager), min_length=1)


class PromoPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    planners: tuple[Role, ...] = Field(default=(Role.marketing, Role.manager), min_length=1)
    approval: PromoApproval = PromoApproval()
    marketplaces: tuple[str, ...] = Field(default=("US",), min_length=1)
    start_time: str = Field(default="00:05", pattern=r"^\d{2}:\d{2}$")  # approved ones go live, past ones end
    reminder_time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")  # owners' reminders, reviews
    review_after_days: int = Field(default=2, ge=0, le=30)  # the reports of the last day need to arrive
    max_days: int = Field(default=90, ge=1, le=366)


def load_playbook(folder: Path) -> PromoPlaybook:
    path = folder / "promo.yml"
    return load_model(path, PromoPlaybook) if path.exists() else PromoPlaybook()
