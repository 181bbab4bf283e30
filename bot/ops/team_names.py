"""People and channels in team.yml by the names a manager knows: ``@display name``, an email, ``#channel-name``.

Slack ids (``U07…``, ``C07…``) still work and win: a value that looks like an id is left alone. Everything else
is looked up in a :class:`SlackDirectory` read once at start, and a value that does not resolve is reported with
the file and line it is on, so the person who wrote it can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class SlackDirectory:
    """What Slack says about a workspace: people by their lower-cased names, channels by name, and a lookup by
    email (Slack's users.lookupByEmail, asked only for the emails team.yml holds)."""

    people: Mapping[str, tuple[str, ...]]  # "li wei" -> ("U07MGR0001",) (display name, real name, handle)
    channels: Mapping[str, str]  # "ops" -> "C07OPS0001"
    by_email: Callable[[str], str | None]


def is_name(value: object) -> bool:
    """True for a value to look up: ``@name``, ``#channel`` or an email (an id is used as it is)."""
    return isinstance(value, str) and (value.startswith(("@", "#")) or bool(_EMAIL.match(value)))


def names_in(entry: Any) -> list[str]:
    """The values of one team entry that are names rather than ids."""
    if not isinstance(entry, dict):
        return []
    members = [m.get("user") for m in entry.get("members") or () if isinstance(m, dict)]
    channels = list((entry.get("channels") or {}).values()) if isinstance(entry.get("channels"), dict) else []
    return [v for v in (*members, *channels) if is_name(v)]


def line_of(text: str, value: str) -> int | None:
    """The first line of the file holding ``value``, to point a person at it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if value in line:
            return number
    return None


def resolve_names(entry: Any, directory: SlackDirectory, path: Path, text: str) -> tuple[Any, list[str]]:
    """The entry with every name replaced by its Slack id, and one problem per name that did not resolve."""
    if not isinstance(entry, dict):
        return entry, []
    problems: list[str] = []

    def where(value: str) -> str:
        line = line_of(text, value)
        return f"{path}: line {line}: {value}" if line else f"{path}: {value}"

    def person(value: Any) -> Any:
        if not is_name(value) or str(value).startswith("#"):
            return value
        if str(value).startswith("@"):
            found = directory.people.get(str(value)[1:].strip().lower(), ())
            if len(found) == 1:
                return found[0]
            if found:
                problems.append(
                    f"{where(value)} matches {len(found)} people in Slack ({', '.join(sorted(found))}): "
                    "write their email or id"
                )
            else:
                problems.append(
                    f"{where(value)}: nobody in Slack goes by this name: check the spelling (as in "
                    "their Slack profile), or write their email or id"
                )
            return value
        user = directory.by_email(str(value))
        if user is None:
            problems.append(f"{where(value)}: nobody in Slack has this email: check it, or write @name or an id")
            return value
        return user

    def channel(value: Any) -> Any:
        if not isinstance(value, str) or not value.startswith("#"):
            return value
        found = directory.channels.get(value[1:].strip().lower())
        if found is None:
            problems.append(
                f"{where(value)}: no channel by this name in Slack (private ones only once the bot is "
                "in them): check it, or write its id"
            )
            return value
        return found

    resolved = dict(entry)
    if isinstance(entry.get("members"), list):
        resolved["members"] = [
            {**m, "user": person(m.get("user"))} if isinstance(m, dict) else m for m in entry["members"]
        ]
    if isinstance(entry.get("channels"), dict):
        resolved["channels"] = {key: channel(value) for key, value in entry["channels"].items()}
    return resolved, problems


def unresolvable(entry: Any, path: Path, text: str, reason: str) -> list[str]:
    """One problem per name in the entry, when there is no Slack to look them up in (``reason`` says why)."""
    problems = []
    for value in names_in(entry):
        line = line_of(text, value)
        problems.append(f"{path}: line {line}: {value} {reason}" if line else f"{path}: {value} {reason}")
    return problems


def without_names(entry: Any) -> Any:
    """The entry with only the people and channels given by id: a team whose workspace the app is not installed
    in yet starts with those, and is completed once it is (its names can be looked up then)."""
    if not isinstance(entry, dict):
        return entry
    kept = dict(entry)
    if isinstance(entry.get("members"), list):
        kept["members"] = [m for m in entry["members"] if not (isinstance(m, dict) and is_name(m.get("user")))]
    if isinstance(entry.get("channels"), dict):
        kept["channels"] = {key: value for key, value in entry["channels"].items() if not is_name(value)}
    return kept
