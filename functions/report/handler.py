"""Daily KPI reports, fanned out: the nightly run queues one job per shop-day, the workers
(this same function, fed by the jobs queue) build them in parallel.

- Scheduled (no input), or any request over every shop: queue the jobs.
- ``{"shop_id": "...", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}``: rebuild that shop's
  period here and now.
- An SQS batch of jobs ``{"shop_id", "day"}``: build each; a failed one is retried alone.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.report_jobs import job_of
from relance.services.report import ReportRequest, fan_out, run, run_job
from relance.wiring import adapters

logger = Logger(service="report")


def build_each(records: list[dict[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Build each queued shop-day; answer the ids of those that failed, which SQS alone
    delivers again (``ReportBatchItemFailures``; after 3 tries, the dead-letter queue).

    Not Powertools' BatchProcessor: what it adds here (async processing, every event
    source's classes) is 50 ms of imports on every cold start, for this loop.
    """
    failed = []
    for record in records:
        try:
            job = job_of(record["body"])
            written = run_job(adapters(), job)
        except Exception:
            logger.exception("report day failed", extra={"message_id": record["messageId"]})
            failed.append({"itemIdentifier": record["messageId"]})
            continue
        built = {"shop": job.shop_id, "day": str(job.day), "files": len(written)}
        logger.info("report day built", extra=built)
    return {"batchItemFailures": failed}


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in (event or {}):
        return build_each(event["Records"])
    # EventBridge's scheduled event carries its own fields ("detail-type"...): ignored.
    request = ReportRequest.model_validate(event or {})
    if request.shop_id is None:
        queued = fan_out(adapters(), request)
        logger.info("report jobs queued", extra={"jobs": queued})
        return {"queued": queued}
    written = run(adapters(), request)
    logger.info("report written", extra={"files": len(written)})
    return {"written": written}
