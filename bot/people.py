"""Who a Slack user is, as far as the bot needs: time zone, locale, display name, group membership.

Read from ``users.list`` (with ``include_locale``: the whole workspace, 200 people a call, the first time
anyone is asked about), cached for an hour so building a thousand members'
prompt schedule, or a fan-out of prompts, costs a handful of calls rather than one each; someone the list
did not have (they joined since) is asked of ``users.info``. Ids are only unique within a workspace, so
everything is cached per workspace and asked of that workspace with its own token.

What Slack said is also stored (``people_profiles``, ``bot/db/people.py``): language, time zone and name, written
when it differs from the row there. When Slack refuses, hangs or never answers and memory has nothing fresh —
a process started in a slow Slack minute knows nobody yet — the stored profile stands in, so the manager who
reads Chinese still does, on her own clock; only someone never seen gets the team's language and zone. While a
form's answer is being prepared (``bot/answering.py``) Slack is not asked at all: what is known answers, and the
lookup follows the answer. Who is in a Slack user group that gives a role is kept the same way
(``bot/people_groups.py``, from ``usergroups.users.list`` and Slack's events about the group).
"""

from __future__ import annotations

import http.client
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.answering import after_answer, answering_now
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import Database
from bot.db.people import StoredProfile, remember, stored
from bot.ops.team import Team, TeamDirectory
from bot.ops.team_names import SlackDirectory, names_in, resolve_names, unresolvable, without_names
from bot.people_groups import GroupMembers
from bot.workspaces import NotInstalled, Workspaces

log = logging.getLogger(__name__)
_TTL_SECONDS = 3600.0
# A lookup Slack refused or did not answer is remembered this long (a negative cache): meanwhile what is known
# stands in — the profile read before, however old, else team.yml's time zone and the team's language. A
# users.info that hangs also quiets the whole workspace for as long, so a command that needs the whole team
# (a stand-up status) does not ask again for each person, each waiting out its timeout and its retries.
_RETRY_FAILED_SECONDS = 600.0
# users.info / users.list are asked with this timeout, not the client's 30 s: a Slack that hangs makes a
# reply late by seconds, not half a minute (and the person's language falls back to the team's).
LOOKUP_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    tz: str | None
    locale: str | None


class People:
    def __init__(
        self, client: WebClient, *, workspaces: Workspaces | None = None, db: Database | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._workspaces = workspaces or Workspaces(client)
        self._db = db  # where profiles are stored; None keeps them in memory only
        self._clock = clock or SystemClock()
        self._read_stored: dict[str, float] = {}  # workspace -> when its stored profiles were last read into memory
        # Keyed by (workspace, id): "" is the workspace of a single bot token.
        self._profiles: dict[tuple[str, str], tuple[float, Profile]] = {}
        self.groups = GroupMembers(self._read_group, db=db, clock=self._clock)
        self._private: dict[tuple[str, str], bool] = {}
        self._listed: dict[str, float] = {}  # workspace -> when users.list last filled the cache
        self._silent: dict[str, float] = {}  # workspace -> until when Slack is not asked (users.info hung)
        self._listing = threading.Lock()
        self._quick_clients: dict[tuple[str | None, str], WebClient] = {}
        self._quick_lock = threading.Lock()

    def profile(self, user_id: str) -> Profile:
        try:
            workspace = self._workspaces.resolve(user=user_id)
            client = self._workspaces.client_for(workspace)
        except NotInstalled:
            # Not cached: the workspace may be installed a minute from now. Workspaces logs it once.
            return Profile(user_id=user_id, name=user_id, tz=None, locale=None)
        key = (workspace, user_id)
        cached = self._profiles.get(key)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
        if answering_now():
            # A form's answer must not wait on Slack: what is known answers it, and the lookup comes after.
            after_answer(lambda: self._look_up_after_answer(user_id))
            return self._known_or_unknown(key)
        if self._silent.get(workspace, 0.0) > time.monotonic():
            return self._known_or_unknown(key)
        cached = self._list(workspace, client).get(key)
        if cached and time.monotonic() - cached[0] < _TTL_SECONDS:
            return cached[1]
        if self._silent.get(workspace, 0.0) > time.monotonic():  # users.list just hung: users.info would too
            return self._known_or_unknown(key)
        try:
            profile = _profile(user_id, self._quick(client).users_info(user=user_id, include_locale=True)["user"])
        except SlackApiError as exc:
            # An unknown profile is not fatal: what is known stands in, and it is not asked again for a while.
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return self._failed(key)
        except (OSError, http.client.HTTPException) as exc:
            # Slack hung or dropped the call (a timeout is an OSError): nobody in this workspace is asked for a
            # while, rather than each person in turn on every request meanwhile.
            log.warning("users.info for %s did not answer (%s); using what is known", user_id, type(exc).__name__)
            self._silent[workspace] = time.monotonic() + _RETRY_FAILED_SECONDS
            return self._failed(key)
        self._profiles[key] = (time.monotonic(), profile)
        self._store(workspace, [profile])
        return profile

    def _look_up_after_answer(self, user_id: str) -> None:
        """Put off by :meth:`profile` while an answer was prepared: memory and the stored row made fresh."""
        try:
            self.profile(user_id)
        except Exception as error:  # only freshness is at stake: never a traceback in what follows the answer
            log.info("could not read %s's profile after the answer (%s)", user_id, type(error).__name__)

    def _known_or_unknown(self, key: tuple[str, str]) -> Profile:
        """The profile read before, however old, or else stored by an earlier run; else nothing is known (team.yml
        and the team stand in)."""
        stale = self._profiles.get(key) or self._from_store(key)
        return stale[1] if stale else Profile(user_id=key[1], name=key[1], tz=None, locale=None)

    def _from_store(self, key: tuple[str, str]) -> tuple[float, Profile] | None:
        """The stored profiles of ``key``'s workspace, read into memory as old (Slack is still asked when it
        answers again) at most once per :data:`_RETRY_FAILED_SECONDS` (another replica may have learned more)."""
        workspace = key[0]
        if self._db is None or time.monotonic() - self._read_stored.get(workspace, -math.inf) < _RETRY_FAILED_SECONDS:
            return self._profiles.get(key)
        try:
            with self._db.transaction() as session:
                rows = stored(session, workspace)
        except SQLAlchemyError as exc:  # the database away too: the team's language and zone stand in
            log.warning("stored profiles could not be read (%s); using the team's language", type(exc).__name__)
            return None
        for user_id, row in rows.items():
            self._profiles.setdefault((workspace, user_id), (-math.inf, Profile(user_id, row.name, row.tz, row.locale)))
        # Marked read only now that memory holds them: a request asking while another read was under way reads
        # them too (twice, harmlessly) rather than being told they were read and finding nobody.
        self._read_stored[workspace] = time.monotonic()
        return self._profiles.get(key)

    def _store(self, workspace: str, profiles: list[Profile]) -> None:
        """Keep what Slack said for the next process: once the transaction open in this thread commits (never a
        second writer beside it on SQLite, nor a row that its rollback would take with it), else now."""
        if self._db is None or not profiles:
            return
        db, at = self._db, self._clock.now()
        rows = [StoredProfile(p.user_id, p.name, p.tz, p.locale) for p in profiles]

        def write() -> None:
            try:
                with db.transaction() as session:
                    remember(session, workspace, rows, at=at)
            except SQLAlchemyError as exc:  # kept in memory all the same; the next lookup tries again
                log.warning("profiles not stored (%s)", type(exc).__name__)

        if not db.after_commit(write):
            write()

    def _failed(self, key: tuple[str, str]) -> Profile:
        """Remembered as looked up: asked again once :data:`_RETRY_FAILED_SECONDS` have passed."""
        profile = self._known_or_unknown(key)
        self._profiles[key] = (time.monotonic() - _TTL_SECONDS + _RETRY_FAILED_SECONDS, profile)
        return profile

    def known(self, user_id: str) -> Profile | None:
        """The profile already read (or read from the store), if any, without asking Slack or the database: the
        ack path runs on the server's event loop and must never wait on either."""
        try:
            cached = self._profiles.get((self._workspaces.resolve(user=user_id), user_id))
        except NotInstalled:
            return None
        return cached[1] if cached else None

    def _quick(self, client: WebClient) -> WebClient:
        """The same token and Slack, with :data:`LOOKUP_TIMEOUT_SECONDS` instead of the client's own timeout."""
        key = (client.token, client.base_url)
        with self._quick_lock:
            quick = self._quick_clients.get(key)
            if quick is None:
                quick = WebClient(token=client.token, base_url=client.base_url, timeout=LOOKUP_TIMEOUT_SECONDS,
                                  ssl=client.ssl, proxy=client.proxy, headers=client.headers,
                                  retry_handlers=client.retry_handlers)
                self._quick_clients[key] = quick
            return quick

    def _list(self, workspace: str, client: WebClient) -> dict[tuple[str, str], tuple[float, Profile]]:
        """Everyone in the workspace, once an hour (other threads asking meanwhile wait for it)."""
        learned: list[Profile] = []
        with self._listing:
            listed = self._listed.get(workspace)
            if listed is not None and time.monotonic() - listed < _TTL_SECONDS:
                return self._profiles
            now = time.monotonic()
            self._listed[workspace] = now  # tried, even if it fails: users.info stands in until the next hour
            try:
                for page in self._quick(client).users_list(limit=200, include_locale=True):
                    for user in page.get("members", []):
                        profile = _profile(str(user["id"]), user)
                        self._profiles[(workspace, profile.user_id)] = (now, profile)
                        learned.append(profile)
            except SlackApiError as exc:
                log.warning("users.list failed: %s; asking users.info person by person", exc.response.get("error"))
            except (OSError, http.client.HTTPException) as exc:
                # Slack hung: asking users.info next would make the same person wait as long again.
                log.warning("users.list did not answer (%s); using what is known", type(exc).__name__)
                self._silent[workspace] = time.monotonic() + _RETRY_FAILED_SECONDS
        self._store(workspace, learned)  # the pages read, even if a later one failed; outside the lock
        return self._profiles

    def group_members(self, group_id: str) -> frozenset[str] | None:
        """Who is in a Slack user group (``bot/people_groups.py``: memory, then stored, then Slack); None only while
        a form's answer is prepared and the group was never read (it is read right after the answer)."""
        return self.groups.members(self._workspaces.resolve(), group_id)

    def group_changed(
        self, group_id: str, *, users: Iterable[str] | None = None, added: Iterable[str] = (),
        removed: Iterable[str] = (),
    ) -> None:
        """Slack's event about a user group of the workspace being served: the list known changes at once."""
        self.groups.changed(self._workspaces.resolve(), group_id, users=users, added=added, removed=removed)

    def _read_group(self, workspace: str, group_id: str) -> frozenset[str] | None:
        """Slack's list of the group; nobody when Slack says no, None when it does not answer (or is too busy to)."""
        client = self._quick(self._workspaces.client_for(workspace))
        try:
            return frozenset(client.usergroups_users_list(usergroup=group_id)["users"])
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.warning("usergroups.users.list failed for %s: %s", group_id, error)
            # Busy is not an answer about the group: the list known stands in rather than nobody for an hour.
            busy = error == "ratelimited" or exc.response.status_code >= 500
            return None if busy else frozenset()
        except (OSError, http.client.HTTPException) as exc:
            log.warning("usergroups.users.list for %s did not answer (%s); using the list known", group_id,
                        type(exc).__name__)
            return None

    def channel_is_private(self, channel_id: str) -> bool:
        """True for private channels, DMs and group DMs — what must not be reposted publicly unasked."""
        workspace = self._workspaces.resolve(channel=channel_id)
        key = (workspace, channel_id)
        if key not in self._private:
            try:
                info = self._workspaces.client_for(workspace).conversations_info(channel=channel_id)["channel"]
                self._private[key] = bool(info.get("is_private") or info.get("is_im") or info.get("is_mpim"))
            except SlackApiError as exc:
                # Unknown means private: better to ask the reporter than to leak.
                log.warning("conversations.info failed for %s: %s", channel_id, exc.response.get("error"))
                self._private[key] = True
        return self._private[key]


def _profile(user_id: str, user: dict[str, Any]) -> Profile:
    return Profile(user_id=user_id, name=str(user.get("real_name") or user.get("name") or user_id),
                   tz=user.get("tz"), locale=user.get("locale"))


class TeamNames:
    """Resolves the names in a team file (``@name``, email, ``#channel``) through Slack, read once per workspace
    and only when a file holds a name: users.list and conversations.list, users.lookupByEmail per email.

    With several workspaces each team's names are looked up in its own workspace with that workspace's bot token
    (from the installation store). A team whose workspace has no installation yet starts with only what it gives
    by id and waits in ``pending``: :meth:`resolve_pending` completes it once the app is installed there."""

    def __init__(
        self, client: WebClient | None, *, unavailable: str = "", tokens: Callable[[str], str | None] | None = None
    ) -> None:
        self._client = client
        self._unavailable = unavailable  # why names cannot be looked up (no token…), when there is no client
        self._tokens = tokens  # several workspaces: a workspace's bot token, None while it is not installed
        self._directories: dict[str, SlackDirectory] = {}
        self.pending: dict[str, tuple[str, Path, Any]] = {}  # team id -> (workspace, file, entry as written)

    @classmethod
    def for_settings(cls, settings: Settings, client: WebClient | None = None) -> TeamNames:
        if settings.several_workspaces:
            return cls(client or WebClient(base_url=settings.slack_api_url), tokens=installed_tokens(settings))
        if client is None and settings.slack_bot_token is None:
            return cls(None, unavailable="is looked up in Slack, which needs SLACK_BOT_TOKEN: set it, or write the id")
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        return cls(client or WebClient(token=token, base_url=settings.slack_api_url))

    def __call__(self, path: Path, entry: Any) -> tuple[Any, list[str]]:
        if not names_in(entry):
            return entry, []
        text = path.read_text(encoding="utf-8")
        if self._client is None:
            return entry, unresolvable(entry, path, text, self._unavailable)
        client, workspace = self._client, ""
        if self._tokens is not None:
            workspace = str(entry.get("slack_team_id") or "")
            token = self._tokens(workspace)
            if token is None:
                self.pending[str(entry.get("id"))] = (workspace, path, entry)
                return without_names(entry), []
            client = self._with_token(token)
        return self._resolve(client, workspace, path, entry, text)

    def waiting(self) -> list[str]:
        """One line per team whose names wait for its workspace's install (what ``doctor`` shows)."""
        return [
            f"{team_id}: {', '.join(names_in(entry))} are looked up in Slack once the app is installed in "
            f"workspace {workspace}"
            for team_id, (workspace, _path, entry) in self.pending.items()
        ]

    def resolve_pending(self, teams: TeamDirectory, workspaces: Workspaces) -> list[str]:
        """Complete each waiting team whose workspace is now installed, in ``teams``; the ids of those done."""
        done: list[str] = []
        for team_id, (workspace, path, entry) in list(self.pending.items()):
            if not workspaces.installed(workspace):
                continue
            del self.pending[team_id]
            try:
                resolved, problems = self._resolve(
                    workspaces.client_for(workspace), workspace, path, entry, path.read_text(encoding="utf-8")
                )
                team = Team.model_validate(resolved)
            except (SlackApiError, OSError, NotInstalled, ValidationError) as exc:
                log.warning("the names of team %s could not be looked up in %s: %s", team_id, workspace, exc)
                continue
            for problem in problems:
                log.warning("team %s: %s", team_id, problem)
            for index, known in enumerate(teams.teams):
                if known.id == team_id:
                    teams.teams[index] = team
                    done.append(team_id)
        return done

    def _with_token(self, token: str) -> WebClient:
        assert self._client is not None
        return WebClient(token=token, base_url=self._client.base_url, timeout=self._client.timeout)

    def _resolve(self, client: WebClient, workspace: str, path: Path, entry: Any, text: str) -> tuple[Any, list[str]]:
        try:
            directory = self._read(client, workspace)
        except (SlackApiError, OSError) as exc:
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else exc.__class__.__name__
            return entry, unresolvable(entry, path, text, f"could not be looked up in Slack ({reason}): check "
                                                          "SLACK_BOT_TOKEN (`opsbot doctor --slack`), or write the id")
        return resolve_names(entry, directory, path, text)

    def _read(self, client: WebClient, workspace: str) -> SlackDirectory:
        if workspace in self._directories:
            return self._directories[workspace]
        people: dict[str, list[str]] = {}
        for page in client.users_list(limit=200):
            for user in page.get("members", []):
                if user.get("deleted") or user.get("is_bot"):
                    continue
                profile = user.get("profile") or {}
                names = {user.get("name"), user.get("real_name"), profile.get("display_name"), profile.get("real_name")}
                for name in {str(n).strip().lower() for n in names if n}:
                    people.setdefault(name, []).append(str(user["id"]))
        channels: dict[str, str] = {}
        for page in client.conversations_list(types="public_channel,private_channel", exclude_archived=True,
                                              limit=200):
            for channel in page.get("channels", []):
                channels[str(channel["name"]).lower()] = str(channel["id"])

        def by_email(email: str) -> str | None:
            try:
                return str(client.users_lookupByEmail(email=email)["user"]["id"])
            except SlackApiError:
                return None

        directory = SlackDirectory({k: tuple(sorted(set(v))) for k, v in people.items()}, channels, by_email)
        self._directories[workspace] = directory
        return directory


def installed_tokens(settings: Settings) -> Callable[[str], str | None]:
    """A workspace's bot token from the installation store, None while the app is not installed there. Asking
    never creates the database: a SQLite file that is not there yet (or has no tables yet) has no installations."""
    assert settings.slack_client_id is not None
    client_id = settings.slack_client_id

    def token(workspace: str) -> str | None:
        url = make_url(settings.database_url)
        sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        if sqlite_file and not Path(str(url.database)).exists():
            return None
        engine = create_engine(url)
        try:
            bot = SQLAlchemyInstallationStore(client_id=client_id, engine=engine).find_bot(
                enterprise_id=None, team_id=workspace
            )
        except SQLAlchemyError:
            return None
        finally:
            engine.dispose()
        return bot.bot_token if bot is not None else None

    return token
