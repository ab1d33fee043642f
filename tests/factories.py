"""Builders for shop events, as dicts (what a shop posts) or parsed models."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from relance.core.cart.events import ShopEvent
from relance.core.cart.state import Cart, apply_event, new_cart

_parse: TypeAdapter[ShopEvent] = TypeAdapter(ShopEvent)


def item(
    sku: str = "SKU-1", price: str = "40.00", quantity: int = 1, name: str | None = None
) -> dict[str, Any]:
    return {"sku": sku, "name": name or f"Article {sku}", "quantity": quantity, "unit_price": price}


def cart_updated(
    event_id: str,
    at: datetime,
    cart_id: str = "cart-1",
    *,
    items: list[dict[str, Any]] | None = None,
    email: str | None = "claire@example.fr",
    **customer: Any,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": event_id,
        "type": "cart_updated",
        "occurred_at": at.isoformat(),
        "cart_id": cart_id,
        "currency": "EUR",
        "restore_url": f"https://atelier-test.example/cart/{cart_id}",
        "items": items if items is not None else [item()],
    }
    if email or customer:
        event["customer"] = {**({"email": email} if email else {}), **customer}
    return event


def order_placed(
    event_id: str, at: datetime, cart_id: str = "cart-1", amount: str = "40.00"
) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "order_placed",
        "occurred_at": at.isoformat(),
        "cart_id": cart_id,
        "order_id": f"order-{event_id}",
        "amount": amount,
        "currency": "EUR",
    }


def simple(kind: str, event_id: str, at: datetime, cart_id: str = "cart-1") -> dict[str, Any]:
    return {"id": event_id, "type": kind, "occurred_at": at.isoformat(), "cart_id": cart_id}


def parsed(event: dict[str, Any]) -> ShopEvent:
    return _parse.validate_python(event)


def static_incentive(once_per_days: int) -> dict[str, Any]:
    """A policy's incentive part: a static code, at most once per ``once_per_days``."""
    return {"enabled": True, "once_per_days": once_per_days, "source": "static", "static_code": "MERCI"}


# Two steps 30 and 90 minutes apart, a cap that never bites, an incentive every 5 days:
# the policy where whole sequences of several carts fit in a short history.
FAST_INCENTIVE_POLICY: dict[str, Any] = {
    "delays_minutes": (30, 90),
    "pressure_cap": {"max_emails": 20},
    "incentive": static_incentive(5),
}


def realistic_cart(at: datetime, cart_id: str = "cart-1") -> Cart:
    """A cart as a storefront fills it: 3 lines with pictures and product pages, 10 updates."""
    lines = [
        {"sku": f"TSHIRT-ORGANIC-{k:03d}-M", "name": f"T-shirt en coton bio, coloris n° {k}, taille M",
         "quantity": 1 + k, "unit_price": "24.50", "category": "Vêtements > Hauts",
         "image_url": f"https://cdn.atelier-test.example/products/tshirt-organic-{k:03d}-m/front-800x800.jpg",
         "product_url": f"https://atelier-test.example/products/t-shirt-coton-bio-{k}?variant=M"}
        for k in range(3)
    ]  # fmt: skip
    events = [cart_updated(f"evt-{n:02d}-0f1e2d3c4b5a6978", at + timedelta(minutes=n), cart_id, items=lines,
                           first_name="Claire") for n in range(10)]  # fmt: skip
    cart = new_cart("atelier-test", parsed(events[0]))
    for event in events:
        cart = apply_event(cart, parsed(event)) or cart
    return cart
