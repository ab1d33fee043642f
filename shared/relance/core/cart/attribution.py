"""Which email an order is credited to, and why: attribution, kept pure.

By cart: the order closes the cart that was emailed. By customer (the documented
fallback): the order closes another cart of the same address, and the emailed cart is
credited instead; its own order is then marked as counted there, so that one order is
never credited twice. docs/kpis.md says the same for finance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from relance.core.cart.events import OrderPlaced
from relance.core.cart.history import RecordedOrder, Reminder

DEFAULT_ATTRIBUTION_WINDOW = timedelta(days=7)


def credited_reminder(
    reminders: Sequence[Reminder], placed_at: datetime, window: timedelta
) -> Reminder | None:
    """The step an order is credited to: the last one whose link was clicked before the
    order, else the last one emailed (or held back) before it; within the window after it."""
    before = [
        r
        for r in reminders
        if (r.message_id or r.held_out) and r.claimed_at <= placed_at and placed_at - r.claimed_at <= window
    ]
    clicked = [r for r in before if "click" in r.feedback and r.feedback["click"] <= placed_at]
    return max(clicked or before, key=lambda r: r.claimed_at, default=None)


def _reason(credited: Reminder | None, placed_at: datetime) -> Literal["clicked", "last_email"] | None:
    if credited is None:
        return None
    clicked = credited.feedback.get("click")
    return "clicked" if clicked is not None and clicked <= placed_at else "last_email"


def recorded_order(
    event: OrderPlaced, credited: Reminder | None, via: Literal["cart", "customer"]
) -> RecordedOrder:
    return RecordedOrder(
        order_id=event.order_id,
        amount=event.amount,
        currency=event.currency,
        placed_at=event.occurred_at,
        credited_step=credited.step if credited else None,
        credited_variant=credited.variant if credited else None,
        credit_reason=_reason(credited, event.occurred_at),
        via=via,
        holdout=credited is not None and credited.held_out,
    )
