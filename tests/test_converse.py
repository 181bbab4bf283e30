"""The transcript helper's own rules: every step states what the person sees, and an error is never an answer."""

from __future__ import annotations

from typing import Any, cast

import pytest

from tests.conftest import SOMETHING_WENT_WRONG, converse


class Scripted:
    """Stands in for the console: answers each line with a set reply and remembers what was sent."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.sent: list[str] = []

    def send(self, line: str) -> str:
        self.sent.append(line)
        return self.answers.get(line, "")


def _play(answers: dict[str, str], transcript: list[tuple[str, list[str]]]) -> tuple[str, Scripted]:
    console = Scripted(answers)
    return converse(cast(Any, console), transcript), console


def test_a_step_that_expects_nothing_fails_and_says_what_it_showed() -> None:
    with pytest.raises(AssertionError, match=r"states nothing the user sees; it showed:\s+── #ops · only visible"):
        _play({"/restock LED-100 100": "── #ops · only visible to Amy Lin\n  Filed R-1"},
              [("/restock LED-100 100", [])])


@pytest.mark.parametrize("reply", [
    "Something went wrong (ref 3D780E). Please try again; if it keeps happening, give your admin this ref.",
    "出了点问题（编号 3D780E）。请再试一次；如果反复出现，请把这个编号告诉管理员。",
])
def test_something_went_wrong_fails_even_where_the_expected_text_shows(reply: str) -> None:
    with pytest.raises(AssertionError, match="a bug"):
        _play({"/kpi US 7d": f"── #ops · only visible to Li Wei\n  {reply}"}, [("/kpi US 7d", ["only visible"])])


def test_every_language_of_the_error_reply_is_looked_for() -> None:
    assert {"Something went wrong", "出了点问题"} <= set(SOMETHING_WENT_WRONG)


def test_a_step_of_several_lines_sends_each_and_looks_for_its_snippets_in_all_they_showed() -> None:
    shown, console = _play(
        {"!as U0BUYER": "(you are now Chen Jie)", "/launch list": "── #ops · only visible to Chen Jie\n  Launches"},
        [("!as U0BUYER\n/launch list", ["you are now Chen Jie", "Launches"])],
    )
    assert console.sent == ["!as U0BUYER", "/launch list"]
    assert shown.startswith("» !as U0BUYER\n/launch list\n(you are now Chen Jie)\n── #ops")
