"""One row per cart of a cohort: the fact table finance and Athena query for details.

No personal data: the customer appears only as prospect or returning and by source.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from relance.core.cart.state import Cart
from relance.core.reporting.costs import incentive_cost
from relance.core.reporting.kpis import emailed_steps, was_abandoned
from relance.core.segments import customer_type, value_segment
from relance.core.sequence.policy import ShopPolicy

FACT_COLUMNS = (
    "shop_id", "cohort_date", "cart_id", "currency", "cart_total", "status", "abandoned_at",
    "abandoned", "eligible", "customer_type", "cart_value", "source", "variant", "emails_sent",
    "last_step_sent", "delivered", "opened", "clicked", "bounced", "complained", "unsubscribed",
    "flagged_for_call", "incentive_code", "incentive_cost", "order_id", "order_amount",
    "recovered", "holdout", "credited_step", "credited_variant", "credit_reason", "attribution",
    "credited_cart_id", "minutes_to_recovery",
    "minutes_since_last_email", "later_orders", "later_orders_amount",
)  # fmt: skip


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _minutes(later: datetime, earlier: datetime | None) -> str:
    return "" if earlier is None else f"{(later - earlier).total_seconds() / 60:.1f}"


def fact_row(cart: Cart, policy: ShopPolicy) -> dict[str, str | int]:
    sent = emailed_steps(cart)
    feedback = {kind for r in sent for kind in r.feedback}
    order = cart.order
    before_order = [r.claimed_at for r in sent if order is not None and r.claimed_at <= order.placed_at]
    source = cart.customer.source
    return {
        "shop_id": cart.shop_id,
        "cohort_date": cart.cohort_day.isoformat(),
        "cart_id": cart.cart_id,
        "currency": cart.currency or "",
        "cart_total": str(cart.total),
        "status": cart.status,
        "abandoned_at": cart.abandoned_at.astimezone(UTC).isoformat(),
        "abandoned": _flag(was_abandoned(cart, policy)),
        "eligible": _flag(cart.eligible_at is not None),
        "customer_type": customer_type(cart.customer.orders_count),
        "cart_value": value_segment(cart.total, policy.high_cart_value),
        "source": (source.utm_source or "") if source else "",
        "variant": next((r.variant for r in cart.reminders), ""),
        "emails_sent": len(sent),
        "last_step_sent": max((r.step for r in sent), default=0),
        "delivered": _flag("delivery" in feedback),
        "opened": _flag("open" in feedback),
        "clicked": _flag("click" in feedback),
        "bounced": _flag("bounce" in feedback),
        "complained": _flag("complaint" in feedback),
        "unsubscribed": _flag("unsubscribe" in feedback),
        "flagged_for_call": _flag(cart.flagged_at is not None),
        "incentive_code": cart.incentive.code if cart.incentive else "",
        "incentive_cost": str(incentive_cost(cart)) if cart.incentive else "",
        "order_id": order.order_id if order else "",
        "order_amount": str(order.amount) if order else "",
        "recovered": _flag(order is not None and order.recovered),
        "holdout": _flag(any(r.held_out for r in cart.reminders)),
        "credited_step": (order.credited_step or 0) if order else 0,
        "credited_variant": (order.credited_variant or "") if order else "",
        "credit_reason": (order.credit_reason or "") if order else "",
        "attribution": order.via if order and order.recovered else "",
        "credited_cart_id": (order.credited_elsewhere or "") if order else "",
        "minutes_to_recovery": _minutes(order.placed_at, cart.abandoned_at)
        if order and order.recovered
        else "",
        "minutes_since_last_email": _minutes(order.placed_at, max(before_order))
        if before_order and order
        else "",
        "later_orders": len(cart.later_orders),
        "later_orders_amount": str(sum((o.amount for o in cart.later_orders), Decimal(0)))
        if cart.later_orders
        else "",
    }
