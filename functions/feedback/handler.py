"""SES events (configuration set -> EventBridge): delivery, open, click, bounce, complaint..."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.ses_events import SesEvent
from relance.services.feedback import handle_ses_event
from relance.telemetry import Metric, about_shop, count
from relance.wiring import adapters

logger = Logger(service="feedback")
metrics = Metrics(service="feedback")


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    ses_event = SesEvent.model_validate(event["detail"])
    logger.append_keys(message_id=ses_event.mail.message_id)
    outcome = handle_ses_event(adapters(), ses_event)
    if outcome.shop_id:
        about_shop(metrics, outcome.shop_id)
        logger.append_keys(shop=outcome.shop_id)
    # SES counts each kind itself (AWS/SES, free); this counts what Relance recorded.
    count(metrics, Metric.SES_EVENTS, 1 if outcome.action == "recorded" else 0)
    if outcome.suppressed:
        count(metrics, Metric.ADDRESSES_SUPPRESSED, outcome.suppressed)
    logger.info("ses event", extra={"kind": outcome.kind, "action": outcome.action})
    return {"action": outcome.action, "kind": outcome.kind}
