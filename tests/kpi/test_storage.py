"""Where report data lives: the same numbers on SQLite and PostgreSQL, rows counted right, bad files refused whole."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.db import Database
from bot.db.migrate import upgrade
from bot.errors import OpsError
from bot.reports.facts import load_window
from bot.reports.ingest import DEFAULT_CURRENCIES, ingest_files
from bot.reports.kpi import compute
from bot.reports.queries import known_skus
from tests.kpi.conftest import FIXTURES, NOW

EVERY_REPORT = [
    FIXTURES / "all-orders.txt", FIXTURES / "sp-advertised-product-US.csv", FIXTURES / "returns-US.csv",
    FIXTURES / "Restock-2026-11-21.csv", FIXTURES / "business-by-date-US.csv", FIXTURES / "shopify-orders.csv",
]


def rate(currency: str, base: str, day: date) -> float:
    return {"USD": 7.0, "EUR": 7.7, "GBP": 9.0, "JPY": 0.05, "CNY": 1.0}.get(currency, 1.0)


def kpis_of(database: Database) -> str:
    with database.transaction() as session:
        window = load_window(session, "t", date(2026, 11, 1), date(2026, 11, 30))
    return json.dumps(compute(window, "CNY", DEFAULT_CURRENCIES, rate).as_json(), sort_keys=True)


def load_everything(database: Database) -> list[tuple[int, int, int]]:
    with database.transaction() as session:
        result = ingest_files(session, "t", EVERY_REPORT, now=NOW)
    return [(f.new, f.updated, f.unchanged) for f in result.files]


@pytest.mark.postgres
def test_postgresql_holds_the_same_numbers_as_sqlite_and_a_second_load_changes_nothing(
    database: Database, postgres_url: str
) -> None:
    replica = Database(postgres_url)
    upgrade(replica.engine)
    first_sqlite, first_postgres = load_everything(database), load_everything(replica)
    assert first_postgres == first_sqlite
    assert all(new > 0 for new, _, _ in first_postgres)
    assert kpis_of(replica) == kpis_of(database)
    again = load_everything(replica)
    assert [(new, updated) for new, updated, _ in again] == [(0, 0)] * len(EVERY_REPORT)
    assert [unchanged for _, _, unchanged in again] == [new + updated for new, updated, _ in first_postgres]
    replica.dispose()


def test_a_row_whose_stock_alone_changed_counts_as_updated(database: Database, tmp_path: Path) -> None:
    day1 = tmp_path / "day1.csv"
    day1.write_text("date,marketplace,sku,units,available\n2026-11-20,US,A,5,100\n2026-11-20,US,B,3,40\n",
                    encoding="utf-8")
    day1_again = tmp_path / "day1-again.csv"
    day1_again.write_text("date,marketplace,sku,units,available\n2026-11-20,US,A,5,90\n2026-11-20,US,B,3,40\n"
                          "2026-11-21,US,A,4,86\n", encoding="utf-8")
    with database.transaction() as session:
        ingest_files(session, "t", [day1], now=NOW)
        counted = ingest_files(session, "t", [day1_again], now=NOW).files[0]
    assert (counted.new, counted.updated, counted.unchanged) == (1, 1, 1)


@pytest.mark.parametrize("read_whole", [250_000, 0], ids=["a few snapshots", "many snapshots"])
def test_daily_stock_snapshots_give_each_skus_newest_level_in_the_window(
    database: Database, tmp_path: Path, read_whole: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.reports.facts._READ_WHOLE", read_whole)  # 0: the database picks the newest
    newest_stock_levels(database, tmp_path)


@pytest.mark.postgres
def test_postgresql_picks_each_skus_newest_stock_the_same_way(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.reports.facts._READ_WHOLE", 0)
    replica = Database(postgres_url)
    upgrade(replica.engine)
    newest_stock_levels(replica, tmp_path)
    replica.dispose()


def newest_stock_levels(database: Database, tmp_path: Path) -> None:
    snapshots = tmp_path / "stock.csv"
    snapshots.write_text("date,marketplace,sku,units,available,inbound\n"
                         + "".join(f"2026-11-{d:02d},US,A,2,{100 - d},10\n" for d in range(1, 21))
                         + "2026-11-05,US,B,1,7,0\n", encoding="utf-8")
    with database.transaction() as session:
        ingest_files(session, "t", [snapshots], now=NOW)
        window = load_window(session, "t", date(2026, 11, 1), date(2026, 11, 30))
    levels = sorted(zip(window.inventory["sku"], window.inventory["day"], window.inventory["available"], strict=True))
    assert levels == [("A", date(2026, 11, 20), 80), ("B", date(2026, 11, 5), 7)]
    us = compute(window, "CNY", DEFAULT_CURRENCIES, rate).marketplaces["US"]
    assert (us["available"], us["inbound"]) == (87, 10)  # levels are not summed over days


def test_a_file_cut_short_names_its_row_and_never_shows_the_buyers_address(database: Database, tmp_path: Path) -> None:
    lines = (FIXTURES / "all-orders.txt").read_text(encoding="utf-8").splitlines()
    cut = tmp_path / "all-orders-cut.txt"
    cut.write_text("\n".join([*lines[:3], lines[3][:120]]) + "\n", encoding="utf-8")
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_files(session, "t", [FIXTURES / "returns-US.csv", cut], marketplace="US", now=NOW)
    shown = raised.value.message.format(**raised.value.params)
    assert "all-orders-cut.txt: row 4 has" in shown and "Nothing was loaded" in shown
    assert "Springfield" not in shown and "62701" not in shown
    with database.transaction() as session:
        assert known_skus(session, "t") == []  # the good file before it was not kept either


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=3000), keep=st.integers(0, 4000), which=st.sampled_from(EVERY_REPORT))
def test_random_bytes_and_truncated_exports_are_refused_or_loaded_whole(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, junk: bytes, keep: int, which: Path
) -> None:
    folder = tmp_path_factory.mktemp("junk")
    database = Database(database_url)
    upgrade(database.engine)
    for name, data in (("junk-US.csv", junk), (which.name, which.read_bytes()[:keep] + junk[:50])):
        path = folder / name
        path.write_bytes(data)
        with database.engine.begin() as connection:
            before = connection.execute(text("SELECT count(*) FROM sales_daily")).scalar_one()
        try:
            with database.transaction() as session:
                ingest_files(session, "t", [path], marketplace="US", now=NOW)
        except OpsError as refused:
            assert refused.message  # a sentence for the user, never a traceback
            with database.engine.begin() as connection:
                assert connection.execute(text("SELECT count(*) FROM sales_daily")).scalar_one() == before
    database.dispose()


def test_a_100_mb_file_of_noise_is_refused_quickly_with_a_clear_message(database: Database, tmp_path: Path) -> None:
    noise = tmp_path / "huge-US.csv"
    with noise.open("wb") as out:
        block = bytes(range(256)) * 4096
        for _ in range(100):
            out.write(block)
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_files(session, "t", [noise], now=NOW)
    assert "is not a report I know" in raised.value.message.format(**raised.value.params)


def test_skus_already_loaded_are_known_after_the_upgrade_that_keeps_them_apart(database_url: str) -> None:
    from alembic import command

    from bot.db.migrate import alembic_config

    database = Database(database_url)
    command.upgrade(alembic_config(database.engine), "0002_kpi")
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO sales_daily (team_id, marketplace, sku, day, units) VALUES "
            "('t', 'US', 'LED-100', '2026-11-20', 3), ('t', 'US', '*', '2026-11-20', 9), "
            "('u', 'DE', 'LAMP-200', '2026-11-20', 1)"))
        connection.execute(text(
            "INSERT INTO inventory_daily (team_id, marketplace, sku, day, available) VALUES "
            "('t', 'UK', 'FAN-01', '2026-11-20', 4)"))
    upgrade(database.engine)
    with database.transaction() as session:
        assert known_skus(session, "t") == ["FAN-01", "LED-100"]
        assert known_skus(session, "u") == ["LAMP-200"]
    database.dispose()


def test_a_bad_cell_in_an_order_export_is_located_but_never_quoted(database: Database, tmp_path: Path) -> None:
    header, first, *rest = (FIXTURES / "all-orders.txt").read_text(encoding="utf-8").splitlines()
    cells = first.split("\t")
    cells[header.split("\t").index("item-price")] = "Jane Doe"  # a row shifted by a tab in the buyer's name
    shifted = tmp_path / "all-orders-shifted.txt"
    shifted.write_text("\n".join([header, "\t".join(cells), *rest]) + "\n", encoding="utf-8")
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_files(session, "t", [shifted], now=NOW)
    shown = raised.value.message.format(**raised.value.params)
    assert shown == ("all-orders-shifted.txt: row 2, column “item-price” does not hold a valid value; the row may "
                     "be shifted. Nothing was loaded.")


def test_the_digest_from_marketplace_totals_is_the_digest_from_every_sku_row(database: Database,
                                                                            tmp_path: Path) -> None:
    from bot.reports.digest import build_digest, window_start
    from bot.reports.facts import by_day
    from bot.reports.playbook import KpiPlaybook, Target
    from bot.reports.skus import sku_figures

    days = [date(2026, 11, 21) - __import__("datetime").timedelta(days=n) for n in range(35)]
    sales = tmp_path / "sales.csv"
    sales.write_text("date,marketplace,sku,units,orders,gmv,currency,sessions,available\n" + "".join(
        f"{d},{m},{s},{(i * 7 + n) % 13},{(i * 7 + n) % 11},{((i * 7 + n) % 13) * 19.5},,{40 + n % 17},"
        f"{(300 - i * 9) if n == 0 else ''}\n"
        for i, d in enumerate(days) for n, (m, s) in enumerate([("US", "A"), ("US", "B"), ("DE", "A"), ("JP", "C")])
    ), encoding="utf-8")
    with database.transaction() as session:
        ingest_files(session, "t", [sales, FIXTURES / "sp-advertised-product-US.csv", FIXTURES / "returns-US.csv"],
                     now=NOW)
        through = date(2026, 11, 21)
        window = load_window(session, "t", window_start(through), through)
    playbook = KpiPlaybook(targets={"US": {"2026-11": Target(gmv=20000, acos_max=0.1, tacos_max=0.01, cvr_min=0.5)}})
    per_sku = build_digest("t", window, through, "CNY", DEFAULT_CURRENCIES, rate, playbook)
    totals = build_digest("t", by_day(window), through, "CNY", DEFAULT_CURRENCIES, rate, playbook,
                          skus=sku_figures(window, through))
    assert per_sku.alerts and per_sku.movers  # the comparison below covers real findings
    assert [f.key for f in totals.alerts] == [f.key for f in per_sku.alerts]
    for ours, theirs in zip(totals.alerts, per_sku.alerts, strict=True):
        assert ours.values == pytest.approx(theirs.values) and ours.reasons == theirs.reasons
    assert totals.movers == per_sku.movers and totals.month == pytest.approx(per_sku.month)
    for ours_h, theirs_h in zip(totals.headlines, per_sku.headlines, strict=True):
        assert (ours_h.value, ours_h.last_week, ours_h.average_7d) == pytest.approx(
            (theirs_h.value, theirs_h.last_week, theirs_h.average_7d), nan_ok=True)


def test_a_blank_currency_cell_is_the_marketplaces_own(database: Database, tmp_path: Path) -> None:
    sales = tmp_path / "sales.csv"
    sales.write_text("date,marketplace,sku,units,gmv,currency\n2026-11-20,DE,A,1,10,\n2026-11-20,US,A,1,10,USD\n"
                     "2026-11-20,JP,A,1,1000,\n", encoding="utf-8")
    with database.transaction() as session:
        ingest_files(session, "t", [sales], now=NOW)
        window = load_window(session, "t", date(2026, 11, 20), date(2026, 11, 20))
    assert dict(zip(window.sales["marketplace"], window.sales["currency"], strict=True)) == {
        "DE": "EUR", "US": "USD", "JP": "JPY"}
    total = compute(window, "CNY", DEFAULT_CURRENCIES, rate).total["gmv"]
    assert total == pytest.approx(10 * 7.7 + 10 * 7.0 + 1000 * 0.05)


@pytest.mark.parametrize("ahead", [0, 10**9], ids=["the next file only", "every file ahead"])
def test_files_read_ahead_are_written_and_reported_in_their_order(
    database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: int
) -> None:
    monkeypatch.setattr("bot.reports.ingest.AHEAD_BYTES", ahead)
    together = load_everything(database)
    with database.transaction() as session:
        result = ingest_files(session, "t", EVERY_REPORT, now=NOW)
    assert [(f.file, f.kind) for f in result.files] == [
        ("all-orders.txt", "orders"), ("sp-advertised-product-US.csv", "ads"), ("returns-US.csv", "returns"),
        ("Restock-2026-11-21.csv", "restock"), ("business-by-date-US.csv", "business_date"),
        ("shopify-orders.csv", "shopify")]
    one_by_one = Database(f"sqlite:///{tmp_path / 'one-by-one.sqlite3'}")
    upgrade(one_by_one.engine)
    counts = []
    for path in EVERY_REPORT:
        with one_by_one.transaction() as session:
            loaded = ingest_files(session, "t", [path], now=NOW).files[0]
        counts.append((loaded.new, loaded.updated, loaded.unchanged))
    assert together == counts
    assert kpis_of(one_by_one) == kpis_of(database)
    one_by_one.dispose()


def test_files_writing_other_tables_go_smallest_first_and_those_writing_one_keep_their_order() -> None:
    from bot.reports.ingest import plan

    sales, ads, stock, every = (frozenset({"sales"}), frozenset({"ads"}), frozenset({"inventory"}),
                                frozenset({"sales", "ads", "inventory", "returns"}))
    # A year of orders, its ads, two stock reports and the business rows for the orders' days.
    assert plan([sales, ads, stock, stock, sales], [100, 8, 3, 4, 28]) == [2, 3, 1, 0, 4]
    # A file that cannot be sniffed writes every table: nothing passes it either way.
    assert plan([sales, every, stock], [100, 1, 3]) == [0, 1, 2]
    assert plan([stock, sales, stock], [5, 1, 2]) == [1, 0, 2]


def test_a_report_is_sniffed_as_the_kind_it_is_read_as() -> None:
    from bot.reports.loaders import WRITES
    from bot.reports.read import read_report, sniff

    for path in sorted(FIXTURES.iterdir()):
        if path.suffix not in (".csv", ".txt"):
            continue
        kind = sniff(path)
        assert kind in (None, read_report(path).format.kind), path.name
        assert kind is None or kind in WRITES
    assert sniff(FIXTURES / "all-orders.txt") == "orders"  # most exports are plain ASCII at the top


def test_the_first_bad_file_in_the_order_given_is_the_one_reported(database: Database, tmp_path: Path) -> None:
    header, first, *rest = (FIXTURES / "all-orders.txt").read_text(encoding="utf-8").splitlines()
    cells = first.split("\t")
    cells[header.split("\t").index("quantity")] = "two"
    big = tmp_path / "all-orders-big.txt"  # bad, given first, large: read after the small one
    big.write_text("\n".join([header, "\t".join(cells), *rest * 200]) + "\n", encoding="utf-8")
    small = tmp_path / "returns-US.csv"  # bad too, given second, small: read first
    small.write_text((FIXTURES / "returns-US.csv").read_text(encoding="utf-8").replace("2026-11-20", "someday", 1),
                     encoding="utf-8")
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_files(session, "t", [big, small], now=NOW)
    assert raised.value.params["file"] == "all-orders-big.txt"


def test_a_load_gives_sqlite_its_own_page_cache_back_whether_it_succeeds_or_not(database: Database,
                                                                                 tmp_path: Path) -> None:
    bad = tmp_path / "returns-US.csv"
    bad.write_text((FIXTURES / "returns-US.csv").read_text(encoding="utf-8").replace("2026-11-20", "someday", 1),
                   encoding="utf-8")
    with database.transaction() as session:
        before = session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one()
        ingest_files(session, "t", [FIXTURES / "all-orders.txt"], now=NOW)
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one() == before
        with pytest.raises(OpsError):
            ingest_files(session, "t", [FIXTURES / "all-orders.txt", bad], now=NOW)
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one() == before == -65536
