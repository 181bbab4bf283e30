"""Issue 17, "text a person typed is shown as typed": a fresh-eyes tester's stand-up finding, as a transcript.

A blocker typed as "-2+3" showed as "-2+3" in the thread but as "🚧 2+3" in the summary, the App Homes (its
owner's and the manager's) and `/standup status`: the leading "-" was stripped as if it were a list bullet.
Only a bullet — "- ", "• " or "* " followed by a space — is the person's list marker and may go.

The clock starts Monday 23 November 2026, 09:00 in Shenzhen; `!at` is Shenzhen time.
"""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.ops import standup as ops
from tests.conftest import converse

PRICE_CUT = "-20% price cut by competitor"
SUM = "-2+3"


def answer(user: str, blockers: str) -> str:
    return f'!as {user}\n!in {user}\n/standup\n!fill today="Work" yesterday="done" blockers="{blockers}"\n!submit'


def test_a_blocker_starting_with_a_minus_sign_is_shown_as_typed_everywhere(console: ConsoleSlack) -> None:
    shown = converse(console, [
        (answer("U0BUYER", PRICE_CUT), ["Monday, November 23, 2026 is in"]),
        (answer("U0SELECT", SUM), ["Monday, November 23, 2026 is in"]),
        # The owner's App Home, and the stand-up's status.
        ("!as U0BUYER\n!home", ["App Home of Chen Jie", f"🚧 {PRICE_CUT}"]),
        ("!in C0OPS\n/standup status", [f"{PRICE_CUT} — @Chen Jie", f"{SUM} — @Zhang Min"]),
        # The manager's App Home (Li Wei reads Chinese; the blockers are the people's own words).
        ("!as U0MANAGER\n!home", ["App Home of Li Wei", PRICE_CUT, SUM]),
        # The day's summary in #ops.
        ("!at 2026-11-23 11:00", ["── #ops", f"{PRICE_CUT} — @Chen Jie", f"{SUM} — @Zhang Min"]),
    ])
    for lost in ("🚧 20% price cut", "🚧 2+3", " 20% price cut by competitor —", " 2+3 —"):
        assert lost not in shown


def test_only_a_bullet_followed_by_a_space_is_taken_off_a_blocker_line() -> None:
    typed = ("- QC report late\n• 样品还没到\n* Listing suppressed\n-2+3\n-20% price cut by competitor\n"
             "*urgent* PO 4711\n-\nnone")
    assert ops.blocker_lines(typed) == ["QC report late", "样品还没到", "Listing suppressed", "-2+3",
                                        "-20% price cut by competitor", "*urgent* PO 4711"]
    # Around the words, spaces and tabs go; a sign or star at the end stays as typed.
    assert ops.blocker_lines("  \tWaiting on price list -  \n") == ["Waiting on price list -"]
