"""Input no honest shop sends, answered with a 4xx that names the problem, storing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from relance.telemetry import Metric
from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("9999-12-31T23:59:59+00:00", "future"),
        ((T0 + timedelta(minutes=6)).isoformat(), "future"),
        ("1970-01-01T00:00:00+00:00", "after 2000"),
        ("0001-01-01T00:00:00+00:00", "after 2000"),
    ],
)
def test_an_implausible_event_time_is_refused_and_the_cart_untouched(
    world: World, when: str, reason: str
) -> None:
    event = {**cart_updated("e-odd", T0), "occurred_at": when}
    response = world.invoke("api", world.api_event({"events": [event]}))
    assert response["statusCode"] == 422
    assert world.adapters.carts.get("atelier-test", "cart-1") is None
    status, body = world.post([cart_updated("e-ok", T0)])
    assert status == 202 and body["accepted"][0]["outcome"] == "applied"
    refused = world.invoke("api", world.api_event({"events": [event]}))
    import json

    (error,) = json.loads(refused["body"])["rejected"][0]["errors"]
    assert error["field"] == "events[0].occurred_at" and reason in error["reason"]


def test_a_slightly_early_clock_is_tolerated(world: World) -> None:
    event = {**cart_updated("e1", T0), "occurred_at": (T0 + timedelta(minutes=4)).isoformat()}
    assert world.invoke("api", world.api_event({"events": [event]}))["statusCode"] == 202


def test_an_unknown_field_of_any_length_is_a_422_and_counted_under_the_fixed_names(world: World) -> None:
    from functions.api import handler

    captured: list[str] = []
    original = handler.metrics.add_metric

    def spy(name: str, **kwargs: Any) -> None:
        captured.append(name)
        original(name=name, **kwargs)

    handler.metrics.add_metric = spy  # type: ignore[method-assign,assignment]
    try:
        event = {**cart_updated("e1", T0), "k" * 300: 1}
        response = world.invoke("api", world.api_event({"events": [event]}))
    finally:
        handler.metrics.add_metric = original  # type: ignore[method-assign]
    assert response["statusCode"] == 422
    assert "EventsRejected" in captured and set(captured) <= {metric.value for metric in Metric}


@pytest.mark.parametrize("body", [b"\xff\xfe", b'{"events": [' * 50_000, b'{"events": "\xc3\x28"}'])
def test_bodies_that_are_not_json_get_a_400(world: World, body: bytes) -> None:
    status, text = world.request("POST", "/v1/events", body)
    assert status == 400 and "invalid_json" in text


def test_an_expired_cart_that_ttl_has_not_deleted_yet_behaves_as_absent(world: World) -> None:
    world.post([cart_updated("e-old", T0)])
    world.clock.advance(days=91)  # past the 90-day retention; DynamoDB TTL deletes up to ~48 h late
    assert world.adapters.carts.get("atelier-test", "cart-1") is None
    status, body = world.post([cart_updated("e-new", world.clock.now)])
    assert status == 202 and body["accepted"][0]["outcome"] == "applied"
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is not None  # a new sequence, on the new cart


def test_a_backfilled_event_older_than_a_week_is_stored_but_starts_no_sequence(world: World) -> None:
    world.clock.advance(days=10)
    status, _ = world.post([cart_updated("e-backfill", T0)])
    assert status == 202
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is None and world.schedules() == []
