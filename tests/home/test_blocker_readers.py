"""Who can help with a blocker: the holder of a role its text names (in English or Chinese, as a word, not inside
another word) or the person it @-mentions."""

from __future__ import annotations

import pytest

from bot.flows.standup_home import names
from bot.ops.team import Member, Role

BUYER = Member(user="U0BUYER", name="Chen Jie", roles=[Role.purchasing])
CS = Member(user="U0CS", name="Wang Fang", roles=[Role.cs])
MARKETING = Member(user="U0MARKET", name="Amy Lin", roles=[Role.marketing])


@pytest.mark.parametrize("text, member, expected", [
    ("Waiting on purchasing for the PO", BUYER, True),
    ("等采购确认交期", BUYER, True),
    ("等採購確認交期", BUYER, True),
    ("Need CS to answer the DE return emails", CS, True),
    ("The docs for the FBA shipment are missing", CS, False),  # "cs" inside "docs" is no role
    ("客服还没回复买家", CS, True),
    ("Need the A+ copy from marketing", MARKETING, True),
    ("等市场部的 A+ 文案", MARKETING, True),
    ("<@U0MARKET> please send the coupon plan", MARKETING, True),
    ("Waiting on the factory", BUYER, False),
])
def test_a_blocker_names_the_people_who_can_help(text: str, member: Member, expected: bool) -> None:
    assert names(text, member) is expected
