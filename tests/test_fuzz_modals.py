"""Whatever a person types or picks in a modal, they get an answer and never a traceback, and nothing half-done.

Every registered view (``callback_id``) is opened the way people open it — a command or a button, on
a real request card, launch or feedback item — and then submitted over and over with hypothesis'
values for its inputs: any text (Chinese, emoji, control characters, 10,000 characters, empty), wrong
dates, negative and huge numbers, options the modal never offered — some inputs fuzzed, the rest
valid. The real app answers. It must never take the unexpected-error path; it must answer (a field
error, a private reply or the success path); a field error must name an input the modal has; a
rejected submission must leave the database exactly as it was and post nothing in any channel; and
what a successful one stored must fit PostgreSQL's column widths (SQLite would not complain). The
database is put back to its state at the modal's opening before each example, so every example
starts from the same request, launch or feedback item.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, String, event

import bot.db.models  # noqa: F401 - every table on Base.metadata
from bot.blocks.launch import add_launch_task_button, gate_blocks
from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import Record
from bot.db import launch as store
from bot.db.base import Base
from bot.i18n import translator
from bot.observability import ERRORS
from bot.reports.ingest import ingest_generic
from tests.conftest import MONDAY_9AM_SHENZHEN, PLAYBOOKS, REPO, SOMETHING_WENT_WRONG

SALES = REPO / "tests" / "restock" / "fixtures" / "led-100-us.csv"
EXAMPLES_IN_ALL = 5000
# Bookkeeping that every request touches, rejected or not.
BOOKKEEPING = {"processed_deliveries", "accepted_signatures", "job_fires", "alembic_version"}

WORDS = ["0", "-5", "-0", "1", "12.5", "1,000", "1e9", "99999999999999999999", "2147483648", "NaN", "inf", "  ",
         "2026-11-30", "2026-02-30", "2026-13-01", "0000-00-00", "tomorrow", "LED-100", "led-100", "R-1", "#quality",
         "<@U0BUYER>", "<!channel>", "*bold*", "`code`", "差评", "断货", "紧急", "🙂", "\t", "\n", "\x00", "'; --",
         "https://example.com/x", "a" * 80]
TEXT = st.one_of(
    st.none(),
    st.just(""),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.text(max_size=60),
    st.text(min_size=1, max_size=12).map(lambda s: s * (10_000 // len(s))),  # huge
)
DATES = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.dates(min_value=date(2026, 11, 1), max_value=date(2027, 6, 30)).map(date.isoformat),
    st.sampled_from(["", "2026-02-30", "2026-13-01", "26-12-01", "2026/12/01", "tomorrow", "0000-00-00"]),
    st.text(max_size=20),
)
USERS = st.one_of(st.none(), st.sampled_from(["U0BUYER", "U0MANAGER", "U0GUEST", "U0NOBODY", ""]), st.text(max_size=12))


def _unknown_option() -> st.SearchStrategy[dict[str, Any]]:
    return st.text(max_size=30).map(lambda v: {"text": {"type": "plain_text", "text": v or "?"}, "value": v})


def value_strategy(element: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The state Slack would send for one input element, and much that it would not."""
    kind = element.get("type")
    options = list(element.get("options", [])) + [o for g in element.get("option_groups", []) for o in g["options"]]
    some_option = st.one_of(st.sampled_from(options), _unknown_option()) if options else _unknown_option()
    if kind in ("static_select", "external_select", "radio_buttons"):
        return st.builds(lambda o: {"type": kind, "selected_option": o}, st.one_of(st.none(), some_option))
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return st.builds(lambda os: {"type": kind, "selected_options": os}, st.lists(some_option, max_size=6))
    if kind == "datepicker":
        return st.builds(lambda d: {"type": kind, "selected_date": d}, DATES)
    if kind == "users_select":
        return st.builds(lambda u: {"type": kind, "selected_user": u}, USERS)
    if kind == "multi_users_select":
        return st.builds(lambda us: {"type": kind, "selected_users": us}, st.lists(USERS, max_size=4))
    return st.builds(lambda t: {"type": kind or "plain_text_input", "value": t}, TEXT)


def state_strategy(view: dict[str, Any], valid: dict[str, Any]) -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    """Some inputs fuzzed, the others left valid: a bad value among good ones reaches the deepest checks."""
    inputs = [b for b in view.get("blocks", []) if b.get("type") == "input"]
    if not inputs:
        return st.just({})
    fuzzed = {str(b["block_id"]): value_strategy(b["element"]).map(lambda s, a=b["element"]["action_id"]: {str(a): s})
              for b in inputs}

    @st.composite
    def states(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
        chosen = draw(st.sets(st.sampled_from(sorted(fuzzed)), min_size=1))
        return {block: draw(fuzzed[block]) if block in chosen else valid[block] for block in fuzzed}

    return states()


# -- how each modal is opened --------------------------------------------------------------------------------
def _sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)


def _feedback_card(console: ConsoleSlack) -> None:
    console.send("!as U0CS")
    console.send("/feedback Customer says the lamp arrived with a cracked base")  # no SKU: no KPI lookup per card


def _add_task_button(console: ConsoleSlack) -> None:
    button = add_launch_task_button(translator("en"), "LED-100", "Fix the cable length in the listing")
    console.emulator._api_chat_postMessage({"channel": "C0MARKETING", "text": "feedback",
                                           "blocks": [{"type": "actions", "elements": [button]}]})


def _gate_decision(console: ConsoleSlack) -> None:
    """The go / no-go message the manager gets when the gate falls due (without running the days up to it)."""
    with console.services.db.transaction() as session:
        launch = store.active_launches(session, "shenzhen-ops")[0]
        gate = next(t for t in store.tasks_of(session, launch.id) if t.gate)
        ask = store.GateAsk(team_id="shenzhen-ops", launch_id=launch.id, task_id=gate.id, due=gate.due,
                            asked_at=console.clock.now())
        session.add(ask)
        session.flush()
        value = json.dumps({"ask": ask.id})
    blocks = gate_blocks(translator("en"), launch.name, "Selection sign-off", [], value, launch.launch_date)
    console.emulator._api_chat_postMessage({"channel": "C0MANAGER", "text": "Go / no-go", "blocks": blocks})


NEW_LAUNCH = ["!as U0SELECT", "/launch new",
              '!fill name="LED Desk Lamp" skus="LED-100, LED-100-EU" marketplaces=US,DE launch_date=2027-02-01 '
              "playbook=standard", "!submit"]
REQUEST = ["!as U0MARKET", "/restock LED-100 100", "!as U0BUYER", "!in C0PURCHASING"]
ORDERED = [*REQUEST, "!click Approve", "!click Mark ordered", "!fill po=PO-1 supplier=Acme eta=2027-01-10", "!submit"]


@dataclass(frozen=True)
class Target:
    """One modal as people reach it: the lines that open it (the last one opens it)."""

    name: str
    callback_id: str
    lines: list[str | Callable[[ConsoleSlack], None]]
    valid: str = ""  # a !fill line that makes a good submission (with the modal's initial values)
    prepare: Callable[[ConsoleSlack], None] | None = None
    has_inputs: bool = True  # a confirmation has none: it is submitted once, as it is


TARGETS = [
    Target("stand-up answers", "standup.answer", ["!as U0BUYER", "/standup"],
           'yesterday="Packed orders" today="Supplier call" blockers="Waiting for QC" mood=4'),
    Target("stand-up blocker resolved by the manager", "standup.resolve",
           ["!as U0BUYER", "/standup", '!fill yesterday=x today=y blockers="QC report late"', "!submit",
            "!at 2026-11-23 11:00", "!as U0MANAGER", "!click Resolved"], 'reason="The factory sent it"'),
    Target("restock request form", "restock.request", ["!as U0MARKET", "/restock"],
           'sku=LED-100 quantity=300 needed_by=2026-12-31 reason="Q1 promotion"', _sales),
    Target("restock reject", "restock.step", [*REQUEST, "!click Reject"], 'reason="Too early"', _sales),
    Target("restock change quantity", "restock.step", [*REQUEST, "!click Change quantity"], "quantity=200", _sales),
    Target("restock ordered", "restock.step", [*REQUEST, "!click Approve", "!click Mark ordered"],
           "po=PO-9 supplier=Acme eta=2027-01-10", _sales),
    Target("restock shipped", "restock.step", [*ORDERED, "!click Mark shipped"], "carrier=COSCO tracking=C1 mode=sea",
           _sales),
    Target("restock received", "restock.step",
           [*ORDERED, "!click Mark shipped", "!fill carrier=COSCO tracking=C1 mode=sea", "!submit", "!as U0WAREHOUSE",
            "!click Mark received"], "received=90", _sales),
    Target("launch new", "launch.new", ["!as U0SELECT", "/launch new"],
           'name="Desk Fan" skus=DESK-FAN-01 marketplaces=US,DE launch_date=2027-03-01 playbook=standard'),
    Target("launch task", "launch.task", [*NEW_LAUNCH, "!click Market research and competitor analysis"],
           'state=Blocked reason="No data yet"'),
    Target("launch task confirm", "launch.task_confirm",
           [*NEW_LAUNCH, "!as U0BUYER", "!click Supplier sampling", "!fill state=Done", "!submit"], has_inputs=False),
    Target("launch no-go", "launch.no_go_view",
           [*NEW_LAUNCH, _gate_decision, "!as U0MANAGER", "!in C0MANAGER", "!click No-go: hold the launch"],
           'reason="Second sample first" new_date=2027-03-01'),
    Target("launch go confirm", "launch.go_confirm",
           [*NEW_LAUNCH, _gate_decision, "!as U0MANAGER", "!in C0MANAGER", "!click Go: carry on with the launch"],
           has_inputs=False),
    Target("launch too soon", "launch.short_time",
           ["!as U0SELECT", "/launch new",
            '!fill name="Desk Fan" skus=DESK-FAN-01 marketplaces=US launch_date=2027-01-04 playbook=standard',
            "!submit"], 'plan="Keep the plan: those tasks start overdue"'),
    Target("launch add task", "launch.add_task",
           [*NEW_LAUNCH, "!as U0MARKET", "!in C0MARKETING", "!click Add launch task"],
           'launch="LED Desk Lamp" phase=Listing owner="Amy Lin" due=2026-12-01', _add_task_button),
    Target("kpi report range", "kpi.range_view",  # a Business Report shared under its download-day name
           ["!as U0ANALYST", "!in C0DATA", f"!upload {REPO / 'tests/kpi/fixtures/BusinessReport-11-20-26.csv'}",
            "!click Other dates…"], "marketplace=US from=2026-11-13 to=2026-11-19"),
    Target("promo form", "promo_form", ["!as U0MARKET", "/promo"],
           'skus=LED-100 kind=Coupon start=2026-11-25 end=2026-11-27 discount=15% budget=200', _sales),
    Target("feedback form", "feedback.file", ["!as U0CS", "/feedback"],
           'what="LED-100 arrived cracked" marketplace=US sku=LED-100 urgent=yes'),
    Target("feedback on it", "feedback.note", ["!as U0BUYER", "!in C0PURCHASING", "!click Purchasing: I'm on it"],
           'note="Calling the factory"', _feedback_card),
    Target("feedback done", "feedback.note", ["!as U0BUYER", "!in C0PURCHASING", "!click Purchasing: Done"],
           'note="Corner protectors from the next batch"', _feedback_card),
    Target("feedback close", "feedback.note", ["!as U0MANAGER", "!in C0PURCHASING", "!click Close"],
           'note="Corner protectors from the next batch"', _feedback_card),
    Target("feedback re-route", "feedback.reroute_view", ["!as U0BUYER", "!in C0PURCHASING", "!click Re-route"],
           "category=price", _feedback_card),
    # The example team.yml gives everything /ops setup could set: its form and preview have no inputs there.
    Target("meeting action from the agenda", "meetings.new_action",
           ["!at 2026-11-23 11:30", "!as U0MARKET", "/agenda add Photos for the DE listing", "!at 2026-11-29 16:00",
            "!at 2026-11-30 10:10", "!as U0ANALYST", "!in C0OPS", "!click Add action"],
           'owner=U0MARKET due=2026-12-04 text="Shoot the new DE photos"'),
    Target("meeting decision from an agenda line", "meetings.new_decision",
           ["!at 2026-11-23 11:30", "!as U0MARKET", "/agenda add Photos for the DE listing", "!at 2026-11-29 16:00",
            "!at 2026-11-30 10:10", "!as U0ANALYST", "!in C0OPS", "!click Record decision"],
           'text="Photos by a studio, not in-house"'),
    Target("meeting action done", "meetings.update_action",
           ["!at 2026-11-23 10:05", "!as U0ANALYST", "/action <@U0BUYER> by fri Confirm the PO date", "!as U0BUYER",
            "!home", "!click Done"], "note=Confirmed"),
    Target("team setup", "setup.form", ["/ops setup"], has_inputs=False),
    Target("team setup preview", "setup.preview", ["/ops setup", "!submit"], has_inputs=False),
]
FUZZED = [t for t in TARGETS if t.has_inputs]
PER_TARGET = -(-EXAMPLES_IN_ALL // len(FUZZED))


# -- the harness around one open modal ------------------------------------------------------------------------
class OpenModal:
    """A console with one modal open, whose database can be put back to the moment it opened."""

    def __init__(self, folder: Path, target: Target) -> None:
        shutil.copytree(PLAYBOOKS, folder / "playbooks")
        self.file = folder / "fuzz.sqlite3"
        self.console = ConsoleSlack(playbooks_dir=folder / "playbooks", database_url=f"sqlite:///{self.file}",
                                    start=MONDAY_9AM_SHENZHEN)
        # Durability is beside the point here: no fsync per commit keeps 5,000 submissions quick.
        event.listen(self.console.services.db.engine, "connect", _no_fsync)
        self.console.services.db.engine.dispose()
        if target.prepare:
            target.prepare(self.console)
        self.opened = ""
        for line in target.lines:
            if callable(line):
                line(self.console)
            else:
                self.opened = self.console.send(line)
        stack = self.console.modals.get(self.console.user) or []
        assert stack, f"{target.lines[-1]!r} opened no modal:\n{self.opened}"
        record = self.console.emulator.views[stack[-1].view_id]
        self.view = dict(record.view or {})
        assert self.view.get("callback_id") == target.callback_id, self.opened
        self.console.fill(target.valid)
        self.valid: dict[str, Any] = self.console._view_with_state(record)["state"]["values"]
        self.inputs = {str(b["block_id"]) for b in self.view.get("blocks", []) if b.get("type") == "input"}
        self.live = sqlite3.connect(self.file, isolation_level=None)
        self.snapshot = sqlite3.connect(":memory:")
        self.live.backup(self.snapshot)
        self.tables = [r[0] for r in self.live.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                       if r[0] not in BOOKKEEPING]
        self.width_checks = _width_checks()
        self.fingerprint_at_opening = self.fingerprint()
        self.records_at_opening = len(self.console.emulator.records)
        self.posted_in_channels: list[Record] = []

    def restore(self) -> None:
        self.snapshot.backup(self.live)
        del self.console.emulator.records[self.records_at_opening:]  # keeps `since` cheap; messages stay

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for table in self.tables:
            rows = sorted(map(repr, self.live.execute(f'SELECT * FROM "{table}"')))
            digest.update(f"{table}:{rows}".encode())
        return digest.hexdigest()

    def too_wide_for_postgresql(self) -> list[str]:
        """Values SQLite stored but PostgreSQL would refuse: longer than a String(n), or beyond a 32-bit Integer."""
        return [table for table, query in self.width_checks if self.live.execute(query).fetchone()]

    def submit(self, values: dict[str, dict[str, Any]]) -> tuple[int, dict[str, Any], str]:
        view = {**self.view, "state": {"values": values}, "hash": "h1"}
        body = payloads.view_submission(user=self.console.user, team=self.console.team.slack_team_id, view=view)
        seq = self.console.emulator.last_seq
        response = self.console.dispatch(body)
        # The console finishes the work before answering, so a refusal raised after ack() answers 500 here
        # (in production the ack has long gone by then); the error counters tell which path it took.
        assert response.status in (200, 500), f"status {response.status}: {response.body}"
        answer = json.loads(response.body) if response.status == 200 and response.body else {}
        records = self.console.emulator.since(seq)
        shown = "\n".join(r.text + json.dumps(r.blocks, ensure_ascii=False) for r in records)
        self.posted_in_channels = [r for r in records if r.kind in ("message", "update", "pin", "channel")
                                   and not self.console.emulator.channel(r.channel or "").is_im]
        return response.status, answer, shown

    def close(self) -> None:
        self.snapshot.close()
        self.live.close()
        self.console.close()


def _no_fsync(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA synchronous=OFF")


def _width_checks() -> list[tuple[str, str]]:
    checks = []
    for table in Base.metadata.sorted_tables:
        tests = [f'length("{c.name}") > {c.type.length}' for c in table.columns
                 if isinstance(c.type, String) and c.type.length]
        tests += [f'abs("{c.name}") > 2147483647' for c in table.columns if type(c.type) is Integer]
        if tests:
            checks.append((table.name, f'SELECT 1 FROM "{table.name}" WHERE {" OR ".join(tests)} LIMIT 1'))
    return checks


def _counter(kind: str) -> float:
    return float(ERRORS.labels(kind=kind)._value.get())


@pytest.fixture(params=TARGETS, ids=lambda t: t.name)
def open_modal(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenModal]:
    modal = OpenModal(tmp_path_factory.mktemp("modal"), request.param)
    yield modal
    modal.close()


def test_any_values_in_any_modal_get_an_answer_and_leave_nothing_half_done(open_modal: OpenModal) -> None:
    @settings(max_examples=PER_TARGET, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(values=state_strategy(open_modal.view, open_modal.valid))
    def check(values: dict[str, dict[str, Any]]) -> None:
        open_modal.restore()
        unexpected, refused = _counter("unexpected"), _counter("user")
        status, answer, shown = open_modal.submit(values)
        context = f"{open_modal.view['callback_id']} with {values!r}"
        assert not any(words in shown for words in SOMETHING_WENT_WRONG), f"unexpected error for {context}:\n{shown}"
        assert _counter("unexpected") == unexpected, f"unexpected error for {context}"
        assert status == 200 or _counter("user") > refused, f"status {status} for {context}"
        action = answer.get("response_action")
        if action == "errors":
            assert answer["errors"] and set(answer["errors"]) <= open_modal.inputs, f"{answer} for {context}"
            assert all(isinstance(m, str) and m.strip() for m in answer["errors"].values())
        else:
            assert shown or action in ("update", "push", "clear"), f"no answer at all for {context}"
        if action == "errors" or _counter("user") > refused:
            assert open_modal.fingerprint() == open_modal.fingerprint_at_opening, f"half-done: {context}"
            assert open_modal.posted_in_channels == [], f"posted, then refused: {context}"
        else:
            assert open_modal.too_wide_for_postgresql() == [], f"PostgreSQL would refuse: {context}"

    check()


def test_the_fuzzer_opens_every_registered_view(console: ConsoleSlack) -> None:
    assert {t.callback_id for t in TARGETS} == console.registrar.views
    assert PER_TARGET * len(FUZZED) >= EXAMPLES_IN_ALL
