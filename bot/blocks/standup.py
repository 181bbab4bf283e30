"""Stand-up messages and the answer modal, as Block Kit. Pure: built from domain values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.blocks.common import actions, button, context, divider, header, modal, plain, section
from bot.blocks.limits import MESSAGE_BLOCKS, SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.i18n import NP_, Translator, pick
from bot.ops.standup import ANSWER_LIMIT, Roster
from bot.ops.standup_playbook import Question

FILL_IN = "standup.fill_in"
RESOLVE_BLOCKER = "standup.resolve_blocker"
SHOW_BLOCKERS = "standup.show_blockers"
ANSWER_VIEW = "standup.answer"
RESOLVE_VIEW = "standup.resolve"
REASON_BLOCK = "reason"
STILL_BLOCKED = "still_blocked_"  # + blocker id: the block of a "still blocked?" choice in the form
BLOCKERS_SHOWN = 15
STILL_BLOCKED_SHOWN = 10  # open blockers offered in the form; questions are at most 20, a modal holds 100 blocks
BLOCKERS_PER_MESSAGE = 45


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


@dataclass(frozen=True)
class OpenBlocker:
    """One of the person's blockers still open from an earlier day, offered as "still blocked?" in the form."""

    id: int
    text: str
    raised_on: date


def answer_modal(
    tr: Translator, questions: tuple[Question, ...], day: date, team_id: str, values: dict[str, str],
    mood: int | None, *, still_open: tuple[OpenBlocker, ...] = (), not_today: bool = False,
) -> dict[str, Any]:
    """The stand-up form; ``not_today`` says the person's today is no stand-up day, so this is their next one."""
    heading = (
        tr._("Today is not a stand-up day for you: this is your stand-up for {day}.", day=tr.date(day, "full"))
        if not_today
        else tr._("Stand-up for {day}", day=tr.date(day, "full"))
    )
    blocks: list[dict[str, Any]] = [context(heading)]
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
        if question.kind == "blockers":
            blocks += _still_blocked(tr, still_open)
    metadata = json.dumps({"day": day.isoformat(), "team": team_id})
    return modal(tr._("Daily stand-up"), blocks, callback_id=ANSWER_VIEW, submit=tr._("Submit"),
                 close=tr._("Cancel"), private_metadata=metadata)


def _still_blocked(tr: Translator, still_open: tuple[OpenBlocker, ...]) -> list[dict[str, Any]]:
    """Each open blocker as a keep / resolved choice, so nobody restates one to keep it alive."""
    keep, resolved = tr._("Still blocked"), tr._("Resolved")
    found = []
    for blocker in still_open[:STILL_BLOCKED_SHOWN]:
        options = [{"text": plain(keep), "value": "keep"}, {"text": plain(resolved), "value": "resolved"}]
        label = tr._("Still blocked? {text} (since {day})", text=blocker.text, day=tr.date(blocker.raised_on))
        found.append({
            "type": "input", "block_id": f"{STILL_BLOCKED}{blocker.id}", "label": plain(clip(label, 2000)),
            "element": {"type": "radio_buttons", "action_id": "choice", "options": options,
                        "initial_option": options[0]},
        })
    return found


@dataclass(frozen=True)
class BlockerLine:
    id: int
    text: str
    owner: str
    age: int
    escalate_to: tuple[str, ...]  # managers (or the stand-in) to mention, when the blocker is old enough
    escalated: bool = False  # old enough, even when nobody is there to mention (all away, no stand-in)


def _names(users: list[str]) -> str:
    return ", ".join(f"<@{u}>" for u in users)


def _with_day(tr: Translator, user: str, own_day: date | None, day: date, name: str | None = None) -> str:
    """A colleague in another time zone may be a day behind: say which of their days is meant. With ``name``
    the person is named plainly, without a mention that notifies them."""
    who = escape(name) if name is not None else f"<@{user}>"
    if own_day is None or own_day == day:
        return who
    return tr._("{who} ({day})", who=who, day=tr.date(own_day, "medium"))


def blocker_section(tr: Translator, blocker: BlockerLine) -> dict[str, Any]:
    """One open blocker with its age, escalation and Resolved button."""
    age = tr.ngettext("{n} workday", "{n} workdays", blocker.age)
    line = tr._("{text} — <@{owner}> · open {age}", text=escape_clipped(blocker.text, 2500), owner=blocker.owner,
                age=age)
    if blocker.escalate_to:
        line += "\n" + tr._("⚠️ Open too long: {managers}, please help.", managers=_names(list(blocker.escalate_to)))
    elif blocker.escalated:
        line += "\n" + tr._("⚠️ Open too long; the manager is away and no stand-in is set.")
    return section(line, accessory=button(tr._("Resolved"), RESOLVE_BLOCKER, str(blocker.id)),
                   block_id=f"blocker-{blocker.id}")


def summary_blocks(
    tr: Translator, day: date, roster: Roster, blockers: list[BlockerLine], rounds: dict[str, date | None],
    *, mention: set[str] | None = None, names: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """``rounds`` says which of their own days each person's stand-up is; shown when it is not ``day``.

    Missing people in ``mention`` are @-mentioned; the others (already reminded this week) are named plainly
    from ``names``. Without ``mention`` everyone missing is mentioned."""
    counts = tr._(
        "✅ {answered} answered · ⏭ {skipped} skipped · 🌴 {away} away · ❔ {missing} missing · 💤 {off} day off",
        answered=len(roster.answered), skipped=len(roster.skipped), away=len(roster.away),
        missing=len(roster.missing), off=len(roster.off),
    )
    blocks = [header(tr._("Stand-up · {day}", day=tr.date(day, "full"))), section(counts)]

    def named(user: str) -> str | None:
        if mention is None or user in mention:
            return None
        return (names or {}).get(user, user)

    for label, users, plainly in ((tr._("Missing: {people}"), roster.missing, True),
                                  (tr._("Away: {people}"), roster.away, False),
                                  (tr._("Skipped: {people}"), roster.skipped, False)):
        if users:
            people = tr.join(_with_day(tr, u, rounds.get(u), day, named(u) if plainly else None) for u in users)
            blocks.append(context(clip(label.format(people=people), SECTION_TEXT)))
    blocks += [divider(), section(tr.ngettext("*{n} open blocker*", "*{n} open blockers*", len(blockers)))]
    blocks += [blocker_section(tr, blocker) for blocker in blockers[:BLOCKERS_SHOWN]]
    if len(blockers) > BLOCKERS_SHOWN:
        more = tr._("…and {n} more open blockers: /standup status lists them all.", n=len(blockers) - BLOCKERS_SHOWN)
        blocks.append(section(more, accessory=button(tr._("Show all"), SHOW_BLOCKERS, "all")))
    blocks.append(context(tr._("Each person's answers are in the thread.")))
    return blocks[:MESSAGE_BLOCKS]


def summary_text(tr: Translator, day: date, roster: Roster) -> str:
    return tr._("Stand-up {day}: {answered} answered, {missing} missing", day=tr.date(day),
                answered=len(roster.answered), missing=len(roster.missing))


def answer_blocks(
    tr: Translator, name: str, day: date, questions: tuple[Question, ...], answers: dict[str, str],
    *, late: bool, edited: bool,
) -> list[dict[str, Any]]:
    """A person's answers in the summary's thread, which the whole channel reads: their mood is not among them
    (it is the manager's, in the export)."""
    blocks = [section(tr._("*{name}* · {day}", name=escape(name), day=tr.date(day, "full")))]
    for question in questions:
        if question.kind == "mood":
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


def all_blockers_messages(tr: Translator, blockers: list[BlockerLine]) -> list[list[dict[str, Any]]]:
    """Every open blocker with its Resolved button, in as many messages as Slack's block limit needs."""
    title = section(tr.ngettext("*{n} open blocker*", "*{n} open blockers*", len(blockers)))
    if not blockers:
        return [[title]]
    chunks = [blockers[i:i + BLOCKERS_PER_MESSAGE] for i in range(0, len(blockers), BLOCKERS_PER_MESSAGE)]
    return [([title] if n == 0 else []) + [blocker_section(tr, b) for b in chunk] for n, chunk in enumerate(chunks)]


def resolve_modal(tr: Translator, blocker_id: int, owner_name: str, text: str) -> dict[str, Any]:
    """A manager resolving someone else's blocker says why; the owner is told."""
    blocks = [
        section(tr._("Resolve {owner}'s blocker: {text}", owner=escape(owner_name), text=escape_clipped(text, 2500))),
        {"type": "input", "block_id": REASON_BLOCK, "label": plain(tr._("Why is it resolved?")),
         "element": {"type": "plain_text_input", "action_id": REASON_BLOCK, "max_length": 500}},
    ]
    return modal(tr._("Resolve blocker"), blocks, callback_id=RESOLVE_VIEW, submit=tr._("Resolve"),
                 close=tr._("Cancel"), private_metadata=json.dumps({"blocker": blocker_id}))


def resolved_for_owner(tr: Translator, by: str, text: str, reason: str) -> str:
    """The DM telling a blocker's owner someone else resolved it, and why."""
    return tr._("<@{by}> marked your blocker resolved: {text}\nReason: {reason}", by=by,
                text=escape_clipped(text, 2500), reason=escape_clipped(reason, 500))


def away_list_blocks(tr: Translator, leaves: list[tuple[date, date, str]]) -> list[dict[str, Any]]:
    """A person's leave in progress and to come, numbered for ``/standup ooo cancel N``."""
    if not leaves:
        return [section(tr._("You have no time away planned."))]
    lines = [tr._("{n}. {start} to {end}", n=n, start=tr.date(start), end=tr.date(end))
             + (f" · {escape(note)}" if note else "") for n, (start, end, note) in enumerate(leaves, 1)]
    lines.append(tr._("/standup ooo cancel N cancels one."))
    return [section(clip("\n".join(lines), SECTION_TEXT))]


def history_blocks(tr: Translator, name: str, rows: list[tuple[date, str, Mrkdwn]]) -> list[dict[str, Any]]:
    """``rows`` are :func:`history_row`'s (round date, status word, answers as mrkdwn) — newest first."""
    blocks = [header(tr._("Stand-ups of {name}", name=name))]
    if not rows:
        blocks.append(section(tr._("No stand-ups in that period.")))
    for day, status, text in rows[: MESSAGE_BLOCKS - 2]:
        blocks.append(section(clip(f"*{tr.date(day, 'full')}* · {status}\n{text}".rstrip(), SECTION_TEXT)))
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


def _when(tr: Translator, moment: datetime) -> str:
    """A moment in the zone it is given in, with that zone named for the reader (CEST / 中欧标准时间)."""
    return f"{tr.datetime(moment, 'short')} {tr.zone(moment)}".rstrip()


def history_row(
    tr: Translator, day: date, status: str, questions: tuple[Question, ...], answers: dict[str, str], note: str,
    submitted_at: datetime | None = None, edited_at: datetime | None = None,
) -> tuple[date, str, Mrkdwn]:
    """One stand-up as a row of :func:`history_blocks`: each answer under its question, else the note.

    ``submitted_at`` and ``edited_at`` are shown as given: the caller puts them in the reader's time zone."""
    words = {"answered": tr._("answered"), "skipped": tr._("skipped"), "missed": tr._("missed"),
             "away": tr._("away")}
    word = words.get(status, status)
    if submitted_at is not None:
        word += " · " + tr._("at {time}", time=_when(tr, submitted_at))
    if edited_at is not None:
        word += " · " + tr._("edited {time}", time=_when(tr, edited_at))
    text = "\n".join(f"_{pick(q.text, tr.locale)}_ {escape(answers[q.id])}" for q in questions if q.id in answers)
    return day, word, Mrkdwn(text or escape(note))


# The export's columns (bot.ops.standup_export.COLUMNS), marked for the catalogs.
CSV_COLUMNS = (
    NP_("csv column", "date"), NP_("csv column", "user_id"), NP_("csv column", "name"), NP_("csv column", "status"),
    NP_("csv column", "mood"), NP_("csv column", "note"), NP_("csv column", "submitted_at"),
    NP_("csv column", "edited_at"),
)


def export_header(tr: Translator, questions: tuple[Question, ...]) -> tuple[list[str], dict[str, str]]:
    """The stand-up CSV's first row and status words for the reader. English keeps the column names scripts read
    (date, user_id, yesterday…); a Chinese reader gets words (日期, 成员 ID, 昨天完成了什么？…)."""
    english = tr.locale == "en"
    names = [tr.pgettext("csv column", name) for name in CSV_COLUMNS]
    asked = [q.id if english else pick(q.text, tr.locale) for q in questions if q.kind != "mood"]
    statuses = {"answered": tr._("answered"), "skipped": tr._("skipped"), "missed": tr._("missed"),
                "away": tr._("away")}
    return [*names[:4], *asked, *names[4:]], statuses


def export_comment(tr: Translator, count: int, start: date, end: date) -> str:
    return tr.ngettext("{n} stand-up from {start} to {end}", "{n} stand-ups from {start} to {end}", count,
                       start=tr.date(start), end=tr.date(end))
