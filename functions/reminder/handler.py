"""EventBridge Scheduler target: one step of one cart's sequence."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.errors import MailRejected
from relance.adapters.scheduler import TimerFired
from relance.services.remind import run_step
from relance.telemetry import Metric, about_shop, count
from relance.wiring import adapters

logger = Logger(service="reminder")
metrics = Metrics(service="reminder")
_BY_ACTION = {
    "sent": Metric.REMINDERS_SENT,
    "stopped": Metric.REMINDERS_STOPPED,
    "held": Metric.REMINDERS_HELD_OUT,
}


@logger.inject_lambda_context(correlation_id_path="cart_id", clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    fired = TimerFired.model_validate(event)
    about_shop(metrics, fired.shop_id)
    logger.append_keys(shop=fired.shop_id)
    try:
        outcome = run_step(adapters(), fired.shop_id, fired.cart_id, fired.step)
    except MailRejected:
        count(metrics, Metric.SES_ERRORS)
        raise  # retried by Lambda, then kept in the dead-letter queue
    count(metrics, _BY_ACTION.get(outcome.action, Metric.REMINDERS_DEFERRED))
    if outcome.reason == "outcome_unknown":
        count(metrics, Metric.REMINDERS_OUTCOME_UNKNOWN)
    if outcome.incentive:
        count(metrics, Metric.INCENTIVES_GIVEN)
    if outcome.flagged:
        count(metrics, Metric.MANUAL_CALLS_FLAGGED)
    if outcome.template_fallback:
        count(metrics, Metric.SHOP_TEMPLATE_FALLBACKS)
    # The detail by step and reason is in this line, for Logs Insights (docs/operations.md).
    logger.info(
        "reminder step done",
        extra={
            "step": outcome.step,
            "action": outcome.action,
            "reason": outcome.reason,
            "variant": outcome.variant,
            "incentive": outcome.incentive,
        },
    )
    return {"action": outcome.action, "step": outcome.step, "reason": outcome.reason}
