"""A customer's erasure request: their carts and record go, their opt-out stays."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = pytest.mark.integration
H = timedelta(hours=1)


def erase(world: World, email: str) -> tuple[int, dict]:
    status, body = world.request("POST", "/v1/erase", json.dumps({"email": email}).encode())
    return status, json.loads(body)


def test_every_cart_of_the_address_is_erased_and_others_stay(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1"), cart_updated("b", T0 + H, "cart-2")])
    world.post([cart_updated("c", T0, "cart-3", email="paul@example.fr")])
    world.post([cart_updated("d", T0, "anonymous", email=None)])
    assert erase(world, "Claire@Example.fr") == (200, {"carts_erased": 2, "suppression_kept": False})
    carts = world.services.carts
    assert carts.get("atelier-test", "cart-1") is None and carts.get("atelier-test", "cart-2") is None
    assert carts.get("atelier-test", "cart-3") is not None
    assert carts.get("atelier-test", "anonymous") is not None
    assert world.services.contacts.state("atelier-test", "claire@example.fr").newest_cart_id is None
    world.clock.advance(hours=4)
    assert world.fire("cart-2", 1) == {"action": "stopped", "step": 1, "reason": "unknown_cart"}
    assert world.sent_messages() == []


def test_an_unsubscribed_customer_stays_unsubscribed_after_erasure(world: World) -> None:
    world.post([cart_updated("a", T0, "cart-1")])
    world.services.contacts.suppress("atelier-test", "claire@example.fr", "unsubscribed", T0)
    assert erase(world, "claire@example.fr") == (200, {"carts_erased": 1, "suppression_kept": True})
    world.post([cart_updated("b", T0 + 2 * H, "cart-9")])
    world.clock.advance(hours=6)
    assert world.fire("cart-9", 1)["reason"] == "unsubscribed"


def test_an_erasure_request_is_signed_and_validated(world: World) -> None:
    status, body = erase(world, "not-an-address")
    assert status == 422 and body["errors"][0]["field"] == "erase.email"
    event = world.api_event(b'{"email": "claire@example.fr"}', path="/v1/erase", secret="wrong")
    assert world.invoke("api", event)["statusCode"] == 401
