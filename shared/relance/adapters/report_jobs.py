"""The nightly report's jobs on SQS: one message per shop-day, read by the report function's
workers (template.yaml: ReportJobsQueue, the function's SQS event)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from relance.ports import ShopDay

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

BATCH = 10  # SendMessageBatch's limit
ROUNDS = 3


def job_body(job: ShopDay) -> str:
    return json.dumps({"shop_id": job.shop_id, "day": job.day.isoformat()})


class _JobBody(BaseModel):
    model_config = ConfigDict(frozen=True)

    shop_id: str
    day: date


def job_of(body: str) -> ShopDay:
    """The job a message carries (what :func:`job_body` wrote); ValidationError otherwise."""
    parsed = _JobBody.model_validate_json(body)
    return ShopDay(parsed.shop_id, parsed.day)


class UnsentJobs(Exception):
    """SQS kept refusing some jobs: the planning run fails, and is retried whole."""


class SqsReportJobs:
    def __init__(self, client: SQSClient, queue_url: str) -> None:
        self._client = client
        self._queue_url = queue_url

    def enqueue(self, jobs: Sequence[ShopDay]) -> None:
        for start in range(0, len(jobs), BATCH):
            entries: list[Any] = [
                {"Id": str(n), "MessageBody": job_body(job)}
                for n, job in enumerate(jobs[start : start + BATCH])
            ]
            for _ in range(ROUNDS):
                answer = self._client.send_message_batch(QueueUrl=self._queue_url, Entries=entries)
                failed = {failure["Id"] for failure in answer.get("Failed", [])}
                entries = [entry for entry in entries if entry["Id"] in failed]
                if not entries:
                    break
            else:
                raise UnsentJobs(f"{len(entries)} report jobs refused by SQS")
