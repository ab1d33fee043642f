"""SES events (configuration set -> EventBridge): delivery, open, click, bounce, complaint..."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.ses_events import SesEvent
from relance.services.feedback import handle_ses_event
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
        metrics.add_dimension(name="shop", value=outcome.shop_id)
    if outcome.action == "recorded":
        metrics.add_metric(name=f"Ses_{outcome.kind}", unit=MetricUnit.Count, value=1)
    if outcome.suppressed:
        metrics.add_metric(name="AddressesSuppressed", unit=MetricUnit.Count, value=outcome.suppressed)
    logger.info("ses event", extra={"kind": outcome.kind, "action": outcome.action})
    return {"action": outcome.action, "kind": outcome.kind}
