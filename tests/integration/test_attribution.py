"""Attribution fallback: a customer emailed about one cart orders through another."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import T0, World
from tests.factories import cart_updated, order_placed, simple

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


def emailed_cart(world: World) -> None:
    world.post([cart_updated("a1", T0, "phone-cart", email="claire@example.fr")])
    world.clock.advance(hours=3)
    assert world.fire("phone-cart", 1)["action"] == "sent"


def test_an_order_through_another_cart_is_credited_to_the_emailed_one_and_stops_it(world: World) -> None:
    emailed_cart(world)
    world.clock.advance(hours=5)
    world.post([cart_updated("b1", world.clock(), "laptop-cart", email="Claire@Example.fr")])
    world.post([order_placed("b-order", world.clock() + timedelta(minutes=5), "laptop-cart", amount="40.00")])

    emailed = world.adapters.carts.get("atelier-test", "phone-cart")
    assert emailed is not None and emailed.status == "ordered"
    assert emailed.order is not None and emailed.order.via == "customer"
    assert emailed.order.credited_step == 1 and emailed.order.recovered
    laptop = world.adapters.carts.get("atelier-test", "laptop-cart")
    assert laptop is not None and laptop.order is not None
    assert laptop.order.credited_elsewhere == "phone-cart" and not laptop.order.recovered

    world.clock.advance(hours=20)
    assert world.fire("phone-cart", 2)["reason"] == "ordered"  # no email after the purchase
    assert len(world.sent_messages()) == 1


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_the_order_is_counted_once_in_the_report(world: World) -> None:
    emailed_cart(world)
    world.clock.advance(hours=5)
    world.post([cart_updated("b1", world.clock(), "laptop-cart", email="claire@example.fr")])
    world.clock.advance(hours=4)  # the laptop cart is abandoned too, then bought
    world.post([order_placed("b-order", world.clock(), "laptop-cart", amount="40.00")])
    world.post([order_placed("b-order", world.clock(), "laptop-cart", amount="40.00")])  # resent
    keys = world.invoke("report", {"shop_id": "atelier-test", "from": "2026-11-02", "to": "2026-11-02"})[
        "written"
    ]
    body = world.session.client("s3").get_object(Bucket=world.adapters.settings.REPORTS_BUCKET, Key=keys[0])
    header, row = body["Body"].read().decode().splitlines()
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert (values["recovered_orders"], values["recovered_revenue"], values["natural_orders"]) == (
        "1",
        "40.00",
        "0",
    )


def test_an_order_after_the_attribution_window_is_a_natural_return(world: World) -> None:
    emailed_cart(world)
    world.clock.advance(days=8)
    world.post([cart_updated("b1", world.clock(), "laptop-cart", email="claire@example.fr")])
    world.post([order_placed("b-order", world.clock(), "laptop-cart")])
    emailed = world.adapters.carts.get("atelier-test", "phone-cart")
    assert emailed is not None and emailed.order is None
    laptop = world.adapters.carts.get("atelier-test", "laptop-cart")
    assert laptop is not None and laptop.order is not None and laptop.order.credited_elsewhere is None


def test_another_shops_customer_with_the_same_address_is_not_touched(world: World) -> None:
    from relance.services.shops import register
    from tests.conftest import demo_shop

    emailed_cart(world)
    other_secret = register(world.adapters, demo_shop("autre-boutique"))
    world.clock.advance(hours=1)
    other = {"shop_id": "autre-boutique", "secret": other_secret}
    world.post([cart_updated("x1", world.clock(), "x-cart", email="claire@example.fr")], **other)
    world.post([order_placed("x-order", world.clock(), "x-cart")], **other)
    emailed = world.adapters.carts.get("atelier-test", "phone-cart")
    assert emailed is not None and emailed.status == "active" and emailed.order is None


@pytest.mark.parametrize("names_checkout", ["as cart_id", "as checkout_token"])
def test_an_order_that_names_the_checkout_is_credited_to_its_cart(world: World, names_checkout: str) -> None:
    world.post([cart_updated("u1", T0, "cart-1")])
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"
    checkout = simple("checkout_started", "chk", world.clock(), "cart-1") | {"checkout_token": "chk-77"}
    assert world.post([checkout])[0] == 202
    order = order_placed("o1", world.clock() + timedelta(minutes=20), "cart-1", amount="40.00")
    if names_checkout == "as cart_id":
        order["cart_id"] = "chk-77"
    else:
        order |= {"cart_id": "shopify-order-9912", "checkout_token": "chk-77"}
    assert world.post([order])[0] == 202
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.order is not None and cart.order.recovered
    assert cart.order.via == "cart"
    assert world.adapters.carts.get("atelier-test", order["cart_id"]) is None, "no stray cart for the token"


def test_a_holdout_customers_order_through_another_cart_is_their_groups_natural_return(world: World) -> None:
    from decimal import Decimal

    from relance.core.sequence.assignment import in_holdout
    from relance.core.sequence.policy import ShopPolicy

    world.adapters.shops.put(
        world.shop.model_copy(update={"policy": ShopPolicy(holdout_percent=Decimal(50))})
    )
    held = next(
        f"h{n}@example.fr" for n in range(100) if in_holdout("atelier-test", f"h{n}@example.fr", Decimal(50))
    )
    world.post([cart_updated("a1", T0, "phone-cart", email=held)])
    world.clock.advance(hours=3)
    assert world.fire("phone-cart", 1) == {"action": "held", "step": 1, "reason": "holdout"}
    world.post([cart_updated("b1", world.clock(), "laptop-cart", email=held)])
    status, _ = world.post([order_placed("b-order", world.clock() + timedelta(minutes=5), "laptop-cart")])
    assert status == 202
    phone = world.adapters.carts.get("atelier-test", "phone-cart")
    assert phone is not None and phone.order is not None
    assert phone.order.via == "customer" and phone.order.holdout and not phone.order.recovered
    assert world.sent_messages() == []
