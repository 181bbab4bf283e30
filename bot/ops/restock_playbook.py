"""playbooks/restock.yml: service level, approval thresholds, suppliers' lead times, per-SKU settings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.playbooks import load_model

FreightMode = Literal["sea", "air", "express"]
Destination = Literal["fba", "overseas_warehouse", "own_warehouse"]


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    manager_over_value: float = Field(default=20000, ge=0)
    manager_over_quantity: int = Field(default=2000, ge=0)


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


class RestockPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    service_level: float = Field(default=0.95, gt=0.5, lt=1)
    review_period_days: int = Field(default=14, ge=1, le=120)
    approval: Approval = Approval()
    approval_sla_hours: int = Field(default=24, ge=1)
    watch_time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    max_quantity: int = Field(default=20000, ge=1)
    marketplaces: tuple[str, ...] = ("US",)
    destinations: tuple[Destination, ...] = ("fba", "overseas_warehouse", "own_warehouse")
    suppliers: dict[str, Supplier] = Field(default_factory=dict)
    skus: dict[str, SkuSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _suppliers_exist(self) -> RestockPlaybook:
        unknown = {s.supplier for s in self.skus.values() if s.supplier and s.supplier not in self.suppliers}
        if unknown:
            raise ValueError(f"skus name suppliers that are not under suppliers: {sorted(unknown)}")
        return self


def load_playbook(folder: Path) -> RestockPlaybook:
    path = folder / "restock.yml"
    return load_model(path, RestockPlaybook) if path.exists() else RestockPlaybook()
