"""Feedback storage: items and the cards that show them in each destination."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base


class FeedbackItem(Base):
    __tablename__ = "feedback_items"
    # Duplicate reports look up the open item by SKU and category.
    __table_args__ = (Index("ix_feedback_items_team_sku", "team_id", "sku", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    reporter: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    source_channel: Mapped[str | None] = mapped_column(String(32))
    source_private: Mapped[bool] = mapped_column(Boolean, default=False)
    share_publicly: Mapped[bool] = mapped_column(Boolean, default=True)
    marketplace: Mapped[str | None] = mapped_column(String(8))
    sku: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    roles_json: Mapped[str] = mapped_column(Text)  # destination roles
    state: Mapped[str] = mapped_column(String(16), default="new")
    owner: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    # Whose words these are when they came from a private place, and whether they said they may go public.
    author: Mapped[str | None] = mapped_column(String(32))
    consent: Mapped[str | None] = mapped_column(String(16))  # None (not needed) | asked | given | declined
    unsure: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    asins_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    # The author's share question that is live: how many times it was asked (each question's buttons carry its
    # number, so a press on an older one is told apart) and where the latest landed, so that a question asked
    # again replaces the one before it instead of leaving its Yes and No to answer what is no longer asked.
    consent_question: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    consent_channel: Mapped[str | None] = mapped_column(String(32))
    consent_ts: Mapped[str | None] = mapped_column(String(32))

    @property
    def roles(self) -> list[str]:
        return list(json.loads(self.roles_json))

    @property
    def asins(self) -> list[str]:
        return list(json.loads(self.asins_json))


class FeedbackCard(Base):
    __tablename__ = "feedback_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"))
    destination: Mapped[str] = mapped_column(String(40))  # "#C0PURCHASING" or "@U0MANAGER": whom it was for
    # Where it was posted (a DM's channel for "@..."): filled in when the outbox has sent it.
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))

    @property
    def mention(self) -> str:
        return f"<{self.destination}>"


def cards_of(session: Session, item_id: int) -> list[FeedbackCard]:
    return list(session.scalars(select(FeedbackCard).where(FeedbackCard.item_id == item_id).order_by(FeedbackCard.id)))


def open_item_for(session: Session, team_id: str, sku: str, category: str) -> FeedbackItem | None:
    return session.scalar(
        select(FeedbackItem)
        .where(FeedbackItem.team_id == team_id, FeedbackItem.sku == sku, FeedbackItem.category == category,
               FeedbackItem.state != "closed")
        .order_by(FeedbackItem.created_at.desc())
        .limit(1)
    )


def items_since(session: Session, team_id: str, since: datetime) -> list[FeedbackItem]:
    return list(session.scalars(select(FeedbackItem).where(
        FeedbackItem.team_id == team_id, FeedbackItem.created_at >= since).order_by(FeedbackItem.id)))


def open_items(session: Session, team_id: str) -> list[FeedbackItem]:
    return list(session.scalars(select(FeedbackItem).where(
        FeedbackItem.team_id == team_id, FeedbackItem.state != "closed").order_by(FeedbackItem.created_at)))
