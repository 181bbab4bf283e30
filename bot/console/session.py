"""ConsoleSlack: the real Bolt app, driven the way a person drives Slack, in one process.

A typed ``/restock ...`` becomes a correctly signed slash-command request dispatched to the app;
the app's Web API calls go to the emulator, which records them; ``render`` shows them.

``send(line)`` reads one console line and hands it to the part that carries it out:

- ``real_app.py``  the real app and its services on the emulator, set up and torn down (``RealApp``)
- ``seat.py``      who speaks, where, what was shown, which modals are open (``Seat``)
- ``gestures.py``  slash commands, ``!click``, ``!say``, ``!shortcut``, ``!upload``, ``!home``
- ``modals.py``    ``!fill``, ``!submit``, ``!close``

``!as``, ``!in`` and ``!at`` (who, where, when) are carried out here.

With ``several_workspaces`` the app has no bot token: it is installed into each team's workspace
through the real OAuth flow (``install``), and whoever speaks does so from their team's workspace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import BoltResponse

from bot.console.errors import ConsoleError
from bot.console.faults import Faults
from bot.console.gestures import Gestures
from bot.console.modals import ModalForms
from bot.console.real_app import WORKSPACE_FILE, RealApp
from bot.console.render import Renderer
from bot.console.seat import ModalState, Seat
from bot.console.slack_state import Record
from bot.features import Feature
from bot.ops.team import ChannelKey, Role, Team


class ConsoleSlack:
    def __init__(
        self,
        *,
        playbooks_dir: Path,
        database_url: str,
        start: datetime,
        workspace_file: Path = WORKSPACE_FILE,
        faults: Faults | None = None,
        features: tuple[Feature, ...] | None = None,
        as_user: str | None = None,
        in_channel: str | None = None,
        several_workspaces: bool = False,
    ) -> None:
        self.real_app = RealApp(
            playbooks_dir=playbooks_dir, database_url=database_url, start=start, workspace_file=workspace_file,
            faults=faults, features=features, several_workspaces=several_workspaces,
        )
        # The real app's parts, by the names tests and the REPL read them.
        real = self.real_app
        self.clock, self.signing_secret, self.settings = real.clock, real.signing_secret, real.settings
        self.emulator, self.services, self.app, self.registrar = real.emulator, real.services, real.app, real.registrar
        # Whoever does not say otherwise is the first team's manager, in its ops channel; a team.yml naming nobody
        # yet (a team to set up with /ops setup) starts as the workspace's first person, as its installer would.
        team = real.first_team
        managers = team.people_with(Role.manager)
        people = [m.user for m in managers] + [m.user for m in team.members]
        people += [u.id for u in real.emulator.users.values() if not u.is_bot]
        if not people and not as_user:
            raise ConsoleError("nobody to speak as: team.yml and workspace.yml name no one; pass --as U…")
        self.seat = Seat(
            real,
            user=as_user or people[0],
            channel=in_channel or team.channels.get(ChannelKey.ops, "C0OPS"),
        )
        self.modal_forms = ModalForms(self.seat)
        self.gestures = Gestures(self.seat, self.modal_forms)

    # -- the seat, by the names tests and the REPL read and set ----------------------------------
    @property
    def user(self) -> str:
        return self.seat.user

    @user.setter
    def user(self, user: str) -> None:
        self.seat.user = user

    @property
    def channel(self) -> str:
        return self.seat.channel

    @channel.setter
    def channel(self, channel: str) -> None:
        self.seat.channel = channel

    @property
    def team(self) -> Team:
        """The team of whoever speaks now (their workspace is where their lines come from)."""
        return self.seat.team

    @property
    def renderer(self) -> Renderer:
        return self.seat.renderer

    @property
    def modals(self) -> dict[str, list[ModalState]]:
        """Each person's open modals, the top one last."""
        return self.seat.modals

    # -- set-up and tear-down --------------------------------------------------------------------
    def close(self) -> None:
        self.real_app.close()

    def install(self, workspace: str, installer: str | None = None) -> str:
        """Install the app into a workspace the way a person does; the page the installer ends on."""
        return self.real_app.install(workspace, installer)

    def dispatch(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltResponse:
        return self.real_app.dispatch(body, content_type)

    # -- one line of console input ---------------------------------------------------------------
    def send(self, line: str) -> str:
        """Carry out one console line and return what appeared, rendered."""
        line = line.strip()
        if not line or line.startswith("#"):
            return ""
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            return self.command(command, text.strip())
        verb, _, rest = line.partition(" ")
        actions: dict[str, Callable[[str], str]] = {
            "!click": self.click,
            "!fill": self.fill,
            "!submit": lambda _: self.submit(),
            "!close": lambda _: self.close_modal(),
            "!shortcut": self.shortcut,
            "!upload": self.upload,
            "!as": self.switch_user,
            "!in": self.switch_channel,
            "!at": self.at,
            "!later": self.later,
            "!say": self.say,
            "!home": lambda _: self.home(),
        }
        if verb not in actions:
            raise ConsoleError(
                f"unknown console line {line!r}: use /command, !click, !fill, !submit, !close, !shortcut, "
                "!upload, !say, !home, !as, !in, !at, !later or # comment"
            )
        return actions[verb](rest.strip())

    def run_script(self, lines: Iterable[str], echo: bool = True) -> str:
        out: list[str] = []
        for line in lines:
            if echo and line.strip():
                out.append(("» " if not line.startswith("#") else "") + line.rstrip())
            result = self.send(line)
            if result:
                out.append(result)
        return "\n".join(out)

    # -- gestures (gestures.py) ------------------------------------------------------------------
    def command(self, command: str, text: str) -> str:
        return self.gestures.command(command, text)

    def click(self, target: str) -> str:
        return self.gestures.click(target)

    def say(self, text: str) -> str:
        return self.gestures.say(text)

    def shortcut(self, rest: str) -> str:
        return self.gestures.shortcut(rest)

    def upload(self, rest: str) -> str:
        return self.gestures.upload(rest)

    def home(self) -> str:
        return self.gestures.home()

    # -- modals (modals.py) ----------------------------------------------------------------------
    def fill(self, assignments: str) -> str:
        return self.modal_forms.fill(assignments)

    def submit(self) -> str:
        return self.modal_forms.submit()

    def close_modal(self) -> str:
        return self.modal_forms.close()

    def _view_with_state(self, record: Record) -> dict[str, Any]:
        # The modal fuzz test reads the values a submission would carry.
        return self.modal_forms.view_with_state(record)

    # -- who, where, when ------------------------------------------------------------------------
    def switch_user(self, user: str) -> str:
        if not user or user not in self.emulator.users:
            raise ConsoleError(
                f"!as needs a user id from the workspace, e.g. {', '.join(list(self.emulator.users)[1:4])}"
            )
        self.user = user
        return f"(you are now {self.renderer.name_of(user)})"

    def switch_channel(self, channel: str) -> str:
        if not channel:
            raise ConsoleError("!in needs a channel id such as C0OPS")
        self.channel = self.emulator.dm_channel_of(channel) if channel.startswith("U") else channel
        return f"(you are now in {self.renderer.channel_label(self.channel)})"

    def at(self, when: str) -> str:
        """Move the clock forward to ``YYYY-MM-DD HH:MM [Area/City]`` and run every job that fell due."""
        target = self._moment(when, "!at")
        self.services.scheduler.advance_to(self.clock, target)
        local = target.strftime("%a %Y-%m-%d %H:%M %Z")
        output = self.seat.new_output()
        return f"⏰ {local}" + ("\n" + output if output else "")

    def later(self, when: str) -> str:
        """Cut to ``YYYY-MM-DD HH:MM [Area/City]`` weeks ahead, as a film cuts: the days between are not played.
        Opsbot sees what a restart there would: each job's fires still within its grace window run, older ones
        are let go (a demo's six weeks of stand-ups and digests are not shown, nor waited for)."""
        target = self._moment(when, "!later")
        since = self.clock.now()
        self.clock.set(target)
        self.services.scheduler.run_due(since, target)
        local = target.strftime("%a %Y-%m-%d %H:%M %Z")
        output = self.seat.new_output()
        return f"⏰ {local} (the days between are skipped)" + ("\n" + output if output else "")

    def _moment(self, when: str, verb: str) -> datetime:
        parts = when.split()
        try:
            zone = ZoneInfo(parts[2]) if len(parts) > 2 else self.team.zone
            target = datetime.strptime(" ".join(parts[:2]), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
        except (ValueError, KeyError) as exc:
            raise ConsoleError(
                f"{verb} takes YYYY-MM-DD HH:MM and optionally a time zone, e.g. {verb} 2026-11-23 09:00"
            ) from exc
        if target < self.clock.now():
            raise ConsoleError("the clock only moves forward")
        return target
