"""A customer's right to erasure: every cart that holds their address, and what Relance
knows of them, except the fact that they must not be mailed (kept as a hash and a reason).

The reports in S3 hold no personal data (carts.csv names no customer), so nothing there
changes. A timer still armed for an erased cart finds no cart and stops.
"""

from __future__ import annotations

from dataclasses import dataclass

from relance.core.shop import Shop
from relance.wiring import Services


@dataclass(frozen=True)
class Erased:
    carts: int
    kept_suppression: bool


def erase_customer(svc: Services, shop: Shop, email: str) -> Erased:
    carts = sum(
        svc.carts.delete(shop.shop_id, cart_id) for cart_id in svc.contacts.cart_ids(shop.shop_id, email)
    )
    suppressed = svc.contacts.is_suppressed(shop.shop_id, email)
    svc.contacts.forget(shop.shop_id, email)
    return Erased(carts=carts, kept_suppression=suppressed)
