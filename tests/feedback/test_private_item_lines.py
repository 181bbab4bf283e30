"""Issue 17, "private stays private": an item only the manager may see works on her line alone, whatever older code
stored for it.

Before the manager's line was the only line of an unshared private item, Opsbot made an item's lines from its route
when it first read them: a private price report got marketing's and purchasing's lines, whose buttons, follow-ups and
App Home entries belong to people who may not see it. Such lines, already in a team's database, are left out wherever
lines are read (and put aside by migration 0037); an item with no lines yet gets the manager's alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import delete, select

from bot.console.session import ConsoleSlack
from bot.db import Database
from bot.db.base import UTCDateTime
from bot.db.feedback import FeedbackItem
from bot.db.feedback_lines import FeedbackLine
from bot.db.migrate import alembic_config, upgrade
from tests.conftest import converse
from tests.feedback.test_feedback_links_e2e import press
from tests.support.seen import everything_in, everywhere_but

PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0RANDOM", "C0MANAGER")
SECRET = "OLDSECRET"


def as_older_code_left_it(console: ConsoleSlack, item_id: int, roles: tuple[str, ...]) -> None:
    """The item's lines as Opsbot made them before: one per route role, none for the manager."""
    with console.services.db.transaction() as session:
        item = session.get(FeedbackItem, item_id)
        assert item is not None
        session.execute(delete(FeedbackLine).where(FeedbackLine.item_id == item_id))
        for role in roles:
            session.add(FeedbackLine(team_id=item.team_id, item_id=item_id, role=role, state="new", active=True,
                                     updated_at=item.updated_at))


def stored_lines(console: ConsoleSlack, item_id: int) -> dict[str, bool]:
    with console.services.db.transaction() as session:
        rows = session.scalars(select(FeedbackLine).where(FeedbackLine.item_id == item_id))
        return {r.role: r.active for r in rows}


def test_route_lines_older_code_made_for_a_private_item_show_nowhere_and_move_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n"
         f"/feedback {SECRET} competitor cut LED-100 price to 19.99 on amazon.de, our cost 7 USD",
         ["Feedback #1 went to the manager only", "May it also go to #marketing and #purchasing?"]),
    ])
    as_older_code_left_it(console, 1, ("marketing", "purchasing"))

    # Chen Jie (purchasing) may not read it: the old line's buttons, pressed anyway, move nothing and start nothing.
    refused = press(console, "U0BUYER", "feedback.line.acknowledge", {"feedback": 1, "role": "purchasing"})
    assert "That line is no longer on feedback #1." in refused
    refused = press(console, "U0BUYER", "feedback_add_launch_task",
                    {"feedback": 1, "sku": "LED-100", "marketplace": "DE"})
    assert "That follow-up is for the people of the line that offers it." in refused
    assert "modal opened" not in refused

    shown = converse(console, [
        # The manager reads it with her line alone, made now from the item's state.
        ("!as U0MANAGER\n!in U0MANAGER\n/feedback status F-1", [SECRET, "*运营主管* · 🆕"]),
        ("!home", ["*F-1* · 价格 / 竞品", "运营主管：已知悉"]),
        # Amy wrote it and is in marketing: her old marketing line no longer puts it on her Home.
        ("!as U0MARKET\n!home", ["Nothing routed to you is open."]),
        ("!as U0MANAGER\n!click 运营主管：已知悉",
         ["── DM with Li Wei · message updated", "*运营主管* · 👀 已知悉 · @Li Wei"]),
    ])
    status = shown.split("/feedback status F-1")[1].split("» ")[0]
    card = shown.split("── DM with Li Wei · message updated")[-1].split("── ")[0]
    for role in ("*市场与广告*", "*采购*"):
        assert role not in status and role not in card
    assert stored_lines(console, 1) == {"marketing": True, "purchasing": True, "manager": True}
    for channel in PUBLIC:
        assert SECRET not in everything_in(console, channel)
    assert SECRET not in everywhere_but(console, "U0MANAGER", "U0MARKET")


def test_a_private_item_from_before_lines_gets_the_managers_line_alone_until_shared(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n"
         f"/feedback {SECRET} competitor cut LED-100 price to 19.99 on amazon.de, our cost 7 USD",
         ["Feedback #1 went to the manager only"]),
    ])
    as_older_code_left_it(console, 1, ())  # filed before items had lines
    converse(console, [("!as U0MANAGER\n!in U0MANAGER\n/feedback status F-1", ["*运营主管* · 🆕"])])
    assert stored_lines(console, 1) == {"manager": True}
    # Once its author shares it, the route's lines are made and the manager's is put aside.
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n!click Yes, share it",
         ["── #marketing · Opsbot", SECRET, "*Marketing & ads* · 🆕 new", "*Purchasing* · 🆕 new"]),
    ])
    assert stored_lines(console, 1) == {"manager": False, "marketing": True, "purchasing": True}


def test_nobody_who_may_not_read_a_private_item_starts_anything_from_it(console: ConsoleSlack) -> None:
    """"Adjust restock" and "Plan promotion" are not a line's own buttons: forged by purchasing or marketing for an
    item only the manager sees, they open no form (the restock or promotion card would name F-1 in a team channel)."""
    converse(console, [
        ("!as U0CS\n!in U0CS\n"
         f"/feedback {SECRET} competitor cut LED-100 price to 19.99 on amazon.de, our cost 7 USD",
         ["Feedback #1 went to the manager only"]),
    ])
    value = {"feedback": 1, "sku": "LED-100", "marketplace": "DE"}
    for user, action in (("U0BUYER", "feedback_adjust_restock"), ("U0MARKET", "feedback_plan_promo")):
        refused = press(console, user, action, value)
        assert "Feedback F-1 came from a private conversation: only @Wang Fang and the manager may read its words." \
            in refused
        assert "modal opened" not in refused
    # The manager may: her line offers them.
    assert "modal opened for Li Wei" in press(console, "U0MANAGER", "feedback_adjust_restock", value)


ITEMS = sa.table("feedback_items", *(sa.column(c) for c in (
    "id", "team_id", "reporter", "text", "source_private", "share_publicly", "category", "urgent", "roles_json",
    "state", "owner", "note", "count")), sa.column("created_at", UTCDateTime()), sa.column("updated_at", UTCDateTime()))
LINES = sa.table("feedback_lines", *(sa.column(c) for c in ("id", "team_id", "item_id", "role", "state", "active")),
                 sa.column("updated_at", UTCDateTime()))


@pytest.mark.parametrize("url_fixture", ["database_url", pytest.param("postgres_url", marks=pytest.mark.postgres)])
def test_the_migration_puts_aside_a_private_items_route_lines_and_gives_the_manager_hers(
    url_fixture: str, request: pytest.FixtureRequest,
) -> None:
    database = Database(request.getfixturevalue(url_fixture))
    command.upgrade(alembic_config(database.engine), "0036_work_free_index")
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    item = {"team_id": "T", "reporter": "U0MARKET", "text": "t", "source_private": True, "share_publicly": False,
            "category": "price", "urgent": False, "roles_json": '["marketing", "purchasing"]', "state": "new",
            "owner": None, "note": None, "count": 1, "created_at": at, "updated_at": at}
    with database.engine.begin() as connection:
        connection.execute(ITEMS.insert(), [
            {**item, "id": 1, "state": "acknowledged"},  # route lines made by older code, no manager's
            {**item, "id": 2, "state": "in_progress", "owner": "U0BUYER", "note": "calling the supplier"},  # no lines
            {**item, "id": 3, "source_private": False, "share_publicly": True},  # public: left as it is
            {**item, "id": 4},  # the manager's line put aside by an older re-route
        ])
        connection.execute(LINES.insert(), [
            {"team_id": "T", "item_id": 1, "role": "marketing", "state": "acknowledged", "active": True,
             "updated_at": at},
            {"team_id": "T", "item_id": 1, "role": "purchasing", "state": "new", "active": True, "updated_at": at},
            {"team_id": "T", "item_id": 3, "role": "purchasing", "state": "new", "active": True, "updated_at": at},
            {"team_id": "T", "item_id": 4, "role": "manager", "state": "acknowledged", "active": False,
             "updated_at": at},
            {"team_id": "T", "item_id": 4, "role": "purchasing", "state": "new", "active": True, "updated_at": at},
        ])
    upgrade(database.engine)
    with database.transaction() as session:
        lines = {(r.item_id, r.role): (r.state, r.active, r.actor, r.note)
                 for r in session.scalars(select(FeedbackLine))}
        questions = {i.id: (i.consent_question, i.consent_ts) for i in session.scalars(select(FeedbackItem))}
    assert lines == {
        (1, "marketing"): ("acknowledged", False, None, None), (1, "purchasing"): ("new", False, None, None),
        (1, "manager"): ("acknowledged", True, None, None),
        (2, "manager"): ("on_it", True, "U0BUYER", "calling the supplier"),
        (3, "purchasing"): ("new", True, None, None),
        (4, "manager"): ("acknowledged", True, None, None), (4, "purchasing"): ("new", False, None, None),
    }
    assert questions == {1: (0, None), 2: (0, None), 3: (0, None), 4: (0, None)}
    database.dispose()
