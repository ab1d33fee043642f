"""The Athena DDL's views and the sample queries in infra/athena, run with DuckDB over the
files the report function wrote in the demo, give the figures the files hold."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from relance.adapters.reports import KPI_COLUMNS, SEGMENT_COLUMNS
from relance.core.reporting.facts import FACT_COLUMNS
from relance.core.reporting.kpis import STEP_COLUMNS
from tests.e2e.conftest import ROOT, DemoRun

pytestmark = pytest.mark.e2e
ATHENA = ROOT / "infra/athena"
SHOP = "maison-lumiere"
PERIOD = (SHOP, "2026-11-02", "2026-11-08")
EXTERNAL_TABLE = re.compile(r"CREATE EXTERNAL TABLE IF NOT EXISTS (\w+) \((.*?)\)\nPARTITIONED BY", re.S)


def statements(sql: str) -> list[str]:
    without_comments = "\n".join(line for line in sql.splitlines() if not line.startswith("--"))
    return [s.strip() for s in without_comments.split(";") if s.strip()]


def external_tables() -> dict[str, list[str]]:
    sql = (ATHENA / "tables.sql").read_text()
    return {
        name: [line.split()[0] for line in columns.strip().splitlines()]
        for name, columns in EXTERNAL_TABLE.findall(sql)
    }


def connect(reports: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB with the Athena raw tables emulated over the local files, then the DDL's views."""
    con = duckdb.connect()
    files = f"{reports}/kpis/*/*/*.csv"
    for statement in statements((ATHENA / "tables.sql").read_text()):
        if statement.startswith("CREATE EXTERNAL TABLE"):
            name = statement.split()[6]
            columns = ", ".join(external_tables()[name])
            con.execute(
                f'CREATE VIEW {name} AS SELECT {columns}, shop, "date", filename AS "$path" '
                f"FROM read_csv('{files}', all_varchar=true, header=true, hive_partitioning=true, "
                "hive_types_autocast=false, filename=true, union_by_name=true)"
            )
        else:
            con.execute(statement)  # the views, verbatim
    return con


def query(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, object]]:
    cursor = con.execute((ATHENA / "queries" / name).read_text(), list(PERIOD))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def day_folders(demo: DemoRun) -> list[Path]:
    root = demo.out / "reports/kpis" / f"shop={SHOP}"
    return sorted(p for p in root.glob("date=*") if PERIOD[1] <= p.name[5:] <= PERIOD[2])


def test_the_ddl_declares_exactly_the_columns_the_report_writes() -> None:
    assert external_tables() == {
        "relance_kpis_raw": list(KPI_COLUMNS),
        "relance_kpis_by_step_raw": list(STEP_COLUMNS),
        "relance_kpis_by_segment_raw": list(SEGMENT_COLUMNS),
        "relance_carts_raw": list(FACT_COLUMNS),
    }


def test_recovered_revenue_query_matches_the_kpi_files(demo_run: DemoRun) -> None:
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for folder in day_folders(demo_run):
        for row in json.loads((folder / "kpis.json").read_text()):
            for key in ("reminded", "emails_sent", "recovered_orders", "recovered_revenue", "natural_orders"):
                expected[key] += Decimal(str(row[key]))
    (result,) = query(connect(demo_run.out / "reports"), "recovered_revenue.sql")
    assert result["currency"] == "EUR"
    assert expected["recovered_orders"] > 0, "the demo should recover some orders"
    for key, value in expected.items():
        assert Decimal(str(result[key])) == value, key
    assert result["recovery_rate"] == pytest.approx(
        float(expected["recovered_orders"] / expected["reminded"])
    )


def test_funnel_by_step_query_matches_the_step_files(demo_run: DemoRun) -> None:
    expected: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for folder in day_folders(demo_run):
        with (folder / "kpis_by_step.csv").open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                for key in ("sent", "delivered", "bounced", "recovered_orders", "recovered_revenue"):
                    expected[int(row["step"]), row["variant"]][key] += Decimal(row[key])
    rows = query(connect(demo_run.out / "reports"), "funnel_by_step.sql")
    assert [(r["step"], r["variant"]) for r in rows] == sorted(expected)
    assert {variant for _, variant in expected} == {"A", "B"}, "the demo's A/B test shows by variant"
    for row in rows:
        for key, value in expected[int(row["step"]), str(row["variant"])].items():  # type: ignore[call-overload]
            assert Decimal(str(row[key])) == value, (row["step"], row["variant"], key)


def test_segment_query_matches_the_cart_facts(demo_run: DemoRun) -> None:
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for folder in day_folders(demo_run):
        with (folder / "carts.csv").open(encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                if row["abandoned"] == "true":
                    expected[row["customer_type"]][0] += 1
                    expected[row["customer_type"]][1] += row["recovered"] == "true"
    con = connect(demo_run.out / "reports")
    rows = query(con, "recoveries_by_segment.sql")
    assert {r["customer_type"]: [r["abandoned_carts"], r["recovered_orders"]] for r in rows} == expected
    assert {"prospect", "returning"} <= set(expected)
    by_segment = con.execute(
        "SELECT segment, SUM(abandoned), SUM(recovered_orders) FROM relance_kpis_by_segment "
        'WHERE shop = ? AND "date" BETWEEN ? AND ? GROUP BY segment',
        list(PERIOD),
    ).fetchall()
    by_customer: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for segment, abandoned, orders in by_segment:  # prospect-standard, returning-high...
        by_customer[segment.split("-")[0]][0] += abandoned
        by_customer[segment.split("-")[0]][1] += orders
    assert by_customer == expected
    assert {segment.split("-")[1] for segment, *_ in by_segment} == {"standard", "high"}


def test_the_committed_ddl_is_the_generated_one() -> None:
    from infra.athena.ddl import TABLES_SQL, ddl

    assert TABLES_SQL.read_text() == ddl(), "run: python -m infra.athena.ddl"
