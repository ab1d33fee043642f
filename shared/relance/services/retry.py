"""The one way to retry: full-jitter backoff, between attempts of a read-decide-write loop
(:data:`CONFLICT_ATTEMPTS`, :func:`update_cart`) and of the idempotent writes that follow an
email (:func:`retrying`)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.state import Cart
from relance.core.sequence.policy import DEFAULT_RETENTION_DAYS
from relance.core.shop import Shop
from relance.ports import Adapters

CONFLICT_ATTEMPTS = 5
"""Tries of a read-decide-write loop before the conflict is reported (HTTP 409, or a redelivery)."""


T = TypeVar("T")


def update_cart(
    adapters: Adapters, shop_id: str, cart_id: str, change: Callable[[Cart], Cart | None], retention_days: int
) -> Cart | None:
    """The cart after ``change``, retried on concurrent writes; ``None`` if there is nothing to change."""
    for attempt in range(CONFLICT_ATTEMPTS):
        cart = adapters.carts.get(shop_id, cart_id)
        changed = change(cart) if cart is not None else None
        if changed is None:
            return None
        try:
            return adapters.carts.save(changed, retention_days)
        except ConcurrentUpdate:
            backoff(attempt)
    raise ConcurrentUpdate(cart_id)


def backoff(attempt: int, base_seconds: float = 0.02, cap_seconds: float = 1.0) -> None:
    """Full-jitter exponential backoff: writers that collided do not collide again in step."""
    time.sleep(random.uniform(0, min(cap_seconds, base_seconds * 2**attempt)))


def retrying(action: Callable[[], T], attempts: int = 3) -> T:
    """``action()``, tried again (with backoff) when AWS fails it; for the idempotent writes
    that follow an email, which must not be lost to one failed call."""
    for attempt in range(attempts - 1):
        try:
            return action()
        except (ClientError, BotoCoreError, ConcurrentUpdate):
            backoff(attempt, base_seconds=0.05)
    return action()


def retention_days(adapters: Adapters, shop_id: str) -> int:
    return retention_of(adapters.shops.get(shop_id))


def retention_of(shop: Shop | None) -> int:
    """The shop's retention, or the default for a shop deleted meanwhile."""
    return shop.policy.retention_days if shop else DEFAULT_RETENTION_DAYS
