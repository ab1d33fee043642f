"""A customer's right to erasure: every cart that holds their address, and what Relance
knows of them, except the fact that they must not be mailed (kept as a hash and a reason).

The reports in S3 hold no personal data (carts.csv names no customer), so nothing there
changes. A timer still armed for an erased cart finds no cart and stops. An event from
before the erasure, resent by the shop, is not stored again (:func:`was_erased`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from relance.core.shop import Shop
from relance.ports import Adapters


@dataclass(frozen=True)
class Erased:
    carts: int
    kept_suppression: bool


def erase_customer(adapters: Adapters, shop: Shop, email: str) -> Erased:
    """Every cart of the address and every item naming one (checkout and message indexes),
    then the customer's record; works for a suspended shop too (the customer's right does
    not depend on the shop's account)."""
    cart_ids = adapters.contacts.cart_ids(shop.shop_id, email)
    erased = sum(erase_cart(adapters, shop, cart_id) for cart_id in cart_ids)
    suppressed = adapters.contacts.is_suppressed(shop.shop_id, email)
    adapters.contacts.forget(shop.shop_id, email, adapters.clock())
    return Erased(carts=erased, kept_suppression=suppressed)


def erase_cart(adapters: Adapters, shop: Shop, cart_id: str) -> bool:
    """The cart and the index items that name it; whether there was a cart."""
    cart = adapters.carts.get(shop.shop_id, cart_id)
    if cart is not None:
        for token in cart.checkout_tokens:
            adapters.checkouts.forget(shop.shop_id, token)
        for reminder in cart.reminders:
            if reminder.message_id:
                adapters.messages.forget(reminder.message_id)
    return adapters.carts.delete(shop.shop_id, cart_id)


def was_erased(adapters: Adapters, shop: Shop, email: str, occurred_at: datetime) -> bool:
    """The customer asked to be erased after this event happened: do not store it again."""
    return happened_before_erasure(occurred_at, adapters.contacts.erased_at(shop.shop_id, email))


def happened_before_erasure(occurred_at: datetime, erased_at: datetime | None) -> bool:
    return erased_at is not None and occurred_at <= erased_at
