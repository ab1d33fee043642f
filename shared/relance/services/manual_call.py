"""High-value carts: tell the shop's staff once per cart, so that someone can call."""

from __future__ import annotations

from relance.core.cart.state import Cart
from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.retry import update_cart


def flag_for_call(adapters: Adapters, shop: Shop, cart: Cart) -> tuple[Cart, bool]:
    """Publish the cart and its contact to the manual-call topic, unless another run did;
    returns ``cart`` as now stored, and whether this run published."""
    now = adapters.clock()
    retention = shop.policy.retention_days

    def flagged(current: Cart) -> Cart | None:
        return current.model_copy(update={"flagged_at": now}) if current.flagged_at is None else None

    claimed = update_cart(adapters, shop.shop_id, cart.cart_id, flagged, retention)
    if claimed is None:
        return adapters.carts.get(
            shop.shop_id, cart.cart_id
        ) or cart, False  # flagged meanwhile: once per cart
    customer = claimed.customer
    detail = {
        "kind": "high_value_cart",
        "shop_id": shop.shop_id,
        "cart_id": claimed.cart_id,
        "total": str(claimed.total),
        "currency": claimed.currency,
        "items": [
            {"name": i.name, "quantity": i.quantity, "unit_price": str(i.unit_price)} for i in claimed.items
        ],
        "restore_url": claimed.restore_url,
        "abandoned_at": claimed.abandoned_at.isoformat(),
        "contact": {
            "email": customer.email,
            "first_name": customer.first_name,
            "locale": customer.locale,
            "time_zone": customer.time_zone,
            "orders_count": customer.orders_count,
        },
    }
    try:
        adapters.alerts.publish(f"{shop.name}: {claimed.total} {claimed.currency} cart to call about", detail)
    except Exception:
        # Unflag so that the retry of this step publishes it: once per cart, not zero times.
        update_cart(
            adapters,
            shop.shop_id,
            cart.cart_id,
            lambda c: c.model_copy(update={"flagged_at": None}),
            retention,
        )
        raise
    return claimed, True
