"""Shopify's webhook payloads, as much of them as Relance reads (API 2024-01 and later; the
samples in tests/connectors/payloads/). Unknown fields are ignored, blanks read as absent."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from relance.core.cart.events import Currency, Money, SecureUrl
from relance.core.connectors.payloads import Email, FirstLines, Payload, Text, clipped, locale


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
