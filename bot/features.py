"""What a feature declares. The list of features is the wiring's (``bot/wiring.py``): adding one is a line there.

A feature is one handler module (its ``FEATURE``), its flows, one ops module, one blocks module and one
playbook. Everything it contributes is declared here as data: its slash commands, shortcuts, events and
scopes (what the manifest prints; a test checks they match what ``register`` registers), its scheduled jobs,
what a process owes after a form's answer (taken over by a live replica when that process dies), the receipts
that keep its messages' ts, its sections of the morning digest and of the App Home, and how its objects read
when another feature's card links to them. Nothing is registered by importing a module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.flows.context import AgendaSection, Context, DigestSectionProvider, HomeReader, HomeSection, LinkKind
from bot.ops.team import Team
from bot.outbox import ReceiptHook
from bot.scheduler import ScheduledJob

if TYPE_CHECKING:
    from slack_bolt import App


@dataclass(frozen=True)
class Alias:
    """A subcommand as a Chinese reader types it: ``/restock 列表`` is ``/restock list``. One or two words each."""

    canonical: str
    zh_CN: str
    zh_TW: str
    anywhere: bool = False  # a word of its own wherever it stands (/kpi US 昨天), not only as the subcommand

    def word(self, locale: str) -> str:
        return self.zh_TW if locale == "zh_TW" else self.zh_CN


@dataclass(frozen=True)
class SlashCommand:
    name: str
    description: str
    usage_hint: str = ""
    aliases: tuple[Alias, ...] = ()  # applied once, where the command's text arrives (Registrar.command)

    def canonical_text(self, text: str) -> str:
        """The typed text with a leading alias replaced by its subcommand; everything after it is kept as typed."""
        words = {w.lower(): a.canonical for a in self.aliases if a.anywhere for w in (a.zh_CN, a.zh_TW)}
        if words:
            text = " ".join(words.get(token.lower(), token) for token in text.split(" "))
        table = {w.lower(): a.canonical for a in self.aliases for w in (a.zh_CN, a.zh_TW)}
        for count in (2, 1):  # the longer alias first: 列表 全部 before 列表
            parts = text.strip().split(None, count)
            if len(parts) >= count and " ".join(parts[:count]).lower() in table:
                rest = parts[count:]
                return " ".join([table[" ".join(parts[:count]).lower()], *rest])
        return text


@dataclass(frozen=True)
class Shortcut:
    callback_id: str
    name: str
    description: str
    type: str = "message"  # or "global"


@dataclass(frozen=True)
class Feature:
    name: str
    register: Callable[[Registrar, Context], None]
    commands: tuple[SlashCommand, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    events: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    load_playbook: Callable[[Path], Any] | None = None
    jobs: Callable[[Context], list[ScheduledJob]] | None = None
    # What a process owes after a form's answer and may not live to do (a new launch's channel), stored with the
    # change: each scheduler tick calls it per team, in the team's workspace, and it takes over what a dead
    # process left once that one's lease has run out.
    owed: Callable[[Context, Team], None] | None = None
    receipts: tuple[ReceiptHook, ...] = ()  # where its messages' ts are kept once Slack has them
    digest_sections: tuple[DigestSectionProvider, ...] = ()  # its part of the morning KPI digest
    home_sections: tuple[HomeSection, ...] = ()  # its part of each person's App Home, in feature order
    link_kinds: tuple[LinkKind, ...] = ()  # its objects as other features' cards show them (bot/flows/links.py)
    agenda_sections: tuple[AgendaSection, ...] = ()  # its parts of meeting agendas, by key (meetings.yml)
    demo_scene: str | None = None  # a console script in bot/console/scenes/


@dataclass
class Registrar:
    """Bolt's registration calls, recorded, so the manifest can be checked against reality; and what listeners
    need beyond the context: the settings they were started with and every feature (for help and App Home)."""

    app: App
    settings: Settings
    features: tuple[Feature, ...] = ()
    commands: set[str] = field(default_factory=set)
    shortcuts: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    command_handlers: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def command(self, name: str) -> Callable[..., Any]:
        """Register a slash command; the handler's docstring is its help text in ``/ops help``."""
        self.commands.add(name)
        bolt_decorator = self.app.command(name)
        declared = next((c for f in self.features for c in f.commands if c.name == name), None)

        def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.command_handlers[name] = handler
            if declared is None or not declared.aliases:
                bolt_decorator(handler)
                return handler

            @functools.wraps(handler)  # Bolt reads the handler's own arguments through the wrapper
            def with_aliases(**kwargs: Any) -> Any:
                if isinstance(kwargs.get("command"), dict):
                    command = kwargs["command"]
                    kwargs["command"] = {**command, "text": declared.canonical_text(command.get("text") or "")}
                return handler(**kwargs)

            bolt_decorator(with_aliases)
            return handler

        return decorate

    def shortcut(self, callback_id: str) -> Callable[..., Any]:
        self.shortcuts.add(callback_id)
        return self.app.shortcut(callback_id)

    def event(self, name: str) -> Callable[..., Any]:
        self.events.add(name)
        return self.app.event(name)

    def action(self, action_id: str) -> Callable[..., Any]:
        self.actions.add(action_id)
        return self.app.action(action_id)

    def view(self, callback_id: str) -> Callable[..., Any]:
        self.views.add(callback_id)
        return self.app.view(callback_id)

    def message(self, **kwargs: Any) -> Callable[..., Any]:
        self.events.add("message")
        return self.app.message(**kwargs)



__all__ = ["AgendaSection", "Alias", "Feature", "HomeReader", "HomeSection", "LinkKind", "Registrar", "Shortcut",
           "SlashCommand"]
