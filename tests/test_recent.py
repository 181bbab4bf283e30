"""Answers kept for reuse: computed once however many ask at the same moment, dropped when old."""

from __future__ import annotations

import threading

import pytest

from bot.recent import Recent


def test_many_asking_at_once_get_one_computation() -> None:
    answers: Recent[str, int] = Recent(4)
    release, progress = threading.Event(), threading.Condition()
    computed: list[int] = []
    asked: list[int] = []
    got: list[int] = []

    def compute() -> int:
        with progress:
            computed.append(1)
            progress.notify_all()
        assert release.wait(10)  # the others ask while this one is still computing
        return 42

    def ask() -> None:
        with progress:
            asked.append(1)
            progress.notify_all()
        got.append(answers.get_or_compute("kpi 30d", compute))

    askers = [threading.Thread(target=ask) for _ in range(8)]
    for asker in askers:
        asker.start()
    with progress:
        assert progress.wait_for(lambda: len(asked) == len(askers) and computed, timeout=10)
    release.set()
    for asker in askers:
        asker.join(10)
    assert len(computed) == 1 and got == [42] * 8


def test_a_failed_computation_lets_the_next_one_try() -> None:
    answers: Recent[str, int] = Recent(4)

    def broken() -> int:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        answers.get_or_compute("k", broken)
    assert answers.get_or_compute("k", lambda: 7) == 7


def test_only_the_most_recent_answers_are_kept() -> None:
    answers: Recent[int, str] = Recent(2)
    for number in range(3):
        answers.put(number, str(number))
    assert (answers.get(0), answers.get(1), answers.get(2)) == (None, "1", "2")
