"""Slack canvases, as the Web API documents them: ``canvases.create`` (a standalone canvas, tabbed in a channel
when ``channel_id`` is given; a free team may only make tab canvases, one per channel), ``canvases.edit`` (a list of
changes: ``insert_at_start``/``insert_at_end``, ``replace`` or ``delete``; without ``section_id`` a replace
replaces the whole document) and ``conversations.canvases.create`` (the channel's own canvas, one per channel).

``plan`` is the workspace's: ``"paid"`` (canvases allowed), ``"free"``, ``"off"`` (canvases disabled by the
admins: ``canvas_disabled_user_team``) or ``"restricted"`` (apps may not make canvases there: ``not_allowed``).
A token whose granted scopes are known and lack ``canvases:write`` gets ``missing_scope``. The documents are kept
as the markdown sent, for tests to read; messages are not recorded (a canvas is not a message).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.console.slack_state import SlackState

METHODS = ("canvases.create", "canvases.edit", "conversations.canvases.create")
SCOPE = "canvases:write"
MARKDOWN_LIMIT = 1_048_576


@dataclass
class Canvas:
    id: str
    title: str
    markdown: str
    channel: str | None
    channel_canvas: bool = False  # the channel's own canvas (conversations.canvases.create)
    edits: list[list[dict[str, Any]]] = field(default_factory=list)


class CanvasApi:
    def __init__(self, state: SlackState, granted: Callable[[], tuple[str, ...] | None]) -> None:
        self.state = state
        self.granted = granted
        self.plan = "paid"
        self.documents: dict[str, Canvas] = {}

    def call(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self.state.lock:
            self.state.calls.append((method, args))
            granted = self.granted()
            if granted is not None and SCOPE not in granted:
                return {"ok": False, "error": "missing_scope", "needed": SCOPE, "provided": ",".join(granted)}
            if self.plan in ("off", "restricted"):
                return {"ok": False, "error": "canvas_disabled_user_team" if self.plan == "off" else "not_allowed"}
            if method == "canvases.edit":
                return self._edit(args)
            return self._create(args, channel_canvas=method == "conversations.canvases.create")

    def _content(self, args: dict[str, Any]) -> str | None:
        content = args.get("document_content")
        content = json.loads(content) if isinstance(content, str) else content
        if content is None:
            return ""
        if not isinstance(content, dict) or content.get("type") != "markdown" or not isinstance(
                content.get("markdown"), str) or len(content["markdown"]) > MARKDOWN_LIMIT:
            return None
        return str(content["markdown"])

    def _create(self, args: dict[str, Any], *, channel_canvas: bool) -> dict[str, Any]:
        channel = str(args.get("channel_id") or "") or None
        if channel is None and (channel_canvas or self.plan == "free"):
            return {"ok": False, "error": "invalid_arguments" if channel_canvas
                    else "free_teams_cannot_create_non_tab_canvases"}
        if channel is not None and channel not in self.state.channels:
            return {"ok": False, "error": "channel_not_found"}
        tabbed = [c for c in self.documents.values() if c.channel == channel] if channel else []
        if channel_canvas and any(c.channel_canvas for c in tabbed):
            return {"ok": False, "error": "channel_canvas_already_exists"}
        if self.plan == "free" and tabbed:
            return {"ok": False, "error": "free_team_canvas_tab_already_exists"}
        markdown = self._content(args)
        if markdown is None:
            return {"ok": False, "error": "invalid_arguments"}
        canvas = Canvas(f"F0CANVAS{len(self.documents) + 1:03d}", str(args.get("title") or ""), markdown, channel,
                        channel_canvas)
        self.documents[canvas.id] = canvas
        return {"ok": True, "canvas_id": canvas.id}

    def _edit(self, args: dict[str, Any]) -> dict[str, Any]:
        canvas = self.documents.get(str(args.get("canvas_id") or ""))
        if canvas is None:
            return {"ok": False, "error": "canvas_not_found"}
        changes = args.get("changes")
        changes = json.loads(changes) if isinstance(changes, str) else changes
        if not isinstance(changes, list) or not changes:
            return {"ok": False, "error": "invalid_arguments"}
        markdown = canvas.markdown
        for change in changes:
            operation, text = change.get("operation"), self._content(change)
            if text is None or change.get("section_id"):  # sections are not kept here: whole documents only
                return {"ok": False, "error": "invalid_arguments"}
            if operation == "replace":
                markdown = text
            elif operation == "insert_at_end":
                markdown = markdown + text
            elif operation == "insert_at_start":
                markdown = text + markdown
            elif operation == "delete":
                markdown = ""
            else:
                return {"ok": False, "error": "invalid_arguments"}
        canvas.markdown = markdown
        canvas.edits.append(changes)
        return {"ok": True}

    def in_channel(self, channel: str) -> list[Canvas]:
        return [c for c in self.documents.values() if c.channel == channel]
