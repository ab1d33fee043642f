"""Changing a stored cart safely: read, apply a pure change, write if nobody wrote since."""

from __future__ import annotations

from collections.abc import Callable

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart import Cart
from relance.core.policy import DEFAULT_RETENTION_DAYS
from relance.wiring import Services

MAX_ATTEMPTS = 5


def update_cart(
    svc: Services, shop_id: str, cart_id: str, change: Callable[[Cart], Cart | None], retention_days: int
) -> Cart | None:
    """The cart after ``change``, retried on concurrent writes; ``None`` if there is nothing to change."""
    for _ in range(MAX_ATTEMPTS):
        cart = svc.carts.get(shop_id, cart_id)
        changed = change(cart) if cart is not None else None
        if changed is None:
            return None
        try:
            return svc.carts.save(changed, retention_days)
        except ConcurrentUpdate:
            continue
    raise ConcurrentUpdate(cart_id)


def retention_days(svc: Services, shop_id: str) -> int:
    """The shop's retention, or the default for a shop deleted meanwhile."""
    shop = svc.shops.get(shop_id)
    return shop.policy.retention_days if shop else DEFAULT_RETENTION_DAYS
