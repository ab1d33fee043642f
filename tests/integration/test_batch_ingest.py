"""A batch of events: every cart read at once, one write per cart, carts worked on concurrently,
and the promises of one event at a time kept (services/ingest_batch.py)."""

from __future__ import annotations

import contextvars
import threading
import time
from datetime import timedelta

import pytest

from relance.core.shop import Shop
from relance.services import ingest_batch
from relance.services.parallel import each
from relance.services.shops import register
from tests.conftest import T0, World, demo_shop
from tests.factories import cart_updated, item, order_placed, simple
from tests.faults.injector import Calls, inject
from tests.faults.platform import Platform
from tests.faults.test_fault_injection import READS

pytestmark = pytest.mark.integration
H = timedelta(hours=1)


def test_several_events_of_one_cart_are_one_write_and_each_gets_its_outcome(world: World) -> None:
    events = [
        cart_updated(f"e{n}", T0 + n * timedelta(minutes=1), items=[item(quantity=n + 1)]) for n in range(3)
    ]
    status, body = world.post([*events, events[1]])  # the last one: a resend within the batch
    assert status == 202
    assert [a["outcome"] for a in body["accepted"]] == ["applied", "applied", "applied", "duplicate"]
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.version == 1 and cart.items[0].quantity == 3 and cart.events_applied == 3
    assert len(world.schedules()) == 1


def test_a_batch_of_new_carts_stores_and_arms_each_once_in_the_order_sent(world: World) -> None:
    events = [cart_updated(f"e{n}", T0, f"cart-{n:02d}", email=f"c{n}@example.fr") for n in range(30)]
    status, body = world.post(events)
    assert status == 202 and [a["id"] for a in body["accepted"]] == [f"e{n}" for n in range(30)]
    carts = world.adapters.carts.get_many("atelier-test", [f"cart-{n:02d}" for n in range(30)])
    assert len(carts) == 30 and all(c.timer is not None and c.version == 1 for c in carts.values())
    assert len(world.schedules()) == 30
    assert world.post(events)[1]["accepted"] == [{**a, "outcome": "duplicate"} for a in body["accepted"]]
    assert len(world.schedules()) == 30


def test_an_order_in_the_same_batch_closes_its_cart_and_arms_nothing(world: World) -> None:
    status, body = world.post([cart_updated("u1", T0), order_placed("o1", T0 + 10 * timedelta(minutes=1))])
    assert status == 202 and [a["outcome"] for a in body["accepted"]] == ["applied", "applied"]
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.status == "ordered" and cart.version == 1 and world.schedules() == []


def test_an_order_naming_a_checkout_in_a_batch_finds_its_cart(world: World) -> None:
    checkout = simple("checkout_started", "chk", T0, "cart-1") | {"checkout_token": "chk-77"}
    order = order_placed("o1", T0 + H, "shopify-order-1") | {"checkout_token": "chk-77"}
    other = cart_updated("u2", T0, "cart-2", email="autre@example.fr")
    assert world.post([cart_updated("u1", T0), checkout, other, order])[0] == 202
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.status == "ordered"
    assert world.adapters.carts.get("atelier-test", "shopify-order-1") is None


def test_an_event_of_an_erased_customer_in_a_batch_is_not_stored(world: World) -> None:
    world.post([cart_updated("u1", T0, "cart-1")])
    world.clock.advance(minutes=5)
    assert world.request("POST", "/v1/erase", {"email": "claire@example.fr"})[0] == 200
    status, body = world.post([cart_updated("u2", T0 + timedelta(minutes=1), "cart-1"),
                               cart_updated("u3", T0, "cart-3", email="autre@example.fr")])  # fmt: skip
    assert status == 202 and [a["outcome"] for a in body["accepted"]] == ["erased", "applied"]
    assert world.adapters.carts.get("atelier-test", "cart-1") is None


def _platform(world: World, number: int) -> Platform:
    shop: Shop = demo_shop(f"batch-shop-{number}")
    return Platform(world, shop.shop_id, register(world.adapters, shop))


@pytest.mark.parametrize("fault", ["throttle", "lost_reply"])
def test_any_call_of_a_batch_failing_once_leaves_every_cart_stored_and_armed_once(
    world: World, fault: str
) -> None:
    """Each AWS call of a three-cart batch failed in turn (throttled; or, for a write, done
    but its answer lost); the shop resends what got a 5xx. Every cart ends stored with one
    timer, whichever call failed and whatever the workers were doing meanwhile."""
    batch = [cart_updated(f"e{n}", T0, f"cart-{n}", email=f"c{n}@example.fr") for n in range(3)]
    clean = Calls()
    with inject(clean):
        assert _platform(world, 0).post(batch) == 202
    calls = (
        clean.seen
        if fault == "throttle"
        else [c for c in clean.seen if not c.split(".")[1].startswith(READS)]
    )
    assert len(calls) >= 10
    for number, fail_at in enumerate(n for n, call in enumerate(clean.seen) if call in calls):
        platform = _platform(world, number + 1)
        with inject(Calls(fail_at=fail_at, fault=fault)) as injected:
            status = platform.post(batch)
        assert status == 202 and injected.injected, fail_at
        carts = world.adapters.carts.get_many(platform.shop_id, [f"cart-{n}" for n in range(3)])
        assert len(carts) == 3 and all(c.timer is not None for c in carts.values()), injected.injected
        mine = [s for s in world.schedules() if platform.shop_id in s["Target"]["Input"]]
        assert len(mine) == 3, injected.injected


def test_work_runs_concurrently_in_the_callers_context_and_fails_as_a_whole() -> None:
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="none")
    marker.set("caller")
    threads: set[str] = set()

    def slow(n: int) -> str:
        threads.add(threading.current_thread().name)
        time.sleep(0.05)
        return f"{n}:{marker.get()}"

    started = time.perf_counter()
    assert each(slow, list(range(8)), workers=8) == [f"{n}:caller" for n in range(8)]
    assert time.perf_counter() - started < 0.3 and len(threads) > 1
    done: list[int] = []

    def failing(n: int) -> int:
        time.sleep(0.01 * n)
        done.append(n)
        if n in (1, 2):
            raise ValueError(n)
        return n

    with pytest.raises(ValueError, match="1"):
        each(failing, list(range(4)), workers=4)
    assert sorted(done) == [0, 1, 2, 3]  # every piece ran before the failure was raised
    assert ingest_batch.WORKERS > 1


def test_each_client_keeps_a_connection_open_for_every_worker() -> None:
    from relance.aws_clients import CLIENT_CONFIG, POOL_CONNECTIONS

    assert getattr(CLIENT_CONFIG, "max_pool_connections", None) == POOL_CONNECTIONS >= ingest_batch.WORKERS
