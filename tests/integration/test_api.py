"""The api function against moto: authentication, validation, idempotence, first timer."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from relance.core.cart.batch import MAX_EVENTS_PER_REQUEST
from relance.core.cart.state import Cart
from relance.services.shops import register
from relance.telemetry import Metric
from tests.conftest import T0, World, demo_shop, load_event
from tests.factories import cart_updated, item, order_placed
from tests.published import Printed

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


def stored(world: World, cart_id: str = "cart-1") -> Cart | None:
    return world.adapters.carts.get(world.shop.shop_id, cart_id)


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_cart_event_is_stored_and_arms_one_step_one_timer(world: World) -> None:
    status, body = world.post([load_event("cart_updated.json")])
    assert status == 202
    assert body == {"accepted": [{"index": 0, "id": "evt-cart-1", "outcome": "applied"}], "rejected": []}
    cart = stored(world)
    assert cart is not None and len(cart.items) == 2 and str(cart.total) == "138.80"
    (schedule,) = world.schedules()
    assert schedule["ScheduleExpression"] == "at(2026-11-02T12:00:00)"  # 09:00 + 3 h
    assert schedule["ActionAfterCompletion"] == "DELETE"
    target = schedule["Target"]
    assert json.loads(target["Input"]) | {"due_at": None} == {
        "shop_id": "atelier-test",
        "cart_id": "cart-1",
        "step": 1,
        "due_at": None,
    }
    assert target["Arn"] == world.adapters.settings.REMINDER_FUNCTION_ARN
    assert target["DeadLetterConfig"]["Arn"] == world.adapters.settings.TIMER_DLQ_ARN
    assert target["RetryPolicy"]["MaximumRetryAttempts"] > 0


def test_later_updates_do_not_call_the_scheduler_again(world: World) -> None:
    world.post([cart_updated("e1", T0)])
    world.clock.advance(minutes=30)
    world.post([cart_updated("e2", T0 + timedelta(minutes=30), items=[item(), item("B")])])
    assert len(world.schedules()) == 1
    cart = stored(world)
    assert cart is not None and len(cart.items) == 2


def test_a_cart_without_email_waits_for_the_customer_to_be_identified(world: World) -> None:
    world.post([cart_updated("e1", T0, email=None)])
    assert world.schedules() == []
    identified = {
        "id": "c1",
        "type": "customer_identified",
        "occurred_at": T0.isoformat(),
        "cart_id": "cart-1",
        "customer": {"email": "later@example.fr"},
    }
    world.post([identified])
    assert len(world.schedules()) == 1


def test_duplicated_events_are_applied_once(world: World) -> None:
    event = cart_updated("e1", T0)
    world.post([event])
    version = stored(world).version  # type: ignore[union-attr]
    status, body = world.post([event, event])
    assert status == 202
    assert [a["outcome"] for a in body["accepted"]] == ["duplicate", "duplicate"]
    assert stored(world).version == version  # type: ignore[union-attr]
    assert len(world.schedules()) == 1


def test_an_order_that_arrives_before_the_last_update_still_stops_the_cart(world: World) -> None:
    world.post([cart_updated("e1", T0)])
    world.post([order_placed("o1", T0 + timedelta(hours=2))])
    world.post([cart_updated("e2", T0 + timedelta(hours=1))])
    cart = stored(world)
    assert cart is not None and cart.status == "ordered"


def test_an_invalid_event_gets_422_naming_the_field_and_changes_nothing(world: World) -> None:
    world.post([cart_updated("e1", T0)])
    before = stored(world)
    bad = cart_updated("e2", T0 + timedelta(hours=1), items=[{**item(), "unit_price": "abc"}])
    status, body = world.post([bad])
    assert status == 422
    assert body["accepted"] == []
    (rejected,) = body["rejected"]
    assert rejected["id"] == "e2"
    assert rejected["errors"][0]["field"] == "events[0].items[0].unit_price"
    assert rejected["errors"][0]["reason"]
    assert stored(world) == before


def test_valid_events_of_a_batch_are_kept_when_another_is_refused(world: World) -> None:
    bad = {**cart_updated("e2", T0, "cart-2"), "currency": "XXQ"}
    status, body = world.post([cart_updated("e1", T0), bad])
    assert status == 422
    assert [a["id"] for a in body["accepted"]] == ["e1"]
    assert stored(world) is not None and stored(world, "cart-2") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({}, "events"),
        ({"events": []}, "events"),
        ({"events": {"id": 1}}, "events"),
        ({"events": "all"}, "events"),
        ({"events": [cart_updated("e", T0)] * (MAX_EVENTS_PER_REQUEST + 1)}, "events"),
        ({"events": [cart_updated("e", T0)], "shop": "x"}, "shop"),
    ],
)
def test_a_body_that_is_not_a_batch_is_refused_whole(world: World, body: object, field: str) -> None:
    status, text = world.request("POST", "/v1/events", json.dumps(body).encode())
    answer = json.loads(text)
    assert status == 422 and answer["error"] == "invalid_request", answer
    assert answer["errors"][0]["field"] == field
    assert stored(world, "cart-1") is None


def test_a_body_that_is_not_json_gets_a_400_naming_the_body(world: World) -> None:
    status, text = world.request("POST", "/v1/events", b"{not json")
    assert status == 400 and json.loads(text)["errors"][0]["field"] == "body"


def test_an_unsigned_request_gets_401_even_when_its_body_is_invalid(world: World) -> None:
    """Validation runs before the signed() middleware: the schema must not answer strangers."""
    for raw in (b"{not json", b"[]", b"\xff"):
        response = world.invoke("api", world.api_event(raw, secret="not-the-secret"))
        assert response["statusCode"] == 401, (raw, response)
        assert json.loads(response["body"])["error"] == "unauthorized"


@pytest.mark.parametrize(
    "credentials",
    [
        {"secret": "not-the-secret"},
        {"shop_id": "no-such-shop"},
        {"shop_id": "Bad Shop!"},
        {"timestamp": int(T0.timestamp()) - 3600},
    ],
)
def test_wrong_credentials_get_401_and_store_nothing(world: World, credentials: dict[str, Any]) -> None:
    status, body = world.post([cart_updated("e1", T0)], **credentials)
    assert status == 401 and body["error"] == "unauthorized"
    assert stored(world) is None and world.schedules() == []


def test_a_shop_cannot_touch_another_shops_cart(world: World) -> None:
    other = demo_shop("autre-boutique")
    other_secret = register(world.adapters, other)
    world.post([cart_updated("e1", T0)])
    world.post([order_placed("o1", T0)], shop_id="autre-boutique", secret=other_secret)
    mine = stored(world)
    assert mine is not None and mine.status == "active"
    theirs = world.adapters.carts.get("autre-boutique", "cart-1")
    assert theirs is not None and theirs.status == "ordered"


def test_a_suspended_shop_gets_403(world: World) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"status": "suspended"}))
    status, body = world.post([cart_updated("e1", T0)])
    assert status == 403 and body["error"] == "forbidden"
    assert stored(world) is None


def test_metrics_are_summed_over_shops_and_the_logs_name_the_shop(world: World, published: Printed) -> None:
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    metrics, logs, output = published()
    per_shop = [m for m in metrics if ["shop", "service"] in m["_aws"]["CloudWatchMetrics"][0]["Dimensions"]]
    assert [(m["shop"], m["EventsAccepted"]) for m in per_shop] == [("atelier-test", [1.0])]
    assert [m["Name"] for m in per_shop[0]["_aws"]["CloudWatchMetrics"][0]["Metrics"]] == ["EventsAccepted"]
    summed = [m for m in metrics if m not in per_shop]
    assert {str(m["_aws"]["CloudWatchMetrics"][0]["Dimensions"]) for m in summed} == {"[['service']]"}
    api = next(m for m in summed if m["service"] == "api")
    assert api["shop"] == "atelier-test"  # a property of the line: searchable, never a series
    assert api["EventsAccepted"] == [1.0] and api["TimersArmed"] == [1.0]
    assert any(m.get("RemindersSent") == [1.0] and m["shop"] == "atelier-test" for m in summed)
    applied = next(line for line in logs if line["message"] == "events applied")
    assert (applied["shop"], applied["accepted"], applied["timers_armed"]) == ("atelier-test", 1, 1)
    step = next(line for line in logs if line["message"] == "reminder step done")
    assert (step["shop"], step["step"], step["action"]) == ("atelier-test", 1, "sent")
    assert "claire@example.fr" not in output


def test_a_rejected_event_counts_under_one_name_and_its_fields_go_to_the_log(
    world: World, published: Printed
) -> None:
    good = load_event("cart_updated.json")
    odd = {f"odd_field_{n}": n for n in range(100)}  # once made 100 billed metrics, one per name
    world.post([{**good, "id": "bad-1", "currency": "euro"}, {**good, "id": "bad-2", **odd}])
    metrics, logs, _ = published()
    api = next(m for m in metrics if m["service"] == "api" and "EventsRejected" in m)
    assert api["EventsRejected"] == [2.0]
    names = {n["Name"] for m in metrics for n in m["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert names <= {metric.value for metric in Metric} and not any("odd" in name for name in names)
    rejected = next(line for line in logs if line["message"] == "events rejected")
    assert rejected["shop"] == "atelier-test" and rejected["rejected"] == 2
    assert "events[0].currency" in rejected["fields"] and "events[1].odd_field_0" in rejected["fields"]
