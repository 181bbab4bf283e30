"""Setting a team up from Slack: the setup form and its preview, and what the bot says about the channels it
needs (what it posts in each, how to add it to a private one)."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import context, input_block, modal, option, plain, section
from bot.blocks.text import escape
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.team import WEEKDAYS, ChannelKey, Role, Team

# What each channel of team.yml is for, as the bot tells the people who add it there.
CHANNEL_USES = {
    ChannelKey.ops: N_("stand-up summaries and the morning KPI digest"),
    ChannelKey.purchasing: N_("restock requests and their approvals"),
    ChannelKey.marketing: N_("market feedback for marketing"),
    ChannelKey.manager: N_("approvals and feedback for the manager"),
    ChannelKey.launches: N_("launch checklists and their go / no-go"),
}


def welcome_text(tr: Translator, key: ChannelKey) -> str:
    """Said in a channel the bot was just added to."""
    if key is ChannelKey.data:
        return tr._("Thanks for adding me. Share your report files here and I'll load them for the KPI digest.")
    return tr._("Thanks for adding me. Here I'll post {uses}.", uses=tr._(CHANNEL_USES[key]))


def invite_me_text(tr: Translator, key: ChannelKey, name: str) -> str:
    """Said to the manager about a private channel the bot needs and is not in."""
    shown = escape(name)
    if key is ChannelKey.data:
        return tr._(
            "I'm not in #{name}, the private channel where your team shares report files, so I cannot load "
            "them. To add me, type /invite @Opsbot in #{name}.",
            name=shown,
        )
    return tr._(
        "I'm not in #{name}, the private channel where I post {uses}. To add me, type /invite @Opsbot in #{name}.",
        name=shown,
        uses=tr._(CHANNEL_USES[key]),
    )


FORM = "setup.form"
PREVIEW = "setup.preview"
WEEKDAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
LANGUAGES = {"en": "English", "zh-CN": "简体中文", "zh-TW": "繁體中文"}
CHANNEL_LABELS = {
    ChannelKey.ops: N_("Team channel (stand-ups, digest)"),
    ChannelKey.purchasing: N_("Purchasing channel"),
    ChannelKey.marketing: N_("Marketing channel"),
    ChannelKey.manager: N_("Manager's channel"),
    ChannelKey.data: N_("Report files channel"),
    ChannelKey.launches: N_("Launches channel"),
}
FIELD_LABELS = {
    "timezone": N_("Time zone"),
    "language": N_("Language"),
    "base_currency": N_("Base currency"),
    "workdays": N_("Workdays"),
    "holiday_countries": N_("Public holidays of"),
    "channels": N_("Channels"),
    "members": N_("People and roles"),
}


def setup_modal(tr: Translator, team: Team, offered: tuple[str, ...], role_labels: dict[Role, str]) -> dict[str, Any]:
    """The form for the team's setup: only what team.yml leaves out (the file wins where it says something)."""
    blocks: list[dict[str, Any]] = []
    if "timezone" in offered:
        blocks.append(
            input_block(
                "timezone",
                tr._("Time zone"),
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": team.timezone,
                    "placeholder": plain(tr._("e.g. Asia/Shanghai")),
                    "max_length": 64,
                },
            )
        )
    if "language" in offered:
        blocks.append(
            input_block(
                "language",
                tr._("Language"),
                {
                    "type": "static_select",
                    "action_id": "value",
                    "options": [option(name, code) for code, name in LANGUAGES.items()],
                    "initial_option": option(
                        LANGUAGES.get(team.language, "English"), team.language if team.language in LANGUAGES else "en"
                    ),
                },
            )
        )
    if "base_currency" in offered:
        blocks.append(
            input_block(
                "base_currency",
                tr._("Base currency"),
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": team.base_currency,
                    "max_length": 3,
                },
            )
        )
    if "workdays" in offered:
        days = [option(tr._(WEEKDAY_NAMES[d]), d) for d in WEEKDAYS]
        blocks.append(
            input_block(
                "workdays",
                tr._("Workdays"),
                {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": days,
                    "initial_options": [o for o in days if o["value"] in team.workdays],
                },
            )
        )
    if "holiday_countries" in offered:
        blocks.append(
            input_block(
                "holiday_countries",
                tr._("Public holidays of"),
                {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "initial_value": ", ".join(team.holiday_countries),
                    "placeholder": plain(tr._("country codes, e.g. CN, US")),
                    "max_length": 200,
                },
                optional=True,
            )
        )
    if "channels" in offered:
        for key in ChannelKey:
            element: dict[str, Any] = {
                "type": "conversations_select",
                "action_id": "value",
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            }
            if key in team.channels:
                element["initial_conversation"] = team.channels[key]
            blocks.append(
                input_block(
                    f"channel_{key.value}", tr._(CHANNEL_LABELS[key]), element, optional=key is not ChannelKey.ops
                )
            )
    if "members" in offered:
        for role in Role:
            people = [m.user for m in team.people_with(role)]
            element = {"type": "multi_users_select", "action_id": "value"}
            if people:
                element["initial_users"] = people
            blocks.append(
                input_block(f"role_{role.value}", role_labels[role], element, optional=role is not Role.manager)
            )
    fixed = [tr._(label) for name, label in FIELD_LABELS.items() if name not in offered]
    if fixed:
        blocks.append(context(tr._("Set in team.yml, where you change them: {fields}", fields=", ".join(fixed))))
    return modal(
        tr._("Team setup"),
        blocks,
        callback_id=FORM,
        submit=tr._("Preview"),
        close=tr._("Cancel"),
        private_metadata=team.id,
    )


def preview_modal(
    tr: Translator, team: Team, values: dict[str, Any], role_labels: dict[Role, str], metadata: str
) -> dict[str, Any]:
    """What will be saved, as the team will see it, before it is."""
    lines: list[str] = []
    if "timezone" in values:
        lines.append(f"*{tr._('Time zone')}*: {escape(values['timezone'])}")
    if "language" in values:
        lines.append(f"*{tr._('Language')}*: {LANGUAGES.get(values['language'], escape(values['language']))}")
    if "base_currency" in values:
        lines.append(f"*{tr._('Base currency')}*: {escape(values['base_currency'])}")
    if "workdays" in values:
        lines.append(f"*{tr._('Workdays')}*: " + ", ".join(tr._(WEEKDAY_NAMES[d]) for d in values["workdays"]))
    if "holiday_countries" in values:
        countries = ", ".join(escape(c) for c in values["holiday_countries"]) or tr._("none")
        lines.append(f"*{tr._('Public holidays of')}*: {countries}")
    blocks = [section("\n".join(lines))] if lines else []
    if "channels" in values:
        shown = [f"{tr._(CHANNEL_LABELS[ChannelKey(k)])}: <#{c}>" for k, c in values["channels"].items()]
        blocks.append(section(f"*{tr._('Channels')}*\n" + "\n".join(shown)))
    if "members" in values:
        by_role = [
            f"{escape(role_labels[role])}: "
            + ", ".join(f"<@{m['user']}>" for m in values["members"] if role.value in m["roles"])
            for role in Role
            if any(role.value in m["roles"] for m in values["members"])
        ]
        blocks.append(section(f"*{tr._('People and roles')}*\n" + "\n".join(by_role)))
    blocks.append(context(tr._("Saved for team {team}; /ops team shows it afterwards.", team=escape(team.name))))
    return modal(
        tr._("Check and save"),
        blocks,
        callback_id=PREVIEW,
        submit=tr._("Save"),
        close=tr._("Cancel"),
        private_metadata=metadata,
    )
