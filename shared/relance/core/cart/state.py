"""Cart state and how events change it.

:func:`apply_event` is pure and deterministic: the same history gives the same cart
whatever order the events arrive in, as far as the rules below allow:

- an event id seen before changes nothing (shops and networks resend);
- the items shown are those of the newest ``cart_updated`` by event time, so a late,
  older update never brings back removed items;
- ``order_placed`` is terminal: a cart update that arrives after it, or that happened
  after it, never reopens the sequence;
- ``cart_emptied`` wins over older activity only; a newer update revives the cart.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from relance.core.cart.attribution import DEFAULT_ATTRIBUTION_WINDOW, credited_reminder, recorded_order
from relance.core.cart.events import (
    CartEmptied,
    CartItem,
    CartUpdated,
    CheckoutStarted,
    ConsentChanged,
    CustomerIdentified,
    CustomerInfo,
    OrderPlaced,
    ShopEvent,
)
from relance.core.cart.history import GrantedIncentive, RecordedOrder, Reminder, Timer, _State

# The records a cart is made of are part of this module's interface.
__all__ = [
    "REMEMBERED_EVENT_IDS",
    "Cart",
    "CartStatus",
    "GrantedIncentive",
    "RecordedOrder",
    "Reminder",
    "Timer",
    "apply_event",
    "event_key",
    "new_cart",
]

# Enough to absorb any realistic resend (a batch retried, a webhook redelivered); an older
# event replayed changes nothing either: content, activity and customer details go by event
# time, an order by its order id. Kept as short digests, so the memory never outgrows ~500 bytes.
REMEMBERED_EVENT_IDS = 32


CartStatus = Literal["active", "ordered", "emptied"]


class Cart(_State):
    """A shopper's cart: its content and customer, how its sequence went, and its order.

    The nightly report reads stored carts in their JSON form, unvalidated
    (``relance.core.reporting.reported``): a field renamed here must be renamed there."""

    shop_id: str
    cart_id: str
    status: CartStatus = "active"
    currency: str | None = None
    total: Decimal = Decimal(0)
    created_at: datetime
    last_activity_at: datetime | None = None
    order: RecordedOrder | None = None
    later_orders: tuple[RecordedOrder, ...] = ()
    """Orders placed through this cart after its first one (a cart restored and bought again):
    natural returns, kept and reported, never credited to a reminder."""
    reminders: tuple[Reminder, ...] = ()
    eligible_at: datetime | None = None
    """When the cart first qualified for a reminder (contact, items, above the floor)."""
    incentive: GrantedIncentive | None = None
    flagged_at: datetime | None = None
    """When staff were asked to call about this high-value cart (once per cart)."""
    events_applied: int = 0

    items: tuple[CartItem, ...] = ()
    restore_url: str | None = None
    customer: CustomerInfo = CustomerInfo()
    customer_at: datetime | None = None
    content_at: datetime | None = None
    checkout_started_at: datetime | None = None
    checkout_tokens: tuple[str, ...] = ()
    """The checkout ids announced for this cart (the index items erasure must remove)."""
    emptied_at: datetime | None = None
    timer: Timer | None = None
    seen_event_ids: tuple[str, ...] = ()
    """``event_key`` of the last REMEMBERED_EVENT_IDS events (whole ids in carts stored before)."""
    version: int = 0

    @property
    def abandoned_at(self) -> datetime:
        """When the customer last touched the cart: the clock every delay counts from."""
        return self.last_activity_at or self.created_at

    @property
    def cohort_day(self) -> date:
        """The UTC day of abandonment: the report the cart counts in."""
        return self.abandoned_at.astimezone(UTC).date()

    def reminder(self, step: int) -> Reminder | None:
        return next((r for r in self.reminders if r.step == step), None)

    @property
    def next_step(self) -> int:
        return max((r.step for r in self.reminders), default=0) + 1


def _merge_customer(cart: Cart, info: CustomerInfo | None, at: datetime) -> dict[str, object]:
    if info is None:
        return {}
    known = cart.customer.model_dump(exclude_none=True)
    incoming = info.model_dump(exclude_none=True)
    newer = cart.customer_at is None or at >= cart.customer_at
    merged = {**known, **incoming} if newer else {**incoming, **known}
    return {
        "customer": CustomerInfo.model_validate(merged),
        "customer_at": max(at, cart.customer_at) if cart.customer_at else at,
    }


def _latest(current: datetime | None, at: datetime) -> datetime:
    return at if current is None or at > current else current


def _changes(cart: Cart, event: ShopEvent, window: timedelta) -> dict[str, object]:
    at = event.occurred_at
    if isinstance(event, CartUpdated):
        changes: dict[str, object] = {"last_activity_at": _latest(cart.last_activity_at, at)}
        if cart.content_at is None or at >= cart.content_at:
            total = event.total if event.total is not None else _items_total(event)
            changes.update(
                items=tuple(event.items),
                currency=event.currency,
                total=total,
                restore_url=str(event.restore_url),
                content_at=at,
            )
        if cart.status == "emptied" and cart.emptied_at is not None and at > cart.emptied_at:
            changes["status"] = "active"
        return changes
    if isinstance(event, CheckoutStarted):
        token = event.checkout_token
        tokens = cart.checkout_tokens
        return {
            "last_activity_at": _latest(cart.last_activity_at, at),
            "checkout_started_at": _latest(cart.checkout_started_at, at),
            "checkout_tokens": (*tokens, token)[-10:] if token and token not in tokens else tokens,
        }
    if isinstance(event, OrderPlaced):
        if cart.order is not None:
            known = {cart.order.order_id, *(o.order_id for o in cart.later_orders)}
            if event.order_id in known:
                return {}  # the same order, resent under another event id
            later = recorded_order(event, None, "cart")
            return {"later_orders": (*cart.later_orders, later)[-MAX_LATER_ORDERS:]}
        order = recorded_order(event, credited_reminder(cart.reminders, at, window), "cart")
        return {"status": "ordered", "order": order, "timer": None}
    if isinstance(event, CartEmptied):
        if cart.status == "ordered" or (cart.last_activity_at and at < cart.last_activity_at):
            return {"emptied_at": _latest(cart.emptied_at, at)}
        return {"status": "emptied", "emptied_at": _latest(cart.emptied_at, at), "timer": None}
    assert isinstance(event, CustomerIdentified | ConsentChanged)
    return {}


MAX_LATER_ORDERS = 20


def _items_total(event: CartUpdated) -> Decimal:
    return sum((item.unit_price * item.quantity for item in event.items), Decimal(0))


def new_cart(shop_id: str, event: ShopEvent) -> Cart:
    return Cart(shop_id=shop_id, cart_id=event.cart_id, created_at=event.occurred_at)


def apply_event(
    cart: Cart, event: ShopEvent, attribution_window: timedelta = DEFAULT_ATTRIBUTION_WINDOW
) -> Cart | None:
    """The cart after ``event``, or ``None`` when the event was already applied.

    An order is credited to the last email sent before it when it came within
    ``attribution_window`` of that email; otherwise it is a natural return.
    """
    key = event_key(event.id)
    if key in cart.seen_event_ids or event.id in cart.seen_event_ids:
        return None
    changes = _changes(cart, event, attribution_window)
    changes.update(_merge_customer(cart, event.customer, event.occurred_at))
    changes["seen_event_ids"] = (*cart.seen_event_ids, key)[-REMEMBERED_EVENT_IDS:]
    changes["events_applied"] = max(cart.events_applied, len(cart.seen_event_ids)) + 1
    changes["created_at"] = min(cart.created_at, event.occurred_at)
    return cart.model_copy(update=changes)


def event_key(event_id: str) -> str:
    """What a cart remembers of an event id: 72 bits of its BLAKE2b digest, 12 characters
    whatever the id's length (two ids of one cart collide with odds of 1 in 10^21)."""
    digest = hashlib.blake2b(event_id.encode(), digest_size=9).digest()
    return base64.urlsafe_b64encode(digest).decode()
