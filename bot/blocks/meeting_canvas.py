"""A meeting as a Slack canvas (markdown): the agenda as it went out, then its decisions and actions.

Canvas markdown reads ``![](@U123)`` as a mention, ``[text](url)`` and a bare ``https://…`` as links, ``#`` as a
heading. Every line here is made plain first (people by name), then every ASCII mark markdown could read is
backslash-escaped, on one line: what a person typed is shown as typed and can mention, link or head nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.blocks.meeting_lines import plain
from bot.i18n import Translator

# Every ASCII mark markdown, its autolinks or canvas mentions read (a comma or a quote reads as itself).
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~@:&=/^$])")


def canvas_text(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def canvas_markdown(tr: Translator, title: str, when: str, parts: Sequence[tuple[str, str, Sequence[str]]],
                    decisions: Sequence[str], actions: Sequence[str], names: dict[str, str]) -> str:
    """Lines are mrkdwn Opsbot made (user parts escaped for Slack); ``names``: people's names by user id."""
    def bullets(lines: Sequence[str], empty: str) -> list[str]:
        return [f"- {canvas_text(plain(line, names))}" for line in lines] or [canvas_text(empty)]

    out = [f"# {canvas_text(title)}", canvas_text(plain(when, names)), ""]
    for _key, part_title, lines in parts:
        out += [f"## {canvas_text(part_title)}", *bullets(lines, ""), ""]
    decided, to_do = tr._("Decisions"), tr._("Actions")
    out += [f"## {canvas_text(decided)}", *bullets(decisions, tr._("No decisions recorded.")), ""]
    out += [f"## {canvas_text(to_do)}", *bullets(actions, tr._("No actions recorded."))]
    return "\n".join(out) + "\n"
