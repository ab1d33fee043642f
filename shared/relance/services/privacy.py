"""What a platform's privacy webhooks ask: a customer's data exported, or every customer of a
shop erased (Shopify's ``customers/data_request`` and ``shop/redact``; docs/connectors.md)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from relance.core.shop import Shop
from relance.ports import Adapters
from relance.services.erase import erase_cart, erase_customer

ERASE_SHOP_BUDGET_SECONDS = 20.0
"""A shop's erasure stops short of API Gateway's 30 s; the platform's retry goes on from there."""


class ErasureUnfinished(Exception):
    """Part of the shop's data is erased; the rest needs another request (answered 503)."""


@dataclass(frozen=True)
class ShopErased:
    carts: int


def erase_shop(adapters: Adapters, shop: Shop) -> ShopErased:
    """Suspend the shop (nothing more is sent), then erase every cart it may still hold, and
    each customer's record with it. Idempotent: a retry finds only what is left."""
    started, budget = time.monotonic(), ERASE_SHOP_BUDGET_SECONDS
    adapters.shops.change(shop.shop_id, lambda s: s.model_copy(update={"status": "suspended"}))
    today = adapters.clock().date()
    # Carts live retention_days past abandonment; a day either side covers time zones.
    days = shop.policy.retention_days + 2
    erased = 0
    for back in range(-1, days):
        for cart in list(adapters.carts.carts_of_day(shop.shop_id, today - timedelta(days=back))):
            if time.monotonic() - started > budget:
                raise ErasureUnfinished(shop.shop_id)
            email = cart.customer.email
            if email is not None:
                erased += erase_customer(adapters, shop, str(email)).carts
            else:
                erased += erase_cart(adapters, shop, cart.cart_id)
    return ShopErased(carts=erased)


def export_customer(adapters: Adapters, shop: Shop, email: str, request_id: str) -> str:
    """Everything Relance holds on the address, as JSON in the reports bucket; the shop's staff
    are told where (the manual-call topic). Returns the object's key."""
    contact = adapters.contacts.state(shop.shop_id, email)
    cart_ids = sorted(adapters.contacts.cart_ids(shop.shop_id, email))
    carts = [cart for cart_id in cart_ids if (cart := adapters.carts.get(shop.shop_id, cart_id))]
    now = adapters.clock()
    document: dict[str, Any] = {
        "shop_id": shop.shop_id,
        "email": email,
        "request_id": request_id,
        "generated_at": now.isoformat(),
        "contact": {
            "suppressed_reason": contact.suppressed_reason,
            "marketing_consent": contact.consent,
            "last_order_at": contact.last_order_at and contact.last_order_at.isoformat(),
            "emails_sent_at": [at.isoformat() for at in contact.recent_emails],
            "last_incentive_at": contact.last_incentive_at and contact.last_incentive_at.isoformat(),
        },
        "carts": [cart.model_dump(mode="json", exclude={"seen_event_ids", "version"}) for cart in carts],
    }
    name = "customer-data-" + re.sub(r"[^A-Za-z0-9_-]", "_", request_id)[:64]
    key = adapters.reports.write_export(shop.shop_id, name, document)
    detail = {"kind": "customer_data_request", "shop_id": shop.shop_id, "request_id": request_id, "key": key}
    adapters.alerts.publish(f"{shop.name}: a customer's data request is ready", detail)
    return key
