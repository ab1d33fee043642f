"""EventBridge Scheduler target: one step of one cart's sequence."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.errors import MailRejected
from relance.adapters.scheduler import TimerFired
from relance.services.remind import run_step
from relance.wiring import adapters

logger = Logger(service="reminder")
metrics = Metrics(service="reminder")


@logger.inject_lambda_context(correlation_id_path="cart_id", clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    fired = TimerFired.model_validate(event)
    metrics.add_dimension(name="shop", value=fired.shop_id)
    try:
        outcome = run_step(adapters(), fired.shop_id, fired.cart_id, fired.step)
    except MailRejected:
        metrics.add_metric(name="SesErrors", unit=MetricUnit.Count, value=1)
        raise  # retried by Lambda, then kept in the dead-letter queue
    metric = {"sent": "RemindersSent", "stopped": "RemindersStopped", "held": "RemindersHeldOut"}.get(
        outcome.action, "RemindersDeferred"
    )
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    if outcome.incentive:
        metrics.add_metric(name="IncentivesGiven", unit=MetricUnit.Count, value=1)
    if outcome.flagged:
        metrics.add_metric(name="ManualCallsFlagged", unit=MetricUnit.Count, value=1)
    if outcome.template_fallback:
        metrics.add_metric(name="ShopTemplateFallbacks", unit=MetricUnit.Count, value=1)
    # The detail, by step and reason: "Reminders.sent.step2", "Reminders.stopped.ordered"...
    detail = f"step{outcome.step}" if outcome.action == "sent" else outcome.reason
    metrics.add_metric(name=f"Reminders.{outcome.action}.{detail}", unit=MetricUnit.Count, value=1)
    logger.info(
        "reminder step done", extra={"step": outcome.step, "action": outcome.action, "reason": outcome.reason}
    )
    return {"action": outcome.action, "step": outcome.step, "reason": outcome.reason}
