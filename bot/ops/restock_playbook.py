"""playbooks/restock.yml: service level, approval thresholds, suppliers' lead times, per-SKU settings."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.ops.team import Role
from bot.playbooks import Percent, load_model

FreightMode = Literal["sea", "air", "express"]
Destination = Literal["fba", "overseas_warehouse", "own_warehouse"]
ANOTHER_MANAGER = "another_manager"


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    manager_over_value: float = Field(default=20000, ge=0)
    manager_over_quantity: int = Field(default=2000, ge=0)
    # Who approves the manager's own request above the threshold: a role (finance), or another_manager.
    manager_own_requests: str = "another_manager"
    # Purchasing may cut a pending quantity by up to this share on its own, above the threshold too.
    purchasing_may_lower_by: Percent = Field(default=0.5, ge=0, le=1)

    @field_validator("manager_own_requests")
    @classmethod
    def _a_second_approver(cls, value: str) -> str:
        if value == ANOTHER_MANAGER:
            return value
        if value == Role.manager:
            raise ValueError("the manager would approve their own request: write another_manager (any other holder "
                             "of the manager role) or another role, e.g. finance")
        if value not in {r.value for r in Role}:
            raise ValueError(f"{value!r} is not a role: write another_manager or one of "
                             f"{', '.join(r.value for r in Role if r != Role.manager)}")
        return value

    def second_approver(self) -> Role | None:
        """The role approving the manager's own requests above the threshold; None: another manager."""
        return None if self.manager_own_requests == ANOTHER_MANAGER else Role(self.manager_own_requests)


class Supplier(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    production_days: int = Field(ge=0)
    freight_days: dict[FreightMode, int]
    customs_days: int = Field(default=0, ge=0)
    receiving_days: int = Field(default=0, ge=0)
    q4_extra_receiving_days: int = Field(default=0, ge=0)
    lead_time_sd_days: float = Field(default=0, ge=0)


class SkuSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    supplier: str | None = None
    unit_cost: float = Field(gt=0)
    moq: int = Field(default=1, ge=1)
    carton: int = Field(default=1, ge=1)


class Catalogued(BaseModel):
    """What restock knows of one SKU, wherever it came from; ``missing`` names the settings that would
    sharpen its suggestion (supplier: the lead time is the default; unit_cost: its value is not known)."""

    model_config = ConfigDict(frozen=True)

    sku: str
    supplier: str | None
    supplier_from: Literal["sku", "rule", "default", "none"]
    unit_cost: float | None
    moq: int = 1
    carton: int = 1

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name, absent in (("supplier", self.supplier is None),
                                                ("unit_cost", self.unit_cost is None)) if absent)

    @property
    def settings(self) -> SkuSettings:
        return SkuSettings(supplier=self.supplier, unit_cost=self.unit_cost or 1.0, moq=self.moq, carton=self.carton)


class RestockPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    service_level: Percent = Field(default=0.95, gt=0.5, lt=1)
    review_period_days: int = Field(default=14, ge=1, le=120)
    approval: Approval = Approval()
    approval_sla_hours: int = Field(default=24, ge=1)
    watch_time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    max_quantity: int = Field(default=20000, ge=1)
    marketplaces: tuple[str, ...] = ("US",)
    destinations: tuple[Destination, ...] = ("fba", "overseas_warehouse", "own_warehouse")
    suppliers: dict[str, Supplier] = Field(default_factory=dict)
    skus: dict[str, SkuSettings] = Field(default_factory=dict)
    # Every SKU seen in a report is in the catalogue: these give the ones not under skus: a supplier.
    default_supplier: str | None = None
    supplier_rules: dict[str, str] = Field(default_factory=dict)  # SKU pattern (LED-*) -> supplier, first wins

    @model_validator(mode="after")
    def _suppliers_exist(self) -> RestockPlaybook:
        named = {s.supplier for s in self.skus.values() if s.supplier}
        named |= set(self.supplier_rules.values()) | ({self.default_supplier} if self.default_supplier else set())
        unknown = {s for s in named if s not in self.suppliers}
        if unknown:
            raise ValueError(f"skus, supplier_rules or default_supplier name suppliers that are not under "
                             f"suppliers: {sorted(unknown)}")
        return self

    def catalogued(self, sku: str) -> Catalogued:
        """The SKU's settings: its own under skus:, else the first matching supplier_rules pattern (case
        insensitive), else default_supplier; unit cost, MOQ and carton only from skus:."""
        own = self.skus.get(sku)
        cost, moq, carton = (own.unit_cost, own.moq, own.carton) if own else (None, 1, 1)
        if own and own.supplier:
            return Catalogued(sku=sku, supplier=own.supplier, supplier_from="sku", unit_cost=cost, moq=moq,
                              carton=carton)
        rule = next((s for pattern, s in self.supplier_rules.items() if fnmatch.fnmatchcase(sku.upper(),
                                                                                              pattern.upper())), None)
        if rule:
            return Catalogued(sku=sku, supplier=rule, supplier_from="rule", unit_cost=cost, moq=moq, carton=carton)
        if self.default_supplier:
            return Catalogued(sku=sku, supplier=self.default_supplier, supplier_from="default", unit_cost=cost,
                              moq=moq, carton=carton)
        return Catalogued(sku=sku, supplier=None, supplier_from="none", unit_cost=cost, moq=moq, carton=carton)


def load_playbook(folder: Path) -> RestockPlaybook:
    path = folder / "restock.yml"
    return load_model(path, RestockPlaybook) if path.exists() else RestockPlaybook()
