"""Two teams in two Slack workspaces, one app installed in both through the OAuth flow.

Shenzhen Ops works in workspace T0SHENZHEN, Berlin Ops in T1BERLIN. Each workspace has its own bot
token; what one team files, loads or is sent never reaches the other, and every call to Slack is made
with the token of the workspace it is for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from slack_bolt import BoltRequest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import BOT_USER_ID, Record
from bot.db.core import AuditEntry, JobFire
from tests.conftest import MONDAY_9AM_SHENZHEN, converse

SALES = Path(__file__).resolve().parents[1] / "restock" / "fixtures" / "led-100-us.csv"
SHENZHEN, BERLIN = "T0SHENZHEN", "T1BERLIN"
BERLIN_TEAM = {
    "id": "berlin-ops", "name": "Berlin Ops", "slack_team_id": BERLIN, "timezone": "Europe/Berlin",
    "language": "en", "base_currency": "EUR", "holiday_countries": ["DE"],
    "members": [
        {"user": "U1MANAGER", "name": "Anna Schmidt", "roles": ["manager"], "country": "DE"},
        {"user": "U1BUYER", "name": "Jonas Weber", "roles": ["purchasing"], "country": "DE"},
        {"user": "U1MARKET", "name": "Lena Fischer", "roles": ["marketing"], "country": "DE"},
        {"user": "U1ANALYST", "name": "Max Wolf", "roles": ["analyst"], "country": "DE"},
    ],
    "channels": {"ops": "C1OPS", "purchasing": "C1PURCHASING", "marketing": "C1MARKETING",
                 "manager": "C1MANAGER", "data": "C1DATA"},
}


@pytest.fixture
def two_workspaces(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    team_file = playbooks_dir / "team.yml"
    shenzhen = {**yaml.safe_load(team_file.read_text(encoding="utf-8")), "slack_team_id": SHENZHEN}
    team_file.write_text(yaml.safe_dump({"teams": [shenzhen, BERLIN_TEAM]}, allow_unicode=True), encoding="utf-8")
    kpi_file = playbooks_dir / "kpi.yml"
    kpi = yaml.safe_load(kpi_file.read_text(encoding="utf-8"))
    kpi["digest"]["berlin-ops"] = {"time": "09:00", "channel": "ops"}
    kpi_file.write_text(yaml.safe_dump(kpi, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         several_workspaces=True)
    try:
        yield slack
    finally:
        slack.close()


def owner(console: ConsoleSlack, record: Record) -> str | None:
    """The workspace a record's channel, or the person who sees it, belongs to (None: neither is known)."""
    channel = console.emulator.channels.get(record.channel or "")
    person = channel.user if channel is not None and channel.is_im else record.user
    for team in console.services.teams.teams:
        if record.channel in team.channels.values() or (person and team.member(person)):
            return team.slack_team_id
    return None


def sent_with_the_wrong_token(console: ConsoleSlack, records: list[Record]) -> list[Record]:
    return [r for r in records if r.workspace is not None and owner(console, r) not in (None, r.workspace)]


def test_both_workspaces_are_installed_through_the_oauth_flow(two_workspaces: ConsoleSlack) -> None:
    # Installations, their tokens and the audit trail are read from the database: no Slack surface shows them.
    store = two_workspaces.services.workspaces.store
    assert store is not None
    shenzhen, berlin = (store.find_bot(enterprise_id=None, team_id=w) for w in (SHENZHEN, BERLIN))
    assert shenzhen is not None and berlin is not None
    assert shenzhen.bot_token != berlin.bot_token
    assert {shenzhen.bot_token, berlin.bot_token} == set(two_workspaces.emulator.tokens)
    assert "chat:write" in (berlin.bot_scopes or [])
    with two_workspaces.services.db.transaction() as session:
        audit = [(a.team_id, a.actor, a.to_state) for a in session.query(AuditEntry).filter_by(entity="installation")]
    assert audit == [(SHENZHEN, "U0MANAGER", "installed"), (BERLIN, "U1MANAGER", "installed")]


def test_team_a_data_never_reaches_team_b(two_workspaces: ConsoleSlack) -> None:
    console = two_workspaces
    shenzhen = converse(console, [
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "/restock LED-100 600 Q4 stock for Shenzhen", ["── #purchasing · Opsbot", "Filed R-1"]),
        ("!as U0CS\n"
         "/feedback Customer says LED-100 arrived with a cracked base", ["Thanks! Feedback #1"]),
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {SALES}", ["Loaded led-100-us.csv (generic daily CSV)", "90 new"]),
        ("/kpi US 7d", ["*GMV* · $4,198.60"]),
    ])
    berlin = converse(console, [
        ("!as U1BUYER\n"
         "!in C1PURCHASING\n"
         "/restock list all", ["No restock requests here."]),
        ("/feedback list all", ["Nothing here."]),
        ("/kpi US 7d", ["No report data for US"]),
        # The same SKU and category as Shenzhen's open item: Berlin's own new item, not a reply in Shenzhen's.
        ("/feedback Customer says LED-100 arrived with a cracked base", ["Thanks! Feedback #2"]),
        ("/restock LED-200 300 for Berlin", ["Filed R-2"]),
    ])
    # Filing republishes App Homes, whose command list shows "/restock … status R-1" as an example: not Shenzhen's R-1.
    berlin_saw = berlin.replace("status R-1]", "")
    assert "R-1" not in berlin_saw and "Shenzhen" not in berlin and "4,198.60" not in berlin
    again = converse(console, [
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "/restock list all", ["R-1"]),
        ("/feedback list all", ["#1"]),
    ])
    assert "R-2" not in again and "#2" not in again and "Berlin" not in again
    # Each workspace's own token did its work: every card, DM and reply in the workspace it belongs to.
    made = console.emulator.records
    assert sent_with_the_wrong_token(console, made) == []
    assert {r.workspace for r in made if r.kind == "message"} == {SHENZHEN, BERLIN}
    assert "Shenzhen" in shenzhen


def test_each_teams_morning_goes_with_its_own_token_to_its_own_channels(two_workspaces: ConsoleSlack) -> None:
    console = two_workspaces
    converse(console, [
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {SALES}", ["90 new"]),
    ])
    start = console.emulator.last_seq
    console.send("!at 2026-11-24 10:00 Europe/Berlin")  # Monday and Tuesday mornings in Shenzhen and in Berlin
    morning = console.emulator.since(start)
    assert sent_with_the_wrong_token(console, morning) == []
    berlin = [r for r in morning if owner(console, r) == BERLIN]
    shenzhen = [r for r in morning if owner(console, r) == SHENZHEN]
    assert berlin and shenzhen and {r.workspace for r in berlin} == {BERLIN}
    berlin_text = "\n".join(console.renderer.render([r]) for r in berlin)
    shenzhen_text = "\n".join(console.renderer.render([r]) for r in shenzhen)
    assert "Morning KPIs: Berlin Ops" in berlin_text and "No sales data has arrived yet" in berlin_text
    assert "Morning KPIs: Shenzhen Ops" in shenzhen_text and "Data through Nov 22, 2026" in shenzhen_text
    assert "Shenzhen" not in berlin_text and "LED-100" not in berlin_text
    assert "Berlin Ops" not in shenzhen_text
    prompted = {console.emulator.channels[r.channel or ""].user for r in berlin
                if r.kind == "message" and console.emulator.channels[r.channel or ""].is_im}
    assert prompted == {"U1MANAGER", "U1BUYER", "U1MARKET", "U1ANALYST"}  # Berlin's stand-up prompts


def test_a_listener_after_its_ack_in_bolts_thread_pool_uses_its_requests_workspace(
    two_workspaces: ConsoleSlack,
) -> None:
    console = two_workspaces
    app, _ = console.services.bolt_app()  # production: ack first, the rest in Bolt's pool
    start = console.emulator.last_seq
    people = [("U0BUYER", "C0OPS", SHENZHEN), ("U1BUYER", "C1OPS", BERLIN)] * 4
    for user, channel, workspace in people:
        body = payloads.slash_command("/restock", "", user=user, channel=channel, team=workspace,
                                      response_url=console.emulator.new_response_url(channel, user))
        assert app.dispatch(BoltRequest(body=body, headers=payloads.sign(console.signing_secret, body))).status == 200
    # views.open names no channel or person: only the request's workspace, carried into the pool, says whose.
    assert console.emulator.wait_for(lambda made: sum(r.kind == "view_open" and r.seq > start for r in made) == 8)
    opened = sorted((r.user, r.workspace) for r in console.emulator.since(start) if r.kind == "view_open")
    assert opened == [("U0BUYER", SHENZHEN)] * 4 + [("U1BUYER", BERLIN)] * 4


def _event(console: ConsoleSlack, workspace: str, event: dict[str, object]) -> int:
    body = payloads.event(team=workspace, event_body={**event, "event_ts": "1764000000.000100"}, bot_user=BOT_USER_ID)
    return console.dispatch(body, "application/json").status


def test_an_uninstalled_workspace_is_cleaned_up_and_its_jobs_skip_quietly(
    two_workspaces: ConsoleSlack, caplog: pytest.LogCaptureFixture
) -> None:
    console = two_workspaces
    converse(console, [("!as U1BUYER\n!in C1PURCHASING\n/restock list", ["No restock requests"])])
    workspaces, store = console.services.workspaces, console.services.workspaces.store
    assert store is not None and workspaces.installed(BERLIN)  # its client is cached now
    console.emulator.revoke(BERLIN)  # Slack ends the tokens ...
    assert _event(console, BERLIN, {"type": "app_uninstalled"}) == 200  # ... and tells the app
    # Berlin has no Slack left to look at: what became of its installation is in the database alone.
    assert store.find_bot(enterprise_id=None, team_id=BERLIN) is None
    assert store.find_installation(enterprise_id=None, team_id=BERLIN) is None
    assert store.find_bot(enterprise_id=None, team_id=SHENZHEN) is not None
    with console.services.db.transaction() as session:
        rows = session.query(AuditEntry).filter_by(entity="installation", team_id=BERLIN).all()
        assert [(r.actor, r.from_state, r.to_state) for r in rows][-1] == ("slack", "installed", "uninstalled")

    caplog.set_level(logging.INFO)
    start = console.emulator.last_seq
    console.send("!as U0BUYER")
    console.send("!at 2026-11-24 10:00 Europe/Berlin")
    morning = console.emulator.since(start)
    assert [r for r in morning if r.workspace == BERLIN or owner(console, r) == BERLIN] == []
    assert any(r.workspace == SHENZHEN for r in morning)  # Shenzhen's morning goes on
    skipped = [r for r in caplog.records if "T1BERLIN is not installed" in r.getMessage()]
    assert [r.levelname for r in skipped] == ["INFO"]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
    # Not even claimed, so a replica that can still reach Berlin may run them: a fact of the database alone.
    with console.services.db.transaction() as session:
        assert session.query(JobFire).filter_by(team_id="berlin-ops").count() == 0


def test_a_revoked_bot_token_ends_the_installation(two_workspaces: ConsoleSlack) -> None:
    console = two_workspaces
    store = console.services.workspaces.store
    assert store is not None
    assert _event(console, BERLIN, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER_ID]}}) == 200
    # Berlin has no Slack left to look at: what became of its installation is in the database alone.
    assert store.find_bot(enterprise_id=None, team_id=BERLIN) is None
    assert not console.services.workspaces.installed(BERLIN)
    assert console.services.workspaces.installed(SHENZHEN)
    with console.services.db.transaction() as session:
        last = session.query(AuditEntry).filter_by(entity="installation", team_id=BERLIN).all()[-1]
        assert (last.from_state, last.to_state) == ("installed", "bot token revoked")


def test_a_token_slack_refuses_is_an_uninstall_noticed_late(
    two_workspaces: ConsoleSlack, caplog: pytest.LogCaptureFixture
) -> None:
    console = two_workspaces
    store = console.services.workspaces.store
    assert store is not None
    console.emulator.revoke(BERLIN)  # uninstalled while the bot was down: no event will ever come
    caplog.set_level(logging.INFO)
    start = console.emulator.last_seq
    console.send("!as U0BUYER")
    console.send("!at 2026-11-24 10:00 Europe/Berlin")
    # Berlin has no Slack left to look at: what became of its installation is in the database alone.
    assert store.find_bot(enterprise_id=None, team_id=BERLIN) is None
    with console.services.db.transaction() as session:
        last = session.query(AuditEntry).filter_by(entity="installation", team_id=BERLIN).all()[-1]
        assert (last.from_state, last.to_state) == ("installed", "token refused: token_revoked")
    morning = console.emulator.since(start)
    assert not any(owner(console, r) == BERLIN for r in morning)
    assert any(r.workspace == SHENZHEN for r in morning)
    refused = [r.getMessage() for r in caplog.records if "refused the bot token" in r.getMessage()]
    assert refused == ["Slack refused the bot token of workspace T1BERLIN (token_revoked): its installation is "
                       "removed until it is installed again"]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
