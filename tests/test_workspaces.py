"""Which token a call to Slack is made with: the single one, or the served workspace's from the installations."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from typer.testing import CliRunner

from bot.cli import cli
from bot.config import load_settings
from bot.db import Database
from bot.db.migrate import upgrade
from bot.doctor import run_checks
from bot.errors import ConfigError
from bot.observability import Redacting
from bot.ops.team import Team
from bot.workspaces import (
    ContextExecutor,
    NotInstalled,
    Workspaces,
    WorkspaceTeams,
    current_workspace,
    serving,
)

CLIENT_ID = "1000.2000"
# The same person (an Enterprise Grid user id) in a team in each of two workspaces.
SHENZHEN = Team.model_validate({"id": "shenzhen-ops", "name": "Shenzhen Ops", "slack_team_id": "T0SHENZHEN",
                                "members": [{"user": "U0BUYER", "name": "Chen Jie"}], "channels": {"ops": "C0OPS"}})
BERLIN = Team.model_validate({"id": "berlin-ops", "name": "Berlin Ops", "slack_team_id": "T1BERLIN",
                              "members": [{"user": "U0BUYER", "name": "Chen Jie"}], "channels": {"ops": "C1OPS"}})


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(database_url: str) -> SQLAlchemyInstallationStore:
    database = Database(database_url)
    upgrade(database.engine)
    return SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=database.engine)


def install(store: SQLAlchemyInstallationStore, team_id: str, token: str) -> None:
    store.save(Installation(app_id="A0OPSBOT", team_id=team_id, team_name=team_id, bot_token=token,
                            bot_id="B0OPSBOT", bot_user_id="U0OPSBOT", bot_scopes="chat:write", user_id="U0MANAGER"))


def test_with_one_bot_token_every_call_uses_the_one_client() -> None:
    base = WebClient(token="xoxb-single")
    workspaces = Workspaces(base)
    with serving("T0ANYTHING"):
        assert workspaces.client() is base and workspaces.resolve() == ""
    assert workspaces.client(channel="C0OPS") is base and workspaces.installed("T0ANYTHING")


def test_each_workspace_gets_its_own_token_briefly_cached(store: SQLAlchemyInstallationStore) -> None:
    install(store, "T0SHENZHEN", "xoxb-shenzhen")
    install(store, "T1BERLIN", "xoxb-berlin")
    clock = Clock()
    workspaces = Workspaces(WebClient(base_url="http://127.0.0.1:1/api/"), store, ttl_seconds=60, monotonic=clock)
    with serving("T0SHENZHEN"):
        shenzhen = workspaces.client()
    with serving("T1BERLIN"):
        berlin = workspaces.client()
    assert (shenzhen.token, berlin.token) == ("xoxb-shenzhen", "xoxb-berlin")
    assert shenzhen.base_url == "http://127.0.0.1:1/api/" and shenzhen.retry_handlers  # like the base client
    install(store, "T1BERLIN", "xoxb-berlin-reinstalled")
    assert workspaces.client_for("T1BERLIN") is berlin  # still within the minute
    clock.now = 61
    assert workspaces.client_for("T1BERLIN").token == "xoxb-berlin-reinstalled"
    assert workspaces.client_for("T0SHENZHEN") is shenzhen  # same token: the same client is kept


def test_an_uninstalled_workspace_is_forgotten_at_once_and_logged_once(
    store: SQLAlchemyInstallationStore, caplog: pytest.LogCaptureFixture
) -> None:
    install(store, "T1BERLIN", "xoxb-berlin")
    workspaces = Workspaces(WebClient(), store, ttl_seconds=3600)
    assert workspaces.installed("T1BERLIN")
    store.delete_all(enterprise_id=None, team_id="T1BERLIN")
    assert workspaces.installed("T1BERLIN")  # another replica's uninstall: known within the TTL
    workspaces.forget("T1BERLIN")  # this replica's own uninstall listener
    caplog.set_level(logging.INFO, logger="bot.workspaces")
    for _ in range(3):
        assert not workspaces.installed("T1BERLIN")
        workspaces.forget("T1BERLIN")
    with pytest.raises(NotInstalled), serving("T1BERLIN"):
        workspaces.client()
    assert [r.getMessage() for r in caplog.records] == [
        "Slack workspace T1BERLIN is not installed: nothing is sent there until it is"]


def test_outside_a_request_or_job_the_workspace_is_the_one_of_the_channel_or_person(
    store: SQLAlchemyInstallationStore,
) -> None:
    install(store, "T0SHENZHEN", "xoxb-shenzhen")
    install(store, "T1BERLIN", "xoxb-berlin")
    teams = WorkspaceTeams([SHENZHEN, BERLIN])
    workspaces = Workspaces(WebClient(), store, teams=teams)
    assert workspaces.client(channel="C1OPS").token == "xoxb-berlin"
    assert workspaces.client(channel="C0OPS").token == "xoxb-shenzhen"
    with serving("T1BERLIN"):  # the workspace being served wins
        assert workspaces.client(channel="C0OPS").token == "xoxb-berlin"
    with pytest.raises(NotInstalled):
        workspaces.client(channel="C9ELSEWHERE")


def test_the_same_user_id_in_two_workspaces_finds_the_team_of_the_served_one() -> None:
    teams = WorkspaceTeams([SHENZHEN, BERLIN])
    with serving("T1BERLIN"):
        assert teams.for_user("U0BUYER") is BERLIN
        assert teams.for_channel("C0OPS") is None
    with serving("T0SHENZHEN"):
        assert teams.for_user("U0BUYER") is SHENZHEN


def test_the_listener_pool_carries_the_workspace_a_plain_pool_drops() -> None:
    with serving("T1BERLIN"), ContextExecutor(max_workers=2) as carried, ThreadPoolExecutor(max_workers=2) as plain:
        assert carried.submit(current_workspace).result() == "T1BERLIN"
        assert plain.submit(current_workspace).result() is None
    assert current_workspace() is None


def test_settings_for_several_workspaces(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    several = load_settings(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET="shh", SLACK_SIGNING_SECRET="sig")
    assert several.several_workspaces and several.slack_bot_token is None
    assert (several.slack_install_path, several.slack_redirect_uri_path) == ("/slack/install", "/slack/oauth_redirect")
    several.require_for_http()  # no bot token needed
    assert "shh" not in repr(several)
    with pytest.raises(ConfigError) as half:
        load_settings(SLACK_CLIENT_ID=CLIENT_ID, SLACK_SIGNING_SECRET="sig").require_for_http()
    assert half.value.problems == ["SLACK_CLIENT_SECRET is not set: set it to the Client Secret from your Slack "
                                   "app's Basic Information page (several workspaces)"]
    with pytest.raises(ConfigError) as bad:
        load_settings(SLACK_REDIRECT_URI="http://ops.example.com/slack/oauth_redirect", SLACK_INSTALL_PATH="install")
    assert len(bad.value.problems) == 2
    assert "SLACK_REDIRECT_URI: must be an https:// URL" in bad.value.problems[0]


def test_serve_without_a_token_or_a_client_secret_stops_with_one_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_CLIENT_ID", CLIENT_ID)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "SLACK_CLIENT_SECRET is not set" in result.output and "SLACK_SIGNING_SECRET is not set" in result.output
    assert "SLACK_BOT_TOKEN" not in result.output  # several workspaces need no bot token of their own
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    socket = CliRunner().invoke(cli, ["run"])
    assert socket.exit_code == 2 and "run `opsbot serve`" in socket.output


def test_the_manifest_lists_the_redirect_url_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SLACK_REDIRECT_URI", raising=False)
    plain = yaml.safe_load(CliRunner().invoke(cli, ["manifest", "--http", "https://ops.example.com"]).output)
    assert "redirect_urls" not in plain["oauth_config"]
    result = CliRunner().invoke(cli, ["manifest", "--http", "https://ops.example.com", "--oauth"])
    manifest = yaml.safe_load(result.output)
    assert manifest["oauth_config"]["redirect_urls"] == ["https://ops.example.com/slack/oauth_redirect"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
    refused = CliRunner().invoke(cli, ["manifest", "--socket", "--oauth"])
    assert refused.exit_code == 2 and "--oauth needs --http" in refused.output


def test_tokens_and_secrets_are_redacted_from_every_log_line() -> None:
    record = logging.LogRecord("slack_sdk.web.base_client", logging.DEBUG, __file__, 1,
                               "Received the following response - body: %s", ('{"access_token": "xoxb-1-2-abc",'
                                                                              ' "secret": "shh-client-secret"}',), None)
    line = Redacting(logging.Formatter("%(message)s"), ["shh-client-secret"]).format(record)
    assert line == 'Received the following response - body: {"access_token": "[token]", "secret": "[redacted]"}'


def test_doctor_names_the_workspaces_not_installed_yet(
    store: SQLAlchemyInstallationStore, playbooks_dir: Path, database_url: str
) -> None:
    settings = load_settings(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET="shh", DATABASE_URL=database_url,
                             OPSBOT_PLAYBOOKS=playbooks_dir)
    before = {c.name: c for c in run_checks(settings)}["slack"]
    assert not before.ok and before.detail == ("not installed in workspace T0DEMO: open /slack/install on your "
                                               "server and add the app there")
    install(store, "T0DEMO", "xoxb-demo")
    after = {c.name: c for c in run_checks(settings)}["slack"]
    assert after.ok and after.detail == "installed in every team's workspace (T0DEMO)"
