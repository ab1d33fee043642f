"""How a cart is stored: packed to stay within one write unit, read back whatever its age."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from relance.adapters.carts import _cart_key
from relance.core.cart.state import Cart, apply_event, new_cart
from tests.capacity import item_size
from tests.conftest import T0, World
from tests.factories import cart_updated, parsed

pytestmark = pytest.mark.integration


def _realistic_cart(cart_id: str = "cart-1") -> Cart:
    lines = [
        {"sku": f"TSHIRT-ORGANIC-{k:03d}-M", "name": f"T-shirt en coton bio, coloris n° {k}, taille M",
         "quantity": 1 + k, "unit_price": "24.50", "category": "Vêtements > Hauts",
         "image_url": f"https://cdn.atelier-test.example/products/tshirt-organic-{k:03d}-m/front-800x800.jpg",
         "product_url": f"https://atelier-test.example/products/t-shirt-coton-bio-{k}?variant=M"}
        for k in range(3)
    ]  # fmt: skip
    events = [cart_updated(f"evt-{n:02d}-0f1e2d3c4b5a6978", T0 + timedelta(minutes=n), cart_id, items=lines,
                           first_name="Claire") for n in range(10)]  # fmt: skip
    cart = new_cart("atelier-test", parsed(events[0]))
    for event in events:
        cart = apply_event(cart, parsed(event)) or cart
    return cart


def _stored_item(world: World, cart_id: str) -> dict[str, Any]:
    table = world.session.resource("dynamodb").Table(world.adapters.settings.TABLE_NAME)
    item: dict[str, Any] = table.get_item(Key=_cart_key("atelier-test", cart_id))["Item"]
    return item


def test_a_realistic_cart_is_stored_in_less_than_one_write_unit(world: World) -> None:
    cart = _realistic_cart()
    world.adapters.carts.save(cart, retention_days=90)
    item = _stored_item(world, "cart-1")
    size = item_size(item)  # as DynamoDB counts it
    assert len(cart.model_dump_json()) > 1500 and size <= 1024
    assert world.adapters.carts.get("atelier-test", "cart-1") == cart.model_copy(update={"version": 1})


def test_a_cart_stored_as_text_before_packing_reads_back(world: World) -> None:
    cart = _realistic_cart("old-cart")
    world.adapters.carts.save(cart, retention_days=90)
    table = world.session.resource("dynamodb").Table(world.adapters.settings.TABLE_NAME)
    item = _stored_item(world, "old-cart")
    del item["docz"]
    table.put_item(Item={**item, "doc": cart.model_copy(update={"version": 1}).model_dump_json()})
    assert world.adapters.carts.get("atelier-test", "old-cart") == cart.model_copy(update={"version": 1})
    assert [c.cart_id for c in world.adapters.carts.carts_of_day("atelier-test", cart.cohort_day)] == [
        "old-cart"
    ]


def test_a_day_of_more_carts_than_one_batch_read_comes_back_whole(world: World) -> None:
    for n in range(130):
        cart = new_cart("atelier-test", parsed(cart_updated(f"e{n}", T0, f"cart-{n:03d}")))
        world.adapters.carts.save(
            apply_event(cart, parsed(cart_updated(f"e{n}", T0, f"cart-{n:03d}"))) or cart, 90
        )
    read = sorted(c.cart_id for c in world.adapters.carts.carts_of_day("atelier-test", T0.date()))
    assert read == [f"cart-{n:03d}" for n in range(130)]
