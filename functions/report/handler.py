"""Daily (scheduled) or on-demand KPI report.

Scheduled: no input -> yesterday, every shop. On demand:
``{"shop_id": "...", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`` rebuilds that period.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.services.report import ReportRequest, run
from relance.wiring import adapters

logger = Logger(service="report")


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # EventBridge's scheduled event carries its own fields ("detail-type"...): ignored.
    request = ReportRequest.model_validate(event or {})
    written = run(adapters(), request)
    logger.info("report written", extra={"files": len(written)})
    return {"written": written}
