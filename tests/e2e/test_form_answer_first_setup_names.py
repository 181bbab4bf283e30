"""/ops setup's form and its preview are answered without asking Slack who the people picked are (issue 17): the
preview shows them as Slack mentions, the setup is saved at once with what is known of them, and their names are
looked up once the answer is made, so the team then knows them by name (on every replica: the stored setup has
them), not by their Slack ids.

No sleeping and no clock: a submission that asked Slack would wait for a release that comes only after the answer,
and the test would fail on its HTTP client's timeout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.blocks.setup import setup_modal
from bot.db.setup import TeamSetupRow
from bot.flows.setup import TeamSetup
from bot.i18n import translator
from bot.ops.team import ROLE_NAMES
from tests.e2e.test_form_answer_first import filled, settle, submit
from tests.load.conftest import TOKEN, Served
from tests.support.held_slack import HeldSlack, held_slack

NEW_TEAM = "id: shenzhen-ops\nname: Shenzhen Ops\nslack_team_id: T0DEMO\n"


@pytest.fixture
def slack() -> Iterator[HeldSlack]:
    yield from held_slack(TOKEN)


@pytest.fixture
def served(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Served]:
    (playbooks_dir / "team.yml").write_text(NEW_TEAM, encoding="utf-8")  # nobody known yet: set up from Slack
    replica = Served(slack, playbooks_dir, database_url, work_threads=1, work_process=False)
    try:
        yield replica
    finally:
        slack.release()
        replica.stop()


def test_the_setup_is_answered_without_asking_slack_and_the_people_are_named_after(
    served: Served, slack: HeldSlack
) -> None:
    context = served.services.context
    team = context.teams.teams[0]
    tr = translator("en-US")
    labels = {role: tr._(label) for role, label in ROLE_NAMES.items()}
    form = filled(
        setup_modal(tr, team, TeamSetup(context).offered(team), labels),
        timezone="Asia/Shanghai",
        base_currency="CNY",
        workdays="mon,tue,wed,thu,fri",
        holiday_countries="CN",
        channel_ops="C0OPS",
        role_manager="U0BUYER",
        role_purchasing="U0CS",
    )
    slack.hold()

    preview = submit(served, "U0BUYER", form)  # the preview, with Slack holding every call
    assert preview["response_action"] == "update"
    shown = json.dumps(preview["view"])
    assert "<@U0BUYER>" in shown and "<@U0CS>" in shown  # people shown as Slack shows them: no lookup needed
    assert submit(served, "U0BUYER", {**preview["view"], "id": "V0PREVIEW", "state": {"values": {}}}) == {
        "response_action": "clear"
    }
    saved = context.teams.by_id("shenzhen-ops")
    assert saved is not None and {m.user for m in saved.members} == {"U0BUYER", "U0CS"}  # saved at once

    slack.release()
    settle(served)
    named = context.teams.by_id("shenzhen-ops")
    assert named is not None and {m.user: m.name for m in named.members} == {"U0BUYER": "Chen Jie", "U0CS": "Wang Fang"}
    with served.services.db.transaction() as session:
        row = session.get(TeamSetupRow, "shenzhen-ops")
        assert row is not None
        stored = {m["user"]: m["name"] for m in json.loads(row.settings_json)["members"]}
    assert stored == {"U0BUYER": "Chen Jie", "U0CS": "Wang Fang"}  # what another replica applies
