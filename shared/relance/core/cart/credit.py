"""An order placed through another cart than the one emailed (another device, a new session):
the documented fallback of attribution credits the emailed cart, and marks the order as
counted there so that it is never credited twice (docs/kpis.md)."""

from __future__ import annotations

from datetime import timedelta

from relance.core.cart.attribution import (
    DEFAULT_ATTRIBUTION_WINDOW,
    credited_reminder,
    recorded_order,
)
from relance.core.cart.events import OrderPlaced
from relance.core.cart.state import REMEMBERED_EVENT_IDS, Cart, event_key


def credit_same_customer(
    reminded: Cart, order: OrderPlaced, attribution_window: timedelta = DEFAULT_ATTRIBUTION_WINDOW
) -> Cart | None:
    """``reminded`` closed by an order its customer placed through another cart.

    The documented fallback of attribution: the order is credited to the last email this
    cart got, if it came within the window; the cart's sequence stops. ``None`` when the
    cart already has an order, the order came too late, or this was already applied.
    """
    marker = event_key(f"{order.id}@customer")
    credited = credited_reminder(reminded.reminders, order.occurred_at, attribution_window)
    if reminded.order is not None or credited is None or marker in reminded.seen_event_ids:
        return None
    return reminded.model_copy(
        update={
            "status": "ordered",
            "order": recorded_order(order, credited, "customer"),
            "timer": None,
            "seen_event_ids": (*reminded.seen_event_ids, marker)[-REMEMBERED_EVENT_IDS:],
        }
    )


def credited_elsewhere(cart: Cart, other_cart_id: str) -> Cart | None:
    """``cart``'s order, now counted on ``other_cart_id``: never credited twice."""
    if cart.order is None or cart.order.credited_elsewhere == other_cart_id:
        return None
    order = cart.order.model_copy(update={"credited_elsewhere": other_cart_id})
    return cart.model_copy(update={"order": order})
