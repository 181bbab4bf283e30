"""The emulator's canvases answer the real WebClient as Slack documents them: what is made, what is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.console.emulator import SlackEmulator
from bot.console.slack_state import Channel

DOC = {"type": "markdown", "markdown": "# Agenda\n- one\n"}


@pytest.fixture
def web() -> Iterator[tuple[SlackEmulator, WebClient]]:
    emulator = SlackEmulator("xoxb-test").start()
    emulator.add_channel(Channel("C0OPS", "ops"))
    try:
        yield emulator, WebClient(token="xoxb-test", base_url=emulator.api_url)
    finally:
        emulator.stop()


def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()  # type: ignore[operator]
    return str(refused.value.response["error"])


def test_canvases_made_edited_and_refused(web: tuple[SlackEmulator, WebClient]) -> None:
    emulator, client = web
    made = client.canvases_create(title="Weekly", document_content=DOC, channel_id="C0OPS")
    canvas = emulator.canvases.documents[made["canvas_id"]]
    assert (canvas.title, canvas.channel, canvas.markdown) == ("Weekly", "C0OPS", DOC["markdown"])
    more = {"type": "markdown", "markdown": "- two\n"}
    client.canvases_edit(canvas_id=canvas.id, changes=[{"operation": "insert_at_end", "document_content": more}])
    assert canvas.markdown.endswith("- one\n- two\n")
    client.canvases_edit(canvas_id=canvas.id, changes=[{"operation": "replace", "document_content": DOC}])
    assert canvas.markdown == DOC["markdown"]
    assert error_of(lambda: client.canvases_edit(canvas_id="F0NONE", changes=[{"operation": "delete"}])) == \
        "canvas_not_found"
    assert error_of(lambda: client.canvases_create(document_content={"type": "html", "html": "<b>"})) == \
        "invalid_arguments"
    # The channel's own canvas: one per channel.
    client.conversations_canvases_create(channel_id="C0OPS", document_content=DOC)
    assert error_of(lambda: client.conversations_canvases_create(channel_id="C0OPS", document_content=DOC)) == \
        "channel_canvas_already_exists"
    elsewhere = error_of(lambda: client.conversations_canvases_create(channel_id="C0NONE", document_content=DOC))
    assert elsewhere == "channel_not_found"


def test_a_workspace_that_refuses(web: tuple[SlackEmulator, WebClient]) -> None:
    emulator, client = web
    emulator.canvases.plan = "free"
    assert error_of(lambda: client.canvases_create(title="x")) == "free_teams_cannot_create_non_tab_canvases"
    client.canvases_create(title="tab", channel_id="C0OPS")
    assert error_of(lambda: client.canvases_create(title="x", channel_id="C0OPS")) == \
        "free_team_canvas_tab_already_exists"
    emulator.canvases.plan = "off"
    assert error_of(lambda: client.canvases_create(title="x")) == "canvas_disabled_user_team"
    emulator.canvases.plan = "restricted"
    assert error_of(lambda: client.canvases_create(title="x")) == "not_allowed"
    emulator.canvases.plan = "paid"
    emulator.granted_scopes = ("chat:write", "commands")
    with pytest.raises(SlackApiError) as refused:
        client.canvases_create(title="x", channel_id="C0OPS")
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "canvases:write"
