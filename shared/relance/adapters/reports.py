"""Report files in S3 under Hive-style partitions: ``kpis/shop=<id>/date=<YYYY-MM-DD>/``.

- ``kpis.csv`` / ``kpis.json``: the day's cohort KPIs, one row per currency;
- ``kpis_by_step.csv``: the same cohort by step and variant;
- ``kpis_by_segment.csv``: the same cohort by customer segment (prospect, returning);
- ``carts.csv``: one row per cart (the fact table), streamed through a spooled temporary
  file so that a day of any size is written in bounded memory.

A file whose content has not changed since the last run is not written again (its SHA-256
is kept in the object's metadata): the nightly run rebuilds the days still changing, most
files come out the same, and the versioned bucket keeps no copy of what did not change.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from relance.core.reporting.facts import FACT_COLUMNS
from relance.core.reporting.kpis import STEP_COLUMNS, CohortKpis

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

KPI_COLUMNS = tuple(CohortKpis(shop_id="", day=date.min, currency="EUR").row())
SEGMENT_COLUMNS = (*KPI_COLUMNS[:3], "segment", *KPI_COLUMNS[3:])
SPOOL_BYTES = 8 * 1024 * 1024
DIGEST = "sha256"


EXPORTS_PREFIX = "exports/"
"""Customers' data exports (personal data): the bucket's lifecycle deletes them after 30 days."""


def export_key(shop_id: str, name: str) -> str:
    return f"{EXPORTS_PREFIX}shop={shop_id}/{name}.json"


def report_prefix(shop_id: str, day: date) -> str:
    return f"kpis/shop={shop_id}/date={day.isoformat()}/"


def _write_csv(stream: IO[str], columns: Sequence[str], rows: Iterable[dict[str, str | int]]) -> None:
    """Spreadsheet-friendly: UTF-8, a header row even for an empty day, plain decimals."""
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def _write_facts(stream: IO[str], rows: Iterable[dict[str, str | int]]) -> None:
    """The fact file, a row per cart: ``fact_row`` builds its columns in order, so the values
    are written as they come (the first row's keys are checked), a third of the cost of
    matching each by name, millions of times."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FACT_COLUMNS)
    checked = False
    for row in rows:
        if not checked and tuple(row) != FACT_COLUMNS:
            raise ValueError(f"a fact row's columns are not FACT_COLUMNS: {list(row)}")
        checked = True
        writer.writerow(row.values())


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, str | int]]) -> bytes:
    out = io.StringIO(newline="")
    _write_csv(out, columns, rows)
    return out.getvalue().encode("utf-8")


class S3ReportSink:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def _unchanged(self, key: str, digest: str) -> bool:
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return head.get("Metadata", {}).get(DIGEST) == digest

    def _put(self, key: str, body: bytes, content_type: str) -> list[str]:
        """Write ``body`` at ``key`` unless it is there already; the keys written."""
        digest = hashlib.sha256(body).hexdigest()
        if self._unchanged(key, digest):
            return []
        self._client.put_object(
            Bucket=self._bucket, Key=key, Body=body, ContentType=content_type, Metadata={DIGEST: digest}
        )
        return [key]

    def write_export(self, shop_id: str, name: str, document: dict[str, Any]) -> str:
        body = json.dumps(document, indent=2, ensure_ascii=False).encode()
        key = export_key(shop_id, name)
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType="application/json")
        return key

    def write_facts(self, shop_id: str, day: date, rows: Iterable[dict[str, str | int]]) -> list[str]:
        key = report_prefix(shop_id, day) + "carts.csv"
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b") as spool:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
            _write_facts(text, rows)
            text.flush()
            text.detach()  # keep the spool open for the upload
            spool.seek(0)
            digest = hashlib.file_digest(spool, "sha256").hexdigest()
            if self._unchanged(key, digest):
                return []
            spool.seek(0)
            extra = {"ContentType": "text/csv; charset=utf-8", "Metadata": {DIGEST: digest}}
            self._client.upload_fileobj(spool, self._bucket, key, ExtraArgs=extra)
        return [key]

    def write_kpis(
        self,
        shop_id: str,
        day: date,
        cohorts: Sequence[CohortKpis],
        segments: Sequence[tuple[str, CohortKpis]],
    ) -> list[str]:
        prefix = report_prefix(shop_id, day)
        rows = [cohort.row() for cohort in cohorts]
        segment_rows = [{**kpis.row(), "segment": segment} for segment, kpis in segments]
        step_rows = [row for cohort in cohorts for row in cohort.step_rows()]
        csv_type, json_type = "text/csv; charset=utf-8", "application/json"
        return [
            *self._put(prefix + "kpis.csv", csv_bytes(KPI_COLUMNS, rows), csv_type),
            *self._put(prefix + "kpis.json", json.dumps(rows, indent=2).encode(), json_type),
            *self._put(prefix + "kpis_by_step.csv", csv_bytes(STEP_COLUMNS, step_rows), csv_type),
            *self._put(prefix + "kpis_by_segment.csv", csv_bytes(SEGMENT_COLUMNS, segment_rows), csv_type),
        ]
