"""Handing out the last step's incentive: at most once per customer per period, each pool
code to one cart only. Whatever is granted is recorded on the cart for the reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from relance.core.cart.state import Cart, GrantedIncentive
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.retry import update_cart


def grant_incentive(adapters: Adapters, shop: Shop, cart: Cart, now: datetime) -> Cart | None:
    """``cart`` with its incentive recorded, or ``None`` when none can be given (already given
    to this customer this period, or the pool is empty)."""
    incentive = shop.policy.incentive
    email = str(cart.customer.email)
    period_start = now - timedelta(days=incentive.once_per_days)
    if not adapters.contacts.claim_incentive(shop.shop_id, email, now, period_start):
        return None
    code = incentive.static_code or adapters.codes.take(shop.shop_id, cart.cart_id, now)
    if code is None:
        adapters.contacts.release_incentive(shop.shop_id, email, now)
        return None
    granted = GrantedIncentive(code=code, kind=incentive.kind, value=incentive.value, granted_at=now)

    def record(current: Cart) -> Cart | None:
        if current.incentive is not None:
            return None
        return current.model_copy(update={"incentive": granted})

    return update_cart(adapters, shop.shop_id, cart.cart_id, record, shop.policy.retention_days)
