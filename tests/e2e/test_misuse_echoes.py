"""What a person typed comes back as typed, never as live markup, and never escaped where Slack shows text
literally (issue 17, misuse): refusals of every command, list headers."""

from __future__ import annotations

import pytest

from bot.blocks.common import error_text
from bot.console.session import ConsoleSlack
from bot.errors import N_, OpsError
from bot.i18n import translator
from tests.conftest import converse


def replies_to(console: ConsoleSlack, words: str) -> list[str]:
    return [str(r.text) for r in console.emulator.records if words in str(r.text)]


@pytest.mark.parametrize("line", [
    "/standup history <@U0123> 7d",
    "/agenda add <@U0123|fake> hi",
    "/action <@U0123|evil> by fri x",
])
def test_a_typed_mention_of_someone_not_on_the_team_is_refused_as_typed(console: ConsoleSlack, line: str) -> None:
    converse(console, [(f"!as U0BUYER\n{line}", ["only visible to Chen Jie", "is not on"])])
    said = replies_to(console, "is not on")
    assert said and all("<@U0123" not in text and "&lt;@U0123&gt;" in text for text in said), said


def test_the_zh_cn_manager_is_refused_in_chinese_and_as_typed(console: ConsoleSlack) -> None:
    converse(console, [("/standup history <@U0123> 7d", ["only visible to Li Wei", "U0123"])])
    said = [str(r.text) for r in console.emulator.records if "U0123" in str(r.text)]
    assert said and all("<@U0123" not in text for text in said), said


def test_a_team_members_mention_in_a_refusal_stays_a_mention() -> None:
    """Opsbot's own mention of someone on the team (an owner it holds) is still a mention; any other id shows as
    typed, and so does every other value a refusal carries."""
    tr = translator("en")
    error = OpsError(N_("Only <@{owner}> or a manager can mark this blocker resolved."), owner="U0BUYER")
    assert error_text(tr, error, frozenset({"U0BUYER"})) == \
        "Only <@U0BUYER> or a manager can mark this blocker resolved."
    assert error_text(tr, error, frozenset()) == "Only &lt;@U0BUYER&gt; or a manager can mark this blocker resolved."
    typed = OpsError(N_("I don't know the SKU {sku}."), sku="<!channel> & <@U0BUYER>")
    assert error_text(tr, typed, frozenset({"U0BUYER"})) == \
        "I don't know the SKU &lt;!channel&gt; &amp; &lt;@U0BUYER&gt;."


def test_a_list_header_shows_what_was_typed_once(console: ConsoleSlack) -> None:
    converse(console, [("!as U0BUYER\n/restock list <!channel>", ["Restock requests: <!channel>"])])
    header = [b for r in console.emulator.records for b in (r.blocks or []) if b.get("type") == "header"
              and "Restock requests" in b["text"]["text"]]
    assert header and header[-1]["text"]["text"] == "Restock requests: <!channel>"
