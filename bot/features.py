"""What a feature declares, and the list of features. Adding a feature is one line in ``FEATURES``.

A feature is one handler module (its ``FEATURE``), one ops module, one blocks module and one
playbook. Its slash commands, shortcuts, events and scopes declared here are what the manifest
prints, and a test checks they match what its ``register`` actually registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_bolt import App

    from bot.scheduler import ScheduledJob
    from bot.services import Services


@dataclass(frozen=True)
class SlashCommand:
    name: str
    description: str
    usage_hint: str = ""


@dataclass(frozen=True)
class Shortcut:
    callback_id: str
    name: str
    description: str
    type: str = "message"  # or "global"


@dataclass(frozen=True)
class Feature:
    name: str
    register: Callable[[Registrar, Services], None]
    commands: tuple[SlashCommand, ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    events: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    load_playbook: Callable[[Path], Any] | None = None
    jobs: Callable[[Services], list[ScheduledJob]] | None = None
    demo_scene: str | None = None  # a console script in bot/console/scenes/


@dataclass
class Registrar:
    """Bolt's registration calls, recorded, so the manifest can be checked against reality."""

    app: App
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

        def decorate(handler: Callable[..., Any]) -> Callable[..., Any]:
            self.command_handlers[name] = handler
            bolt_decorator(handler)
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


def all_features() -> tuple[Feature, ...]:
    from bot.handlers import feedback, home, kpi, launch, restock, standup, workspaces
    from bot.handlers import help as help_feature

    return (
        help_feature.FEATURE, home.FEATURE, standup.FEATURE, kpi.FEATURE, restock.FEATURE, launch.FEATURE,
        feedback.FEATURE, workspaces.FEATURE,
    )
