"""A customer's erasure request: their carts and record go, their opt-out stays."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
H = timedelta(hours=1)


def erase(world: World, email: str) -> tuple[int, dict[str, Any]]:
    status, body = world.request("POST", "/v1/erase", json.dumps({"email": email}).encode())
    return status, json.loads(body)


def test_every_cart_of_the_address_is_erased_and_others_stay(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1"), cart_updated("b", T0 + H, "cart-2")])
    world.post([cart_updated("c", T0, "cart-3", email="paul@example.fr")])
    world.post([cart_updated("d", T0, "anonymous", email=None)])
    assert erase(world, "Claire@Example.fr") == (200, {"carts_erased": 2, "suppression_kept": False})
    carts = world.adapters.carts
    assert carts.get("atelier-test", "cart-1") is None and carts.get("atelier-test", "cart-2") is None
    assert carts.get("atelier-test", "cart-3") is not None
    assert carts.get("atelier-test", "anonymous") is not None
    assert world.adapters.contacts.state("atelier-test", "claire@example.fr").newest_cart_id is None
    world.clock.advance(hours=4)
    assert world.fire("cart-2", 1) == {"action": "stopped", "step": 1, "reason": "unknown_cart"}
    assert world.sent_messages() == []


def test_an_unsubscribed_customer_stays_unsubscribed_after_erasure(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.adapters.contacts.suppress("atelier-test", "claire@example.fr", "unsubscribed", T0)
    assert erase(world, "claire@example.fr") == (200, {"carts_erased": 1, "suppression_kept": True})
    world.post([cart_updated("b", T0 + 2 * H, "cart-9")])
    world.clock.advance(hours=6)
    assert world.fire("cart-9", 1)["reason"] == "unsubscribed"


def test_an_erasure_request_is_signed_and_validated(world: World) -> None:
    status, body = erase(world, "not-an-address")
    assert status == 422 and body["errors"][0]["field"] == "email"
    event = world.api_event(b'{"email": "claire@example.fr"}', path="/v1/erase", secret="wrong")
    assert world.invoke("api", event)["statusCode"] == 401


def test_erasure_works_for_a_suspended_shop(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.adapters.shops.put(world.shop.model_copy(update={"status": "suspended"}))
    assert world.post([cart_updated("b", T0 + H, "cart-2")])[0] == 403  # events: refused
    assert erase(world, "claire@example.fr")[0] == 200  # the customer's right: honoured
    assert world.adapters.carts.get("atelier-test", "cart-1") is None


def test_erasure_removes_every_item_naming_the_customers_carts(world: World) -> None:
    checkout = {"id": "co", "type": "checkout_started", "occurred_at": (T0 + H).isoformat(),
                "cart_id": "cart-1", "checkout_token": "tok-123"}  # fmt: skip
    world.post([cart_updated("a", T0, "cart-1"), checkout])
    world.clock.advance(hours=4)
    assert world.fire("cart-1", 1)["action"] == "sent"
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.checkout_tokens == ("tok-123",)
    message_id = str(cart.reminder(1).message_id)  # type: ignore[union-attr]
    assert world.adapters.messages.find(message_id) is not None
    erase(world, "claire@example.fr")
    assert world.adapters.checkouts.cart_of("atelier-test", "tok-123", world.clock()) is None
    assert world.adapters.messages.find(message_id) is None


def test_an_event_from_before_the_erasure_resent_does_not_bring_the_data_back(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.clock.advance(hours=1)
    erase(world, "claire@example.fr")
    status, body = world.post([cart_updated("a", T0, "cart-1")])  # the shop replays its webhook
    assert status == 202 and body["accepted"][0]["outcome"] == "erased"
    assert world.adapters.carts.get("atelier-test", "cart-1") is None
    later = world.clock.advance(hours=1)  # the customer comes back afterwards: a new cart, stored
    assert world.post([cart_updated("b", later, "cart-9")])[1]["accepted"][0]["outcome"] == "applied"
