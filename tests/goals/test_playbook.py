"""goals.yml is validated at start: a mistake names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.ops.goals_playbook import GoalsPlaybook, load_playbook
from tests.conftest import PLAYBOOKS


def problems(folder: Path, text: str) -> str:
    (folder / "goals.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_playbook(folder)
    return "\n".join(caught.value.problems)


def test_the_shipped_playbook_loads_and_every_owner_is_in_team_yml() -> None:
    playbook = load_playbook(PLAYBOOKS)
    assert {g.kpi for g in playbook.goals} == {"gmv", "acos", "return_rate", "cover_days", "reported"}
    assert playbook.by_id("US-LED-GMV") is not None


def test_no_file_means_no_goals(tmp_path: Path) -> None:
    assert load_playbook(tmp_path) == GoalsPlaybook()


@pytest.mark.parametrize(("text", "expected"), [
    ("goals:\n  - {id: a, owner: U0MARKET, kpi: sales, period: monthly, target: 1}",
     "goals.yml: goals.0.kpi: Input should be 'gmv', 'acos', 'return_rate', 'cover_days' or 'reported'"),
    ("goals:\n  - {id: a, owner: U0MARKET, kpi: gmv, period: 2026-13, target: 1}",
     "goals.yml: goals.0.period: '2026-13' is not a period"),
    ("goals:\n  - {id: a, owner: U0MARKET, role: marketing, kpi: gmv, period: monthly, target: 1}",
     "goals.yml: goals.0: goal a: give either owner (a member) or role"),
    ("goals:\n  - {id: a, role: marketing, kpi: acos, period: monthly, target: 25}",
     "goal a: acos's target is a rate"),
    ("goals:\n  - {id: a, role: marketing, kpi: reported, period: monthly, target: 5}",
     "goal a: a reported number needs a title"),
    ("goals:\n  - {id: a, role: cs, kpi: gmv, period: monthly, target: 5}\n"
     "  - {id: a, role: cs, kpi: gmv, period: monthly, target: 6}", "goal id a is used twice"),
    ("goals:\n  - {id: a, role: cs, team: elsewhere, kpi: gmv, period: monthly, target: 5}",
     "goals.yml: goals.0.team: no team 'elsewhere' in team.yml"),
    ("diagnosis: {traffic_drop: lots}", "goals.yml: diagnosis.traffic_drop: 'lots' is not a percentage"),
])
def test_a_mistake_names_the_file_and_the_field(playbooks_dir: Path, text: str, expected: str) -> None:
    assert expected in problems(playbooks_dir, text)


def test_an_owner_on_no_team_yet_waits_and_doctor_says_so(playbooks_dir: Path) -> None:
    """A team set up in Slack adds its people after team.yml is read: a goal for someone not in team.yml does not
    stop the bot; ``opsbot doctor`` names it as waiting."""
    from bot.ops.goals_playbook import unknown_owners
    from bot.playbooks import load_teams

    (playbooks_dir / "goals.yml").write_text(
        "goals:\n  - {id: a, owner: Nobody Here, kpi: gmv, period: monthly, target: 5}", encoding="utf-8")
    playbook = load_playbook(playbooks_dir)
    assert unknown_owners(playbook, load_teams(playbooks_dir)) == [
        "goals.0.owner: 'Nobody Here' is not a member in team.yml (use their Slack id or their name as team.yml "
        "gives it)"]
