"""Write infra/athena/tables.sql from the report's own column lists.

    PYTHONPATH=.:shared .venv/bin/python -m infra.athena.ddl

A test checks that the committed tables.sql is what this writes, so the Athena tables
never drift from the files the report function produces.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from relance.adapters.reports import KPI_COLUMNS, SEGMENT_COLUMNS
from relance.core.reporting.facts import FACT_COLUMNS
from relance.core.reporting.kpis import STEP_COLUMNS

TABLES_SQL = Path(__file__).with_name("tables.sql")
COUNTS = {
    "carts", "abandoned", "eligible", "reminded", "emails_sent", "emails_sent_step1",
    "emails_sent_step2", "emails_sent_step3", "delivered", "opened", "clicked", "clicked_cart_link",
    "clicked_product_link", "bounced",
    "complained", "recovered_orders", "natural_orders", "holdout_carts", "holdout_orders",
    "step", "sent", "last_step_sent", "credited_step", "later_orders",
}  # fmt: skip
MONEY = {
    "recovered_revenue", "natural_revenue", "revenue_per_recipient", "holdout_revenue",
    "incremental_revenue", "net_recovered_margin", "cart_total", "order_amount", "later_orders_amount",
}  # fmt: skip
RATES = {
    "recovery_rate", "post_click_conversion_rate", "bounce_rate", "complaint_rate",
    "open_rate_unreliable", "natural_recovery_rate", "incremental_recovery_rate",
    "incremental_rate_ci95_low", "incremental_rate_ci95_high",
}  # fmt: skip
MINUTES = {
    "minutes_to_recovery_mean",
    "minutes_to_recovery_median",
    "minutes_to_recovery",
    "minutes_since_last_email",
}
FLAGS = {
    "abandoned",
    "eligible",
    "delivered",
    "opened",
    "clicked",
    "bounced",
    "complained",
    "recovered",
    "holdout",
}

HEADER = """\
-- Athena tables over Relance's report files (docs/kpis.md defines every column).
-- Written by infra/athena/ddl.py from the report's column lists: do not edit by hand.
--
-- Replace <ReportsBucketName> with the stack's output of that name, then run each
-- statement in the Athena console (or `aws athena start-query-execution`).
-- The raw tables read the CSV files as written, every column a string; each partition
-- folder holds several files, so the typed views keep the rows of one file name each
-- ("$path"). Query the views. Partition projection: no MSCK REPAIR needed; `shop` is
-- injected, so every query names the shop (WHERE shop = '...').
--
-- tests/e2e/test_athena_queries.py runs the views and infra/athena/queries/*.sql
-- with DuckDB over the files the demo's report wrote.

"""


def raw_table(name: str, columns: Sequence[str], comment: str) -> str:
    listed = ",\n".join(f"  {column} string" for column in columns)
    return f"""-- {comment}
CREATE EXTERNAL TABLE IF NOT EXISTS {name} (
{listed}
)
PARTITIONED BY (shop string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
STORED AS TEXTFILE
LOCATION 's3://<ReportsBucketName>/kpis/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.shop.type' = 'injected',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'storage.location.template' = 's3://<ReportsBucketName>/kpis/shop=${{shop}}/date=${{date}}/'
);
"""


def typed(column: str, flags: set[str]) -> str:
    """The view's expression for one raw string column (SQL that Athena and DuckDB share)."""
    if column in flags:
        return f"{column} = 'true' AS {column}"
    if column == "cohort_date":
        return "CAST(cohort_date AS DATE) AS cohort_date"
    if column == "abandoned_at":
        return "CAST(replace(substr(abandoned_at, 1, 19), 'T', ' ') AS TIMESTAMP) AS abandoned_at_utc"
    if column == "aws_cost_usd":
        return "CAST(aws_cost_usd AS DECIMAL(18, 6)) AS aws_cost_usd"
    if column in COUNTS:
        return f"CAST({column} AS BIGINT) AS {column}"
    if column in MONEY:
        return f"CAST(NULLIF({column}, '') AS DECIMAL(18, 4)) AS {column}"
    if column in RATES:
        return f"CAST(NULLIF({column}, '') AS DECIMAL(9, 4)) AS {column}"
    if column in MINUTES:
        return f"CAST(NULLIF({column}, '') AS DOUBLE) AS {column}"
    return column


def view(name: str, raw: str, columns: Sequence[str], file_name: str, flags: set[str] | None = None) -> str:
    selected = ",\n  ".join(["shop", '"date"', *(typed(c, flags or set()) for c in columns)])
    return f"""CREATE OR REPLACE VIEW {name} AS
SELECT
  {selected}
FROM {raw}
WHERE "$path" LIKE '%/{file_name}';
"""


def ddl() -> str:
    datasets = (
        ("relance_kpis", KPI_COLUMNS, "kpis.csv", "one row per shop, cohort day and currency", None),
        ("relance_kpis_by_step", STEP_COLUMNS, "kpis_by_step.csv",
         "one row per shop, cohort day, currency, step and variant", None),
        ("relance_kpis_by_segment", SEGMENT_COLUMNS, "kpis_by_segment.csv",
         "one row per shop, cohort day, currency and customer segment", None),
        ("relance_carts", FACT_COLUMNS, "carts.csv",
         "one row per cart of the cohort (no personal data)", FLAGS),
    )  # fmt: skip
    tables = [raw_table(f"{name}_raw", cols, f"{file}: {about}") for name, cols, file, about, _ in datasets]
    views = [view(name, f"{name}_raw", cols, file, flags) for name, cols, file, _, flags in datasets]
    return HEADER + "\n".join(tables) + "\n" + "\n".join(views)


if __name__ == "__main__":
    TABLES_SQL.write_text(ddl())
