"""A form whose answer checks a role given by a Slack user group is answered without asking Slack (issue 17).

Sara Kim, the analyst, is also one of the team's managers: not in team.yml, through the Slack user group
S0MANAGERS that team.yml's ``usergroups`` names. A launch task's form checks that she may change a task that is
not hers. Under ``opsbot serve``, with every Web API call held until the test lets Slack answer:

- after a restart, her form is answered from the group's members stored by the process before (no
  usergroups.users.list while the answer is prepared; it used to wait on Slack, past Slack's 3 seconds);
- a form answered before the group was ever stored (opened before the upgrade) does not tell a manager that
  only the manager may: it keeps her values and asks her to submit again, and the group, read right after the
  answer, answers her second submission;
- taken out of the group (Slack's subteam_members_changed event), she loses the role at once, even with Slack
  hanging when Opsbot reads the group again.

No sleeping and no clock: a submission that waited on Slack would wait for a release that comes only after the
answer, and the test would fail on its HTTP client's timeout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.console import payloads
from bot.console.slack_state import BOT_USER_ID
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_tasks import LaunchTasks
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.team import Role
from tests.e2e.test_form_answer_first import filled, settle, submit
from tests.e2e.test_form_answer_first_launch_channel import launch_form
from tests.load.conftest import TOKEN, Served, eventually
from tests.support.held_slack import HeldSlack, held_slack
from tests.support.serving import finish_the_scheduler

GROUP = "S0MANAGERS"
BLOCKED = {"state": "blocked", "reason": "Supplier closed for Golden Week"}
NOT_READ_YET = "Opsbot has not read your team's Slack user groups yet"


@pytest.fixture
def slack(playbooks_dir: Path) -> Iterator[HeldSlack]:
    team_file = playbooks_dir / "team.yml"
    team_file.write_text(team_file.read_text(encoding="utf-8").replace(
        "usergroups: {}", f"usergroups: {{manager: {GROUP}}}"), encoding="utf-8")
    for emulator in held_slack(TOKEN):
        emulator.usergroups[GROUP] = ["U0MANAGER", "U0ANALYST"]
        yield emulator


@contextmanager
def replica(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Served]:
    """A process of ``opsbot serve``, with no scheduler ticking in it (its tick at start, if any, is over, with
    Slack answering): only what the test does asks Slack."""
    served = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    finish_the_scheduler(served.services)
    try:
        yield served
    finally:
        slack.release()
        served.stop()


def buyers_task(served: Served) -> int:
    """A launch is set up (Slack answering) and the id of a task Chen Jie, the buyer, owns."""
    assert submit(served, "U0SELECT", launch_form(served, "Desk Fan", channel="here")) == {}
    settle(served)
    with served.services.db.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "select id from launch_tasks where owner = 'U0BUYER' and state = 'open' order by id").first()
    assert found is not None
    return int(found[0])


def task_form(served: Served, user: str, task_id: int) -> dict[str, Any]:
    """The task's form as ``user`` opens it (opening checks that they may change it), filled in to block it."""
    context = served.services.context
    playbooks = context.playbook(LaunchPlaybooks)
    view = LaunchTasks(context, playbooks, LaunchChecklist(context, playbooks)).modal(user, task_id)
    return filled(view, **BLOCKED)


def task_state(served: Served, task_id: int) -> tuple[str, str | None]:
    with served.services.db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            f"select state, blocked_reason from launch_tasks where id = {task_id}").one()
    return str(row[0]), row[1]


def group_reads(slack: HeldSlack) -> int:
    return slack.attempts.count("usergroups.users.list")


def stored_members(served: Served) -> set[str] | None:
    with served.services.db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            f"select members from usergroup_members where group_id = '{GROUP}'").first()
    return None if row is None else set(str(row[0]).split())


def test_after_a_restart_a_manager_through_the_user_group_is_answered_from_the_stored_list(
    slack: HeldSlack, playbooks_dir: Path, database_url: str
) -> None:
    with replica(slack, playbooks_dir, database_url) as first:
        task = buyers_task(first)
        form = task_form(first, "U0ANALYST", task)  # she opens it: her role is checked, the group read
    read = group_reads(slack)

    with replica(slack, playbooks_dir, database_url) as restarted:
        assert group_reads(slack) == read  # the new process has not read the group itself
        slack.hold()  # and Slack stops answering
        assert submit(restarted, "U0ANALYST", form) == {}  # closed, usergroups.users.list not asked
        assert task_state(restarted, task) == ("blocked", BLOCKED["reason"])
        slack.release()
        settle(restarted)


def test_a_form_answered_before_the_group_was_ever_read_asks_the_manager_to_submit_again(
    slack: HeldSlack, playbooks_dir: Path, database_url: str
) -> None:
    with replica(slack, playbooks_dir, database_url) as first:
        task = buyers_task(first)
        form = task_form(first, "U0ANALYST", task)
        with first.services.db.engine.begin() as connection:  # opened before the upgrade that stores groups
            connection.exec_driver_sql("delete from usergroup_members")
    read = group_reads(slack)

    with replica(slack, playbooks_dir, database_url) as upgraded:
        assert group_reads(slack) == read
        slack.hold()
        refused = submit(upgraded, "U0ANALYST", form)
        # Not "only the manager can": the form stays open, her values kept, and says why and what to do.
        assert refused["response_action"] == "errors" and NOT_READ_YET in refused["errors"]["state"]
        assert task_state(upgraded, task) == ("open", None)

        slack.release()
        settle(upgraded)  # the group is read right after the answer
        assert stored_members(upgraded) == {"U0MANAGER", "U0ANALYST"}
        slack.hold()
        assert submit(upgraded, "U0ANALYST", form) == {}  # her second submission, answered from it
        assert task_state(upgraded, task) == ("blocked", BLOCKED["reason"])
        slack.release()
        settle(upgraded)


def test_taken_out_of_the_group_she_loses_the_role_at_once_even_while_slack_hangs(
    slack: HeldSlack, playbooks_dir: Path, database_url: str
) -> None:
    with replica(slack, playbooks_dir, database_url) as served:
        task = buyers_task(served)
        form = task_form(served, "U0ANALYST", task)  # she is a manager when she opens it
        slack.usergroups[GROUP] = ["U0MANAGER"]  # an admin takes her out of the group; Slack says so
        slack.hold()  # and then hangs when Opsbot reads the group again
        event = {"type": "subteam_members_changed", "subteam_id": GROUP, "team_id": "T0DEMO",
                 "removed_users": ["U0ANALYST"], "removed_users_count": "1", "added_users": [],
                 "added_users_count": "0"}
        body = payloads.event(team="T0DEMO", event_body=event, bot_user=BOT_USER_ID)
        assert served.post(body, "application/json").status_code == 200
        assert eventually(lambda: stored_members(served) == {"U0MANAGER"})  # for every process, at once

        assert submit(served, "U0ANALYST", form) == {}  # refused: the form closes, the reason comes privately
        assert task_state(served, task) == ("open", None)
        slack.release()
        settle(served)
        told = [json.dumps([r.text, r.blocks], ensure_ascii=False) for r in slack.records
                if r.kind == "message" and r.channel == slack.dm_channel_of("U0ANALYST")]
        assert [t for t in told if "or the manager can update this task" in t], told


def test_a_groups_update_is_kept_as_slack_gives_it_and_a_disabled_group_gives_nobody_the_role(
    slack: HeldSlack, playbooks_dir: Path, database_url: str
) -> None:
    with replica(slack, playbooks_dir, database_url) as served:
        def updated(**subteam: Any) -> None:
            event = {"type": "subteam_updated", "subteam": {"id": GROUP, "team_id": "T0DEMO", "date_delete": 0,
                                                            **subteam}}
            body = payloads.event(team="T0DEMO", event_body=event, bot_user=BOT_USER_ID)
            assert served.post(body, "application/json").status_code == 200

        updated(users=["U0MANAGER", "U0FINANCE"])
        assert eventually(lambda: stored_members(served) == {"U0MANAGER", "U0FINANCE"})
        updated(users=["U0MANAGER", "U0FINANCE"], date_delete=1764900000)  # an admin disabled the group
        assert eventually(lambda: stored_members(served) == set())
        context = served.services.context
        team = context.teams.teams[0]
        assert not context.has_role(team, "U0FINANCE", Role.manager)
        assert context.has_role(team, "U0MANAGER", Role.manager)  # team.yml's manager all the same
