"""WooCommerce's order webhooks (REST API v3 payloads) read as Relance events.

WooCommerce says nothing before an order exists: a checkout in progress is an order with
status ``pending``, ``failed`` or ``checkout-draft`` (the block checkout's draft, sent as
``order.updated``); a paid or accepted one is ``processing``, ``completed`` or ``on-hold``.
The order's id is the cart's. Carts before checkout need a storefront snippet posting to
``/v1/events`` (docs/connectors.md#woocommerce).
"""

from __future__ import annotations

import html
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from babel.numbers import get_currency_precision
from pydantic import Field

from relance.core.cart.events import Currency, Money
from relance.core.connectors import Action, Apply, Ignore
from relance.core.connectors.payloads import (
    Email,
    FirstLines,
    Payload,
    Text,
    UtcDatetime,
    clipped,
    events,
    read,
)

IN_CHECKOUT = frozenset({"pending", "failed", "checkout-draft"})
ORDERED = frozenset({"processing", "completed", "on-hold"})
NOTED = frozenset({"cancelled", "refunded"})
TOPICS = ("order.created", "order.updated", "order.deleted")
NOTED_REASON = (
    "a cancelled or refunded order does not change the sequence (an unpaid order that "
    "WooCommerce cancels is still an abandoned checkout; a refund is reported by the shop)"
)


class Image(Payload):
    src: Text = None


class LineItem(Payload):
    name: str = Field(min_length=1)
    product_id: int | None = None
    variation_id: int | None = None
    quantity: int = Field(ge=1, le=10_000)
    subtotal: Money
    subtotal_tax: Money = Decimal(0)
    sku: Text = None
    image: Image | None = None

    def as_item(self, currency: str) -> dict[str, Any]:
        """The unit price the customer saw (taxes included, before the order's discounts)."""
        cents = Decimal(1).scaleb(-get_currency_precision(currency))
        unit = ((self.subtotal + self.subtotal_tax) / self.quantity).quantize(cents, ROUND_HALF_UP)
        product = self.variation_id or self.product_id
        sku = self.sku or (f"product-{product}" if product else self.name)
        item: dict[str, Any] = {
            "sku": sku[:256],
            # WooCommerce stores names HTML-escaped ("Ship Your Idea &ndash; Black"): decode once.
            "name": html.unescape(self.name)[:300],
            "quantity": self.quantity,
            "unit_price": unit,
        }
        image = self.image.src if self.image else None
        if image and image.startswith("https://"):
            item["image_url"] = image
        return item


class Billing(Payload):
    first_name: Text = None
    email: Email = None


class Order(Payload):
    id: int
    status: str
    currency: Currency
    date_created_gmt: UtcDatetime
    date_modified_gmt: UtcDatetime | None = None
    total: Money
    billing: Billing | None = None
    line_items: Annotated[list[LineItem], FirstLines] = Field(default_factory=list)
    payment_url: Text = None

    @property
    def modified_at(self) -> datetime:
        return self.date_modified_gmt or self.date_created_gmt


class DeletedOrder(Payload):
    id: int


def read_webhook(topic: str, payload: object, cart_page: str, now: datetime) -> Action:
    """The action for one verified webhook. ``cart_page`` is the shop's cart (its restore link
    when the order has no https payment link); events are keyed by the order and its
    modification time, so a redelivery changes nothing."""
    if topic == "order.deleted":
        order_id = read(DeletedOrder, payload).id
        gone = {"type": "cart_emptied", "id": f"woocommerce:{order_id}:deleted", "occurred_at": now}
        return Apply(events([{**gone, "cart_id": f"wc-{order_id}"}], now))
    if topic not in ("order.created", "order.updated"):
        return Ignore("a topic Relance does not use (docs/connectors.md#woocommerce)")
    order: Order = read(Order, payload)
    if order.status in IN_CHECKOUT:
        return Apply(_checkout_events(order, cart_page, now))
    if order.status in ORDERED:
        return Apply(_order_events(order, now))
    if order.status in NOTED:
        return Ignore(NOTED_REASON, noted=True)
    return Ignore("an order status Relance does not use (docs/connectors.md#woocommerce)")


def _customer(order: Order) -> dict[str, Any]:
    billing = order.billing or Billing()
    return {"email": billing.email, "first_name": clipped(billing.first_name, 100)}


def _checkout_events(order: Order, cart_page: str, now: datetime) -> tuple[Any, ...]:
    key = f"woocommerce:{order.id}:{order.modified_at.isoformat()}"
    common = {"occurred_at": order.modified_at, "cart_id": f"wc-{order.id}"}
    payment = order.payment_url if order.payment_url and order.payment_url.startswith("https://") else None
    cart = {
        **common,
        "type": "cart_updated",
        "id": f"{key}:cart",
        "customer": _customer(order),
        "items": [line.as_item(order.currency) for line in order.line_items],
        "currency": order.currency,
        "total": order.total,
        "restore_url": payment or cart_page,
    }
    started = {**common, "type": "checkout_started", "id": f"{key}:checkout"}
    return events([cart, started], now)


def _order_events(order: Order, now: datetime) -> tuple[Any, ...]:
    placed = {
        "type": "order_placed",
        "id": f"woocommerce:{order.id}:order",
        "occurred_at": order.modified_at,
        "cart_id": f"wc-{order.id}",
        "order_id": str(order.id),
        "amount": order.total,
        "currency": order.currency,
        "customer": _customer(order),
    }
    return events([placed], now)
