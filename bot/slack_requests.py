"""Slack's request bodies read as Slack means them.

Bolt's ``parse_body`` takes any form body that contains the word "payload" for an interactive payload, so a slash
command whose text says it (``/ops payload``, ``/feedback payload broken``) is read as an empty request and nobody
answers. A form is an interactive payload only when it has a ``payload`` field; everything that reads a body here
goes through this module, and the Bolt requests it builds carry the body read this way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext, BoltRequest
from slack_bolt.request.internals import build_context


def parse_slack_body(text: str, content_type: str | None) -> Any:
    """JSON (events, JSON-encoded interactions) as JSON; a form as its fields, or its ``payload`` field's JSON."""
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        return json.loads(text)
    fields = dict(parse_qsl(text, keep_blank_values=True))
    return json.loads(fields["payload"]) if "payload" in fields else fields


def bolt_request(
    text: str, headers: Mapping[str, str | Sequence[str]], context: dict[str, Any] | None = None
) -> BoltRequest:
    """A Bolt request for a raw body (signatures need it raw), with the body read by :func:`parse_slack_body`."""
    request = BoltRequest(body=text, headers=dict(headers), context=context)
    if request.body or "payload" not in text:
        return request  # Bolt read it right; only a form that merely says "payload" comes back empty
    body = parse_slack_body(text, request.content_type)
    if isinstance(body, dict) and body:
        request.body = body
        request.context = build_context(BoltContext(context or {}), body)
    return request


def response_url_of(body: Mapping[str, Any]) -> str | None:
    """Where a request can be answered privately: a command's or button's response_url, or the first a form
    submission carries (a form with a conversation picker set to give one)."""
    found = body.get("response_url") or next(
        (r.get("response_url") for r in body.get("response_urls", []) if r.get("response_url")), None
    )
    return str(found) if found else None


def first_input(body: Mapping[str, Any]) -> str | None:
    """The block id of a submitted form's first input: where a line about the whole form is shown."""
    blocks = (body.get("view") or {}).get("blocks", [])
    found = next((b.get("block_id") for b in blocks if b.get("type") == "input"), None)
    return str(found) if found else None
