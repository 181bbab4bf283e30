"""Composition at the top: settings, database, delivery, the features and their callbacks, built once.

Nothing below imports this module (an import-linter contract says so): the CLI and the console build an
:class:`Opsbot` here and hand each part only what it uses — a feature's listeners and jobs get the
:class:`~bot.flows.context.Context`, the outbox gets the features' receipts, the KPI digest gets their
digest sections, the App Home their sections.

Adding a feature is one line in :data:`FEATURES`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.app import build_app
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import Database
from bot.db.migrate import pending, upgrade
from bot.delivery import Delivery
from bot.errors import ConfigError
from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.setup import TeamSetup
from bot.flows.workspaces import WorkspaceLifecycle
from bot.handlers import feedback, goals, home, kpi, launch, meetings, promo, restock, setup, standup, workspaces
from bot.handlers import help as help_feature
from bot.manifest import bot_scopes
from bot.oauth import oauth_settings
from bot.ops.team import Team, TeamDirectory
from bot.outbox import OutboxWorker
from bot.outbox.work import is_database_down
from bot.people import People, TeamNames
from bot.playbooks import load_teams
from bot.scheduler import ScheduledJob, Scheduler
from bot.workspaces import NotInstalled, Workspaces, WorkspaceTeams, serving, token_gone

log = logging.getLogger(__name__)
FEATURES: tuple[Feature, ...] = (
    setup.FEATURE, help_feature.FEATURE, home.FEATURE, standup.FEATURE, kpi.FEATURE, restock.FEATURE, launch.FEATURE,
    feedback.FEATURE, promo.FEATURE, goals.FEATURE, meetings.FEATURE, workspaces.FEATURE,
)


READY_TIMEOUT = 1.5  # seconds /readyz waits for the database: a probe that hangs is a failed probe to its caller


@dataclass
class Opsbot:
    """The running bot: its context, its features, the scheduler's ticks and the outbox's senders."""

    settings: Settings
    context: Context
    features: tuple[Feature, ...]
    lifecycle: WorkspaceLifecycle = field(init=False)
    scheduler: Scheduler = field(init=False)
    team_setup: TeamSetup = field(init=False)
    team_names: TeamNames | None = None  # teams whose @names wait for their workspace's install
    outbox_worker: OutboxWorker = field(init=False)
    _probe: Future[bool] | None = field(init=False, default=None, repr=False)  # /readyz's question to the database
    # Where the scheduler and the senders say whether they run, when not in this process (start_background).
    _elsewhere: Callable[[], dict[str, bool]] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.team_setup = TeamSetup(self.context)
        self.lifecycle = WorkspaceLifecycle(self.workspaces, self.db, self.clock)
        self.scheduler = Scheduler(self.db, self.clock, self.scheduled_jobs, job_context=self.job_workspace,
                                   job_failed=self.job_failed, owed=self.take_over_owed)
        self.outbox_worker = OutboxWorker(self.delivery.outbox, senders=self.settings.outbox_senders)
        self.delivery.outbox.token_refused = self.token_refused

    # What the CLI, the console and tests reach for, above the features.
    @property
    def db(self) -> Database:
        return self.context.db

    @property
    def clock(self) -> Clock:
        return self.context.clock

    @property
    def teams(self) -> TeamDirectory:
        return self.context.teams

    @property
    def delivery(self) -> Delivery:
        return self.context.delivery

    @property
    def workspaces(self) -> Workspaces:
        return self.context.delivery.workspaces

    def bolt_app(self, *, client: WebClient | None = None, process_before_response: bool = False
                 ) -> tuple[App, Registrar]:
        """The real Bolt app with every feature's listeners: the same in Socket Mode, HTTP, console and tests."""
        oauth = None
        if self.settings.several_workspaces:
            oauth = oauth_settings(self.settings, self.lifecycle, self.db.engine, bot_scopes(self.features))
        return build_app(self.settings, self.context, self.features, oauth=oauth, client=client,
                         process_before_response=process_before_response)

    def start_background(self, elsewhere: Callable[[], dict[str, bool]] | None = None) -> None:
        """The scheduler's ticks and the outbox's senders: what a running bot does besides answering Slack.

        ``elsewhere``: they run in another process (``opsbot serve``'s work process, which starts them there with
        this method, without it); this one only reads the outbox's gauges for /metrics, and /readyz asks
        ``elsewhere`` whether they run."""
        self._elsewhere = elsewhere
        if elsewhere is not None:
            self.outbox_worker.watch()
            return
        self.outbox_worker.start()
        self.scheduler.start()

    def stop_background(self, wait: bool = False) -> None:
        """What :meth:`start_background` started in this process (with ``elsewhere``, nothing: that process stops
        its own). ``wait``: a tick at work finishes first, while the senders still run (the work process, which
        is about to exit; its parent kills it if that takes too long)."""
        if self._elsewhere is not None:
            return
        self.scheduler.shutdown(wait=wait)
        self.outbox_worker.stop()

    def background_running(self) -> dict[str, bool]:
        """Whether the scheduler ticks and the outbox's senders run in this process (what the work process
        reports to the process answering /readyz)."""
        return {"scheduler": self.scheduler.running, "outbox": self.outbox_worker.running}

    def readiness(self) -> dict[str, bool | None]:
        """What /readyz reports: the database answers, its migrations are current, the scheduler ticks and the
        outbox's senders run (here, or in the process that runs them). The database is asked for at most
        READY_TIMEOUT seconds (one that hangs must not hang the probe); while it cannot be asked, whether
        migrations are current is unknown (None), not "pending"."""
        running = self._elsewhere() if self._elsewhere is not None else self.background_running()
        checks: dict[str, bool | None] = {"database": False, "migrations": None, **running}
        if self._probe is None or self._probe.done():  # one question at a time to a database that hangs
            self._probe = Future()
            threading.Thread(target=self._ask_database, args=(self._probe,), name="opsbot-readiness",
                             daemon=True).start()
        try:
            checks["migrations"] = self._probe.result(timeout=READY_TIMEOUT)
            checks["database"] = True
        except (SQLAlchemyError, TimeoutError):  # refused, or no answer in time
            pass
        return checks

    def _ask_database(self, answer: Future[bool]) -> None:
        try:
            with self.db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            answer.set_result(not pending(self.db.engine))
        except SQLAlchemyError as error:
            answer.set_exception(error)

    def job_workspace(self, job: ScheduledJob) -> AbstractContextManager[bool]:
        """A team's job talks to the team's workspace; where the app is not installed it does not run."""
        return self._team_workspace(self.teams.by_id(job.team_id))

    @contextmanager
    def _team_workspace(self, team: Team | None) -> Iterator[bool]:
        workspace = team.slack_team_id if team else None
        if workspace is not None and not self.workspaces.installed(workspace):
            yield False  # Workspaces logged it, once
            return
        with serving(workspace):
            yield True

    def take_over_owed(self) -> None:
        """What a process owed after a form's answer and died owing (a new launch's channel), taken over once its
        lease ran out: each feature's, team by team, in the team's workspace (every scheduler tick)."""
        owing = [feature.owed for feature in self.features if feature.owed is not None]
        if not owing:
            return
        for team in self.teams.teams:
            with self._team_workspace(team) as runnable:
                if not runnable:
                    continue
                for owed in owing:
                    try:
                        owed(self.context, team)
                    except Exception as error:
                        if is_database_down(error):
                            raise  # the tick's: one line for the outage, taken over once the database is back
                        log.exception("taking over what a process owed for team %s failed", team.id)

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
        if self.workspaces.several:
            self.lifecycle.token_refused(workspace, code)

    def scheduled_jobs(self) -> list[ScheduledJob]:
        # A team whose workspace was installed since start gets the people and channels team.yml names; the teams
        # as last saved with /ops setup, here or on another replica: the jobs follow both without a restart.
        completed = self.team_names.resolve_pending(self.teams, self.workspaces) if self.team_names else []
        self.team_setup.apply_saved(again=completed)
        jobs: list[ScheduledJob] = []
        for feature in self.features:
            if feature.jobs is not None:
                jobs += feature.jobs(self.context)
        return jobs


def load_playbooks(
    settings: Settings, features: tuple[Feature, ...], client: WebClient | None = None,
    names: TeamNames | None = None,
) -> tuple[TeamDirectory, dict[str, Any]]:
    """Validate every playbook at start; all problems are reported together. People and channels that team.yml
    names rather than gives ids for are looked up in Slack (with ``client``, else the bot token's; ``names``
    keeps what waits for a workspace's install)."""
    problems: list[str] = []
    teams = TeamDirectory([])
    try:
        teams = load_teams(settings.playbooks_dir, resolve=names or TeamNames.for_settings(settings, client))
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


def wire(
    settings: Settings,
    *,
    clock: Clock | None = None,
    client: WebClient | None = None,
    features: tuple[Feature, ...] | None = None,
    migrate: bool = True,
) -> Opsbot:
    chosen = features if features is not None else FEATURES
    names = TeamNames.for_settings(settings, client)
    teams, playbooks = load_playbooks(settings, chosen, client, names)
    db = Database(settings.database_url)
    if migrate:
        upgrade(db.engine)
    if settings.several_workspaces:
        # No bot token of its own: each workspace's comes from the installations in the same database.
        web = client or WebClient(base_url=settings.slack_api_url)
        assert settings.slack_client_id is not None
        store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=db.engine)
        teams = WorkspaceTeams(teams.teams)
        slack = Workspaces(web, store, teams=teams)
    else:
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        web = client or WebClient(token=token, base_url=settings.slack_api_url)
        slack = Workspaces(web, teams=teams)
    chosen_clock = clock or SystemClock()
    context = Context(
        db=db, clock=chosen_clock, teams=teams, people=People(web, workspaces=slack, db=db, clock=chosen_clock),
        delivery=Delivery(web, db, workspaces=slack, pace_seconds=settings.pace_seconds,
                          receipts=[hook for f in chosen for hook in f.receipts]),
        playbooks=playbooks, playbooks_dir=settings.playbooks_dir,
        digest_sections=tuple(section for f in chosen for section in f.digest_sections),
        home_sections=tuple(section for f in chosen for section in f.home_sections),
        commands=tuple((c.name, c.usage_hint) for f in chosen for c in f.commands),
        link_kinds={kind.kind: kind for f in chosen for kind in f.link_kinds},
        agenda_sections={part.key: part for f in chosen for part in f.agenda_sections},
    )
    return Opsbot(settings=settings, context=context, features=chosen, team_names=names)
