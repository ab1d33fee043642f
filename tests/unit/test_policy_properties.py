"""Property tests: over random histories of events and timer fires for one customer's carts
(duplicated, late, out of order), the decisions keep the invariants of the sequence:

never after an order, at most one email per step, at most the configured steps, steps in
order, never in quiet hours, the hold-out never emailed, an incentive never twice per period.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.core.cart.events import OrderPlaced
from relance.core.cart.state import Cart, GrantedIncentive, Reminder, apply_event, new_cart
from relance.core.sequence.assignment import in_holdout
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Send, decide, offers_incentive
from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import (
    FAST_INCENTIVE_POLICY,
    cart_updated,
    item,
    order_placed,
    parsed,
    simple,
    static_incentive,
)

pytestmark = pytest.mark.unit

PARIS = "Europe/Paris"
# Half the moments fall in the first two days, where carts and steps collide most.
minutes = st.integers(min_value=0, max_value=12 * 24 * 60) | st.integers(min_value=0, max_value=48 * 60)
carts = st.sampled_from(["c1", "c2"])
event_kinds = st.sampled_from(
    ["update"] * 4 + ["order", "emptied", "checkout", "identified", "consent", "consent"]
)
shop_events = st.tuples(event_kinds, carts, minutes, st.integers(min_value=0, max_value=5))
# Step 0 stands for "the cart's next step": most fires are the expected ones, some are strays.
fires = st.tuples(st.just("fire"), carts, minutes, st.sampled_from([0, 0, 0, 1, 2, 3, 4]))
starts = st.tuples(st.just("update"), carts, st.integers(min_value=0, max_value=600), st.just(9))
histories = st.builds(
    lambda first, rest: [first, *rest], starts, st.lists(st.one_of(shop_events, fires, fires), max_size=40)
)
policies = st.sampled_from(
    [
        ShopPolicy(),
        ShopPolicy(delay_preset="agency", consent_mode="eu"),
        ShopPolicy.model_validate({**FAST_INCENTIVE_POLICY, "quiet_hours": None}),
        ShopPolicy.model_validate(
            {
                "step3_only_if_opened": True,
                "pressure_cap": {"max_emails": 2, "period_days": 2, "when_reached": "stop"},
                "incentive": static_incentive(2),
            }
        ),
        ShopPolicy.model_validate(
            {
                "holdout_percent": 50,
                "quiet_hours": {"start": "12:00", "end": "18:00"},
                "variants": [{"name": "A"}, {"name": "B"}],
                "incentive": static_incentive(5),
            }
        ),
    ]
)
emails = st.sampled_from(["x@example.fr", "y@example.fr", "z@example.fr", "w@example.fr"])


def event_for(kind: str, cart_id: str, at_minute: int, n: int, email: str) -> dict[str, Any]:
    at = T0 + timedelta(minutes=at_minute)
    event_id = f"{kind}-{n}"  # small id space: duplicates happen
    if kind == "update":
        return cart_updated(event_id, at, cart_id, items=[item(price=f"{10 + n}.00")], email=email)
    if kind == "order":
        return order_placed(event_id, at, cart_id)
    if kind == "emptied":
        return simple("cart_emptied", event_id, at, cart_id)
    if kind == "checkout":
        return simple("checkout_started", event_id, at, cart_id)
    if kind == "consent":
        customer = {"email": email, "marketing_consent": n % 2 == 0}
        return simple("consent_changed", event_id, at, cart_id) | {"customer": customer}
    return simple("customer_identified", event_id, at, cart_id) | {"customer": {"email": email}}


@dataclass
class Customer:
    """The contact item as the services keep it, driven by the same events."""

    state: ContactState = field(default_factory=ContactState)
    orders: list[datetime] = field(default_factory=list)
    incentives: list[datetime] = field(default_factory=list)


def in_quiet_hours(policy: ShopPolicy, moment: datetime) -> bool:
    quiet = policy.quiet_hours
    return quiet is not None and quiet.contains(moment.astimezone(ZoneInfo(PARIS)).time())


@settings(max_examples=500, deadline=None)
@given(histories, policies, emails)
def test_the_sequence_keeps_its_invariants(history: list[Any], policy: ShopPolicy, email: str) -> None:
    stored: dict[str, Cart] = {}
    customer = Customer()
    clock = T0
    held = in_holdout("shop", email, policy.holdout_percent)
    for kind, cart_id, at_minute, n in history:
        if kind != "fire":
            event = parsed(event_for(kind, cart_id, at_minute, n, email))
            cart = apply_event(stored.get(cart_id) or new_cart("shop", event), event)
            if cart is None:
                continue
            stored[cart_id] = cart
            if isinstance(event, OrderPlaced):
                customer.orders.append(event.occurred_at)
                latest = max(customer.orders)
                customer.state = replace(customer.state, last_order_at=latest)
            if event.customer and event.customer.marketing_consent is not None:
                customer.state = replace(customer.state, consent=event.customer.marketing_consent)
            continue
        cart = stored.get(cart_id)
        if cart is None:
            continue
        clock = max(clock, T0 + timedelta(minutes=at_minute))  # timers fire in real time order
        step = n or cart.next_step
        decision = decide(cart, policy, step, clock, contact=customer.state, shop_time_zone=PARIS)
        if not isinstance(decision, Send):
            continue
        assert cart.order is None, "emailed after an order of this cart"
        assert not any(cart.abandoned_at <= at for at in customer.orders), "emailed after the customer bought"
        assert cart.reminder(decision.step) is None, "same step twice"
        assert decision.step == cart.next_step <= policy.steps, "steps out of order or too many"
        assert not in_quiet_hours(policy, clock), "sent in quiet hours"
        assert decision.held_out == held, "hold-out decided inconsistently"
        if offers_incentive(cart, policy, decision, contact=customer.state, now=clock):
            period = timedelta(days=policy.incentive.once_per_days)
            assert all(clock - given >= period for given in customer.incentives), (
                "incentive twice in a period"
            )
            customer.incentives.append(clock)
            customer.state = replace(customer.state, last_incentive_at=clock)
            grant = GrantedIncentive(code="MERCI", kind="free_shipping", value=0, granted_at=clock)
            cart = cart.model_copy(update={"incentive": grant})
        reminder = Reminder(
            step=decision.step, variant=decision.variant, claimed_at=clock, message_id=None if held else "m",
            held_out=decision.held_out,
        )  # fmt: skip
        stored[cart_id] = cart.model_copy(update={"reminders": (*cart.reminders, reminder)})
        if not decision.held_out:
            customer.state = replace(
                customer.state,
                recent_emails=(*customer.state.recent_emails, clock),
                newest_cart_id=cart_id,
                newest_at=cart.abandoned_at,
            )
    for cart in stored.values():
        steps = [r.step for r in cart.reminders]
        assert steps == list(range(1, len(steps) + 1))
        assert len(steps) <= policy.steps
