"""Part of the demo's shoppers buy on "Shopify": their events reach Relance as Shopify's own
webhooks (``/v1/webhooks/shopify/<shop>``, signed with the shop's Shopify secret), in the
shape of Shopify's documented payloads, instead of ``/v1/events``."""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

SHOPIFY_SHARE = 4
"""One shopper in SHOPIFY_SHARE checks out on Shopify."""


def on_shopify(cart_id: str) -> bool:
    root = cart_id.removesuffix("-b")  # a shopper's second cart is on the same shop
    return zlib.crc32(root.encode()) % SHOPIFY_SHARE == 0


def as_webhook(event: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The Shopify topic and payload that say what ``event`` says (``None``: Shopify has no
    such webhook, as for ``checkout_started``, which its checkouts already are)."""
    kind, cart_id = event["type"], event["cart_id"]
    if kind == "cart_updated":
        return "checkouts/update", _checkout(event)
    if kind == "cart_emptied":
        return "checkouts/delete", {"token": cart_id, "presentment_currency": "EUR"}
    if kind == "order_placed":
        # Half the orders name their checkout only by its cart token (checkout_token null).
        by_cart = zlib.crc32(cart_id.encode()) % 2 == 0
        return "orders/create", {
            "id": int(event["order_id"].removeprefix("ML-")),
            "checkout_token": None if by_cart else cart_id,
            "cart_token": f"{cart_id}-cart",
            "checkout_id": None,
            "email": None,
            "total_price": event["amount"],
            "currency": event["currency"],
            "presentment_currency": event["currency"],
            "created_at": event["occurred_at"],
        }
    return None


def _checkout(event: dict[str, Any]) -> dict[str, Any]:
    customer = event.get("customer") or {}
    lines = [
        {
            "title": item["name"],
            "variant_title": None,
            "quantity": item["quantity"],
            "price": item["unit_price"],
            "sku": item["sku"],
            "variant_id": None,
            "product_id": None,
        }
        for item in event["items"]
    ]
    total = sum((Decimal(str(i["unit_price"])) * i["quantity"] for i in event["items"]), Decimal(0))
    payload: dict[str, Any] = {
        "token": event["cart_id"],
        "cart_token": f"{event['cart_id']}-cart",
        "email": customer.get("email"),
        "customer_locale": customer.get("locale"),
        "currency": event["currency"],
        "presentment_currency": event["currency"],
        "line_items": lines,
        "total_price": str(total),
        "abandoned_checkout_url": event["restore_url"],
        "created_at": event["occurred_at"],
        "updated_at": event["occurred_at"],
        "buyer_accepts_marketing": False,
    }
    if customer:
        payload["customer"] = {"email": customer.get("email"), "first_name": customer.get("first_name")}
    return payload
