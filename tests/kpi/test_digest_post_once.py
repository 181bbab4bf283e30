"""`opsbot digest --post` run twice for the same team and day posts once and says where the first one went."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import cli as opsbot
from bot.cli import reports
from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from tests.kpi.conftest import FIXTURES

SALES = FIXTURES.parents[1] / "restock" / "fixtures" / "led-100-us.csv"


def _digests(console: ConsoleSlack) -> list[str]:
    return [
        str(r.text) for r in console.emulator.records if r.kind == "message" and "Morning KPIs" in str(r.text or "")
    ]


def test_digest_post_twice_posts_once(console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    KpiFlow(console.services.context).ingest(console.team, [SALES])
    monkeypatch.setattr(reports, "services_from_env", lambda: console.services)
    runner = CliRunner()
    first = runner.invoke(opsbot, ["digest", "--team", "shenzhen-ops", "--date", "2026-11-23", "--post"])
    assert first.exit_code == 0, first.output
    assert "posted the digest for shenzhen-ops" in first.output
    assert len(_digests(console)) == 1
    again = runner.invoke(opsbot, ["digest", "--team", "shenzhen-ops", "--date", "2026-11-23", "--post"])
    assert again.exit_code == 0, again.output
    said = " ".join(again.output.split())
    assert "already posted" in said and "2026-11-23" in said and "#ops" in said
    assert len(_digests(console)) == 1
    # Another morning is another digest.
    other = runner.invoke(opsbot, ["digest", "--team", "shenzhen-ops", "--date", "2026-11-24", "--post"])
    assert other.exit_code == 0 and len(_digests(console)) == 2


def test_the_scheduled_digest_after_a_manual_post_is_not_repeated(console: ConsoleSlack) -> None:
    flow = KpiFlow(console.services.context)
    flow.ingest(console.team, [SALES])
    console.send("!at 2026-11-24 09:00")
    assert len(_digests(console)) == 1
    outcome = flow.post_digest(console.team, console.clock.now().date())
    assert outcome.already and len(_digests(console)) == 1


def test_a_digest_posted_by_another_process_meanwhile_is_not_posted_again(
    console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, date, datetime

    from bot.db.kpi import KpiDigest

    flow = KpiFlow(console.services.context)
    flow.ingest(console.team, [SALES])
    day = date(2026, 11, 23)
    computing = flow.digest

    def slow_digest(team, today):  # type: ignore[no-untyped-def]
        found = computing(team, today)
        with console.services.db.transaction() as session:  # the other replica's post lands while this computes
            session.add(
                KpiDigest(team_id=team.id, day=today, channel="C0OPS", posted_at=datetime(2026, 11, 23, 1, tzinfo=UTC))
            )
        return found

    monkeypatch.setattr(flow, "digest", slow_digest)
    outcome = flow.post_digest(console.team, day)
    assert outcome.already and outcome.channel == "C0OPS"
    console.services.delivery.outbox.drain(timeout=10)
    assert _digests(console) == []
