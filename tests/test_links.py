"""Links between features' objects: F-12 started R-3; the feedback card reads R-3's state through the kind the
restock feature declares, and hears when R-3 moved. Kinds here are declared by the test, as a feature would."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from bot.flows import links
from bot.flows.context import Context, LinkKind
from bot.i18n import Translator, translator
from bot.ops.links import LinkState, Ref
from tests.conftest import ConsoleSlack


@pytest.fixture
def ctx(console: ConsoleSlack) -> Iterator[Context]:
    yield console.services.context


def test_a_link_is_recorded_once_and_read_both_ways(ctx: Context) -> None:
    feedback, restock, promo = Ref("feedback", 12), Ref("restock", 3), Ref("promo", 2)
    assert links.link(ctx, "T1", feedback, restock, by="U1") is True
    assert links.link(ctx, "T1", feedback, restock, by="U2") is False  # a second click links nothing twice
    links.link(ctx, "T1", feedback, promo, by="U1")
    described = {"restock": LinkState(restock, "LED-100 x 900", "requested", finished=False),
                 "promo": LinkState(promo, "15% coupon", "live", finished=False),
                 "feedback": LinkState(feedback, "Price complaint", "open", finished=False)}

    def describe(_ctx: Context, ref: Ref, _tr: Translator) -> LinkState | None:
        return described[ref.kind]

    kinds = {k: LinkKind(k, describe) for k in ("restock", "promo", "feedback")}  # type: ignore[arg-type]
    ctx = dataclasses.replace(ctx, link_kinds=kinds)
    tr = translator("en")
    assert [s.ref.label for s in links.started(ctx, feedback, tr)] == ["R-3", "P-2"]
    assert [s.ref.label for s in links.came_from(ctx, restock, tr)] == ["F-12"]
    assert links.started(ctx, restock, tr) == []


def test_a_consequence_that_moved_redraws_where_it_came_from(ctx: Context) -> None:
    redrawn: list[Ref] = []
    kinds = {"feedback": LinkKind("feedback", lambda *_: None, changed=lambda _c, ref: redrawn.append(ref))}
    ctx = dataclasses.replace(ctx, link_kinds=kinds)
    links.link(ctx, "T1", Ref("feedback", 7), Ref("restock", 1), by="U1")
    links.moved(ctx, Ref("restock", 1))
    links.moved(ctx, Ref("restock", 2))  # started by nothing: nobody is told
    assert redrawn == [Ref("feedback", 7)]


def test_labels_are_the_names_people_say() -> None:
    assert [Ref(k, 4).label for k in ("feedback", "restock", "promo", "launch_task", "action")] == [
        "F-4", "R-4", "P-4", "T-4", "A-4"]
