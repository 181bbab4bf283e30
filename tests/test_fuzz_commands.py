"""Whatever a person types after a slash command, they get a reply and never a traceback.

Every registered command is fuzzed with hypothesis (ASCII, Chinese, dates, numbers, mentions, very
long text); the e2e harness runs the real app. "Something went wrong" — the unexpected-error path —
must never be the answer: a bad input deserves a message saying what is accepted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.console.session import ConsoleSlack
from tests.conftest import PLAYBOOKS, SOMETHING_WENT_WRONG

WORDS = ["help", "team", "list", "open", "mine", "status", "skip", "ooo", "back", "history", "export", "new",
         "move", "yesterday", "7d", "30d", "mtd", "US", "DE", "JP", "by", "2026-11-30", "2026-13-01",
         "2026-12-01..2026-11-01", "0", "-5", "100", "1e9", "abc", "#quality", "#price", "R-1", "R-999999",
         "LED-100", "<@U0BUYER>", "差评", "断货", "降价", "紧急", "  ", "..", "\t", "🙂"]
TEXT = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=2900, max_size=3100),
)
PEOPLE = ["U0MANAGER", "U0BUYER", "U0MARKET", "U0GUEST"]
EXAMPLES_PER_COMMAND = 5000


@pytest.fixture(scope="module")
def fuzz_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleSlack]:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(PLAYBOOKS, folder / "playbooks")
    slack = ConsoleSlack(playbooks_dir=folder / "playbooks", database_url=f"sqlite:///{folder / 'fuzz.sqlite3'}",
                         start=datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    yield slack
    slack.close()


def _commands() -> list[str]:
    from bot.wiring import FEATURES

    return sorted({c.name for f in FEATURES for c in f.commands})


@pytest.mark.parametrize("command", _commands())
def test_any_text_gets_a_reply_and_never_an_unexpected_error(fuzz_console: ConsoleSlack, command: str) -> None:
    examples = max(1, EXAMPLES_PER_COMMAND // len(_commands()))

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(text=TEXT, person=st.sampled_from(PEOPLE))
    def check(text: str, person: str) -> None:
        fuzz_console.user = person
        fuzz_console.modals.clear()
        before = fuzz_console.emulator.last_seq
        fuzz_console.command(command, text)
        shown = fuzz_console.emulator.since(before)
        assert shown, f"{command} {text!r} from {person} got no reply at all"
        replies = " ".join(r.text + str(r.blocks) for r in shown)
        assert not any(words in replies for words in SOMETHING_WENT_WRONG), f"{command} {text!r}"

    check()


def test_the_fuzzer_covers_every_registered_command() -> None:
    commands = _commands()
    assert "/ops" in commands
    per_command = max(1, EXAMPLES_PER_COMMAND // len(commands))
    assert per_command * len(commands) >= EXAMPLES_PER_COMMAND - len(commands)
