"""A manager sets, changes and removes goals from Slack: checked on the server, audited, stored so every replica
reads them at once, and marked in /goals as changed in Slack. A manager without goals of her own is told so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, Speakers, converse
from tests.goals.conftest import load
from tests.goals.test_attainment import sales


def test_a_manager_edits_goals_in_slack(speakers: Speakers, tmp_path: Path, playbooks_dir: Path) -> None:
    console = speakers("en")
    load(console, tmp_path, date(2026, 11, 22))
    led = sum(float(r["gmv"]) for r in sales("US", date(2026, 11, 1), date(2026, 11, 22), "LED-100"))
    converse(console, [
        # Li Wei manages the team and has no goals of her own: not "ask your manager".
        ("!as U0MANAGER\n"
         "/goals", ["You have no goals of your own. /goals team shows the team's, and /goals set <goal>"]),
        # Only a manager edits, whatever a member types.
        ("!as U0MARKET\n"
         "/goals set us-acos target=20%", ["Only a manager can set, change or remove goals."]),
        ("/goals remove returns", ["Only a manager can set, change or remove goals."]),
        # Bad input: the field and what it accepts, and nothing is stored.
        ("!as U0MANAGER\n"
         "/goals set us-acos target=lots", ["target: lots is not accepted. Write a number above 0: money as 30000, "
                                            "a rate as 25%."]),
        ("/goals set us-acos kpi=profit", ["kpi: profit is not accepted. Use gmv, acos, return_rate, cover_days or "
                                           "reported."]),
        ("/goals set us-acos colour=red", ["colour is not a goal field. Accepted: owner, role, kpi, period, target"]),
        ("/goals set us-acos period=weekly", ["period: weekly is not accepted. Use monthly, quarterly"]),
        ("/goals set us-acos target=40", ["target: acos is a rate: write it as 25%."]),
        ("/goals set reviews owner=<@U0CS> kpi=reported period=monthly target=40",
         ["title: a reported number needs a title"]),
        ("/goals set reviews owner=@Nobody kpi=gmv period=monthly target=1", ["owner: @Nobody is not on team"]),
        ("/goals set reviews kpi=gmv", ["A new goal needs owner, period, target"]),
        ("/goals remove nope", ["There is no goal nope."]),
        # A change, a new goal (curly quotes as Slack's clients type them) and a removal.
        ("/goals set us-acos target=20%", ["Goal us-acos changed: ACoS in US."]),
        ("/goals set reviews owner=<@U0CS|wang> kpi=reported period=monthly target=40 title=“Reviews answered”",
         ["Goal reviews set: Reviews answered."]),
        ("/goals remove returns", ["Goal returns removed: Return rate in US."]),
        ("/goals set us-led-gmv target=25,000", ["Goal us-led-gmv changed: GMV of LED-100 in US."]),
        ("/goals team", ["Marketing & ads (@Amy Lin) · 🔻 *ACoS in US*", "limit 20.0%",
                         "changed in Slack by @Li Wei on Nov 23, 2026",
                         f"@Amy Lin · ✅ *GMV of LED-100 in US* · ${led:,.2f} of $25,000.00",
                         "@Wang Fang · ▫️ *Reviews answered* · not reported yet"]),
        ("!as U0CS\n"
         "/goals", ["▫️ *Reviews answered* · not reported yet for Nov 1, 2026–Nov 30, 2026: "
                    "/goals report reviews <number>", "changed in Slack by @Li Wei on Nov 23, 2026"]),
        ("/goals report reviews 12", ["Recorded for Reviews answered."]),
    ])
    shown = converse(console, [("!as U0MANAGER\n/goals team", ["Goals of Shenzhen Ops"])])
    assert "Return rate" not in shown
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, entity_id, from_state, to_state from audit_log where entity = 'goal-definition' "
        "order by id").fetchall()
    assert [tuple(r) for r in rows] == [("U0MANAGER", "us-acos", "set", "set"), ("U0MANAGER", "reviews", None, "set"),
                                        ("U0MANAGER", "returns", "set", "removed"),
                                        ("U0MANAGER", "us-led-gmv", "set", "set")]
    # Another replica on the same database (its own goals.yml read at its start) has the edits at once.
    other = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=f"sqlite:///{tmp_path / 'en'}.sqlite3",
                         start=MONDAY_9AM_SHENZHEN, workspace_file=tmp_path / "workspace-en.yml")
    try:
        converse(other, [("!as U0MARKET\n/goals", ["limit 20.0%", "$25,000.00"])])
    finally:
        other.close()
