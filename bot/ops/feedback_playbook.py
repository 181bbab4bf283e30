"""playbooks/feedback.yml: categories with keywords in English and Chinese, and where each goes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.i18n import pick
from bot.ops.team import ChannelKey, Role
from bot.playbooks import LocalText, load_model

Text = LocalText  # a string, or {en, zh-CN, zh-TW}: what people read


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class Route(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str
    marketplace: str | None = None
    urgent: bool | None = None
    to: tuple[Role, ...] = Field(min_length=1)


class FollowUp(BaseModel):
    """A one-click next step on a feedback card: for which categories, on the lines of which roles."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: tuple[str, ...] = Field(min_length=1)
    roles: tuple[Role, ...] = Field(min_length=1)


class WeeklySummary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")


class FeedbackPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: dict[str, Category]
    order: tuple[str, ...]
    urgent_keywords: tuple[str, ...] = ()
    role_channels: dict[Role, ChannelKey] = Field(default_factory=dict)
    routes: tuple[Route, ...]
    urgent_dm: tuple[Role, ...] = (Role.manager,)
    ack_sla_hours: int = Field(default=4, ge=1, le=24 * 14)
    dedupe_hours: int = Field(default=24, ge=0, le=24 * 14)
    weekly_summary: WeeklySummary = WeeklySummary()
    known_skus: tuple[str, ...] = ()
    # Marketplace code -> how people name it in text ("Amazon DE", "amazon.de", "德国站"); the bare code
    # in capitals ("in DE") is recognised too.
    marketplaces: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    # adjust_restock | plan_promo | add_launch_task: which categories offer it, on which roles' lines.
    follow_ups: dict[Literal["adjust_restock", "plan_promo", "add_launch_task"], FollowUp] = Field(
        default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> FeedbackPlaybook:
        if "other" not in self.categories:
            raise ValueError("categories must include 'other', where unmatched feedback goes")
        unknown = [c for c in self.order if c not in self.categories]
        unknown += [r.category for r in self.routes if r.category not in self.categories]
        unknown += [c for f in self.follow_ups.values() for c in f.categories if c not in self.categories]
        if unknown:
            raise ValueError(f"unknown categories {sorted(set(unknown))}; known: {sorted(self.categories)}")
        unrouted = [c for c in self.categories if not any(r.category == c for r in self.routes)]
        if unrouted:
            raise ValueError(f"no route for categories {unrouted}")
        return self

    def rules(self) -> tuple[str, ...]:
        """Every keyword, urgency word and marketplace name: the words the text is cut into words for."""
        found = [k for c in self.categories.values() for k in c.keywords]
        found += [*self.urgent_keywords, *(name for names in self.marketplaces.values() for name in names)]
        return tuple(dict.fromkeys(found))

    def channel_key(self, role: Role) -> ChannelKey:
        return self.role_channels.get(role, ChannelKey.ops)

    def category_name(self, key: str, locale: str) -> str:
        """A category's name in a language; a key the playbook no longer has is shown as it is."""
        category = self.categories.get(key)
        return pick(category.name, locale) if category else key

    def follow_ups_for(self, category: str, role: Role) -> list[str]:
        """The follow-ups a line of ``role`` offers on feedback of ``category``, in the playbook's order."""
        return [key for key, f in self.follow_ups.items() if category in f.categories and role in f.roles]

    def category_choices(self, locale: str) -> list[tuple[str, str]]:
        """(key, name) for each category, in the playbook's order of writing: what a form offers."""
        return [(key, pick(c.name, locale)) for key, c in self.categories.items()]


def load_playbook(folder: Path) -> FeedbackPlaybook:
    return load_model(folder / "feedback.yml", FeedbackPlaybook)
