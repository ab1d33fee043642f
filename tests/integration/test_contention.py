"""Events racing on one cart: every one gets a 2xx (or a retry-safe 409), and the cart has
one schedule per step, armed only by the write that won."""

from __future__ import annotations

from typing import Any

import pytest

from relance.adapters.scheduler import TimerFired
from relance.core.cart.batch import parse_events
from relance.services.ingest import apply
from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = pytest.mark.integration


def test_a_write_that_loses_a_race_arms_no_timer(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    adapters, shop = world.adapters, world.shop
    carts = adapters.carts
    real_save = carts.save
    rivals = iter(range(1, 3))  # two rivals win first; the third attempt is ours

    def save_after_a_rival(cart: Any, retention_days: int) -> Any:
        number = next(rivals, None)
        if number is not None:  # another request writes this cart first, with a newer event
            monkeypatch.setattr(carts, "save", real_save)
            rival = cart_updated(f"rival-{number}", T0.replace(minute=number), "cart-1")
            apply(adapters, shop, 0, parse_events([rival], T0.replace(hour=23)).events[0][1])
            monkeypatch.setattr(carts, "save", save_after_a_rival)
        return real_save(cart, retention_days)

    monkeypatch.setattr(carts, "save", save_after_a_rival)
    world.clock.now = T0.replace(hour=10)
    status, body = world.post([cart_updated("mine", T0, "cart-1")])
    assert status == 202 and body["accepted"][0]["outcome"] == "applied"
    schedules = world.schedules()
    assert len(schedules) == 1, [s["Name"] for s in schedules]
    cart = adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.timer is not None
    payload = TimerFired.model_validate_json(schedules[0]["Target"]["Input"])
    assert payload.due_at == cart.timer.due_at  # the schedule the stored cart names
