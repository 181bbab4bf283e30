"""Issue 17's launch names: two launches with different names are both created, whatever their channel-safe keys
have in common (a Chinese name falls back to the SKU, punctuation and case vanish, a long name is cut); only the
same name is refused, and each stays findable by its name."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def new(name: str, sku: str) -> str:
    return f'/launch new\n!fill name="{name}" skus={sku} marketplaces=US launch_date=2027-03-01\n!submit'


def test_the_same_lamp_on_a_new_marketplace_gets_its_own_launch_and_channel(launches_only: ConsoleSlack) -> None:
    converse(
        launches_only,
        [
            ("!as U0BUYER\n" + new("台灯", "LED-500"), ["channel #launch-led-500 created", "台灯 is set up in"]),
            # Another Chinese name for the same SKU: its key would be the SKU's too, but it is a different launch.
            (
                new("落地灯", "LED-500"),
                ["channel #launch-led-500-2 created", "落地灯 is set up in #launch-led-500-2."],
            ),
            (
                "/launch list",
                [
                    "*台灯* (`led-500`) · Mar 1, 2027 · #launch-led-500 ·",
                    "*落地灯* (`led-500-2`) · Mar 1, 2027 · #launch-led-500-2 ·",
                ],
            ),
            ("/launch status 落地灯", ["落地灯: 0/20 done, 20 open"]),
            ("/launch status 台灯", ["台灯: 0/20 done, 20 open"]),
        ],
    )


def test_names_that_differ_only_in_punctuation_or_their_end_are_different_launches(
    launches_only: ConsoleSlack,
) -> None:
    long = "a" * 77
    converse(
        launches_only,
        [
            ("!as U0BUYER\n" + new("LED Desk Lamp", "LED-300"), ["channel #launch-led-desk-lamp created"]),
            (new("LED desk-lamp!", "LED-301"), ["LED desk-lamp! is set up in #launch-led-desk-lamp-2."]),
            (new(long + "11", "LED-401"), [f"channel #launch-{'a' * 60} created"]),
            (new(long + "12", "LED-402"), [f"{long}12 is set up in #launch-{'a' * 58}-2."]),
            ("/launch status LED desk-lamp!", ["LED desk-lamp!: 0/20 done"]),
            ("/launch status led desk lamp", ["LED Desk Lamp: 0/20 done"]),
            (f"/launch status {long}12", [f"{long}12: 0/20 done"]),
        ],
    )


def test_only_the_same_name_is_refused_and_the_message_names_the_launch_that_has_it(
    launches_only: ConsoleSlack,
) -> None:
    converse(
        launches_only,
        [
            ("!as U0BUYER\n" + new("LED Desk Lamp", "LED-300"), ["channel #launch-led-desk-lamp created"]),
            # The same name in other letters' case and spacing is the same launch.
            (
                new("led  desk LAMP", "LED-301"),
                ["✗ name: A launch called LED Desk Lamp exists already; pick another name."],
            ),
        ],
    )
    channels = [c.name for c in launches_only.emulator.channels.values() if c.name.startswith("launch-")]
    assert channels == ["launch-led-desk-lamp"]


def test_a_choice_button_moves_its_own_launch_when_another_is_named_like_its_key(
    launches_only: ConsoleSlack,
) -> None:
    """台灯's key is led-500; a launch named LED-500 (key led-500-2) must not be the one its compress button moves."""
    converse(
        launches_only,
        [
            ("!as U0MANAGER\n" + new("台灯", "LED-500"), ["channel #launch-led-500 created"]),
            (new("LED-500", "LED-500"), ["channel #launch-led-500-2 created"]),
            ("/launch move 台灯 2027-01-04", [": 压缩计划]"]),
            ("!click 压缩计划", ["📅 台灯 moved from Mar 1, 2027 to Jan 4, 2027 by @Li Wei"]),
            (
                "/launch list",
                ["*台灯*（`led-500`）· 2027年1月4日", "*LED-500*（`led-500-2`）· 2027年3月1日"],
            ),
        ],
    )


def test_slack_markup_in_a_name_never_makes_its_channel_name(launches_only: ConsoleSlack) -> None:
    """A mention, a channel or a link typed into the name is shown as typed, but a channel is named from the words
    around it — here none in ASCII, so from the SKU, as for 台灯 alone."""
    converse(
        launches_only,
        [
            ("!as U0BUYER\n" + new("太陽能燈 <!here>", "LED-600"), ["channel #launch-led-600 created"]),
            (
                new("🔥 台灯 <!channel> <https://evil.example|Amazon login>", "LED-601"),
                ["channel #launch-led-601 created"],
            ),
            (
                new("<@U0MANAGER> Solar Lamp <#C0OPS|ops> <mailto:a@b.example|mail>", "LED-602"),
                ["channel #launch-solar-lamp created"],
            ),
            # Angle brackets that are not Slack's markup are text like any other.
            (new("Solar <b>Lamp</b> & Co", "LED-603"), ["channel #launch-solar-b-lamp-b-co created"]),
        ],
    )
    channels = {c.name for c in launches_only.emulator.channels.values()}
    assert not channels & {"launch-here", "launch-channel-https-evil-example-amazon-login"}
