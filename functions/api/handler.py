"""HTTP API: every route lives in the layer's HTTP edge (relance.http), this is its entry."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.http.app import app
from relance.http.responses import metrics

logger = Logger(service="api")
__all__ = ["app", "lambda_handler", "metrics"]


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
