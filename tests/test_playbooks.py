"""The team playbook: validated at start; a bad file names file, key and reason."""

from __future__ import annotations

import importlib
import re
from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.ops.team import ChannelKey, Role, WorkCalendar
from bot.playbooks import load_teams

GOOD = """
id: taipei-ops
name: Taipei Ops
timezone: Asia/Taipei
language: zh-CN
holiday_countries: [CN]
members:
  - {user: U1, name: Ann, roles: [manager]}
  - {user: U2, name: Bo, roles: [purchasing, warehouse], country: DE, timezone: Europe/Berlin}
usergroups: {marketing: S0MKT}
channels: {ops: C1, purchasing: C2}
"""


def write(folder: Path, text: str, name: str = "team.yml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_team_playbook_is_valid() -> None:
    teams = load_teams(Path(__file__).parent.parent / "playbooks")
    team = teams.teams[0]
    assert team.id == "shenzhen-ops"
    assert [m.name for m in team.people_with(Role.purchasing)] == ["Chen Jie"]


def test_a_good_team_file_loads_roles_groups_and_channels(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    team = load_teams(tmp_path).teams[0]
    assert team.locale == "zh_CN"
    assert team.has_role("U2", Role.warehouse)
    assert not team.has_role("U2", Role.manager)
    assert team.has_role("U9", Role.marketing, frozenset({"U9"}))  # via the user group's members
    assert team.channel(ChannelKey.purchasing) == "C2"
    assert team.channel(ChannelKey.marketing) == "C1"  # falls back to the ops channel


def test_unknown_role_is_named_with_file_and_key(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("roles: [manager]", "roles: [boss]"))
    with pytest.raises(ConfigError) as raised:
        load_teams(tmp_path)
    problem = raised.value.problems[0]
    assert problem.startswith(f"{tmp_path / 'team.yml'}: members.0.roles.0: Input should be 'manager'")


def test_every_problem_in_a_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    bad = GOOD.replace("Asia/Taipei", "Asia/Atlantis").replace("[CN]", "[XX]").replace("user: U2", "user: U1")
    write(tmp_path, bad)
    with pytest.raises(ConfigError) as raised:
        load_teams(tmp_path)
    text = "\n".join(raised.value.problems)
    assert "timezone: unknown time zone 'Asia/Atlantis'" in text
    assert "holiday_countries: no holiday calendar for country 'XX'" in text


def test_a_duplicated_member_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("user: U2", "user: U1"))
    with pytest.raises(ConfigError, match="member U1 is listed twice"):
        load_teams(tmp_path)


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "id: x\nname: [unclosed\n")
    with pytest.raises(ConfigError) as raised:
        load_teams(tmp_path)
    assert "team.yml: line 3" in raised.value.problems[0] or "team.yml: line 2" in raised.value.problems[0]
    assert "not valid YAML" in raised.value.problems[0]


def test_environment_references_are_expanded_and_a_missing_one_is_named(tmp_path: Path) -> None:
    write(tmp_path, GOOD.replace("ops: C1", "ops: $OPS_CHANNEL"))
    team = load_teams(tmp_path, env={"OPS_CHANNEL": "C0PROD"}).teams[0]
    assert team.channels["ops"] == "C0PROD"  # type: ignore[index]
    with pytest.raises(ConfigError, match=r"\$OPS_CHANNEL is not set in the environment"):
        load_teams(tmp_path, env={})


def test_several_teams_in_one_list_and_in_separate_files(tmp_path: Path) -> None:
    write(tmp_path, "teams:\n  - {id: a, name: A}\n  - {id: b, name: B}\n")
    write(tmp_path / "teams", "id: c\nname: C\n", "c.yml")
    assert [t.id for t in load_teams(tmp_path).teams] == ["a", "b", "c"]
    write(tmp_path / "teams", "id: a\nname: Again\n", "d.yml")
    with pytest.raises(ConfigError, match="team id 'a' is used by more than one team"):
        load_teams(tmp_path)


def test_a_missing_team_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"team\.yml: file not found"):
        load_teams(tmp_path)


def test_workdays_skip_weekends_and_chinas_national_day_week() -> None:
    calendar = WorkCalendar(("mon", "tue", "wed", "thu", "fri"), ("CN",))
    assert not calendar.is_workday(date(2026, 10, 1))  # National Day
    assert calendar.holiday_name(date(2026, 10, 1)) is not None
    assert not calendar.is_workday(date(2026, 11, 28))  # Saturday
    assert calendar.is_workday(date(2026, 11, 23))
    # From Friday 2026-09-25, three workdays is Wednesday 30th; the next one is after the holiday week.
    assert calendar.add_workdays(date(2026, 9, 25), 3) == date(2026, 9, 30)
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_extra_company_days_off_count_as_holidays() -> None:
    calendar = WorkCalendar(extra_holidays=(date(2026, 12, 31),))
    assert not calendar.is_workday(date(2026, 12, 31))
    assert calendar.is_workday(date(2026, 12, 30))


def _percent_fields(model: type, seen: set[type] | None = None) -> set[str]:
    """Names of the fields, in a playbook model and the models inside it, that hold a percentage (Percent)."""
    from pydantic import BaseModel

    from bot.playbooks import Percent

    marker = repr(Percent.__metadata__[0])  # type: ignore[attr-defined]
    seen = seen if seen is not None else set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        if marker in repr(info.annotation) or marker in repr(info.metadata):
            names.add(name)
        for inner in re.findall(r"<class '([\w.]+)'>", repr(info.annotation)) + [
            f"{getattr(a, '__module__', '')}.{getattr(a, '__qualname__', '')}" for a in _args(info.annotation)
        ]:
            module, _, qualname = inner.rpartition(".")
            candidate = getattr(importlib.import_module(module), qualname, None) if module else None
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and candidate not in seen:
                names |= _percent_fields(candidate, seen)
    return names


def _args(annotation: object) -> list[object]:
    from typing import get_args

    found, todo = [], [annotation]
    while todo:
        for arg in get_args(todo.pop()):
            found.append(arg)
            todo.append(arg)
    return found


def _values_under(data: object, keys: set[str]) -> list[tuple[str, object]]:
    if isinstance(data, dict):
        return [(k, v) for k, v in data.items() if k in keys] + [
            pair for v in data.values() for pair in _values_under(v, keys)
        ]
    if isinstance(data, list):
        return [pair for v in data for pair in _values_under(v, keys)]
    return []


def test_the_shipped_playbooks_write_percentages_as_people_do_and_still_load() -> None:
    """acos_max: 25%, not 0.25: every percentage in every shipped playbook, and each still loads to its fraction."""
    import yaml

    from bot.config import packaged_playbooks
    from bot.ops.feedback_playbook import load_playbook as load_feedback
    from bot.ops.launch_playbook import LaunchPlaybook
    from bot.ops.launch_playbook import load_playbooks as load_launches
    from bot.ops.restock_playbook import RestockPlaybook
    from bot.ops.restock_playbook import load_playbook as load_restock
    from bot.ops.standup_playbook import StandupPlaybook
    from bot.ops.standup_playbook import load_playbook as load_standup
    from bot.reports.playbook import KpiPlaybook
    from bot.reports.playbook import load_playbook as load_kpi

    folder = packaged_playbooks()
    keys = set().union(*(_percent_fields(m) for m in (KpiPlaybook, RestockPlaybook, StandupPlaybook, LaunchPlaybook)))
    assert {"acos_max", "tacos_max", "cvr_min", "return_rate_max", "service_level", "ctr_high"} <= keys
    written = []
    for path in sorted(folder.rglob("*.yml")):
        for key, value in _values_under(yaml.safe_load(path.read_text(encoding="utf-8")), keys):
            written.append(key)
            assert isinstance(value, str) and value.endswith("%"), f"{path.name}: {key}: {value!r} is not 25%-style"
    assert len(written) >= 18  # 12 targets, 5 alert thresholds, the service level
    kpi, restock = load_kpi(folder), load_restock(folder)
    november = kpi.targets["US"]["2026-11"]
    assert (november.acos_max, november.tacos_max, november.cvr_min, november.return_rate_max) == pytest.approx(
        (0.25, 0.10, 0.10, 0.05)
    )
    assert kpi.alerts.ctr_high == pytest.approx(0.005) and kpi.alerts.return_rate_rise == pytest.approx(0.5)
    assert restock.service_level == pytest.approx(0.95)
    assert load_launches(folder) and load_feedback(folder) and load_standup(folder)
    assert load_teams(folder).teams
