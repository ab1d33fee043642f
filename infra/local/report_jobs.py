"""The report's jobs queue, delivered locally as Lambda's SQS poller would: a batch of one job
to the report function, the message deleted unless the function reported it failed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relance.config import Settings

Invoke = Callable[[str, dict[str, Any]], dict[str, Any]]


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """An SQS message (as ReceiveMessage gives it) as Lambda hands it to the function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": queue_arn.split(":")[3],
    }


def report_files(s3: Any, bucket: str) -> dict[str, str]:
    """Every report file and its ETag: what changed between two listings was written."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="kpis/")
    return {item["Key"]: item["ETag"] for page in pages for item in page.get("Contents", [])}


def deliver_report_jobs(session: Any, queue_url: str, invoke: Invoke) -> int:
    """Run every queued job; how many ran. A job the function reports failed stays queued."""
    sqs = session.client("sqs")
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    ran = 0
    while messages := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            answer = invoke("report", {"Records": [sqs_record(message, queue_arn)]})
            ran += 1
            if not answer.get("batchItemFailures"):
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return ran


def run_report(session: Any, settings: Settings, invoke: Invoke, event: dict[str, Any]) -> list[str]:
    """Invoke the report function with ``event``; a nightly run's jobs are then delivered.
    The report files written (new or changed), by key."""
    s3 = session.client("s3")
    before = report_files(s3, settings.REPORTS_BUCKET)
    answer = invoke("report", event)
    if "queued" in answer:
        deliver_report_jobs(session, settings.REPORT_JOBS_QUEUE_URL, invoke)
        after = report_files(s3, settings.REPORTS_BUCKET)
        return sorted(key for key, etag in after.items() if before.get(key) != etag)
    written: list[str] = answer["written"]
    return written
