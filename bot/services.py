"""Composition root: everything a handler or job needs, built once and passed in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import Database
from bot.db.migrate import upgrade
from bot.delivery import Delivery
from bot.errors import N_, ConfigError, OpsError
from bot.features import Feature, all_features
from bot.i18n import Translator, translator
from bot.ops.team import Role, Team, TeamDirectory
from bot.outbox import OutboxWorker
from bot.people import People
from bot.playbooks import load_teams
from bot.scheduler import ScheduledJob, Scheduler
from bot.workspaces import NotInstalled, Workspaces, WorkspaceTeams, serving, token_gone

P = TypeVar("P")


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    teams: TeamDirectory
    delivery: Delivery
    people: People
    features: tuple[Feature, ...]
    playbooks: dict[str, Any] = field(default_factory=dict)
    scheduler: Scheduler = field(init=False)
    outbox_worker: OutboxWorker = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.db, self.clock, self.scheduled_jobs, job_context=self.job_workspace,
                                   job_failed=self.job_failed)
        self.outbox_worker = OutboxWorker(self.delivery.outbox, senders=self.settings.outbox_senders)
        self.delivery.outbox.token_refused = self.token_refused

    def start_background(self) -> None:
        """The scheduler's ticks and the outbox's senders: what a running bot does besides answering Slack."""
        self.outbox_worker.start()
        self.scheduler.start()

    def stop_background(self) -> None:
        self.scheduler.shutdown()
        self.outbox_worker.stop()

    @property
    def workspaces(self) -> Workspaces:
        return self.delivery.workspaces

    @contextmanager
    def job_workspace(self, job: ScheduledJob) -> Iterator[bool]:
        """A team's job talks to the team's workspace; where the app is not installed it does not run."""
        team = self.teams.by_id(job.team_id)
        workspace = team.slack_team_id if team else None
        if workspace is not None and not self.workspaces.installed(workspace):
            yield False  # Workspaces logged it, once
            return
        with serving(workspace):
            yield True

    def job_failed(self, job: ScheduledJob, error: Exception) -> bool:
        """Slack refusing a workspace's bot token (the app was uninstalled while the bot was down, or on another
        replica a moment ago) is an uninstall noticed late: cleaned up like one, not a traceback."""
        if isinstance(error, NotInstalled):
            return True  # uninstalled while the job ran; Workspaces logged it
        team = self.teams.by_id(job.team_id)
        code = token_gone(error)
        if team is None or code is None or not self.workspaces.several:
            return False
        self.token_refused(team.slack_team_id, code)
        return True

    def token_refused(self, workspace: str, code: str) -> None:
        if not self.workspaces.several:
            return
        from bot.installs import token_refused  # installs builds on Services

        token_refused(self, workspace, code)

    def scheduled_jobs(self) -> list[ScheduledJob]:
        jobs: list[ScheduledJob] = []
        for feature in self.features:
            if feature.jobs is not None:
                jobs += feature.jobs(self)
        return jobs

    def playbook(self, kind: type[P]) -> P:
        """A feature's validated playbook, by its model type."""
        for value in self.playbooks.values():
            if isinstance(value, kind):
                return value
        raise LookupError(f"no playbook of type {kind.__name__} is loaded")

    def team_of(self, user_id: str, slack_team_id: str | None = None) -> Team:
        team = self.teams.for_user(user_id, slack_team_id)
        if team is None:
            raise OpsError(
                N_("You are not in any Opsbot team yet. Ask your manager to add {user} under members: in {file}."),
                user=user_id, file=str(self.settings.playbooks_dir / "team.yml"),
            )
        return team

    def translator_for(self, user_id: str | None, team: Team | None = None) -> Translator:
        """A person's own Slack locale wins in what only they see; else the team's language."""
        if user_id:
            locale = self.people.profile(user_id).locale
            if locale:
                return translator(locale)
        return translator(team.locale if team else None)

    def has_role(self, team: Team, user_id: str, role: Role) -> bool:
        group = team.usergroups.get(role)
        members = self.people.group_members(group) if group else frozenset()
        return team.has_role(user_id, role, members)


def load_playbooks(settings: Settings, features: tuple[Feature, ...]) -> tuple[TeamDirectory, dict[str, Any]]:
    """Validate every playbook at start; all problems are reported together."""
    problems: list[str] = []
    teams = TeamDirectory([])
    try:
        teams = load_teams(settings.playbooks_dir)
    except ConfigError as exc:
        problems += exc.problems
    loaded: dict[str, Any] = {}
    for feature in features:
        if feature.load_playbook is None:
            continue
        try:
            loaded[feature.name] = feature.load_playbook(settings.playbooks_dir)
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return teams, loaded


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    client: WebClient | None = None,
    features: tuple[Feature, ...] | None = None,
    migrate: bool = True,
) -> Services:
    chosen = features if features is not None else all_features()
    teams, playbooks = load_playbooks(settings, chosen)
    db = Database(settings.database_url)
    if migrate:
        upgrade(db.engine)
    if settings.several_workspaces:
        # No bot token of its own: each workspace's comes from the installations in the same database.
        web = client or WebClient(base_url=settings.slack_api_url)
        assert settings.slack_client_id is not None
        store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=db.engine)
        teams = WorkspaceTeams(teams.teams)
        workspaces = Workspaces(web, store, teams=teams)
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        web = client or WebClient(token=token, base_url=settings.slack_api_url)
        workspaces = Workspaces(web, teams=teams)
    return Services(
        settings=settings, db=db, clock=clock or SystemClock(), teams=teams,
        delivery=Delivery(web, db, workspaces=workspaces, pace_seconds=settings.pace_seconds),
        people=People(web, workspaces=workspaces),
        features=chosen, playbooks=playbooks,
    )
