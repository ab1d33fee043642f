"""Shopify's webhooks (admin API 2024-01 and later, JSON) read as Relance events.

A checkout is the cart Relance follows, keyed by its ``token``: the only key every version
of the payload has (2026-07 dropped the top-level ``id``). An order names its checkout by
``checkout_token``, or only by ``cart_token`` or ``checkout_id``: the checkout announces
those as aliases (``checkout_started``), so that the order finds it whichever it has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from relance.core.cart.batch import FieldError
from relance.core.cart.events import Currency, Money, SecureUrl
from relance.core.connectors import (
    Action,
    Apply,
    EraseCustomer,
    EraseShop,
    ExportCustomer,
    Ignore,
    MalformedWebhook,
)
from relance.core.connectors.payloads import Email, FirstLines, Payload, Text, clipped, events, locale, read

CHECKOUT_TOPICS = frozenset({"checkouts/create", "checkouts/update"})
CART_TOPICS = frozenset({"carts/create", "carts/update"})
CART_REASON = (
    "a Shopify cart carries no email address: Relance follows the checkout that the customer "
    "starts from it, which carries the same items"
)
TOPICS = (*sorted(CHECKOUT_TOPICS), "checkouts/delete", "orders/create", *sorted(CART_TOPICS))
PRIVACY_TOPICS = ("customers/redact", "shop/redact", "customers/data_request")


class MarketingConsent(Payload):
    state: Text = None


class Customer(Payload):
    email: Email = None
    first_name: Text = None
    email_marketing_consent: MarketingConsent | None = None


class Address(Payload):
    first_name: Text = None


class LineItem(Payload):
    title: str = Field(min_length=1)
    presentment_title: Text = None
    variant_title: Text = None
    presentment_variant_title: Text = None
    quantity: int = Field(ge=1, le=10_000)
    price: Money
    sku: Text = None
    variant_id: int | None = None
    product_id: int | None = None

    def as_item(self) -> dict[str, Any]:
        title = self.presentment_title or self.title
        variant = self.presentment_variant_title or self.variant_title
        name = f"{title} – {variant}" if variant and variant != "Default Title" else title
        identity = self.sku or (f"variant-{self.variant_id}" if self.variant_id else None)
        sku = identity or (f"product-{self.product_id}" if self.product_id else title)
        return {"sku": sku[:256], "name": name[:300], "quantity": self.quantity, "unit_price": self.price}


class _Buyer(Payload):
    email: Email = None
    customer: Customer | None = None
    billing_address: Address | None = None
    shipping_address: Address | None = None
    buyer_accepts_marketing: bool | None = None

    def customer_info(self, locale_tag: str | None = None) -> dict[str, Any]:
        customer = self.customer or Customer()
        first_name = customer.first_name or next(
            (a.first_name for a in (self.billing_address, self.shipping_address) if a and a.first_name), None
        )
        return {
            "email": self.email or customer.email,
            "first_name": clipped(first_name, 100),
            "locale": locale(locale_tag),
            "marketing_consent": self.marketing_consent(),
        }

    def marketing_consent(self) -> bool | None:
        """Shopify's answer, as Relance's consent: an explicit subscription or withdrawal says
        yes or no; ``buyer_accepts_marketing: false`` is an unticked box, which is no answer
        (docs/connectors.md#consent)."""
        consent = self.customer.email_marketing_consent if self.customer else None
        if consent is not None and consent.state == "subscribed":
            return True
        if consent is not None and consent.state == "unsubscribed":
            return False
        return True if self.buyer_accepts_marketing else None


class Checkout(_Buyer):
    id: int | None = None
    token: str = Field(min_length=1, max_length=256)
    cart_token: Text = None
    customer_locale: Text = None
    currency: Currency
    presentment_currency: Currency | None = None
    line_items: Annotated[list[LineItem], FirstLines] = Field(default_factory=list)
    total_price: Money | None = None
    abandoned_checkout_url: SecureUrl
    created_at: AwareDatetime
    updated_at: AwareDatetime | None = None


class CheckoutGone(Payload):
    id: int | None = None
    token: Text = None
    updated_at: AwareDatetime | None = None


class Order(_Buyer):
    id: int
    checkout_token: Text = None
    cart_token: Text = None
    checkout_id: int | None = None
    total_price: Money
    currency: Currency
    presentment_currency: Currency | None = None
    total_price_set: dict[str, dict[str, Any]] | None = None
    created_at: AwareDatetime

    def amount(self) -> tuple[Any, str]:
        """In the currency the customer paid in, as the checkout's prices are."""
        presented = (self.total_price_set or {}).get("presentment_money") or {}
        if self.presentment_currency and presented.get("amount") is not None:
            return presented["amount"], self.presentment_currency
        return self.total_price, self.currency


class PrivacyCustomer(Payload):
    email: Email = None


class CustomerRedaction(Payload):
    customer: PrivacyCustomer


class DataRequestId(Payload):
    id: int | str


class DataRequest(Payload):
    customer: PrivacyCustomer
    data_request: DataRequestId


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
        return EraseCustomer(str(email)) if email else Ignore("no email address: Relance holds none")
    if topic == "shop/redact":
        return EraseShop()
    if topic == "customers/data_request":
        request = read(DataRequest, payload)
        email = request.customer.email
        if not email:
            return Ignore("no email address: Relance holds none")
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
