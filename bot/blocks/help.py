"""/ops help and /ops team, as Block Kit."""

from __future__ import annotations

from typing import Any

from bot.blocks.common import context, divider, fields, header, section
from bot.blocks.limits import MESSAGE_BLOCKS, fit_blocks
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.team import ChannelKey, Team


def help_blocks(
    tr: Translator, commands: list[tuple[str, str, str]], setup: list[str] | None = None
) -> list[dict[str, Any]]:
    """``commands`` is (command, usage hint, translated help) for every registered slash command; ``setup`` is
    None when the reader may use /ops setup, else the team's managers (user ids) who may."""
    blocks = [header(tr._("Opsbot commands"))]
    for command, usage, text in commands:
        blocks.append(section(f"*{command} {usage}*".replace(" *", "*") + "\n" + text))
        if command == "/ops":
            heading = tr._("/ops setup")
            blocks.append(section(f"*{heading}*\n" + setup_help(tr, setup)))
    blocks.append(context(tr._("Buttons and modals do the rest. Times are shown in your own time zone.")))
    return fit_blocks(blocks, context(tr._("More commands exist than fit here.")), MESSAGE_BLOCKS)


def setup_help(tr: Translator, managers: list[str] | None) -> str:
    if managers is None:
        return tr._(
            "Opens the team's setup form: people per role, channels, time zone, language, base currency, "
            "workdays and holidays. You may use it as the team's manager."
        )
    if not managers:
        return tr._("Only the team's manager can change its setup.")
    return tr._(
        "Only the team's manager can change its setup: {managers}.", managers=tr.join(f"<@{m}>" for m in managers)
    )


# What each channel of team.yml is for, as its heading in /ops team.
CHANNEL_NAMES = {
    ChannelKey.ops: N_("Operations channel"),
    ChannelKey.purchasing: N_("Purchasing channel"),
    ChannelKey.marketing: N_("Marketing channel"),
    ChannelKey.manager: N_("Manager's channel"),
    ChannelKey.data: N_("Data channel"),
    ChannelKey.launches: N_("Launches channel"),
}


def team_blocks(tr: Translator, team: Team, roles: dict[str, list[str]]) -> list[dict[str, Any]]:
    """``roles`` maps each role's translated name to the people holding it (already formatted).

    The codes team.yml holds are shown as words in the reader's language: 中文 (简体), 周一至周五, 中国."""
    nobody = tr._("nobody yet")
    people = [f"*{role}*\n{tr.join(names) or nobody}" for role, names in roles.items()]
    channels = [f"*{tr._(CHANNEL_NAMES[key])}*: <#{team.channels[key]}>" for key in ChannelKey if key in team.channels]
    holidays = tr.join(tr.country_name(code) for code in team.holiday_countries) or tr._("none")
    blocks = [
        header(tr._("Team {name}", name=team.name)),
        context(
            tr._(
                "Time zone {tz} · language {language} · workdays {days} · holidays {countries}",
                tz=tr.timezone_name(team.timezone),
                language=tr.language_name(team.language),
                days=tr.weekdays(team.workdays),
                countries=holidays,
            )
        ),
    ]
    for start in range(0, len(people), 10):
        blocks.append(fields(people[start : start + 10]))
    blocks += [divider(), section(tr._("*Channels*") + "\n" + ("\n".join(channels) or tr._("none configured")))]
    return blocks
