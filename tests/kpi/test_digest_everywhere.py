"""The morning digest is one thing wherever it is read: `opsbot digest` on the command line prints the same
sections, other features' included, as the 09:00 post in Slack.

Before the wiring issue, restock's digest section was added to a module-level list when its Slack listeners
were registered; the command line registers no listeners, so its digest had no restock section.
"""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_generic
from tests.conftest import converse


def _text(block: dict) -> str:  # type: ignore[type-arg]
    """A block's words as a reader sees them: a header's or a section's text, a context's lines; a button is
    something to click, not to read, so the command line leaves it out."""
    if block["type"] == "context":
        return " ".join(e["text"] for e in block["elements"])
    return str(block["text"]["text"]) if block["type"] in ("header", "section") else ""


def test_the_command_line_digest_has_every_section_the_slack_one_has(console: ConsoleSlack, tmp_path: Path) -> None:
    # LED-100: 100 on hand selling 20 a day, far inside its 53-day lead time, so restock asks for an order.
    low = tmp_path / "low.csv"
    low.write_text("date,marketplace,sku,units,available,inbound\n2026-11-22,US,LED-100,20,100,0\n", encoding="utf-8")
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", low)

    from bot.cli import cli

    os.environ["DATABASE_URL"] = console.services.settings.database_url
    os.environ["OPSBOT_PLAYBOOKS"] = str(console.services.settings.playbooks_dir)
    printed = CliRunner().invoke(cli, ["digest", "--team", "shenzhen-ops", "--date", "2026-11-24"])
    assert printed.exit_code == 0, printed.output
    assert "Restock: order now / reorder soon" in printed.output

    converse(console, [("!at 2026-11-24 09:00", ["Morning KPIs: Shenzhen Ops", "*Restock: order now / reorder soon*"])])
    posted = next(r for r in console.emulator.records
                  if r.kind == "message" and r.channel == "C0OPS" and r.text == "Morning KPIs: Shenzhen Ops")
    in_slack = [line for block in posted.blocks if (line := _text(block))]
    on_the_command_line = [line for line in printed.output.splitlines() if line.strip()]
    assert on_the_command_line == [line for text in in_slack for line in text.splitlines() if line.strip()]
