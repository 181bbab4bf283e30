"""A SKU catalogue shared in Slack: recognised, checked against the sharer's role, previewed (new, changed, rows to
fix), applied whole and once on Confirm, and used at once by /restock on every replica (no restart)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.db.core import AuditEntry
from bot.flows.catalog import Applied, CatalogImports
from tests.conftest import MONDAY_9AM_SHENZHEN, converse

CATALOGUE = "SKU,Supplier,Unit cost,MOQ,Carton\nLED-900,shenzhen-lighting,12.5,300,50\nLED-100,,40,,\n"


@pytest.fixture
def other_replica(playbooks_dir: Path, database_url: str, console: ConsoleSlack) -> Iterator[ConsoleSlack]:
    """A second replica on the same database, started before the import: it must not need a restart."""
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         as_user="U0BUYER", in_channel="C0PURCHASING")
    try:
        yield slack
    finally:
        slack.close()


def _imports(console: ConsoleSlack) -> list[tuple[str, str, str | None]]:
    with console.services.db.transaction() as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.entity.in_(("catalog", "catalog_import")))
                               .order_by(AuditEntry.id))
        return [(r.entity, r.entity_id, r.actor) for r in rows]


def test_purchasing_shares_a_catalogue_previews_it_and_confirms_it_once(
    console: ConsoleSlack, other_replica: ConsoleSlack, tmp_path: Path,
) -> None:
    skus = tmp_path / "SKU list 十二月.csv"
    skus.write_text(CATALOGUE, encoding="utf-8")
    converse(other_replica, [("/restock LED-900 120", ["I don't know the SKU LED-900"])])
    converse(
        console,
        [
            (
                f"!as U0BUYER\n!in C0DATA\n!upload {skus}",
                ["SKU list 十二月.csv is a SKU catalogue: 1 new, 1 changed. Confirm to apply it.",
                 "LED-900 (new SKU): supplier shenzhen-lighting, unit cost 12.50, MOQ 300, carton 50",
                 "LED-100 (changed): supplier shenzhen-lighting, unit cost 40.00, MOQ 500, carton 50", "[1: Confirm]"],
            ),
            ("!click Confirm", ["@Chen Jie applied SKU list 十二月.csv: 1 new, 1 changed."]),
            # The manager clicked the same preview's button a moment later: applied once, and said so.
            ("!as U0MANAGER\n!click Confirm",
             ["SKU list 十二月.csv was already applied by @Chen Jie at", "nothing was changed twice"]),
        ],
    )
    audited = _imports(console)
    assert [(entity, actor) for entity, _, actor in audited if entity == "catalog_import"] == [
        ("catalog_import", "U0BUYER")]  # applied once, by the first to confirm
    assert sorted(sku for entity, sku, _ in audited if entity == "catalog") == ["LED-100", "LED-900"]
    # The other replica, never restarted, uses the new SKU's MOQ and carton at once.
    converse(other_replica, [("/restock LED-900 120", ["LED-900 ships at least 300, in cartons of 50"])])


def test_a_catalogue_from_someone_who_may_not_change_costs_is_refused_naming_who_may(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text(CATALOGUE, encoding="utf-8")
    transcript = converse(
        console,
        [(f"!as U0ANALYST\n!in C0DATA\n!upload {skus}",
          ["Only purchasing or a manager may change suppliers and unit costs (Li Wei, Chen Jie)",
           "Nothing was imported."])],
    )
    assert "Confirm" not in transcript
    assert _imports(console) == []


def test_hostile_cells_and_a_bad_row_are_named_and_nothing_can_be_confirmed(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text(
        "SKU,Supplier,Unit cost,MOQ,Carton\n"
        "LED-901,shenzhen-lighting,12,300,50\n"
        '"=HYPERLINK(""http://evil.example"",""x"")",shenzhen-lighting,3,1,1\n'
        "LED-902,<!channel>,3,1,1\n"
        "LED-903,shenzhen-lighting,cheap,1,1\n",
        encoding="utf-8",
    )
    transcript = converse(
        console,
        [(f"!as U0BUYER\n!in C0DATA\n!upload {skus}",
          ["skus.csv is a SKU catalogue with 3 rows to fix; nothing will be imported.",
           "skus.csv: row 3, column “SKU”: “=HYPERLINK(\"http://evil.example\",\"x\")” is a spreadsheet formula",
           "skus.csv: row 4, column “Supplier”:",
           "skus.csv: row 5, column “Unit cost”: “cheap” is not a valid value.",
           "fix them and share it again"])],
    )
    assert "[1: Confirm]" not in transcript and "@channel" not in transcript
    said = [r.text + str(r.blocks) for r in console.emulator.records if r.kind == "message"]
    assert any("&lt;!channel&gt;" in text for text in said) and not any("<!channel>" in text for text in said)
    assert _imports(console) == []
    converse(console, [("/restock LED-901 1", ["I don't know the SKU LED-901"])])  # nothing half-imported


def test_a_chinese_reader_shares_a_catalogue_with_chinese_headers_in_the_dm(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    skus = tmp_path / "采购清单.csv"
    skus.write_text("SKU,供应商,采购单价,起订量,箱规\nLED-950,shenzhen-lighting,9.9,200,20\n", encoding="utf-8")
    converse(
        console,
        [
            (f"!in U0MANAGER\n!upload {skus}",
             ["采购清单.csv 是 SKU 商品资料表：新增 1 个，修改 0 个。确认后生效。",
              "• LED-950（新增 SKU）：供应商 shenzhen-lighting，采购单价 9.90，起订量 200，箱规 20", "[1: 确认]"]),
            ("!click 确认", ["@Li Wei 已应用 采购清单.csv：新增 1 个，修改 0 个。"]),
            # Typed in her DM: a private place, so she is asked where it goes — the new MOQ offered on the question.
            ("/restock LED-950 50", ["⚠️ LED-950 起订量 200，每箱 20 件：50 件实际要按 200 件下单。", "[1: 改为 200]"]),
        ],
    )
    assert [e[0] for e in _imports(console)] == ["catalog", "catalog_import"]


def test_two_confirmations_at_the_same_moment_apply_the_catalogue_once(console: ConsoleSlack, tmp_path: Path) -> None:
    """Two replicas handling two clicks at once: one applies, the other finds it applied (the key is claimed)."""
    skus = tmp_path / "skus.csv"
    skus.write_text(CATALOGUE, encoding="utf-8")
    ctx = console.services.context
    team = ctx.teams.teams[0]
    start = threading.Barrier(2)

    def confirm(user: str) -> Applied:
        start.wait()
        return CatalogImports(ctx).apply(team, user, skus, skus.name, "catalog:F1:abc")

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(confirm, ["U0BUYER", "U0MANAGER"]))
    assert sorted(d.already for d in done) == [False, True]
    first = next(d for d in done if not d.already)
    assert all(d.actor == first.actor for d in done)
    assert [e for e in _imports(console) if e[0] == "catalog_import"] == [("catalog_import", "catalog:F1:abc",
                                                                           first.actor)]
    assert sorted(sku for entity, sku, _ in _imports(console) if entity == "catalog") == ["LED-100", "LED-900"]


def test_a_catalogue_with_a_long_chinese_file_name_can_still_be_confirmed(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    """Slack's link to a file carries its name percent-encoded (nine characters per Chinese character); the Confirm
    button carries the file's id only, and Slack is asked for the file again on Confirm."""
    name = "深圳照明供应商十二月采购目录" * 5 + ".csv"  # 74 characters, 214 bytes: what a file system still allows
    skus = tmp_path / name
    skus.write_text(CATALOGUE, encoding="utf-8")
    converse(
        console,
        [
            (f"!as U0BUYER\n!in C0DATA\n!upload {skus}",
             [f"{name} is a SKU catalogue: 1 new, 1 changed.", "[1: Confirm]"]),
            ("!click Confirm", [f"@Chen Jie applied {name}: 1 new, 1 changed."]),
        ],
    )
    assert sorted(sku for entity, sku, _ in _imports(console) if entity == "catalog") == ["LED-100", "LED-900"]


def test_confirming_a_catalogue_deleted_from_slack_since_says_so_and_imports_nothing(
    console: ConsoleSlack, tmp_path: Path,
) -> None:
    skus = tmp_path / "skus.csv"
    skus.write_text(CATALOGUE, encoding="utf-8")
    converse(console, [(f"!as U0BUYER\n!in C0DATA\n!upload {skus}", ["[1: Confirm]"])])
    console.emulator.state.files.clear()  # the sharer deleted the file from Slack before anyone confirmed
    converse(console, [("!click Confirm", ["That catalogue is not in Slack any more (it was deleted); nothing was "
                                          "imported. Share it again."])])
    assert [e for e in _imports(console) if e[0] == "catalog_import"] == []
