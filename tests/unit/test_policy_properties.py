"""Property tests: over random histories of events and timer fires (duplicated, late, out of
order), the policy never emails after an order, never twice for a step, steps in order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.core.cart import Cart, Reminder, apply_event, new_cart
from relance.core.decisions import Send, decide
from relance.core.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated, item, order_placed, parsed, simple

pytestmark = pytest.mark.unit

minutes = st.integers(min_value=0, max_value=8 * 24 * 60)
event_kinds = st.sampled_from(["update", "update", "order", "emptied", "checkout", "identified"])
shop_events = st.tuples(event_kinds, minutes, st.integers(min_value=0, max_value=5))
fires = st.tuples(st.just("fire"), minutes, st.integers(min_value=1, max_value=4))
histories = st.lists(st.one_of(shop_events, fires), min_size=1, max_size=30)
policies = st.sampled_from(
    [ShopPolicy(), ShopPolicy(delay_preset="agency"), ShopPolicy(delays_minutes=(30, 90))]
)


def event_for(kind: str, at_minute: int, n: int) -> dict:
    at = T0 + timedelta(minutes=at_minute)
    event_id = f"{kind}-{n}"  # small id space: duplicates happen
    if kind == "update":
        return cart_updated(event_id, at, items=[item(price=f"{10 + n}.00")])
    if kind == "order":
        return order_placed(event_id, at)
    if kind == "emptied":
        return simple("cart_emptied", event_id, at)
    if kind == "checkout":
        return simple("checkout_started", event_id, at)
    return simple("customer_identified", event_id, at) | {"customer": {"email": "x@example.fr"}}


@settings(max_examples=400, deadline=None)
@given(histories, policies)
def test_never_after_an_order_never_twice_steps_in_order(history: list, policy: ShopPolicy) -> None:
    cart: Cart | None = None
    clock = T0
    ordered_seen = False
    for kind, at_minute, n in history:
        if kind == "fire":
            if cart is None:
                continue
            # Timers fire in real time order; events may carry any (late) timestamp.
            clock = max(clock, T0 + timedelta(minutes=at_minute))
            decision = decide(cart, policy, n, clock, suppressed=False)
            if isinstance(decision, Send):
                assert not ordered_seen and cart.order is None, "emailed after an order"
                assert cart.reminder(decision.step) is None, "same step twice"
                assert decision.step == cart.next_step <= policy.steps, "steps out of order"
                assert clock >= cart.abandoned_at + policy.delays[decision.step - 1] - timedelta(minutes=1)
                reminder = Reminder(
                    step=decision.step, variant=decision.variant, claimed_at=clock, message_id="m"
                )
                cart = cart.model_copy(update={"reminders": (*cart.reminders, reminder)})
            continue
        event = parsed(event_for(kind, at_minute, n))
        cart = apply_event(cart or new_cart("shop", event), event) or cart
        ordered_seen = ordered_seen or (cart is not None and cart.order is not None)
    if cart is not None:
        steps = [r.step for r in cart.reminders]
        assert steps == list(range(1, len(steps) + 1))
