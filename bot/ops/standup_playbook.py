"""playbooks/standup.yml: the questions and times of each team's daily stand-up."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.ops.team import ChannelKey
from bot.playbooks import LocalText, load_model

Text = LocalText  # a string, or {en, zh-CN, zh-TW}: what people read


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: Text
    kind: Literal["text", "blockers", "mood"] = "text"
    required: bool = True
    prefill_from: str | None = None


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """Quiet hours may wrap midnight (20:00-08:00)."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


DEFAULT_QUESTIONS = (
    Question(id="yesterday", text={"en": "What did you get done yesterday?", "zh-CN": "昨天完成了什么？",
                                        "zh-TW": "昨天完成了什麼？"},
             prefill_from="today"),
    Question(id="today", text={"en": "What will you do today?", "zh-CN": "今天计划做什么？",
                               "zh-TW": "今天計劃做什麼？"}),
    Question(id="blockers", kind="blockers", required=False,
             text={"en": "Anything blocking you?", "zh-CN": "有什么阻碍吗？", "zh-TW": "有什麼阻礙嗎？"}),
)


class TeamStandup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # At most 20, so the modal and each thread reply stay far inside Slack's block limits.
    questions: tuple[Question, ...] = Field(default=DEFAULT_QUESTIONS, max_length=20)
    prompt_time: time = time(9, 30)
    reminder_after_minutes: int = Field(default=60, ge=1, le=600)
    reminders: bool = True
    quiet_hours: QuietHours | None = QuietHours(start=time(20, 0), end=time(8, 0))
    cutoff_time: time = time(11, 0)
    channel: ChannelKey = ChannelKey.ops
    escalate_after_workdays: int = Field(default=2, ge=1, le=30)
    grace_minutes: int = Field(default=120, ge=0, le=24 * 60)

    @model_validator(mode="after")
    def _questions_make_sense(self) -> TeamStandup:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids must be unique; got {ids}")
        if not self.questions:
            raise ValueError("a stand-up needs at least one question")
        for question in self.questions:
            if question.prefill_from and question.prefill_from not in ids:
                raise ValueError(f"question {question.id}: prefill_from {question.prefill_from!r} is not a question id")
        if sum(q.kind == "mood" for q in self.questions) > 1 or sum(q.kind == "blockers" for q in self.questions) > 1:
            raise ValueError("at most one mood question and one blockers question")
        return self


class StandupPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    teams: dict[str, TeamStandup] = Field(default_factory=dict)

    def for_team(self, team_id: str) -> TeamStandup:
        return self.teams.get(team_id) or TeamStandup()


def load_playbook(folder: Path) -> StandupPlaybook:
    path = folder / "standup.yml"
    return load_model(path, StandupPlaybook) if path.exists() else StandupPlaybook()
