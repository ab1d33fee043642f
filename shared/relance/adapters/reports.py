"""KPI files in S3 under Hive-style partitions: ``kpis/shop=<id>/date=<YYYY-MM-DD>/``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from relance.core.kpis import DailyKpis


def report_prefix(shop_id: str, day: date) -> str:
    return f"kpis/shop={shop_id}/date={day.isoformat()}/"


KPI_COLUMNS = tuple(DailyKpis(shop_id="", day=date.min, currency="").as_row())


def kpis_csv(rows: Sequence[dict[str, str | int]]) -> bytes:
    """Spreadsheet-friendly: UTF-8, a header row even for an empty day, plain decimals."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=KPI_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class S3ReportSink:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def write(self, shop_id: str, day: date, kpis: Sequence[DailyKpis]) -> list[str]:
        rows = [k.as_row() for k in kpis]
        prefix = report_prefix(shop_id, day)
        files = {
            "kpis.csv": (kpis_csv(rows), "text/csv; charset=utf-8"),
            "kpis.json": (json.dumps(rows, indent=2).encode(), "application/json"),
        }
        for name, (body, content_type) in files.items():
            self._client.put_object(
                Bucket=self._bucket, Key=prefix + name, Body=body, ContentType=content_type
            )
        return [prefix + name for name in files]
