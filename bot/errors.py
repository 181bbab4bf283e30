"""The one error type a user is meant to read.

Domain code raises ``OpsError`` with an untranslated message id (marked with ``N_``) and its
parameters; the handler layer translates it into the reader's language and shows it as a
friendly ephemeral reply or a modal field error. Anything else that escapes is a bug: the user
gets "Something went wrong (ref XXXX)" and the log gets the traceback.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (gettext's N_ convention)."""
    return message


class OpsError(Exception):
    """A problem the user can fix, described in words they understand.

    ``field`` names the modal input the message belongs to, when there is one, so a view
    submission can answer with ``response_action: errors`` on that field.
    """

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"OpsError({self.message!r}, field={self.field!r}, params={self.params!r})"


class ChannelNameTaken(Exception):
    """Slack already has a channel by that name (perhaps archived): the person chooses another."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class ConfigError(Exception):
    """Settings or playbooks are unusable; ``problems`` says each one and how to fix it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
