"""What the pretend Slack does when the app calls it: the Web API methods Opsbot uses (auth, chat,
conversations, pins, reactions, users, usergroups, views, files) and posts to a response_url.

Each method checks what Slack checks (Block Kit limits, unknown messages and views), changes the
``SlackState`` and records what a person would now see. ``api_chat_postMessage`` answers
``chat.postMessage``: ``call`` finds a method by its Slack name.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from bot.console.block_kit import blocks_problem, view_problem
from bot.console.slack_state import BOT_ID, BOT_USER_ID, Channel, Record, SlackState

log = logging.getLogger(__name__)


class WebApi:
    def __init__(self, state: SlackState, url: str) -> None:
        self.state = state
        self.url = url  # where the emulator listens: file, upload and response URLs point there
        self._caller: str | None = None  # the workspace of the call being answered
        self._by = ""  # who makes the call being answered: the bot user through its token, "" for a test's own

    def call(self, method: str, args: dict[str, Any], workspace: str, by: str = "") -> dict[str, Any]:
        state = self.state
        with state.lock:
            state.calls.append((method, args))
            state.workspace_calls.append((workspace, method))
            answer: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
                self, "api_" + method.replace(".", "_"), None
            )
            if answer is None:
                return {"ok": False, "error": "unknown_method"}
            self._caller, self._by = workspace, by
            try:
                return answer(args)
            finally:
                self._caller, self._by = None, ""

    def _record(self, **fields: Any) -> Record:
        with self.state.lock:  # a call in another thread may be under way: its workspace is not ours
            fields.setdefault("workspace", self._caller)
            return self.state.record(**fields)

    def api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://opsbot-demo.slack.com/",
            "team": "Opsbot Demo",
            "user": "opsbot",
            "team_id": self._caller,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    # -- messages --------------------------------------------------------------------------------
    def _message_args(self, args: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        blocks = args.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return str(args.get("text") or ""), list(blocks)

    def api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(args.get("channel") or "")
        if channel_id.startswith(("U", "W")):
            channel_id = self.state.dm_channel_of(channel_id)
        if not channel_id:
            return {"ok": False, "error": "channel_not_found"}
        text, blocks = self._message_args(args)
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if (problem := blocks_problem(blocks)) is not None:
            return _invalid("invalid_blocks", problem)
        if not self.state.channel(channel_id).bot_in:
            return {"ok": False, "error": "not_in_channel"}
        ts = self.state.new_ts()
        thread_ts = args.get("thread_ts") or None
        metadata = args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        record = self._record(kind="message", channel=channel_id, ts=ts, thread_ts=thread_ts, text=text, blocks=blocks,
                              metadata=metadata or None)
        self.state.messages[(channel_id, ts)] = record
        return {
            "ok": True,
            "channel": channel_id,
            "ts": ts,
            "message": {"text": text, "blocks": blocks, "ts": ts, "user": BOT_USER_ID},
        }

    def api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id, ts = str(args.get("channel")), str(args.get("ts"))
        current = self.state.messages.get((channel_id, ts))
        if current is None:
            return {"ok": False, "error": "message_not_found"}
        text, blocks = self._message_args(args)
        if (problem := blocks_problem(blocks)) is not None:
            return _invalid("invalid_blocks", problem)
        record = self._record(
            kind="update",
            channel=channel_id,
            ts=ts,
            thread_ts=current.thread_ts,
            text=text or current.text,
            blocks=blocks,
            edited=True,
        )
        self.state.messages[(channel_id, ts)] = record
        return {"ok": True, "channel": channel_id, "ts": ts}

    def api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        text, blocks = self._message_args(args)
        if (problem := blocks_problem(blocks)) is not None:
            return _invalid("invalid_blocks", problem)
        self._record(
            kind="ephemeral",
            channel=str(args.get("channel")),
            user=str(args.get("user")),
            thread_ts=args.get("thread_ts"),
            text=text,
            blocks=blocks,
        )
        return {"ok": True, "message_ts": self.state.new_ts()}

    def api_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel"), str(args.get("message_ts"))
        return {"ok": True, "permalink": f"https://opsbot-demo.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def api_pins_add(self, args: dict[str, Any]) -> dict[str, Any]:
        self._record(kind="pin", channel=str(args.get("channel")), ts=str(args.get("timestamp")))
        return {"ok": True}

    def api_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        key = self.state.new_id("R")
        self.state.response_urls[key] = (channel, user, message_ts)
        return f"{self.url}/response/{key}"

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        """A post to a response_url: replace the message it came from, say it in the channel, or say it privately."""
        state = self.state
        with state.lock:
            target = state.response_urls.get(key)
            if target is None:
                return False
            channel, user, message_ts = target
            text = str(payload.get("text") or "")
            blocks = list(payload.get("blocks") or [])
            if (problem := blocks_problem(blocks)) is not None:
                log.warning("response_url refused: invalid_blocks (%s)", problem)
                return False
            if payload.get("replace_original") and message_ts and (channel, message_ts) in state.messages:
                record = self._record(
                    kind="update", channel=channel, ts=message_ts, text=text, blocks=blocks, edited=True
                )
                state.messages[(channel, message_ts)] = record
            elif payload.get("response_type") == "in_channel":
                self.api_chat_postMessage({"channel": channel, "text": text, "blocks": blocks})
            else:
                self._record(kind="ephemeral", channel=channel, user=user, text=text, blocks=blocks)
            return True

    # -- conversations ---------------------------------------------------------------------------
    def api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", "")).split(",")[0]
        return {"ok": True, "channel": {"id": self.state.dm_channel_of(user)}}

    def api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages since ``oldest``, newest first; metadata only with include_all_metadata."""
        return self._history(args, lambda m: m.thread_ts is None or m.thread_ts == m.ts)

    def api_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        thread = str(args.get("ts"))
        return self._history(args, lambda m: m.ts == thread or m.thread_ts == thread)

    def _history(self, args: dict[str, Any], chosen: Callable[[Record], bool]) -> dict[str, Any]:
        channel = self.state.channel(str(args.get("channel"))).id
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(
            (m for (c, ts), m in self.state.messages.items() if c == channel and float(ts) >= oldest and chosen(m)),
            key=lambda m: float(m.ts or 0), reverse=True,
        )
        messages = [{"type": "message", "ts": m.ts, "text": m.text, "thread_ts": m.thread_ts, "user": BOT_USER_ID,
                     **({"metadata": m.metadata} if with_metadata and m.metadata else {})} for m in found]
        return {"ok": True, "messages": messages, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def api_conversations_create(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name"))
        if any(c.name == name for c in self.state.channels.values()):
            return {"ok": False, "error": "name_taken"}
        channel_id = self.state.new_id("C")
        self.state.channels[channel_id] = Channel(channel_id, name, is_private=bool(args.get("is_private")),
                                                  creator=self._by)
        self._record(kind="channel", channel=channel_id, text=name)
        return {"ok": True, "channel": {"id": channel_id, "name": name}}

    def api_conversations_invite(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.state.channel(str(args.get("channel")))
        users = [u for u in str(args.get("users", "")).split(",") if u]
        channel.members.update(users)
        self._record(kind="invite", channel=channel.id, text=",".join(users))  # shown, as a channel's creation is
        return {"ok": True, "channel": {"id": channel.id}}

    def api_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.state.channel(str(args.get("channel")))
        return {
            "ok": True,
            "channel": {
                "id": channel.id,
                "name": channel.name,
                "is_private": channel.is_private,
                "is_im": channel.is_im,
                "is_member": channel.bot_in,
                "creator": channel.creator,
            },
        }

    def api_conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        """The bot joins a public channel itself (channels:join); a private one only by an invitation."""
        channel = self.state.channel(str(args.get("channel")))
        if channel.is_private or channel.is_im:
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        channel.bot_in = True
        return {"ok": True, "channel": {"id": channel.id, "name": channel.name, "is_member": True}}

    def api_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """Public (and with ``types=private_channel``, private) channels, ``limit`` a page, with a cursor."""
        types = str(args.get("types") or "public_channel").split(",")
        found = sorted((c for c in self.state.channels.values() if not c.is_im and (
            ("private_channel" in types) if c.is_private else ("public_channel" in types))), key=lambda c: c.id)
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
        page = [{"id": c.id, "name": c.name, "is_private": c.is_private, "is_member": c.bot_in, "creator": c.creator}
                for c in found[start:start + limit]]
        following = str(start + limit) if start + limit < len(found) else ""
        return {"ok": True, "channels": page, "response_metadata": {"next_cursor": following}}

    # -- people ----------------------------------------------------------------------------------
    def api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.state.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        data: dict[str, Any] = {
            "id": user.id,
            "name": user.name.lower().replace(" ", "."),
            "real_name": user.name,
            "profile": {"display_name": user.name, "real_name": user.name, "email": user.email},
            "tz": user.tz,
            "is_bot": user.is_bot,
        }
        if str(args.get("include_locale", "")).lower() in ("1", "true"):
            data["locale"] = user.locale
        return {"ok": True, "user": data}

    def api_users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:
        wanted = str(args.get("email", "")).strip().lower()
        user = next((u for u in self.state.users.values() if u.email and u.email.lower() == wanted), None)
        if user is None:
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True, "user": self.api_users_info({"user": user.id})["user"]}

    def api_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """Everyone, ``limit`` a page, with a cursor to the next page (as Slack paginates)."""
        people = sorted(self.state.users.values(), key=lambda u: u.id)
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 200)
        page = [self.api_users_info({"user": u.id, "include_locale": args.get("include_locale", "")})["user"]
                for u in people[start:start + limit]]
        following = str(start + limit) if start + limit < len(people) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": following}}

    def api_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "users": self.state.usergroups.get(str(args.get("usergroup")), [])}

    # -- modals and the App Home -----------------------------------------------------------------
    def open_view(self, kind: str, args: dict[str, Any], user: str | None) -> dict[str, Any]:
        """Show a modal (``kind``: view_open, view_push or view_update) on ``user``'s screen."""
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        if (problem := view_problem(view)) is not None:
            return _invalid("invalid_arguments", problem)
        view_id = str(args.get("view_id") or self.state.new_id("V"))
        view["id"] = view_id
        record = self._record(
            kind=kind, user=user, view=view, view_id=view_id, text=view.get("title", {}).get("text", "")
        )
        self.state.views[view_id] = record
        return {"ok": True, "view": view}

    def api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.open_view("view_open", args, _trigger_user(args))

    def api_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.open_view("view_push", args, _trigger_user(args))

    def api_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        current = self.state.views.get(str(args.get("view_id")))
        if current is None:
            return {"ok": False, "error": "not_found"}
        return self.open_view("view_update", args, current.user)

    def api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        if (problem := view_problem(view)) is not None:
            return _invalid("invalid_arguments", problem)
        self._record(kind="home", user=str(args.get("user_id")), view=view, blocks=view.get("blocks", []))
        return {"ok": True, "view": view}

    # -- files -----------------------------------------------------------------------------------
    def share_file(self, name: str, content: bytes) -> dict[str, Any]:
        """A person shares a file: Slack keeps it and describes it as a file_share event does."""
        file_id = self.state.new_id("F")
        self.state.files[file_id] = (name, content)
        return self._file(file_id)

    def _file(self, file_id: str) -> dict[str, Any]:
        """A file as Slack describes it: its links carry the name percent-encoded, as Slack's do."""
        name, content = self.state.files[file_id]
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "size": len(content),
            "url_private": f"{self.url}/files/{file_id}/{quote(name)}",
            "url_private_download": f"{self.url}/files/{file_id}/download/{quote(name)}",
            "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "text",
        }

    def api_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = str(args.get("file"))
        files = self.state.files
        if file_id not in files:
            return {"ok": False, "error": "file_not_found"}
        shared = [r.channel for r in self.state.records if r.kind == "file" and r.file_id == file_id and r.channel]
        return {"ok": True, "file": {**self._file(file_id), "channels": shared}}

    def api_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = self.state.new_id("F")
        self.state.files[file_id] = (str(args.get("filename")), b"")
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def api_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        channel = args.get("channel_id")
        for item in files:
            name, _content = self.state.files.get(item["id"], (item.get("title", "file"), b""))
            self._record(
                kind="file",
                channel=channel,
                thread_ts=args.get("thread_ts"),
                text=str(args.get("initial_comment") or ""),
                file_name=name,
                file_id=item["id"],
            )
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}


def _invalid(error: str, problem: str) -> dict[str, Any]:
    """Slack's refusal, with the detail it gives in ``response_metadata.messages``."""
    return {"ok": False, "error": error, "response_metadata": {"messages": [f"[ERROR] {problem}"]}}


def _trigger_user(args: dict[str, Any]) -> str | None:
    # The console's trigger ids carry the user (see payloads.trigger_id): whose screen the modal opens on.
    trigger = str(args.get("trigger_id", ""))
    return trigger.split(".")[1] if trigger.count(".") >= 2 else None
