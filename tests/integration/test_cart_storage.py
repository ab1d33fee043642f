"""How a cart is stored: packed to stay within one write unit, read back whatever its age."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import pytest

from relance.adapters.carts import _cart_key
from relance.core.cart.state import apply_event, new_cart
from tests.capacity import item_size
from tests.conftest import T0, World
from tests.factories import cart_updated, parsed, realistic_cart

pytestmark = pytest.mark.integration


def _stored_item(world: World, cart_id: str) -> dict[str, Any]:
    table = world.session.resource("dynamodb").Table(world.adapters.settings.TABLE_NAME)
    item: dict[str, Any] = table.get_item(Key=_cart_key("atelier-test", cart_id))["Item"]
    return item


def test_a_realistic_cart_is_stored_in_less_than_one_write_unit(world: World) -> None:
    cart = realistic_cart(T0)
    world.adapters.carts.save(cart, retention_days=90)
    item = _stored_item(world, "cart-1")
    size = item_size(item)  # as DynamoDB counts it
    assert len(cart.model_dump_json()) > 1500 and size <= 1024
    assert world.adapters.carts.get("atelier-test", "cart-1") == cart.model_copy(update={"version": 1})


STORED_BEFORE = {
    "as text, before packing": lambda document: {"doc": document},
    "packed without the dictionary": lambda document: {"docz": zlib.compress(document.encode())},
}


@pytest.mark.parametrize("stored_as", STORED_BEFORE.values(), ids=list(STORED_BEFORE))
def test_a_cart_stored_by_an_earlier_version_reads_back(
    world: World, stored_as: Callable[[str], dict[str, Any]]
) -> None:
    cart = realistic_cart(T0, "old-cart")
    world.adapters.carts.save(cart, retention_days=90)
    table = world.session.resource("dynamodb").Table(world.adapters.settings.TABLE_NAME)
    item = _stored_item(world, "old-cart")
    del item["docz"]
    saved = cart.model_copy(update={"version": 1})
    table.put_item(Item={**item, **stored_as(saved.model_dump_json(exclude_defaults=True))})
    assert world.adapters.carts.get("atelier-test", "old-cart") == saved
    assert [c.cart_id for c in world.adapters.carts.carts_of_day("atelier-test", cart.cohort_day)] == [
        "old-cart"
    ]
    reported = list(world.adapters.carts.reported_carts_of_day("atelier-test", cart.cohort_day))
    assert [(c.stored["cart_id"], c.total, len(c.stored.get("items") or ())) for c in reported] == [
        ("old-cart", cart.total, 3)
    ]


def test_a_day_of_more_carts_than_one_batch_read_comes_back_whole(world: World) -> None:
    for n in range(130):
        cart = new_cart("atelier-test", parsed(cart_updated(f"e{n}", T0, f"cart-{n:03d}")))
        world.adapters.carts.save(
            apply_event(cart, parsed(cart_updated(f"e{n}", T0, f"cart-{n:03d}"))) or cart, 90
        )
    read = sorted(c.cart_id for c in world.adapters.carts.carts_of_day("atelier-test", T0.date()))
    assert read == [f"cart-{n:03d}" for n in range(130)]
