"""A SKU catalogue shared in #data or the bot's DM: previewed to the sharer, applied on Confirm (once, whole)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from slack_bolt import Ack
from slack_sdk.errors import SlackApiError

from bot.blocks import catalog as blocks
from bot.blocks.common import error_text
from bot.errors import N_, OpsError
from bot.features import Registrar
from bot.flows.catalog import CatalogImports
from bot.flows.context import Context
from bot.i18n import Translator
from bot.ops.team import ChannelKey, Team
from bot.reports.catalog import is_catalog
from bot.uploads import SharedReport, SlackFiles


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:32]


class CatalogShares:
    """Recognises a shared catalogue and answers it; ``register`` adds the Confirm button's listener."""

    def __init__(self, ctx: Context, files: SlackFiles) -> None:
        self.ctx = ctx
        self.files = files
        self.imports = CatalogImports(ctx)

    def answer(self, team: Team, user: str, tr: Translator, shared: Mapping[str, Any], report: SharedReport,
               path: Path) -> tuple[str, list[dict[str, Any]]] | None:
        """The preview of a shared catalogue (None: not a catalogue, a report loader reads it)."""
        if not is_catalog(path, report.name):
            return None
        try:
            found = self.imports.preview(team, user, path, report.name)
        except OpsError as exc:
            return error_text(tr, exc), []
        # The file's id, not its description: Slack's link carries the name percent-encoded, and a long Chinese
        # name would pass a button value's 2,000 characters. Confirm asks Slack for the file again (files.info).
        value = json.dumps({"i": str(shared.get("id") or ""), "t": team.id, "h": digest(path)})
        return blocks.preview_text(tr, report.name, found), blocks.preview_blocks(tr, report.name, found, value)

    def register(self, reg: Registrar) -> None:
        ctx = self.ctx

        @reg.action(blocks.CONFIRM)
        def confirm(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            user, value = body["user"]["id"], json.loads(body["actions"][0]["value"])
            team = ctx.team_of(user, (body.get("team") or {}).get("id"))
            message = body.get("message") or {}
            channel, thread = body["container"]["channel_id"], message.get("thread_ts") or message.get("ts")
            # In the data channel everyone reads the answer: the team's language; in the DM, the person's own.
            tr = ctx.translator_for(None if channel == team.channel(ChannelKey.data) else user, team)
            try:
                text = self.confirmed(team, user, tr, value)
            except OpsError as exc:
                text = error_text(tr, exc)
            ctx.delivery.post(channel, text, thread_ts=thread)

    def confirmed(self, team: Team, user: str, tr: Translator, value: dict[str, Any]) -> str:
        """The file fetched again, checked to be the one previewed, then applied whole; what that did."""
        if value.get("t") != team.id:
            raise OpsError(N_("That catalogue was shared with another team: only its members can apply it."))
        try:
            shared = self.ctx.delivery.file_info(str(value.get("i") or ""))
        except SlackApiError as error:
            if error.response.get("error") not in ("file_not_found", "file_deleted"):
                raise
            raise OpsError(N_("That catalogue is not in Slack any more (it was deleted); nothing was imported. Share "
                              "it again.")) from None
        with tempfile.TemporaryDirectory() as folder:
            report = self.files.check(shared)
            path = self.files.download(report, Path(folder) / f"catalog.{report.extension}")
            if digest(path) != value["h"]:
                raise OpsError(N_("{file} is not the file that was previewed any more; nothing was imported. Share "
                                  "it again."), file=report.name)
            done = self.imports.apply(team, user, path, report.name, f"catalog:{shared.get('id')}:{value['h']}")
        if done.already:
            return blocks.already_text(tr, report.name, done.actor, done.at, team.zone)
        return blocks.applied_text(tr, report.name, done.found, user)
