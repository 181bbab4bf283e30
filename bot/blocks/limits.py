"""Slack's Block Kit limits, and the trimming every builder uses to stay inside them."""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
SECTION_TEXT = 3000
SECTION_FIELDS = 10
HEADER_TEXT = 150
ACTIONS_ELEMENTS = 25
MODAL_TITLE = 24
BUTTON_TEXT = 75
PLAIN_TEXT_INPUT = 3000


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_blocks(blocks: list[dict[str, Any]], more: dict[str, Any], limit: int = MESSAGE_BLOCKS) -> list[dict[str, Any]]:
    """Keep the first blocks that fit and end with ``more`` (e.g. "and 12 more — see /x list")."""
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], more]
