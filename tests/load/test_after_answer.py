"""What a form put off until after its answer runs on the front's own threads, in order; one piece that fails is
logged with its traceback and does not cost the others (issue 17)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.answering import after_answer, answering, answering_now
from bot.front import Front


def test_work_put_off_runs_in_order_after_the_answer_and_a_failure_is_logged_not_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    front = Front(ctx=Any, make_app=lambda: Any, queued=False)  # type: ignore[arg-type]  # nothing else used
    done: list[str] = []

    def failing() -> None:
        raise RuntimeError("Slack said no")

    try:
        with answering() as kept:
            assert after_answer(lambda: done.append(f"message sent, answering: {answering_now()}"))
            assert after_answer(failing)
            assert after_answer(lambda: done.append("home published"))
            assert done == []  # nothing of it before the answer
        front._after(kept)
        assert front.settle(timeout=30)
    finally:
        front._after_answer.shutdown(wait=True)
        front._outage_answers.shutdown(wait=True)
        front._learning.shutdown(wait=True)

    assert done == ["message sent, answering: False", "home published"]  # in order; free to call Slack then
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1 and "after a form's answer failed" in failures[0].getMessage()
    assert failures[0].exc_info is not None and "Slack said no" in str(failures[0].exc_info[1])


def test_outside_a_form_nothing_is_put_off() -> None:
    assert not answering_now()
    assert after_answer(lambda: None) is False  # the caller does it now (a work thread, the scheduler, the console)
