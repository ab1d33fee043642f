"""Shopify's webhooks (admin API 2024-01 and later, JSON) read as Relance events.

A checkout is the cart Relance follows, keyed by its ``token``: the only key every version
of the payload has (2026-07 dropped the top-level ``id``). An order names its checkout by
``checkout_token``, or only by ``cart_token`` or ``checkout_id``: the checkout announces
those as aliases (``checkout_started``), so that the order finds it whichever it has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from relance.core.cart.batch import FieldError
from relance.core.connectors import (
    Action,
    Apply,
    EraseCustomer,
    EraseShop,
    ExportCustomer,
    Ignore,
    MalformedWebhook,
)
from relance.core.connectors.payloads import events, read
from relance.core.connectors.shopify_payloads import (
    Checkout,
    CheckoutGone,
    CustomerRedaction,
    DataRequest,
    Order,
)

CHECKOUT_TOPICS = frozenset({"checkouts/create", "checkouts/update"})
CART_TOPICS = frozenset({"carts/create", "carts/update"})
CART_REASON = (
    "a Shopify cart carries no email address: Relance follows the checkout that the customer "
    "starts from it, which carries the same items"
)
TOPICS = (*sorted(CHECKOUT_TOPICS), "checkouts/delete", "orders/create", *sorted(CART_TOPICS))
PRIVACY_TOPICS = ("customers/redact", "shop/redact", "customers/data_request")
NO_EMAIL = "no email address: Relance holds none"


def read_webhook(topic: str, webhook_id: str, payload: object, now: datetime) -> Action:
    """The action for one verified webhook; :class:`MalformedWebhook` names what is wrong."""
    if not webhook_id:
        raise MalformedWebhook((FieldError("X-Shopify-Webhook-Id", "header required"),))
    key = f"shopify:{webhook_id}"
    if topic in CHECKOUT_TOPICS:
        return Apply(_checkout_events(read(Checkout, payload), key, now))
    if topic == "checkouts/delete":
        return Apply(_checkout_gone(read(CheckoutGone, payload), key, now))
    if topic == "orders/create":
        return Apply(_order_events(read(Order, payload), key, now))
    if topic in CART_TOPICS:
        return Ignore(CART_REASON)
    if topic == "customers/redact":
        email = read(CustomerRedaction, payload).customer.email
        return EraseCustomer(str(email)) if email else Ignore(NO_EMAIL)
    if topic == "shop/redact":
        return EraseShop()
    if topic == "customers/data_request":
        request = read(DataRequest, payload)
        email = request.customer.email
        if not email:
            return Ignore(NO_EMAIL)
        return ExportCustomer(str(email), str(request.data_request.id))
    return Ignore("a topic Relance does not use (docs/connectors.md#shopify)")


def _checkout_events(checkout: Checkout, key: str, now: datetime) -> tuple[Any, ...]:
    at = checkout.updated_at or checkout.created_at
    common = {"occurred_at": at, "cart_id": checkout.token}
    cart = {
        **common,
        "type": "cart_updated",
        "id": f"{key}:cart",
        "customer": checkout.customer_info(checkout.customer_locale),
        "items": [line.as_item() for line in checkout.line_items],
        "currency": checkout.presentment_currency or checkout.currency,
        "total": checkout.total_price,
        "restore_url": str(checkout.abandoned_checkout_url),
    }
    aliases = [alias for alias in (checkout.cart_token, checkout.id and str(checkout.id)) if alias]
    started = [
        {**common, "type": "checkout_started", "id": f"{key}:alias:{alias}", "checkout_token": alias}
        for alias in aliases
    ] or [{**common, "type": "checkout_started", "id": f"{key}:checkout"}]
    return events([cart, *started], now)


def _checkout_gone(gone: CheckoutGone, key: str, now: datetime) -> tuple[Any, ...]:
    cart_id = gone.token or (str(gone.id) if gone.id is not None else None)
    if cart_id is None:
        raise MalformedWebhook((FieldError("token", "token or id required"),))
    at = gone.updated_at or now
    return events([{"type": "cart_emptied", "id": key, "occurred_at": at, "cart_id": cart_id}], now)


def _order_events(order: Order, key: str, now: datetime) -> tuple[Any, ...]:
    references = (order.checkout_token, order.cart_token, order.checkout_id and str(order.checkout_id))
    checkout = next((reference for reference in references if reference), None)
    amount, currency = order.amount()
    placed = {
        "type": "order_placed",
        "id": f"{key}:order",
        "occurred_at": order.created_at,
        "cart_id": checkout or f"order-{order.id}",
        "checkout_token": checkout,
        "order_id": str(order.id),
        "amount": amount,
        "currency": currency,
        "customer": order.customer_info(),
    }
    return events([placed], now)
