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
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.report_jobs import job_of
from relance.services.report import ReportRequest, fan_out, run, run_job
from relance.wiring import adapters

logger = Logger(service="report")
processor = BatchProcessor(event_type=EventType.SQS)


def build(record: SQSRecord) -> list[str]:
    job = job_of(record.body)
    written = run_job(adapters(), job)
    logger.info("report day built", extra={"shop": job.shop_id, "day": str(job.day), "files": len(written)})
    return written


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "Records" in (event or {}):
        answer = process_partial_response(
            event=event, record_handler=build, processor=processor, context=context
        )
        return dict(answer)  # {"batchItemFailures": [...]}: SQS redelivers only those
    # EventBridge's scheduled event carries its own fields ("detail-type"...): ignored.
    request = ReportRequest.model_validate(event or {})
    if request.shop_id is None:
        queued = fan_out(adapters(), request)
        logger.info("report jobs queued", extra={"jobs": queued})
        return {"queued": queued}
    written = run(adapters(), request)
    logger.info("report written", extra={"files": len(written)})
    return {"written": written}
