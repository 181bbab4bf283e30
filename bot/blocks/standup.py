"""Stand-up messages and the answer modal, as Block Kit. Pure: built from domain values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import actions, button, context, divider, header, modal, plain, section
from bot.blocks.limits import MESSAGE_BLOCKS, SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.i18n import Translator, pick
from bot.ops.standup import ANSWER_LIMIT, Roster
from bot.ops.standup_playbook import Question

FILL_IN = "standup.fill_in"
RESOLVE_BLOCKER = "standup.resolve_blocker"
ANSWER_VIEW = "standup.answer"
BLOCKERS_SHOWN = 15


def prompt_blocks(tr: Translator, day: date, *, reminder: bool = False) -> list[dict[str, Any]]:
    text = (
        tr._("Reminder: your stand-up for {day} is still open.", day=tr.date(day, "full"))
        if reminder
        else tr._("Good morning! Time for your stand-up for {day}.", day=tr.date(day, "full"))
    )
    return [section(text), actions([button(tr._("Fill in"), FILL_IN, day.isoformat(), style="primary")])]


def answered_blocks(tr: Translator, day: date) -> list[dict[str, Any]]:
    return [
        section(tr._("✅ Thanks — your stand-up for {day} is in.", day=tr.date(day, "full"))),
        actions([button(tr._("Edit my answers"), FILL_IN, day.isoformat())]),
    ]


def answer_modal(
    tr: Translator, questions: tuple[Question, ...], day: date, team_id: str, values: dict[str, str],
    mood: int | None,
) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [context(tr._("Stand-up for {day}", day=tr.date(day, "full")))]
    for question in questions:
        label = plain(clip(pick(question.text, tr.locale), 2000))
        if question.kind == "mood":
            options = [{"text": plain(str(n)), "value": str(n)} for n in range(1, 6)]
            element: dict[str, Any] = {"type": "static_select", "action_id": question.id, "options": options}
            if mood:
                element["initial_option"] = options[mood - 1]
        else:
            element = {"type": "plain_text_input", "action_id": question.id, "multiline": True,
                       "max_length": ANSWER_LIMIT}
            if values.get(question.id):
                element["initial_value"] = values[question.id][:ANSWER_LIMIT]
        blocks.append({"type": "input", "block_id": question.id, "label": label, "element": element,
                       "optional": not question.required})
    metadata = json.dumps({"day": day.isoformat(), "team": team_id})
    return modal(tr._("Daily stand-up"), blocks, callback_id=ANSWER_VIEW, submit=tr._("Submit"),
                 close=tr._("Cancel"), private_metadata=metadata)


@dataclass(frozen=True)
class BlockerLine:
    id: int
    text: str
    owner: str
    age: int
    escalate_to: tuple[str, ...]  # managers to mention, when the blocker is old enough


def _names(users: list[str]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def _with_day(tr: Translator, user: str, own_day: date | None, day: date) -> str:
    """A colleague in another time zone may be a day behind: say which of their days is meant."""
    if own_day is None or own_day == day:
        return f"<@{user}>"
    return tr._("<@{user}> ({day})", user=user, day=tr.date(own_day, "medium"))


def summary_blocks(
    tr: Translator, day: date, roster: Roster, blockers: list[BlockerLine], rounds: dict[str, date | None]
) -> list[dict[str, Any]]:
    """``rounds`` says which of their own days each person's stand-up is; shown when it is not ``day``."""
    counts = tr._(
        "✅ {answered} answered · ⏭ {skipped} skipped · 🌴 {away} away · ❔ {missing} missing · 💤 {off} day off",
        answered=len(roster.answered), skipped=len(roster.skipped), away=len(roster.away),
        missing=len(roster.missing), off=len(roster.off),
    )
    blocks = [header(tr._("Stand-up · {day}", day=tr.date(day, "full"))), section(counts)]
    for label, users in ((tr._("Missing: {people}"), roster.missing), (tr._("Away: {people}"), roster.away),
                         (tr._("Skipped: {people}"), roster.skipped)):
        if users:
            people = tr.join(_with_day(tr, u, rounds.get(u), day) for u in users)
            blocks.append(context(clip(label.format(people=people), SECTION_TEXT)))
    blocks += [divider(), section(tr.ngettext("*{n} open blocker*", "*{n} open blockers*", len(blockers)))]
    for blocker in blockers[:BLOCKERS_SHOWN]:
        age = tr.ngettext("{n} workday", "{n} workdays", blocker.age)
        line = tr._("{text} — <@{owner}> · open {age}", text=escape_clipped(blocker.text, 2500), owner=blocker.owner,
                     age=age)
        if blocker.escalate_to:
            line += "\n" + tr._("⚠️ Open too long: {managers}, please help.", managers=_names(list(blocker.escalate_to)))
        blocks.append(section(line, accessory=button(tr._("Resolved"), RESOLVE_BLOCKER, str(blocker.id)),
                              block_id=f"blocker-{blocker.id}"))
    if len(blockers) > BLOCKERS_SHOWN:
        blocks.append(context(tr._("…and {n} more open blockers: /standup status lists them all.",
                                   n=len(blockers) - BLOCKERS_SHOWN)))
    blocks.append(context(tr._("Each person's answers are in the thread.")))
    return blocks[:MESSAGE_BLOCKS]


def summary_text(tr: Translator, day: date, roster: Roster) -> str:
    return tr._("Stand-up {day}: {answered} answered, {missing} missing", day=day.isoformat(),
                answered=len(roster.answered), missing=len(roster.missing))


def answer_blocks(
    tr: Translator, name: str, day: date, questions: tuple[Question, ...], answers: dict[str, str],
    mood: int | None, *, late: bool, edited: bool,
) -> list[dict[str, Any]]:
    blocks = [section(tr._("*{name}* · {day}", name=escape(name), day=tr.date(day, "full")))]
    for question in questions:
        if question.kind == "mood":
            if mood:
                blocks.append(context(tr._("Mood: {mood}/5", mood=mood)))
            continue
        answer = answers.get(question.id)
        if answer:
            title = pick(question.text, tr.locale)
            blocks.append(section(clip(f"*{title}*\n{escape(answer)}", SECTION_TEXT)))
    notes = [tr._("answered late")] if late else []
    if edited:
        notes.append(tr._("edited"))
    if notes:
        blocks.append(context(" · ".join(notes)))
    return blocks


def status_blocks(tr: Translator, roster: Roster, names: dict[str, str]) -> list[dict[str, Any]]:
    def listed(users: list[str]) -> str:
        return tr.join(escape(names.get(u, u)) for u in users) or "—"

    lines = [
        tr._("✅ Answered: {people}", people=listed(roster.answered)),
        tr._("⏳ Not yet: {people}", people=listed(roster.missing)),
        tr._("⏭ Skipped: {people}", people=listed(roster.skipped)),
        tr._("🌴 Away: {people}", people=listed(roster.away)),
        tr._("💤 Day off: {people}", people=listed(roster.off)),
    ]
    return [header(tr._("Today's stand-up so far")), section(clip("\n".join(lines), SECTION_TEXT))]


def history_blocks(tr: Translator, name: str, rows: list[tuple[date, str, Mrkdwn]]) -> list[dict[str, Any]]:
    """``rows`` are :func:`history_row`'s (round date, status word, answers as mrkdwn) — newest first."""
    blocks = [header(tr._("Stand-ups of {name}", name=name))]
    if not rows:
        blocks.append(section(tr._("No stand-ups in that period.")))
    for day, status, text in rows[: MESSAGE_BLOCKS - 2]:
        blocks.append(section(clip(f"*{tr.date(day, 'full')}* · {status}\n{text}", SECTION_TEXT)))
    if len(rows) > MESSAGE_BLOCKS - 2:
        blocks.append(context(tr._("Older ones are in /standup export.")))
    return blocks


def prompt_text(tr: Translator, *, reminder: bool = False) -> str:
    return tr._("Stand-up reminder") if reminder else tr._("Time for your stand-up")


def saved_text(tr: Translator) -> str:
    return tr._("Stand-up saved")


def answer_text(tr: Translator, name: str) -> str:
    """The notification text of a person's answers in the summary's thread."""
    return tr._("Stand-up of {name}", name=escape(name))


def history_row(
    tr: Translator, day: date, status: str, questions: tuple[Question, ...], answers: dict[str, str], note: str,
) -> tuple[date, str, Mrkdwn]:
    """One stand-up as a row of :func:`history_blocks`: each answer under its question, else the note."""
    words = {"answered": tr._("answered"), "skipped": tr._("skipped")}
    text = "\n".join(f"_{pick(q.text, tr.locale)}_ {escape(answers[q.id])}" for q in questions if q.id in answers)
    return day, words.get(status, status), Mrkdwn(text or escape(note))


def export_comment(tr: Translator, count: int, start: date, end: date) -> str:
    return tr.ngettext("{n} stand-up from {start} to {end}", "{n} stand-ups from {start} to {end}", count,
                       start=start.isoformat(), end=end.isoformat())
