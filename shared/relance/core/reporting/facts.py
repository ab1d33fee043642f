"""One row per cart of a cohort: the fact table finance and Athena query for details.

No personal data: the customer appears only as prospect or returning and by source.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from relance.core.cart.state import RecordedOrder
from relance.core.reporting.costs import incentive_cost
from relance.core.reporting.kpis import was_abandoned
from relance.core.reporting.reported import ReportedCart
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


FLAG = {True: "true", False: "false"}

NO_ORDER: dict[str, str | int] = {
    "order_id": "", "order_amount": "", "recovered": "false", "holdout": "false", "credited_step": 0,
    "credited_variant": "", "credit_reason": "", "attribution": "", "credited_cart_id": "",
    "minutes_to_recovery": "", "minutes_since_last_email": "",
}  # fmt: skip
"""The order's columns of a cart with no order (most of them)."""


def _minutes(later: datetime, earlier: datetime) -> str:
    return f"{(later - earlier).total_seconds() / 60:.1f}"


def _order_columns(cart: ReportedCart, order: RecordedOrder) -> dict[str, str | int]:
    recovered = order.recovered
    claimed = [datetime.fromisoformat(r["claimed_at"]) for r in cart.emailed]
    before_order = [at for at in claimed if at <= order.placed_at]
    return {
        "order_id": order.order_id,
        "order_amount": str(order.amount),
        "recovered": FLAG[recovered],
        "holdout": "false",
        "credited_step": order.credited_step or 0,
        "credited_variant": order.credited_variant or "",
        "credit_reason": order.credit_reason or "",
        "attribution": order.via if recovered else "",
        "credited_cart_id": order.credited_elsewhere or "",
        "minutes_to_recovery": _minutes(order.placed_at, cart.abandoned_at) if recovered else "",
        "minutes_since_last_email": _minutes(order.placed_at, max(before_order)) if before_order else "",
    }


def fact_row(cart: ReportedCart, policy: ShopPolicy) -> dict[str, str | int]:
    """The cart's row of the fact file, its columns in FACT_COLUMNS' order.

    Run for every cart of every day rebuilt (the report's CPU goes mostly here and to
    reading), so it reads the stored form as it is and avoids the slower forms: a call per
    flag, a test per order column.
    """
    stored, sent, order, incentive = cart.stored, cart.emailed, cart.order, cart.incentive
    feedback = {kind for r in sent for kind in r.get("feedback") or ()}
    reminders = stored.get("reminders") or ()
    source = (stored.get("customer") or {}).get("source")
    later = cart.later_orders if stored.get("later_orders") else []
    row: dict[str, str | int] = {
        "shop_id": stored["shop_id"],
        "cohort_date": cart.abandoned_utc[:10],  # the UTC day: the date the ISO time begins with
        "cart_id": stored["cart_id"],
        "currency": stored.get("currency") or "",
        "cart_total": stored.get("total") or "0",
        "status": stored.get("status") or "active",
        "abandoned_at": cart.abandoned_utc,
        "abandoned": FLAG[was_abandoned(cart, policy)],
        "eligible": FLAG[stored.get("eligible_at") is not None],
        "customer_type": customer_type(cart.orders_count),
        "cart_value": value_segment(cart.total, policy.high_cart_value),
        "source": (source.get("utm_source") or "") if source else "",
        "variant": reminders[0]["variant"] if reminders else "",
        "emails_sent": len(sent),
        "last_step_sent": max([r["step"] for r in sent], default=0),
        "delivered": FLAG["delivery" in feedback],
        "opened": FLAG["open" in feedback],
        "clicked": FLAG["click" in feedback],
        "bounced": FLAG["bounce" in feedback],
        "complained": FLAG["complaint" in feedback],
        "unsubscribed": FLAG["unsubscribe" in feedback],
        "flagged_for_call": FLAG[stored.get("flagged_at") is not None],
        "incentive_code": incentive.code if incentive else "",
        "incentive_cost": str(incentive_cost(incentive, order)) if incentive else "",
        **(NO_ORDER if order is None else _order_columns(cart, order)),
        "later_orders": len(later),
        "later_orders_amount": str(sum([o.amount for o in later], Decimal(0))) if later else "",
    }
    if cart.held_out:
        row["holdout"] = "true"  # in its place among the order's columns (a key keeps its place)
    return row
