"""A platform's verified webhook, carried out: its events applied as ``/v1/events`` applies
them, or the privacy request it makes (docs/connectors.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from relance.core.cart.events import CheckoutStarted, ShopEvent
from relance.core.connectors import (
    Action,
    Apply,
    EraseCustomer,
    EraseShop,
    ExportCustomer,
    Platform,
)
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.erase import erase_customer
from relance.services.ingest import Applied, apply
from relance.services.privacy import erase_shop, export_customer

Outcome = Literal["applied", "duplicate", "erased", "exported", "ignored", "noted"]


@dataclass(frozen=True)
class Delivery:
    """One webhook as the platform sent it (headers already verified)."""

    platform: Platform
    topic: str
    delivery_id: str
    payload: object
    cart_page: str = ""
    """WooCommerce: the shop's cart page, the restore link of an order without a payment link."""


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    reason: str | None = None
    applied: tuple[Applied, ...] = ()
    detail: dict[str, str | int] = field(default_factory=dict)


def _action(adapters: Adapters, delivery: Delivery) -> Action:
    # A platform's payload models load with its first webhook: the api's cold start, which
    # mostly serves /v1/events and links, does not pay for them.
    now = adapters.clock()
    if delivery.platform == "shopify":
        from relance.core.connectors import shopify

        return shopify.read_webhook(delivery.topic, delivery.delivery_id, delivery.payload, now)
    from relance.core.connectors import woocommerce

    return woocommerce.read_webhook(delivery.topic, delivery.payload, delivery.cart_page, now)


def receive(adapters: Adapters, shop: Shop, delivery: Delivery) -> Received:
    """Carry the webhook out. Every path is idempotent: platforms resend until they get a 2xx."""
    action = _action(adapters, delivery)
    if isinstance(action, Apply):
        if shop.status != "active":
            return Received("ignored", "the shop is suspended: its events are not stored")
        results: list[Applied] = []
        for index, event in enumerate(_not_yet_known(adapters, shop, action.events)):
            results.append(apply(adapters, shop, index, event))
            if results[-1].outcome == "erased":
                break  # the webhook's other events are the same erased customer's checkout
        outcomes = {result.outcome for result in results}
        first: Outcome = next((o for o in ("applied", "erased") if o in outcomes), "duplicate")
        return Received(first, applied=tuple(results))
    if isinstance(action, EraseCustomer):
        erased = erase_customer(adapters, shop, action.email)
        return Received("erased", detail={"carts_erased": erased.carts})
    if isinstance(action, EraseShop):
        return Received("erased", detail={"carts_erased": erase_shop(adapters, shop).carts})
    if isinstance(action, ExportCustomer):
        key = export_customer(adapters, shop, action.email, action.request_id)
        return Received("exported", detail={"key": key})
    return Received("noted" if action.noted else "ignored", action.reason)


def _not_yet_known(adapters: Adapters, shop: Shop, events: tuple[ShopEvent, ...]) -> tuple[ShopEvent, ...]:
    """Without the checkout announcements its cart already holds: a checkout is updated many
    times, and each announcement is a cart write and an index write. Dropped only once stored
    (the index is written before the cart), so a resend after a failure still makes them."""
    started = [e for e in events if isinstance(e, CheckoutStarted)]
    stored = adapters.carts.get(shop.shop_id, started[0].cart_id) if started else None
    if stored is None or stored.checkout_started_at is None:
        return events
    known: set[str | None] = {None, *stored.checkout_tokens}
    return tuple(e for e in events if not isinstance(e, CheckoutStarted) or e.checkout_token not in known)
