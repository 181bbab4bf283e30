"""Reading an agenda message as people see it: a part's lines (each line may be a section of its own, with its
menu) and the menus' values."""

from __future__ import annotations

from typing import Any


def part_lines(blocks: list[dict[str, Any]], title: str) -> list[str]:
    """The lines under the part titled ``title``, across the sections it spans (until the next part's title)."""
    found: list[str] = []
    inside = False
    for block in blocks:
        if block.get("type") != "section":
            if inside:
                break
            continue
        text = str(block["text"]["text"])
        first = text.splitlines()[0] if text else ""
        if first.startswith("*") and not first.startswith("• "):
            if inside:
                break
            inside = first == f"*{title}*"
            text = "\n".join(text.splitlines()[1:])
        if inside:
            found += [line for line in text.splitlines() if line]
    return found


def menu_values(blocks: list[dict[str, Any]], action_id: str) -> list[list[str]]:
    """Each menu's option values, in the order the menus show."""
    return [[o["value"] for o in b["accessory"]["options"]] for b in blocks
            if b.get("type") == "section" and (b.get("accessory") or {}).get("action_id") == action_id]
